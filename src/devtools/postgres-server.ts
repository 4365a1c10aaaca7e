/**
 * A real PostgreSQL server for development and tests, run from the machine's own PostgreSQL programs
 * (postgres-binaries.ts) in a folder of its own: `<dataDir>/pgdata` (initdb's cluster, made on the first start),
 * `<dataDir>/postgres.log`, and the unix socket in `<dataDir>`. On 127.0.0.1 only, `wal_level=logical`, trust
 * authentication (postgres-config.ts). The postmaster dies with this process unless `lifetime` is 'detached' (the
 * watchdog of watchdog.ts, with SIGINT: PostgreSQL's fast shutdown). As root, it runs as the `postgres` user
 * (postgres-account.ts).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readLogEnd, tailLines, thisRun } from './broker-jvm.js';
import { DevToolsError } from './dev-errors.js';
import { stopOnAbort, superviseJvm, waitUntilReady } from './jvm-supervisor.js';
import { handOverFolder, postgresAccount } from './postgres-account.js';
import type { PostgresAccount } from './postgres-account.js';
import { findPostgresBinaries } from './postgres-binaries.js';
import type { PostgresBinaries } from './postgres-binaries.js';
import { initdbArgs, POSTGRES_DATABASE, POSTGRES_USER, postgresUrl, readPostmasterPid, serverArgs, socketDirFor } from './postgres-config.js';
import { reservePorts } from './ports.js';
import { commandLine, isProcessAlive } from './processes.js';
import { startWatchdog } from './watchdog.js';

export interface StartPostgresOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The server's folder, kept across runs (initdb runs when it has no cluster yet). Default: a new temporary folder,
   *  removed when the server stops. Required when lifetime is 'detached'. */
  dataDir?: string;
  /** false: fsync=off and full_page_writes=off, for a throwaway test server. Default true. */
  fsync?: boolean;
  /** The folder of initdb and postgres; default: found by findPostgresBinaries(). */
  binDir?: string;
  /** Aborting during the start kills the server and rejects with PIPECTL_DEV_ABORTED; after the start, it stops it. */
  signal?: AbortSignal;
  /** Default 60 s (initdb included). On timeout the server is killed: PIPECTL_DEV_POSTGRES_TIMEOUT. */
  startTimeoutMs?: number;
  /** stop(): SIGKILL when SIGINT has not ended the postmaster after this long; default 20 s. */
  stopTimeoutMs?: number;
  /** 'process' (default): the server dies with this process, however it ends. 'detached': it outlives this process. */
  lifetime?: 'process' | 'detached';
  /** Called once the postmaster is spawned, before it is ready (e.g. to write a pid file). */
  onSpawned?(info: { pid: number; url: string; dataDir: string; logFile: string }): void;
}

export interface PostgresServer {
  /** `postgresql://pipectl@127.0.0.1:<port>/postgres` (no password: trust authentication). */
  url: string;
  host: '127.0.0.1';
  port: number;
  /** POSTGRES_USER: a superuser, with REPLICATION. */
  user: string;
  database: string;
  /** The folder of the unix socket (the server's folder), or null when its path would be too long. */
  socketDir: string | null;
  /** The postmaster's pid; its process group is its own (kill() ends every backend at once). */
  pid: number;
  /** e.g. "15.18". */
  version: string;
  binaries: PostgresBinaries;
  /** The OS user the server runs as when this process is root; null when it runs as this process's user. */
  account: PostgresAccount | null;
  dataDir: string;
  pgdata: string;
  logFile: string;
  /** Whether initdb made the cluster in this start. */
  initialized: boolean;
  /** initdb (when it ran) and the start until the postmaster reported "ready". */
  startMs: number;
  /** Resolves with the postmaster's exit code (null when killed by a signal) once it has exited. */
  exited: Promise<number | null>;
  /** Fast shutdown (SIGINT), SIGKILL after stopTimeoutMs; resolves once it has exited. Removes only a temporary folder. */
  stop(): Promise<void>;
  /** SIGKILL to the postmaster and its backends (a crash); the folder stays for a restart. */
  kill(): Promise<void>;
  /** Lets this process exit while the server runs; the exit hook and the watchdog then stop it. */
  unref(): void;
}

