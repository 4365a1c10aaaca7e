/**
 * A real Apache Kafka Connect worker (standalone or distributed) for development and tests, run from the Maven jars
 * of kafka/connect-pom.xml against a running broker: the reference peer that pipectl's runtime is compared with. One
 * call: ensure the jars, pick the REST port, write worker.properties, spawn the JVM, wait until the REST API answers
 * (and, distributed, until the worker has joined its group). The JVM dies with this process (see watchdog.ts).
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { readLogEnd, spawnKafkaJvm, tailLines, thisRun } from './broker-jvm.js';
import { planClassDataSharing } from './class-data-sharing.js';
import { CONNECT_LOG4J2_CONFIG, connectWorkerConfig, renderProperties } from './connect-config.js';
import type { ConnectMode } from './connect-config.js';
import { DevToolsError } from './dev-errors.js';
import { findJava } from './executables.js';
import { stopOnAbort, superviseJvm, waitUntilReady } from './jvm-supervisor.js';
import { ensureKafkaJars, KAFKA_VERSION } from './kafka-jars.js';
import type { KafkaJars } from './kafka-jars.js';
import { reservePorts } from './ports.js';
import { startWatchdog } from './watchdog.js';

export type { ConnectMode } from './connect-config.js';

const MAIN_CLASS: Record<ConnectMode, string> = {
  standalone: 'org.apache.kafka.connect.cli.ConnectStandalone',
  distributed: 'org.apache.kafka.connect.cli.ConnectDistributed',
};

/** The marker every Connect JVM started here has on its command line (followed by its dataDir). */
export const CONNECT_MARKER = '-Dpipectl.dev.connect=';

export interface StartKafkaConnectOptions {
  mode: ConnectMode;
  /** `host:port` of a running broker. */
  bootstrap: string;
  /** REST port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The worker's folder (worker.properties, connect.log, standalone's connect.offsets); kept. Default: a new
   *  temporary folder, removed when the worker has exited. */
  dataDir?: string;
  /** Extra worker keys, winning over the computed ones (see connectWorkerConfig): e.g. `group.id` to join another
   *  worker's cluster, `connect.protocol`, converters. */
  workerConfig?: Readonly<Record<string, string>>;
  /** Standalone only: connector config files (`.properties` or `.json`) passed to ConnectStandalone. */
  connectorFiles?: readonly string[];
  /** Maximum heap; default 512. */
  heapMb?: number;
  /** Default KAFKA_VERSION (the broker's). */
  version?: string;
  /** Jar cache; default defaultKafkaCacheDir(version, env, 'connect'). */
  cacheDir?: string;
  /** Aborting during the start kills the JVM and rejects with PIPECTL_DEV_ABORTED; after the start, it stops the worker. */
  signal?: AbortSignal;
  /** Default 90 s. On timeout the JVM is killed and the promise rejects with PIPECTL_DEV_CONNECT_TIMEOUT. */
  startTimeoutMs?: number;
  /** stop(): SIGKILL when SIGTERM has not ended the JVM after this long; default 20 s. */
  stopTimeoutMs?: number;
  /** Extra JVM options. */
  jvmArgs?: readonly string[];
}

export interface KafkaConnectWorker {
  mode: ConnectMode;
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  pid: number;
  /** What `GET /` answered, e.g. "4.1.1". */
  version: string;
  /** JVM spawn until the REST API was ready, in ms (excluding any jar download). */
  startedMs: number;
  dataDir: string;
  logFile: string;
  /** The worker.properties keys as written. */
  workerConfig: Readonly<Record<string, string>>;
  /** Distributed: the group.id (the three internal topics are named after it unless given); standalone: null. */
  groupId: string | null;
  jars: KafkaJars;
  /** Resolves with the JVM's exit code (null when killed by a signal) once it has exited, for whatever reason. */
  exited: Promise<number | null>;
  /** SIGTERM (a graceful Connect shutdown), then SIGKILL after stopTimeoutMs; resolves once the JVM has exited and a
   *  temporary dataDir is removed. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL (a crash, for failover tests); resolves once the JVM has exited. */
  kill(): Promise<void>;
}

