/**
 * A real single-node Apache Kafka broker (KRaft, combined broker+controller, loopback) for development and tests,
 * run from the Maven jars of kafka-jars.ts. One call: ensure the jars, pick ports, format the storage, spawn the JVM,
 * wait until a kafkajs admin `describeCluster()` answers. The JVM dies with this process unless `lifetime` is
 * 'detached' (see watchdog.ts).
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { newClusterId, renderServerProperties } from './broker-config.js';
import { ensureDevCertificates, hasDevCertificates } from './dev-certificates.js';
import type { DevCertificates } from './dev-certificates.js';
import { clientSettingsFiles, scramFormatArgs, withSecureListeners } from './secure-broker-config.js';
import type { ClientSettingsFiles } from './secure-broker-config.js';
import { formatStorage, isFormatted, readLogEnd, spawnBroker, tailLines, thisRun } from './broker-jvm.js';
import type { JvmLaunch } from './broker-jvm.js';
import { planClassDataSharing } from './class-data-sharing.js';
import { DevToolsError } from './dev-errors.js';
import { findJava } from './executables.js';
import { ensureKafkaJars, KAFKA_VERSION } from './kafka-jars.js';
import type { KafkaJars } from './kafka-jars.js';
import { stopOnAbort, superviseJvm, waitUntilReady } from './jvm-supervisor.js';
import { reservePorts } from './ports.js';
import { startWatchdog } from './watchdog.js';

export interface StartKafkaBrokerOptions {
  /** Default KAFKA_VERSION. */
  version?: string;
  /** Jar cache; default defaultKafkaCacheDir(version). */
  cacheDir?: string;
  /** Client (PLAINTEXT) port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** KRaft controller port on 127.0.0.1; 0 (the default) picks a free one. */
  controllerPort?: number;
  /**
   * Adds a SASL_SSL listener (SCRAM-SHA-512/-256 and PLAIN) and an SSL listener requiring a client certificate, with a
   * CA, certificates and a user made once per dataDir (see secure-broker-config.ts). A dataDir formatted without it
   * is refused (its metadata has no SCRAM user). Needs openssl and keytool.
   */
  secure?: boolean;
  /** With `secure`: the SASL_SSL and SSL ports on 127.0.0.1; 0 (the default) picks a free one. */
  saslSslPort?: number;
  sslPort?: number;
  /** The broker's folder (server.properties, `kraft/` = log.dirs, broker.log); kept across runs. Default: a new
   *  temporary folder, removed when the broker stops. Required when lifetime is 'detached'. */
  dataDir?: string;
  /** Maximum heap; default 512. */
  heapMb?: number;
  /** Where the JVM's output is appended; default `<dataDir>/broker.log`. */
  logFile?: string;
  /** Aborting during the start kills the JVM and rejects with PIPECTL_DEV_ABORTED; after the start, it stops the broker. */
  signal?: AbortSignal;
  /** Default 60 s. On timeout the JVM is killed and the promise rejects with PIPECTL_DEV_BROKER_TIMEOUT. */
  startTimeoutMs?: number;
  /** stop(): SIGKILL when SIGTERM has not ended the JVM after this long; default 20 s. */
  stopTimeoutMs?: number;
  /** 'process' (default): the JVM dies with this process, however it ends. 'detached': it outlives this process (its
   *  own session, unref'd); stop it later with stopBrokerProcess(pid). */
  lifetime?: 'process' | 'detached';
  /** Extra JVM options. */
  jvmArgs?: readonly string[];
  /** Called once the JVM is spawned, before it is ready (e.g. to write a pid file before anything can interrupt). */
  onSpawned?(info: { pid: number; bootstrap: string; dataDir: string; logFile: string }): void;
}

/** The secure listeners of a broker started with `secure`. */
export interface SecureListeners {
  /** `127.0.0.1:<port>` of the SASL_SSL listener. */
  saslSslBootstrap: string;
  /** `127.0.0.1:<port>` of the SSL listener (client certificate required). */
  sslBootstrap: string;
  /** The CA, stores, client certificate and the SASL user's password: never log them. */
  certificates: DevCertificates;
  /** The worker settings for each listener, written into `certificates.dir` (they hold passwords). */
  clientSettingsFiles: ClientSettingsFiles;
}

