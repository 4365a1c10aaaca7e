/**
 * Wires a standalone worker together: data plane (the embedded log, or Kafka when `bootstrap.servers` is set), stores under `data.dir`, plugin
 * registry, worker, herder and REST server; then creates the connectors given on the command line. The process-level
 * concerns (signals, exit codes, where logs go) stay in the CLI.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Herder } from '../../herder/herder.js';
import { loadPluginPath } from '../../plugins/plugin-path.js';
import { createDefaultRegistry } from '../bundled-plugins.js';
import type { ConnectorFile } from '../config/connector-file.js';
import { restAccess } from '../config/worker-config.js';
import type { StandaloneWorkerSettings } from '../config/worker-config.js';
import type { DataPlane } from '../data-plane/data-plane.js';
import { openKafkaDataPlane } from '../kafka/kafka-data-plane.js';
import { openEmbeddedLog } from '../log/embedded-log.js';
import type { Logger } from '../logger.js';
import { startRestServer } from '../rest/index.js';
import { loadRestProtection } from '../rest/rest-security.js';
import { FileConfigStore } from '../storage/config/file-config-store.js';
import { FileOffsetStore } from '../storage/offsets/file-offset-store.js';
import { MemoryStatusStore } from '../storage/status/memory-status-store.js';
import type { LeaseStore } from '../storage/leases/lease-store.js';
import { MemoryLeaseStore } from '../storage/leases/memory-lease-store.js';
import { SecretGuard } from '../secret-guard.js';
import { newWorker } from '../herder-base/new-worker.js';
import { logOffsetReset, logRecovery, withRepairHint } from './data-dir-state.js';
import { StandaloneHerder } from './standalone-herder.js';
import { RUNTIME_VERSION } from '../runtime-version.js';

export interface RunningStandaloneWorker {
  herder: Herder;
  /** The REST base URL, e.g. http://127.0.0.1:8083. */
  url: string;
  workerId: string;
  /** Stops REST, tasks (flushing sink data and committing), connectors; flushes offsets; closes the log. */
  stop(): Promise<void>;
}

