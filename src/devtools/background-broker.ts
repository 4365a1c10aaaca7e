/**
 * A broker that outlives the command that started it (`pipectl dev kafka --background`), found again through a pid
 * file: line 1 the JVM's pid, line 2 the bootstrap address (`kill $(head -1 FILE)` works, so does
 * `sed -n 2p FILE`). Stopping checks that the pid is still one of our broker JVMs before signalling it.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BROKER_MARKER } from './broker-jvm.js';
import { DevToolsError } from './dev-errors.js';
import { commandLine, isProcessAlive, terminate } from './processes.js';

/** The pid file `pipectl dev kafka` uses when none is given. */
export const DEFAULT_BROKER_PID_FILE = '.pipectl/kafka.pid';

/** The command that stops the broker recorded in `pidFile`, as the user can paste it. */
export function stopCommandFor(pidFile: string): string {
  if (pidFile === DEFAULT_BROKER_PID_FILE) return 'pipectl dev kafka stop';
  const quoted = /^[\w@%+=:,./-]+$/.test(pidFile) ? pidFile : `'${pidFile.replaceAll("'", "'\\''")}'`;
  return `pipectl dev kafka stop --pid-file ${quoted}`;
}

export interface BrokerPidFile {
  pid: number;
  bootstrap: string;
}

/** Writes the pid file atomically (creating its folder). */
export function writeBrokerPidFile(path: string, info: BrokerPidFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, `${info.pid}\n${info.bootstrap}\n`);
  renameSync(`${path}.tmp`, path);
}

/** The pid file's content; null when there is no file. Throws PIPECTL_DEV_NOT_RUNNING when it is not one of ours. */
export function readBrokerPidFile(path: string): BrokerPidFile | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const [pidLine, bootstrap] = text.split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0) throw new DevToolsError('PIPECTL_DEV_NOT_RUNNING', `${path} is not a broker pid file (expected a pid on its first line)`);
  return { pid, bootstrap: bootstrap?.trim() ?? '' };
}

/** Whether `pid` is alive and is a broker JVM started by pipectl. */
export function isDevBroker(pid: number): boolean {
  return isProcessAlive(pid) && (commandLine(pid)?.includes(BROKER_MARKER) ?? false);
}

/**
 * Before starting a background broker: throws PIPECTL_DEV_ALREADY_RUNNING when the pid file names a live broker;
 * removes a stale pid file.
 */
export function assertNoBackgroundBroker(pidFile: string): void {
  const recorded = readBrokerPidFile(pidFile);
  if (!recorded) return;
  if (isDevBroker(recorded.pid)) {
    throw new DevToolsError('PIPECTL_DEV_ALREADY_RUNNING', `a Kafka broker is already running at ${recorded.bootstrap} (pid ${recorded.pid}, ${pidFile}); stop it with "${stopCommandFor(pidFile)}"`);
  }
  rmSync(pidFile, { force: true });
}

export type StopOutcome = { outcome: 'stopped' | 'was-not-running' } & BrokerPidFile;

/**
 * Stops the broker of a pid file (SIGTERM, SIGKILL after `killAfterMs`) and removes the file. A pid that is gone
 * gives 'was-not-running'. Throws PIPECTL_DEV_NOT_RUNNING when there is no pid file, or when its pid is alive but
 * is not a pipectl broker (the file is left for a human to look at).
 */
export async function stopBackgroundBroker(pidFile: string, killAfterMs = 30_000): Promise<StopOutcome> {
  const recorded = readBrokerPidFile(pidFile);
  if (!recorded) throw new DevToolsError('PIPECTL_DEV_NOT_RUNNING', `no broker pid file at ${pidFile} (start one with "pipectl dev kafka --background")`);
  if (!isDevBroker(recorded.pid)) {
    if (!isProcessAlive(recorded.pid)) {
      rmSync(pidFile, { force: true });
      return { outcome: 'was-not-running', ...recorded };
    }
    throw new DevToolsError('PIPECTL_DEV_NOT_RUNNING', `pid ${recorded.pid} from ${pidFile} is not a pipectl Kafka broker; not signalling it (remove the stale file)`);
  }
  await terminate(recorded.pid, killAfterMs);
  rmSync(pidFile, { force: true });
  return { outcome: 'stopped', ...recorded };
}
