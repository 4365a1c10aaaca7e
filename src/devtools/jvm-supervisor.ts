/**
 * The life of a development server process once spawned — a JVM (the broker, a Connect worker) or PostgreSQL's
 * postmaster: exit bookkeeping, the watchdog and the exit hook that tie it to this process, a bounded stop (SIGTERM or
 * `stopSignal`, then SIGKILL), and the wait until it is ready.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { readLogEnd } from './broker-jvm.js';
import { DevToolsError } from './dev-errors.js';
import type { DevErrorCode } from './dev-errors.js';
import type { Watchdog } from './watchdog.js';

export interface SupervisedJvm {
  pid: number;
  /** The end of the log as it was when the JVM exited (before a temporary dataDir was removed); null before. */
  finalLog(): string | null;
  /** Resolves with the exit code (null when killed by a signal) once the JVM has exited, for whatever reason. */
  exited: Promise<number | null>;
  hasExited(): boolean;
  /** SIGTERM (or stopSignal), then SIGKILL after stopTimeoutMs; resolves once the JVM has exited. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL; resolves once the JVM has exited. */
  kill(): Promise<void>;
}

export interface SuperviseOptions {
  /** Guards the JVM while this process lives; null for a JVM meant to outlive this process (it is unref'd). */
  watchdog: Watchdog | null;
  /** Removed once the JVM has exited when `temporary`. */
  dataDir: string;
  temporary: boolean;
  logFile: string;
  stopTimeoutMs: number;
  /** The signal of stop() and of the exit hook; default SIGTERM (a postmaster wants SIGINT, its fast shutdown). */
  stopSignal?: NodeJS.Signals;
  /** Called once after the exit; `clean` when it exited 0 or through SIGTERM. */
  onExit(clean: boolean): void;
  /** For the error thrown when the spawn failed, e.g. "the broker JVM" and PIPECTL_DEV_BROKER_FAILED. */
  what: string;
  spawnFailCode: DevErrorCode;
}

/**
 * Takes charge of a spawned JVM. When it has no pid (the spawn failed), disposes of the watchdog, calls onExit(false),
 * removes a temporary dataDir and throws DevToolsError(spawnFailCode).
 */
export function superviseJvm(child: ChildProcess, o: SuperviseOptions): SupervisedJvm {
  let spawnError: Error | null = null;
  child.on('error', (e) => (spawnError ??= e));
  if (child.pid === undefined) {
    o.watchdog?.dispose();
    o.onExit(false);
    if (o.temporary) rmSync(o.dataDir, { recursive: true, force: true });
    throw new DevToolsError(o.spawnFailCode, `${o.what} could not be spawned${spawnError ? `: ${(spawnError as Error).message}` : ''}`);
  }
  const pid = child.pid;
  let done = false;
  let finalLog: string | null = null;
  const stopSignal = o.stopSignal ?? 'SIGTERM';
  const exitHook = (): void => {
    try {
      process.kill(pid, stopSignal);
    } catch {
      // already gone
    }
  };
  const { watchdog } = o;
  if (watchdog) {
    watchdog.watch(pid);
    process.on('exit', exitHook);
  } else {
    child.unref(); // detached: outlives this process
  }
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('exit', (code, signal) => {
      done = true;
      finalLog = readLogEnd(o.logFile);
      watchdog?.dispose();
      process.removeListener('exit', exitHook);
      o.onExit(code === 0 || code === 143 || signal === stopSignal);
      if (o.temporary) rmSync(o.dataDir, { recursive: true, force: true });
      resolveExit(code);
    });
  });
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (done) return;
      child.ref(); // an unref'd (or detached) JVM must still hold this process open until it has exited
      child.kill(stopSignal);
      const timer = setTimeout(() => child.kill('SIGKILL'), o.stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  const kill = async (): Promise<void> => {
    if (!done) {
      child.ref();
      child.kill('SIGKILL');
    }
    await exited;
  };
  return { pid, finalLog: () => finalLog, exited, hasExited: () => done, stop, kill };
}

export interface ReadyWait {
  /** One readiness check; true when ready. Must not throw. */
  probe(): Promise<boolean>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Message of PIPECTL_DEV_ABORTED, e.g. "the broker start was aborted". */
  abortedMessage: string;
  /** The error for a JVM that exited before it was ready (its exit code, the log as it was at the exit). */
  earlyExit(code: number | null, log: string | null): DevToolsError;
  /** The error for a JVM not ready within timeoutMs (the caller kills it). */
  timedOut(): DevToolsError;
}

/** Probes every 100 ms until ready; throws the early-exit, abort or timeout error. The JVM is left as it is. */
export async function waitUntilReady(jvm: SupervisedJvm, w: ReadyWait): Promise<void> {
  const deadline = Date.now() + w.timeoutMs;
  for (;;) {
    if (jvm.hasExited()) throw w.earlyExit(await jvm.exited, jvm.finalLog());
    if (w.signal?.aborted) throw new DevToolsError('PIPECTL_DEV_ABORTED', w.abortedMessage, jvm.pid);
    if (await w.probe()) return;
    if (Date.now() > deadline) throw w.timedOut();
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** After a successful start: aborting `signal` stops the JVM (SIGTERM, bounded). */
export function stopOnAbort(jvm: SupervisedJvm, signal: AbortSignal | undefined): void {
  if (!signal) return;
  const onAbort = (): void => void jvm.stop();
  signal.addEventListener('abort', onAbort, { once: true });
  void jvm.exited.then(() => signal.removeEventListener('abort', onAbort));
}
