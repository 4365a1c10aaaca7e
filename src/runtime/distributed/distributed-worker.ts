/**
 * Wires a distributed worker together: the Kafka data plane, the three internal topics of Connect and pipectl's lease
 * topic (created when missing, checked when present) with their stores, the plugin registry, the Worker, the group membership, the herder and the
 * REST server. Then it joins the group; work arrives with the first assignment. The process-level concerns (signals,
 * exit codes, where logs go) stay in the CLI.
 */
import type { Herder } from '../../herder/herder.js';
import { loadPluginPath } from '../../plugins/plugin-path.js';
import { createDefaultRegistry } from '../bundled-plugins.js';
import type { DistributedWorkerSettings } from '../config/distributed-config.js';
import { openKafkaDataPlane } from '../kafka/kafka-data-plane.js';
import { kafkajsRawClusterFactory } from '../kafka/kafka-client.js';
import { adminConfig, workerClientKeys } from '../kafka/kafka-config.js';
import type { ClientSettings } from '../kafka/port/kafka-port.js';
import type { Logger } from '../logger.js';
import { startRestServer } from '../rest/index.js';
import { loadRestProtection } from '../rest/rest-security.js';
import { restAccess } from '../config/worker-config.js';
import { SecretGuard } from '../secret-guard.js';
import { newWorker } from '../herder-base/new-worker.js';
import { AssignedWork } from './assigned-work.js';
import { KafkaClusterMembership } from './cluster-membership.js';
import { DistributedHerder } from './distributed-herder.js';
import { SessionKeyRotation } from './session-key.js';
import { TaskConfigSender } from './task-config-sender.js';
import { KafkaConfigStore } from '../storage/config/kafka-config-store.js';
import { KafkaLeaseStore } from '../storage/leases/kafka-lease-store.js';
import { KafkaOffsetStore } from '../storage/offsets/kafka-offset-store.js';
import { KafkaStatusStore } from '../storage/status/kafka-status-store.js';
import { ensureInternalTopic, TopicLog } from '../storage/kafka-topics/topic-log.js';
import { RUNTIME_VERSION } from '../runtime-version.js';

export interface RunningDistributedWorker {
  herder: Herder;
  url: string;
  workerId: string;
  /** Stops REST and this worker's work (flushing offsets), then leaves the group so the others rebalance at once. */
  stop(): Promise<void>;
}

