/**
 * Ctrl-C / SIGINT / SIGTERM during apply, as Terraform handles them. While nothing can have changed yet (loading,
 * planning, asking, waiting for the lease), an interrupt exits at once — after the cleanup (releasing the apply lease,
 * held from before planning through the prompt), bounded by CLEANUP_MS; a second interrupt does not wait for it. Once operations run, the first interrupt is
 * graceful: `signal` aborts, so apply starts no new operation, lets the one in flight finish (bounded), and the CLI
 * releases the lease and prints what was done and what was not; a second interrupt exits at once.
 */
import { constants } from 'node:os';

export interface InterruptGuard {
  /** Aborted by the first interrupt while graceful. */
  readonly signal: AbortSignal;
  /** The signal that interrupted the run, if one did. */
  received(): NodeJS.Signals | undefined;
  /** Whether an interrupt is graceful from now on (true while operations run). */
  setGraceful(graceful: boolean): void;
  /** What to do before exiting at once on a first interrupt (release the lease); undefined: nothing. */
  setCleanup(cleanup: (() => Promise<void>) | undefined): void;
  /** Removes the handlers. */
  dispose(): void;
}

export interface InterruptHandlers {
  /** The first interrupt while graceful: say that apply is stopping. */
  onGraceful(signal: NodeJS.Signals): void;
  /** Before exiting at once: `second` is true for a second interrupt. Must not throw. */
  onExit(signal: NodeJS.Signals, second: boolean): void;
}

/** 128 + the signal's number, as shells report a process ended by it (130 for SIGINT, 143 for SIGTERM). */
export function interruptExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 2);
}

/** How long an interrupt before any change waits for the cleanup (the lease release) before exiting anyway. */
export const CLEANUP_MS = 3_000;

/** Installs SIGINT and SIGTERM handlers for the duration of one apply. */
export function guardInterrupts(handlers: InterruptHandlers): InterruptGuard {
  const controller = new AbortController();
  let graceful = false;
  let received: NodeJS.Signals | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    const second = received !== undefined;
    received ??= sig;
    if (!second && graceful) {
      handlers.onGraceful(sig);
      controller.abort();
      return;
    }
    handlers.onExit(sig, second);
    const code = interruptExitCode(received);
    if (second || !cleanup) process.exit(code);
    const timer = setTimeout(() => process.exit(code), CLEANUP_MS);
    void cleanup()
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        process.exit(code);
      });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    setGraceful: (on) => void (graceful = on),
    setCleanup: (fn) => void (cleanup = fn),
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