/** Starts a server. Throws DevToolsError for every expected failure (PIPECTL_DEV_POSTGRES_*, _PORT_IN_USE, …). */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const lifetime = options.lifetime ?? 'process';
  if (lifetime === 'detached' && !options.dataDir) throw new DevToolsError('PIPECTL_DEV_INVALID_OPTIONS', 'startPostgres: a detached server needs a dataDir');
  const fsync = options.fsync ?? true;
  const binaries = findPostgresBinaries(options.binDir ? { binDir: options.binDir } : {});
  const account = postgresAccount();
  const [port] = (await reservePorts([options.port ?? 0], ['Postgres port'])) as [number];
  const temporary = !options.dataDir;
  const dataDir = options.dataDir ? resolve(options.dataDir) : mkdtempSync(join(tmpdir(), 'pipectl-postgres-'));
  const pgdata = join(dataDir, 'pgdata');
  const logFile = join(dataDir, 'postgres.log');
  const url = postgresUrl(port);
  const stopTimeoutMs = options.stopTimeoutMs ?? 20_000;
  const watchdog = lifetime === 'process' ? startWatchdog({ killAfterMs: stopTimeoutMs, stopSignal: 'SIGINT', ...(temporary ? { cleanupDir: dataDir } : {}) }) : null;
  const started = Date.now();
  const initialized = !existsSync(join(pgdata, 'PG_VERSION'));
  try {
    mkdirSync(dirname(dataDir), { recursive: true });
    mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // the unix socket is in it: only its owner may connect there
    if (account) handOverFolder(dataDir, account);
    assertNotRunningIn(dataDir, pgdata);
    assertSameMajor(pgdata, binaries);
    appendFileSync(logFile, `=== pipectl: PostgreSQL ${binaries.version} on 127.0.0.1:${port}${account ? ` as ${account.name}` : ''}, ${new Date().toISOString()}\n`);
    if (initialized) await initdb(binaries, account, dataDir, pgdata, logFile, fsync, (pid) => watchdog?.watch(pid), options.signal);
  } catch (e) {
    watchdog?.dispose();
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const args = serverArgs({ pgdata, port, socketDir: socketDirFor(dataDir, port), fsync });
  // Its own process group always: kill() reaches every backend, and a terminal's Ctrl-C reaches only pipectl, which stops it.
  const child = spawnToLog(binaries.postgres, args, logFile, { cwd: dataDir, detached: true, ...(account ? { uid: account.uid, gid: account.gid } : {}) });
  const handle = superviseJvm(child, {
    watchdog, temporary, dataDir, logFile, stopTimeoutMs, stopSignal: 'SIGINT', onExit: () => {},
    what: 'the postgres server', spawnFailCode: 'PIPECTL_DEV_POSTGRES_FAILED',
  });
  const killGroup = async (): Promise<void> => {
    try {
      process.kill(-handle.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await handle.kill();
  };
  try {
    options.onSpawned?.({ pid: handle.pid, url, dataDir, logFile });
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    await waitUntilReady(handle, {
      probe: async () => { const p = readPostmasterPid(pgdata); return p?.pid === handle.pid && p.status === 'ready'; },
      timeoutMs, abortedMessage: 'the Postgres start was aborted', ...(options.signal ? { signal: options.signal } : {}),
      earlyExit: (code, log) => earlyExitError(port, dataDir, code, log, logFile, handle.pid),
      timedOut: () => new DevToolsError('PIPECTL_DEV_POSTGRES_TIMEOUT', `Postgres on 127.0.0.1:${port} was not ready within ${timeoutMs} ms; it was killed (log: ${logFile})\n${tailLines(thisRun(readLogEnd(logFile)))}`, handle.pid),
    });
    if (options.signal?.aborted) throw new DevToolsError('PIPECTL_DEV_ABORTED', 'the Postgres start was aborted', handle.pid);
  } catch (e) {
    await killGroup();
    throw e;
  }
  stopOnAbort(handle, options.signal);
  return {
    url, host: '127.0.0.1', port, user: POSTGRES_USER, database: POSTGRES_DATABASE, socketDir: socketDirFor(dataDir, port), pid: handle.pid,
    version: binaries.version, binaries, account, dataDir, pgdata, logFile, initialized, startMs: Date.now() - started,
    exited: handle.exited, stop: handle.stop, kill: killGroup, unref: () => child.unref(),
  };
}

/** A second start on a folder whose postmaster still runs is refused, whoever started that one. */
function assertNotRunningIn(dataDir: string, pgdata: string): void {
  const running = readPostmasterPid(pgdata);
  if (running && isProcessAlive(running.pid) && (commandLine(running.pid)?.includes(pgdata) ?? false)) {
    throw new DevToolsError('PIPECTL_DEV_ALREADY_RUNNING', `a Postgres server is already running in ${dataDir} (pid ${running.pid}, port ${running.port}); stop it first, or choose another --data-dir`);
  }
}

function assertSameMajor(pgdata: string, binaries: PostgresBinaries): void {
  let made: string;
  try {
    made = readFileSync(join(pgdata, 'PG_VERSION'), 'utf8').trim();
  } catch {
    return;
  }
  if (made !== String(binaries.major)) {
    throw new DevToolsError('PIPECTL_DEV_POSTGRES_FAILED', `${pgdata} was made by PostgreSQL ${made}, and the programs found are PostgreSQL ${binaries.version} (${binaries.binDir}): choose another --data-dir, or remove that one`);
  }
}

function spawnToLog(program: string, args: readonly string[], logFile: string, options: SpawnOptions): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    return spawn(program, args, { ...options, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
}

/** Runs initdb (as `account` when given); throws PIPECTL_DEV_POSTGRES_FAILED with the log tail when it fails. */
async function initdb(b: PostgresBinaries, account: PostgresAccount | null, dataDir: string, pgdata: string, logFile: string, fsync: boolean, onSpawn: (pid: number) => void, signal?: AbortSignal): Promise<void> {
  const child = spawnToLog(b.initdb, initdbArgs(pgdata, fsync), logFile, { cwd: dataDir, ...(account ? { uid: account.uid, gid: account.gid } : {}), ...(signal ? { signal } : {}) });
  if (child.pid !== undefined) onSpawn(child.pid);
  const code = await new Promise<number | null>((resolveCode, reject) => {
    child.once('error', (e) => reject(e.name === 'AbortError' ? new DevToolsError('PIPECTL_DEV_ABORTED', 'the Postgres start was aborted') : new DevToolsError('PIPECTL_DEV_POSTGRES_FAILED', `initdb could not be run: ${e.message}`)));
    child.once('exit', (c) => resolveCode(c));
  });
  if (code !== 0) {
    rmSync(pgdata, { recursive: true, force: true }); // a half-made cluster would be taken for a made one next time
    throw new DevToolsError('PIPECTL_DEV_POSTGRES_FAILED', `initdb failed (exit ${code}; log: ${logFile})\n${tailLines(thisRun(readLogEnd(logFile)))}`);
  }
}

/** Explains a postmaster that exited before it was ready: the port taken, the folder in use, else the log tail. */
function earlyExitError(port: number, dataDir: string, code: number | null, fullLog: string | null, logFile: string, pid: number): DevToolsError {
  const log = thisRun(fullLog);
  if (log && /could not bind IPv4 address .*Address already in use/.test(log)) {
    return new DevToolsError('PIPECTL_DEV_PORT_IN_USE', `Postgres could not bind 127.0.0.1:${port}: address already in use`, pid);
  }
  if (log && /lock file "postmaster\.pid" already exists/.test(log)) {
    return new DevToolsError('PIPECTL_DEV_ALREADY_RUNNING', `another postmaster runs in ${dataDir} (log: ${logFile})`, pid);
  }
  return new DevToolsError('PIPECTL_DEV_POSTGRES_FAILED', `postgres exited with code ${code} before it was ready (log: ${logFile})\n${tailLines(log)}`, pid);
}
