/** The JVM command lines of the development broker (the storage format, the server) and of a Connect worker. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import { LOG4J2_CONFIG } from './broker-config.js';
import { DevToolsError } from './dev-errors.js';

export interface JvmLaunch {
  java: string;
  classpath: readonly string[];
  /** Working folder of the JVM and the folder Kafka's `-Dkafka.logs.dir` points at. */
  dataDir: string;
  logFile: string;
  /** Extra JVM options (CDS, user flags), placed before the classpath. */
  jvmArgs: readonly string[];
}

/** Whether `log.dirs` (the `kraft` folder in dataDir) has been formatted already. */
export function isFormatted(logDirs: string): boolean {
  return existsSync(join(logDirs, 'meta.properties'));
}

/**
 * Runs `kafka.tools.StorageTool format --standalone --ignore-formatted` (a one-voter dynamic KRaft quorum taken from
 * the controller listener), plus `extraArgs` (e.g. `--add-scram`). Resolves when it exited 0; throws PIPECTL_DEV_BROKER_FAILED with the log tail otherwise.
 */
export async function formatStorage(launch: JvmLaunch, serverProperties: string, clusterId: string, onSpawn: (pid: number) => void, signal?: AbortSignal, extraArgs: readonly string[] = []): Promise<void> {
  const args = [...launch.jvmArgs, '-Xmx256m', `-Dlog4j2.configurationFile=${LOG4J2_CONFIG}`, '-cp', launch.classpath.join(':'),
    'kafka.tools.StorageTool', 'format', '--standalone', '--ignore-formatted', '-t', clusterId, '-c', serverProperties, ...extraArgs];
  const child = spawnToLog(launch, args, false, signal);
  if (child.pid !== undefined) onSpawn(child.pid);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (e) => reject(e.name === 'AbortError' ? new DevToolsError('PIPECTL_DEV_ABORTED', 'the broker start was aborted') : e));
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) {
    throw new DevToolsError('PIPECTL_DEV_BROKER_FAILED', `formatting the broker storage failed (exit ${code}; log: ${launch.logFile})\n${logTail(launch.logFile)}`);
  }
}

/** Spawns `kafka.Kafka server.properties`, stdout and stderr appended to the log file (no pipes to this process). */
export function spawnBroker(launch: JvmLaunch, serverProperties: string, heapMb: number, detached: boolean): ChildProcess {
  return spawnKafkaJvm(launch, { mainClass: 'kafka.Kafka', args: [serverProperties], heapMb, log4jConfig: LOG4J2_CONFIG, marker: BROKER_MARKER, detached });
}

/** The marker every broker JVM started here has on its command line. */
export const BROKER_MARKER = '-Dpipectl.dev.kafka=';

export interface KafkaMain {
  /** e.g. `kafka.Kafka`, `org.apache.kafka.connect.cli.ConnectDistributed`. */
  mainClass: string;
  args: readonly string[];
  heapMb: number;
  /** The log4j2 configuration file. */
  log4jConfig: string;
  /** `-Dpipectl.dev.<what>=`: marks the process as ours in `ps` (followed by the dataDir), so a pid can be checked
   *  before it is signalled (`pipectl dev kafka stop`). */
  marker: string;
  detached: boolean;
}

/** Spawns a long-running Kafka JVM (the broker, a Connect worker), stdout and stderr appended to the log file. */
export function spawnKafkaJvm(launch: JvmLaunch, main: KafkaMain): ChildProcess {
  const args = [`-Xms${Math.min(256, main.heapMb)}m`, `-Xmx${main.heapMb}m`, '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${main.log4jConfig}`, `-Dkafka.logs.dir=${launch.dataDir}`, `${main.marker}${launch.dataDir}`,
    ...launch.jvmArgs, '-cp', launch.classpath.join(':'), main.mainClass, ...main.args];
  return spawnToLog(launch, args, main.detached);
}

function spawnToLog(launch: JvmLaunch, args: string[], detached: boolean, signal?: AbortSignal): ChildProcess {
  const fd = openSync(launch.logFile, 'a');
  try {
    return spawn(launch.java, args, { cwd: launch.dataDir, stdio: ['ignore', fd, fd], detached, ...(signal ? { signal } : {}) });
  } finally {
    closeSync(fd);
  }
}

/** The last 16 KB of the log file, or null when there is none. */
export function readLogEnd(logFile: string): string | null {
  try {
    const fd = openSync(logFile, 'r');
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, 16_384);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      return buffer.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** The last `lines` non-empty lines of a log text, indented for an error message. */
export function tailLines(text: string | null, lines = 20): string {
  if (text === null) return '  | (no log)';
  const tail = text.split('\n').filter((l) => l.trim() !== '').slice(-lines);
  return tail.length === 0 ? '  | (the log is empty)' : tail.map((l) => `  | ${l}`).join('\n');
}

/** tailLines(readLogEnd(logFile)). */
export function logTail(logFile: string, lines = 20): string {
  return tailLines(readLogEnd(logFile), lines);
}

/** The part of a (kept, appended-to) JVM log written by this start: from the last "=== pipectl:" line on. */
export function thisRun(log: string | null): string | null {
  if (log === null) return null;
  const start = log.lastIndexOf('=== pipectl:');
  return start < 0 ? log : log.slice(start);
}