export interface KafkaBroker {
  /** `127.0.0.1:<port>` of the PLAINTEXT listener. */
  bootstrap: string;
  port: number;
  controllerPort: number;
  pid: number;
  version: string;
  dataDir: string;
  logFile: string;
  /** Format + JVM start until the first successful describeCluster(), excluding any jar download. */
  startMs: number;
  jars: KafkaJars;
  /** Set when started with `secure`. */
  secure?: SecureListeners;
  /** Resolves with the JVM's exit code (null when killed by a signal) once it has exited, for whatever reason. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after stopTimeoutMs; resolves once the JVM has exited (and a temporary dataDir is removed). */
  stop(): Promise<void>;
  /** Lets this process exit while the broker runs; the broker is then stopped by the exit hook and the watchdog. */
  unref(): void;
}

/** Starts a broker. Throws DevToolsError (see dev-errors.ts) for every expected failure. */
export async function startKafkaBroker(options: StartKafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const version = options.version ?? KAFKA_VERSION;
  const lifetime = options.lifetime ?? 'process';
  if (lifetime === 'detached' && !options.dataDir) throw new DevToolsError('PIPECTL_DEV_INVALID_OPTIONS', 'startKafkaBroker: a detached broker needs a dataDir');
  const java = findJava();
  const jars = await ensureKafkaJars({ version, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const requested = [options.port ?? 0, options.controllerPort ?? 0, ...(options.secure ? [options.saslSslPort ?? 0, options.sslPort ?? 0] : [])];
  const [port, controllerPort, saslSslPort, sslPort] = (await reservePorts(requested, ['broker port', 'controller port', 'SASL_SSL port', 'SSL port'])) as [number, number, number?, number?];

  const temporary = !options.dataDir;
  const dataDir = options.dataDir ? resolve(options.dataDir) : mkdtempSync(join(tmpdir(), 'pipectl-kafka-'));
  const logDirs = join(dataDir, 'kraft');
  const serverProperties = join(dataDir, 'server.properties');
  const logFile = options.logFile ? resolve(options.logFile) : join(dataDir, 'broker.log');
  const launch = (jvmArgs: readonly string[]): JvmLaunch => ({ java, classpath: jars.classpath, dataDir, logFile, jvmArgs });
  // From here on, whatever JVM runs (format, then the broker) and a temporary folder go away with this process.
  const watchdog = lifetime === 'process' ? startWatchdog({ killAfterMs: options.stopTimeoutMs ?? 20_000, ...(temporary ? { cleanupDir: dataDir } : {}) }) : null;
  const started = Date.now();
  let secure: Omit<SecureListeners, 'clientSettingsFiles'> | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    const formatted = isFormatted(logDirs);
    if (options.secure && formatted && !hasDevCertificates(dataDir)) {
      throw new DevToolsError('PIPECTL_DEV_INVALID_OPTIONS', `the broker data folder ${dataDir} was made without --secure, so its metadata has no SCRAM user: use another --data-dir (or delete this one) for a secure broker`);
    }
    let properties = renderServerProperties({ port, controllerPort, logDirs });
    if (options.secure) {
      const certificates = await ensureDevCertificates(dataDir, java);
      secure = { saslSslBootstrap: `127.0.0.1:${saslSslPort!}`, sslBootstrap: `127.0.0.1:${sslPort!}`, certificates };
      properties = withSecureListeners(properties, { saslSslPort: saslSslPort!, sslPort: sslPort! }, certificates);
    }
    writeFileSync(serverProperties, properties, { mode: 0o600 });
    const secureNote = secure ? `, SASL_SSL ${secure.saslSslBootstrap}, SSL ${secure.sslBootstrap}` : '';
    appendFileSync(logFile, `=== pipectl: Kafka ${version} on 127.0.0.1:${port} (controller ${controllerPort}${secureNote}), ${new Date().toISOString()}\n`);
    if (!formatted) {
      const cds = planClassDataSharing(jars.cacheDir, java, jars.classpath, false);
      await formatStorage(launch(cds.jvmArgs), serverProperties, newClusterId(), (pid) => watchdog?.watch(pid), options.signal, secure ? scramFormatArgs(secure.certificates) : []);
    }
  } catch (e) {
    watchdog?.dispose();
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const cds = planClassDataSharing(jars.cacheDir, java, jars.classpath, lifetime === 'process');
  const child = spawnBroker(launch([...cds.jvmArgs, ...(options.jvmArgs ?? [])]), serverProperties, options.heapMb ?? 512, lifetime === 'detached');
  const handle = superviseJvm(child, {
    watchdog, temporary, dataDir, logFile, stopTimeoutMs: options.stopTimeoutMs ?? 20_000, onExit: (clean) => cds.finish(clean),
    what: 'the broker JVM', spawnFailCode: 'PIPECTL_DEV_BROKER_FAILED',
  });
  const bootstrap = `127.0.0.1:${port}`;
  try {
    options.onSpawned?.({ pid: handle.pid, bootstrap, dataDir, logFile });
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    await waitUntilReady(handle, {
      probe: () => answersMetadata(bootstrap), timeoutMs, abortedMessage: 'the broker start was aborted', ...(options.signal ? { signal: options.signal } : {}),
      earlyExit: (code, log) => earlyExitError(bootstrap, code, log, logFile, handle.pid),
      timedOut: () => new DevToolsError('PIPECTL_DEV_BROKER_TIMEOUT', `Kafka broker at ${bootstrap} did not become ready within ${timeoutMs} ms; it was killed (log: ${logFile})\n${tailLines(thisRun(readLogEnd(logFile)))}`, handle.pid),
    });
    if (options.signal?.aborted) throw new DevToolsError('PIPECTL_DEV_ABORTED', 'the broker start was aborted', handle.pid);
  } catch (e) {
    await handle.kill();
    throw e;
  }
  stopOnAbort(handle, options.signal);
  // Written once the ports are known to be the broker's: a paste of them then reaches this broker.
  const files = secure ? clientSettingsFiles({ saslSsl: secure.saslSslBootstrap, ssl: secure.sslBootstrap }, secure.certificates) : undefined;
  return {
    bootstrap, port, controllerPort, pid: handle.pid, version, dataDir, logFile, startMs: Date.now() - started, jars,
    ...(secure && files ? { secure: { ...secure, clientSettingsFiles: files } } : {}),
    exited: handle.exited, stop: handle.stop, unref: () => child.unref(),
  };
}

/** One metadata round trip with a throwaway admin client; false on any failure. */
async function answersMetadata(bootstrap: string): Promise<boolean> {
  const kafka = new Kafka({ clientId: 'pipectl-dev-ready', brokers: [bootstrap], logLevel: logLevel.NOTHING, connectionTimeout: 1000, requestTimeout: 2000, retry: { retries: 0 } });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** Explains a JVM that exited before it was ready: a port or the data folder taken, else the log tail. */
function earlyExitError(bootstrap: string, code: number | null, fullLog: string | null, logFile: string, pid: number): DevToolsError {
  const log = thisRun(fullLog);
  if (log && /Address already in use/.test(log)) {
    return new DevToolsError('PIPECTL_DEV_PORT_IN_USE', `Kafka broker could not bind its ports (${bootstrap} or the controller port): address already in use`, pid);
  }
  if (log && /Failed to acquire lock on file \.lock/.test(log)) {
    return new DevToolsError('PIPECTL_DEV_BROKER_FAILED', `Kafka broker's data folder is in use by another broker (log: ${logFile})`, pid);
  }
  return new DevToolsError('PIPECTL_DEV_BROKER_FAILED', `Kafka broker exited with code ${code} before it was ready (log: ${logFile})\n${tailLines(log)}`, pid);
}