export async function startDistributedWorker(settings: DistributedWorkerSettings, rawLogger: Logger, onFatal: (error: Error) => void): Promise<RunningDistributedWorker> {
  const registry = createDefaultRegistry({ topicCreationEnable: settings.topicCreationEnable, converters: { key: settings.raw['key.converter'], value: settings.raw['value.converter'] } });
  const guard = new SecretGuard(settings.raw, rawLogger, (c) => registry.findConnector(c['connector.class'] ?? '')?.configDef);
  const logger = guard.wrap(rawLogger);
  // TLS stores and Basic auth users first: a bad one refuses the start before anything opens.
  const protection = loadRestProtection(settings.restSecurity, logger);
  const loaded = await loadPluginPath(registry, settings.pluginPath);
  for (const e of loaded.errors) logger.error(`cannot load plugin: ${e.message}`, { path: e.path });

  const dataPlane = await openKafkaDataPlane({ workerConfig: settings.raw, logger });
  const factory = kafkajsRawClusterFactory(logger);
  // Client ids as Connect's: <group.id>-configs, -offsets, -statuses, -shared-admin (and -member for the group);
  // pipectl's lease topic: <group.id>-leases. As in Connect, these clients (and the group membership) take the
  // worker's top-level keys, security included, and none of its producer./consumer./admin. ones.
  const clientFor = (suffix: string): ClientSettings => ({ ...adminConfig(workerClientKeys(settings.raw)).client, clientId: `${settings.groupId}-${suffix}` });
  const cleanups: (() => Promise<unknown>)[] = [() => dataPlane.close()];
  const cleanup = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    // Internal topics: created compacted when missing; an existing config topic must be compacted with one partition.
    for (const [topic, role] of [[settings.configTopic, 'config'], [settings.offsetTopic, 'offset'], [settings.statusTopic, 'status'], [settings.leaseTopic, 'lease']] as const) {
      await ensureInternalTopic(dataPlane, { ...topic, role }, { logger });
    }
    const logOf = (name: string, suffix: string): TopicLog => new TopicLog({ topic: name, port: factory.rawCluster(clientFor(suffix)), dataPlane, logger });

    let generation = -1;
    let workerId = 'starting';
    let advertisedScheme = 'http';
    const configStore = new KafkaConfigStore({ log: logOf(settings.configTopic.name, 'configs'), logger });
    const offsetStore = new KafkaOffsetStore({ log: logOf(settings.offsetTopic.name, 'offsets'), logger });
    const statusStore = new KafkaStatusStore({ log: logOf(settings.statusTopic.name, 'statuses'), generation: () => generation, logger });
    // The apply lease's store: the lease topic, so that any worker answers for the whole cluster and a lease outlives
    // the worker that granted it (a standalone worker gets the memory twin instead).
    const leaseStore = new KafkaLeaseStore({ log: logOf(settings.leaseTopic.name, 'leases'), logger });
    const stores = [configStore, offsetStore, statusStore, leaseStore];
    for (const store of stores) cleanups.push(() => store.stop());
    // Each store reads its topic to the end: the four reads run side by side.
    await Promise.all(stores.map((store) => store.start()));

    // Assigned below: the membership needs the work, and the work asks the membership.
    let membership: KafkaClusterMembership | undefined;
    const isLeader = (): boolean => membership?.state().isLeader ?? false;
    // KIP-507: the leader keeps a session key in the config topic; the others send task configs to it, signed.
    const rotation = new SessionKeyRotation({ settings: settings.interWorker, configStore, isLeader, logger });
    const sender = new TaskConfigSender({
      membership: () => membership!.state(),
      whenStable: (ms) => membership!.whenStable(ms),
      sessionKey: () => configStore.view().sessionKey(),
      signatureAlgorithm: settings.interWorker.signatureAlgorithm,
      ...(protection.tls ? { tls: protection.tls.peer } : {}),
      logger,
    });
    cleanups.push(async () => {
      rotation.stop();
      sender.stop();
    });
    const work = new AssignedWork({ configStore, statusStore, logger, requestRebalance: () => membership?.requestRebalance(), isLeader, sender, onSessionKey: () => void rotation.check() });
    const worker = newWorker(settings, { registry, guard, dataPlane, offsetStore, statusStore, logger, workerId: () => workerId, onConnectorStarted: (n) => work.onConnectorStarted(n), assignmentValid: () => membership?.ownsAssignment() ?? false, restartTask: (id) => work.restartTask(id.connector, id.task), storedConfig: (n) => configStore.view().connectorConfig(n) });
    work.attachWorker(worker);
    configStore.setListener(work);

    let completedRebalances = 0;
    let lastRebalanceAt = 0;
    worker.metrics?.setRebalanceSource(() => {
      const state = membership!.state();
      return {
        protocol: state.protocol === 'default' ? 'EAGER' : (state.protocol ?? settings.interWorker.connectProtocol).toUpperCase(), leaderUrl: state.leaderUrl ?? '', epoch: Math.max(0, state.generation), rebalancing: !state.stable, completedRebalances,
        timeSinceLastMs: lastRebalanceAt === 0 ? Number.POSITIVE_INFINITY : Date.now() - lastRebalanceAt, clientId: `connect-${workerId}`,
      };
    });
    membership = new KafkaClusterMembership({
      groupId: settings.groupId,
      url: () => `${advertisedScheme}://${workerId}`,
      sessionTimeoutMs: settings.sessionTimeoutMs,
      rebalanceTimeoutMs: settings.rebalanceTimeoutMs,
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      scheduledRebalanceMaxDelayMs: settings.scheduledRebalanceMaxDelayMs,
      protocol: settings.interWorker.connectProtocol,
      configStore,
      listener: {
        onAssignment: async (change) => {
          generation = change.generation;
          completedRebalances++;
          lastRebalanceAt = Date.now();
          await work.onAssignment(change);
          void rotation.check();
        },
        onAssignmentLost: () => work.onAssignmentLost(),
      },
      port: factory.rawCluster(clientFor('member')),
      logger,
      onFailed: onFatal,
    });
    const herder = new DistributedHerder({ configStore, statusStore, offsetStore, dataPlane, plugins: registry, membership, work, logger, version: RUNTIME_VERSION, clusterId: dataPlane.clusterId, workerId: () => workerId });
    const metrics = worker.metrics;
    const ui = settings.uiEnable ? { ui: { mode: 'distributed' as const, workerId: () => workerId, topics: dataPlane, ...(metrics ? { metrics } : {}) } } : {};
    const rest = await startRestServer({ herder, listeners: settings.listeners, logger, leases: leaseStore, topics: dataPlane, ...(metrics ? { metrics } : {}), ...ui, ...restAccess(settings), ...protection,
      internalRequests: {
        sessioned: () => membership!.state().protocol === 'sessioned',
        verificationAlgorithms: settings.interWorker.verificationAlgorithms,
        sessionKey: () => configStore.view().sessionKey()?.key,
      },
    });
    cleanups.push(() => rest.close());
    workerId = `${settings.advertisedHost ?? new URL(rest.url).hostname}:${settings.advertisedPort ?? rest.port}`;
    // rest.url is the advertised listener's (rest.advertised.listener): other workers forward to that scheme.
    advertisedScheme = new URL(rest.url).protocol.replace(':', '');
    await membership.start();
    logger.info('worker started', { mode: 'distributed', group: settings.groupId, worker_id: workerId, url: rest.url });

    const stop = async (): Promise<void> => {
      rotation.stop();
      sender.stop();
      await rest.close();
      await work.stopAll();
      await worker.stop();
      await statusStore.flush().catch(() => undefined);
      await membership.stop();
      await cleanup();
      logger.info('worker stopped');
    };
    return { herder, url: rest.url, workerId, stop };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