/** A connector file given at start could not be created (PIPECTL_WORKER_CONNECTOR_FILE_FAILED; the CLI exits 3). */
export class ConnectorFileError extends Error {
  readonly code = 'PIPECTL_WORKER_CONNECTOR_FILE_FAILED';

  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`failed to create connector from ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ConnectorFileError';
  }
}

export async function startStandaloneWorker(settings: StandaloneWorkerSettings, connectorFiles: readonly { path: string; file: ConnectorFile }[], rawLogger: Logger): Promise<RunningStandaloneWorker> {
  mkdirSync(settings.dataDir, { recursive: true });
  const registry = createDefaultRegistry({ topicCreationEnable: settings.topicCreationEnable, converters: { key: settings.raw['key.converter'], value: settings.raw['value.converter'] } });
  const guard = new SecretGuard(settings.raw, rawLogger, (c) => registry.findConnector(c['connector.class'] ?? '')?.configDef);
  const logger = guard.wrap(rawLogger);
  // TLS stores and Basic auth users first: a bad one refuses the start before anything opens.
  const protection = loadRestProtection(settings.restSecurity, logger);
  // State files first: a damaged one refuses the start, naming the file and the repair, before anything opens.
  let syncLog: (() => Promise<void>) | undefined;
  let offsetStore: FileOffsetStore;
  let configStore: FileConfigStore;
  try {
    // Offsets are written only once the log holds (synced) the records they cover: a power loss can then take
    // records from the log, but the source re-reads them.
    offsetStore = new FileOffsetStore(settings.dataDir, { beforeWrite: () => syncLog?.() ?? Promise.resolve() });
    // A damaged connector file throws CorruptConnectorFileError, which names the file and the way out.
    configStore = new FileConfigStore(settings.dataDir);
  } catch (e) {
    throw withRepairHint(e, settings.dataDir);
  }
  // With Kafka, source offsets stay in data.dir's offsets file, as in Connect's standalone mode.
  const kafka = settings.bootstrapServers ? await openKafkaDataPlane({ workerConfig: settings.raw, logger }) : undefined;
  let dataPlane: DataPlane;
  if (kafka) {
    dataPlane = kafka;
  } else {
    const log = await openEmbeddedLog({
      dir: join(settings.dataDir, 'log'),
      fsync: settings.fsync,
      fsyncIntervalMs: settings.fsyncIntervalMs,
      onOffsetReset: (reset) => logOffsetReset(logger, reset),
      onBackgroundError: (e, during) => logger.error(`embedded log: ${during} failed: ${e.message}`),
    }).catch((e: unknown) => {
      throw withRepairHint(e, settings.dataDir);
    });
    logRecovery(logger, log.recovery);
    syncLog = () => log.flush();
    dataPlane = log;
  }
  const loaded = await loadPluginPath(registry, settings.pluginPath);
  for (const e of loaded.errors) logger.error(`cannot load plugin: ${e.message}`, { path: e.path });

  const statusStore = new MemoryStatusStore();
  let workerId = 'starting';
  const herder = new StandaloneHerder({ configStore, statusStore, offsetStore, dataPlane, plugins: registry, logger, version: RUNTIME_VERSION, clusterId: kafka?.clusterId ?? 'pipectl-embedded' });
  const worker = newWorker(settings, { registry, guard, dataPlane, offsetStore, statusStore, logger, workerId: () => workerId, onConnectorStarted: (n) => herder.onConnectorStarted(n), restartTask: (id) => herder.restartTask(id.connector, id.task), storedConfig: (n) => configStore.get(n)?.config });
  herder.attachWorker(worker);

  // The apply lease's store: in memory, since this process alone answers for the runtime; a restart frees every lease
  // (see src/target-selection/README.md). A distributed worker gets the lease topic's store instead.
  const leases: LeaseStore = new MemoryLeaseStore();
  const metrics = worker.metrics;
  const ui = settings.uiEnable ? { ui: { mode: 'standalone' as const, workerId: () => workerId, topics: dataPlane, ...(metrics ? { metrics } : {}) } } : {};
  const rest = await startRestServer({ herder, listeners: settings.listeners, logger, leases, topics: dataPlane, ...(metrics ? { metrics } : {}), ...ui, ...restAccess(settings), ...protection });
  workerId = `${settings.advertisedHost ?? new URL(rest.url).hostname}:${settings.advertisedPort ?? rest.port}`;
  // startRestServer has logged `REST server listening url=…`; the worker id goes on the `worker started` line.

  const stop = async (): Promise<void> => {
    await rest.close();
    await herder.stop();
    await dataPlane.close();
    logger.info('worker stopped');
  };

  try {
    await herder.start();
    for (const { path, file } of connectorFiles) {
      try {
        await applyConnectorFile(herder, file, logger);
      } catch (e) {
        throw new ConnectorFileError(path, e);
      }
    }
  } catch (e) {
    await stop();
    throw e;
  }
  herder.markReady();
  logger.info('worker started', { worker_id: workerId, data_dir: settings.dataDir, data_plane: kafka ? 'kafka' : 'embedded', connectors: (await herder.connectors()).length });
  return { herder, url: rest.url, workerId, stop };
}

/**
 * Connector files are applied idempotently: created when missing, updated when their config differs, left alone
 * otherwise. (Connect's standalone mode can simply create them, because it forgets its connectors on restart; ours
 * keeps them in data.dir, so a second start with the same files must not fail.)
 */
async function applyConnectorFile(herder: Herder, file: ConnectorFile, logger: Logger): Promise<void> {
  const names = await herder.connectors();
  if (!names.includes(file.name)) {
    await herder.createConnector(file.name, file.config, file.initialState);
    return;
  }
  const current = await herder.connectorConfig(file.name);
  const wanted = { ...file.config, name: file.name };
  const same = Object.keys(current).length === Object.keys(wanted).length && Object.entries(wanted).every(([k, v]) => current[k] === v);
  if (same) {
    logger.info('connector from file already exists with the same config', { connector: file.name });
    return;
  }
  await herder.putConnectorConfig(file.name, wanted);
}