/** Starts a Connect worker. Throws DevToolsError (see dev-errors.ts) for every expected failure. */
export async function startKafkaConnect(options: StartKafkaConnectOptions): Promise<KafkaConnectWorker> {
  const { mode, bootstrap } = options;
  if (options.connectorFiles?.length && mode !== 'standalone') throw new DevToolsError('PIPECTL_DEV_INVALID_OPTIONS', 'startKafkaConnect: connectorFiles are for standalone mode only');
  const version = options.version ?? KAFKA_VERSION;
  const java = findJava();
  await assertBrokerListening(bootstrap);
  const jars = await ensureKafkaJars({ jarSet: 'connect', version, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const [port] = (await reservePorts([options.port ?? 0], ['Connect REST port'])) as [number];

  const temporary = !options.dataDir;
  const dataDir = options.dataDir ? resolve(options.dataDir) : mkdtempSync(join(tmpdir(), 'pipectl-connect-'));
  const logFile = join(dataDir, 'connect.log');
  const workerProperties = join(dataDir, 'worker.properties');
  const config = connectWorkerConfig({ mode, bootstrap, port, dataDir, defaultGroupId: `pipectl-connect-${randomBytes(4).toString('hex')}`, ...(options.workerConfig ? { extra: options.workerConfig } : {}) });
  const url = `http://127.0.0.1:${port}`;
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(workerProperties, renderProperties(config, `Kafka Connect ${version} ${mode} worker, written by pipectl (src/devtools/kafka-connect.ts)`));
    appendFileSync(logFile, `=== pipectl: Kafka Connect ${version} ${mode} at ${url}, broker ${bootstrap}, ${new Date().toISOString()}\n`);
  } catch (e) {
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }

  const stopTimeoutMs = options.stopTimeoutMs ?? 20_000;
  // From here on, the JVM and a temporary folder go away with this process, however it ends.
  const watchdog = startWatchdog({ killAfterMs: stopTimeoutMs, ...(temporary ? { cleanupDir: dataDir } : {}) });
  const cds = planClassDataSharing(jars.cacheDir, java, jars.classpath, true);
  const started = Date.now();
  const child = spawnKafkaJvm(
    { java, classpath: jars.classpath, dataDir, logFile, jvmArgs: [...cds.jvmArgs, ...(options.jvmArgs ?? [])] },
    { mainClass: MAIN_CLASS[mode], args: [workerProperties, ...(options.connectorFiles ?? []).map((f) => resolve(f))], heapMb: options.heapMb ?? 512, log4jConfig: CONNECT_LOG4J2_CONFIG, marker: CONNECT_MARKER, detached: false },
  );
  const handle = superviseJvm(child, {
    watchdog, temporary, dataDir, logFile, stopTimeoutMs, onExit: (clean) => cds.finish(clean),
    what: 'the Connect worker JVM', spawnFailCode: 'PIPECTL_DEV_CONNECT_FAILED',
  });
  const timeoutMs = options.startTimeoutMs ?? 90_000;
  let restVersion = '';
  try {
    await waitUntilReady(handle, {
      probe: async () => {
        restVersion = (await restReady(url, mode)) ?? '';
        return restVersion !== '';
      },
      timeoutMs, abortedMessage: 'the Connect worker start was aborted', ...(options.signal ? { signal: options.signal } : {}),
      earlyExit: (code, log) => earlyExitError(url, bootstrap, code, log, logFile, handle.pid),
      timedOut: () => new DevToolsError('PIPECTL_DEV_CONNECT_TIMEOUT', `Kafka Connect (${mode}) at ${url} did not become ready within ${timeoutMs} ms; it was killed (log: ${logFile})\n${tailLines(thisRun(readLogEnd(logFile)))}`, handle.pid),
    });
    if (options.signal?.aborted) throw new DevToolsError('PIPECTL_DEV_ABORTED', 'the Connect worker start was aborted', handle.pid);
  } catch (e) {
    await handle.kill();
    throw e;
  }
  stopOnAbort(handle, options.signal);
  return {
    mode, url, port, pid: handle.pid, version: restVersion, startedMs: Date.now() - started, dataDir, logFile,
    workerConfig: config, groupId: mode === 'distributed' ? config['group.id']! : null, jars,
    exited: handle.exited, stop: handle.stop, kill: handle.kill,
  };
}

/**
 * The version from `GET /` once the REST API is up and `GET /connectors` answers 200 too (distributed: only after the
 * worker has joined its group and read the config topic); null otherwise, never throws.
 */
async function restReady(url: string, mode: ConnectMode): Promise<string | null> {
  try {
    const root = await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) });
    const body = (await root.json()) as { version?: unknown };
    if (root.status !== 200 || typeof body.version !== 'string') return null;
    const connectors = await fetch(`${url}/connectors`, { signal: AbortSignal.timeout(mode === 'distributed' ? 5000 : 2000) });
    await connectors.arrayBuffer();
    return connectors.status === 200 ? body.version : null;
  } catch {
    return null;
  }
}

/** Explains a worker that exited before it was ready: its port taken, the broker unreachable, else the log tail. */
function earlyExitError(url: string, bootstrap: string, code: number | null, fullLog: string | null, logFile: string, pid: number): DevToolsError {
  const log = thisRun(fullLog);
  if (log && /Address already in use|Failed to bind to/.test(log)) {
    return new DevToolsError('PIPECTL_DEV_PORT_IN_USE', `Kafka Connect could not bind its REST port (${url}): address already in use`, pid);
  }
  if (log && /Failed to connect to and describe Kafka cluster/.test(log)) {
    return new DevToolsError('PIPECTL_DEV_CONNECT_FAILED', `Kafka Connect could not reach the broker at ${bootstrap} (log: ${logFile})\n${tailLines(log, 5)}`, pid);
  }
  return new DevToolsError('PIPECTL_DEV_CONNECT_FAILED', `Kafka Connect exited with code ${code} before it was ready (log: ${logFile})\n${tailLines(log)}`, pid);
}

/**
 * Fails fast (instead of after Connect's 60 s admin timeout) when nothing listens at the first bootstrap address.
 * Throws PIPECTL_DEV_CONNECT_FAILED.
 */
async function assertBrokerListening(bootstrap: string): Promise<void> {
  const first = bootstrap.split(',')[0]!.trim();
  const colon = first.lastIndexOf(':');
  const host = first.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(first.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new DevToolsError('PIPECTL_DEV_CONNECT_FAILED', `bootstrap "${bootstrap}" is not host:port`);
  }
  await new Promise<void>((resolveCheck, reject) => {
    const socket = connect({ host, port, timeout: 3000 });
    const fail = (why: string): void => {
      socket.destroy();
      reject(new DevToolsError('PIPECTL_DEV_CONNECT_FAILED', `no Kafka broker at ${first} (${why}): start one first, e.g. "pipectl dev kafka"`));
    };
    socket.once('connect', () => {
      socket.destroy();
      resolveCheck();
    });
    socket.once('timeout', () => fail('no answer within 3 s'));
    socket.once('error', (e: NodeJS.ErrnoException) => fail(e.code ?? e.message));
  });
}
