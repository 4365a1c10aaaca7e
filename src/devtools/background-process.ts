/**
 * A development server that outlives the command that started it (`pipectl dev kafka --background`,
 * `pipectl dev postgres --background`), found again through a pid file: line 1 the server's pid, line 2 its address
 * (`kill $(head -1 FILE)` works, so does `sed -n 2p FILE`). Stopping checks that the pid is still one of our servers
 * before signalling it. What differs between the servers is a BackgroundKind.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DevToolsError } from './dev-errors.js';
import { commandLine, isProcessAlive, terminate } from './processes.js';

/** One kind of background server, as its messages name it. */
export interface BackgroundKind {
  /** In sentences: "a Kafka broker is already running", "pid 12 is not a pipectl Kafka broker". */
  what: string;
  /** In "no broker pid file at …", "… is not a broker pid file". */
  short: string;
  /** The command that starts it, e.g. `pipectl dev kafka`; `stop` follows it. */
  command: string;
  defaultPidFile: string;
  /** Text on the command line of every such server started by pipectl (see processes.ts commandLine). */
  marker: string;
  /** The first signal of a stop (SIGKILL follows after the stop timeout). */
  stopSignal: NodeJS.Signals;
}

/** A pid file's content: the server's pid, and its address (bootstrap, or a URL without a password). */
export interface PidFileRecord {
  pid: number;
  address: string;
}

/** The command that stops the server recorded in `pidFile`, as the user can paste it. */
export function stopCommandOf(kind: BackgroundKind, pidFile: string): string {
  if (pidFile === kind.defaultPidFile) return `${kind.command} stop`;
  const quoted = /^[\w@%+=:,./-]+$/.test(pidFile) ? pidFile : `'${pidFile.replaceAll("'", "'\\''")}'`;
  return `${kind.command} stop --pid-file ${quoted}`;
}

/** Writes the pid file atomically (creating its folder). */
export function writePidFile(path: string, record: PidFileRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, `${record.pid}\n${record.address}\n`);
  renameSync(`${path}.tmp`, path);
}

/** The pid file's content; null when there is no file. Throws PIPECTL_DEV_NOT_RUNNING when it is not a pid file. */
export function readPidFile(kind: BackgroundKind, path: string): PidFileRecord | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const [pidLine, address] = text.split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0) throw new DevToolsError('PIPECTL_DEV_NOT_RUNNING', `${path} is not a ${kind.short} pid file (expected a pid on its first line)`);
  return { pid, address: address?.trim() ?? '' };
}

/** Whether `pid` is alive and its command line carries the kind's marker. */
export function isOurServer(kind: BackgroundKind, pid: number): boolean {
  return isProcessAlive(pid) && (commandLine(pid)?.includes(kind.marker) ?? false);
}

/**
 * Before starting a background server: throws PIPECTL_DEV_ALREADY_RUNNING when the pid file names a live server of
 * this kind; removes a stale pid file.
 */
export function assertNotRunning(kind: BackgroundKind, pidFile: string): void {
  const recorded = readPidFile(kind, pidFile);
  if (!recorded) return;
  if (isOurServer(kind, recorded.pid)) {
    throw new DevToolsError('PIPECTL_DEV_ALREADY_RUNNING', `a ${kind.what} is already running at ${recorded.address} (pid ${recorded.pid}, ${pidFile}); stop it with "${stopCommandOf(kind, pidFile)}"`);
  }
  rmSync(pidFile, { force: true });
}

export type StopResult = { outcome: 'stopped' | 'was-not-running' } & PidFileRecord;

/**
 * Stops the server of a pid file (kind.stopSignal, SIGKILL after `killAfterMs`) and removes the file; nothing else
 * (the data folder stays). A pid that is gone gives 'was-not-running'. Throws PIPECTL_DEV_NOT_RUNNING when there is
 * no pid file, or when its pid is alive but is not one of ours (the file is left for a human to look at).
 */
export async function stopBackground(kind: BackgroundKind, pidFile: string, killAfterMs = 30_000): Promise<StopResult> {
  const recorded = readPidFile(kind, pidFile);
  if (!recorded) throw new DevToolsError('PIPECTL_DEV_NOT_RUNNING', `no ${kind.short} pid file at ${pidFile} (start one with "${kind.command} --background")`);
  if (!isOurServer(kind, recorded.pid)) {
    if (!isProcessAlive(recorded.pid)) {
      rmSync(pidFile, { force: true });
      return { outcome: 'was-not-running', ...recorded };
    }
    throw new DevToolsError('PIPECTL_DEV_NOT_RUNNING', `pid ${recorded.pid} from ${pidFile} is not a pipectl ${kind.what}; not signalling it (remove the stale file)`);
  }
  await terminate(recorded.pid, killAfterMs, kind.stopSignal);
  rmSync(pidFile, { force: true });
  return { outcome: 'stopped', ...recorded };
}
