/**
 * What `pipectl dev kafka` and `pipectl dev postgres` share: a development server in the foreground until Ctrl-C or
 * SIGTERM, or in the background with a pid file, and `stop`. Exit codes: 0 after a clean start (background) or a
 * clean stop (foreground, on Ctrl-C/SIGTERM), 1 for every error.
 */
import { rmSync } from 'node:fs';
import type { BackgroundKind } from '../devtools/background-process.js';
import type { DevToolsError } from '../devtools/dev-errors.js';
import { failWith } from './dev-terminal.js';

/** What the runner needs of a started server. */
export interface DevServer {
  pid: number;
  dataDir: string;
  logFile: string;
  /** Resolves with the exit code once the server has exited. */
  exited: Promise<number | null>;
}

export interface DevServerRun<S extends DevServer> {
  /** In "Stopping Kafka...", "Kafka stopped", "Interrupted (SIGINT) before Kafka was ready". */
  name: string;
  /** In "Error: the Kafka broker exited unexpectedly". */
  what: string;
  kind: BackgroundKind;
  background: boolean;
  pidFile: string;
  /** Starts the server: detached when background; aborting `signal` stops it; onSpawned gets its pid and address as
   *  soon as it exists (the pid file is written then, so that even a start interrupted by SIGKILL leaves a server
   *  "stop" can find). */
  start(signal: AbortSignal, onSpawned: (pid: number, address: string) => void): Promise<S>;
  /** The line printed on stdout once ready. */
  readyLine(server: S): string;
}

/** Runs a development server; resolves with the exit code. */
export async function runDevServer<S extends DevServer>(run: DevServerRun<S>): Promise<number> {
  const { assertNotRunning, stopCommandOf, writePidFile } = await import('../devtools/background-process.js');
  // Installed before anything starts: Ctrl-C or SIGTERM while starting kills the server; once ready, it stops it.
  // A second signal finds no handler and ends this process; the watchdog then stops the server.
  const interrupt = new AbortController();
  let server: S | undefined;
  let received: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) return;
    received = signal;
    if (server) process.stderr.write(`Stopping ${run.name}...\n`);
    interrupt.abort();
  };
  const unlisten = (): void => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (run.background) assertNotRunning(run.kind, run.pidFile);
    server = await run.start(interrupt.signal, (pid, address) => {
      if (run.background) writePidFile(run.pidFile, { pid, address });
    });
  } catch (e) {
    unlisten();
    if (run.background && (e as DevToolsError).code !== 'PIPECTL_DEV_ALREADY_RUNNING') rmSync(run.pidFile, { force: true });
    if (received) {
      process.stderr.write(`Interrupted (${received}) before ${run.name} was ready\n`);
      return 1;
    }
    return failWith(e);
  }
  process.stdout.write(`${run.readyLine(server)}\n`);
  if (run.background) {
    unlisten();
    process.stderr.write(`pid ${server.pid} in ${run.pidFile}; log: ${server.logFile}; stop with "${stopCommandOf(run.kind, run.pidFile)}"\n`);
    return 0;
  }
  process.stderr.write(`pid ${server.pid}; data: ${server.dataDir}; log: ${server.logFile}; Ctrl-C to stop\n`);
  const code = await server.exited;
  if (interrupt.signal.aborted) {
    process.stderr.write(`${run.name} stopped\n`);
    return 0;
  }
  unlisten();
  process.stderr.write(`Error: ${run.what} exited unexpectedly with code ${code} (log: ${server.logFile})\n`);
  return 1;
}

/** `… stop`: stops the background server of a pid file; resolves with the exit code. */
export async function runDevServerStop(name: string, kind: BackgroundKind, pidFile: string): Promise<number> {
  const { stopBackground } = await import('../devtools/background-process.js');
  try {
    const r = await stopBackground(kind, pidFile);
    process.stdout.write(r.outcome === 'stopped' ? `${name} at ${r.address} stopped (pid ${r.pid})\n` : `${name} (pid ${r.pid}) was not running; removed ${pidFile}\n`);
    return 0;
  } catch (e) {
    return failWith(e);
  }
}

/** Parses --port: a whole number 0–65535 (0 picks a free one); null when it is not one. */
export function parsePort(text: string): number | null {
  const port = Number(text);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : null;
}
