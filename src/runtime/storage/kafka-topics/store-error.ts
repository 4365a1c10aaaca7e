/**
 * Errors of the Kafka-topic-backed stores (config, offsets, status), each with a stable `PIPECTL_STORE_*` code, and
 * the time budget their reads and writes run under (Connect's READ_WRITE_TOTAL_TIMEOUT_MS).
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { STORE_ERROR_CODES } from '../../../diag/codes.js';
import { CodedError } from '../../../diag/coded-error.js';

export { STORE_ERROR_CODES };

export type StoreErrorCode = keyof typeof STORE_ERROR_CODES;

/** An error of a topic-backed store; `code` is stable, `message` names the operation, `cause` the log's error. */
export class StoreError extends CodedError<StoreErrorCode> {}

/** Connect's budget for one store operation, all its reads and writes included. */
export const DEFAULT_STORE_TIMEOUT_MS = 30_000;

/** Resolves after `ms`, rejects when `signal` aborts (the injected clock of the time budget). */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) => sleepFor(ms, undefined, { signal });

/** The time budget of store operations. */
export interface Budget {
  timeoutMs: number;
  sleep: Sleep;
}

/**
 * Runs `op` within `budget`. On expiry rejects with PIPECTL_STORE_TIMEOUT and aborts the signal given to `op`, so
 * that its remaining steps are not started (a step already under way cannot be recalled).
 */
export async function withinBudget<T>(what: string, budget: Budget, op: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const timer = new AbortController();
  const expired = budget.sleep(budget.timeoutMs, timer.signal).then(
    () => {
      abort.abort();
      throw new StoreError('PIPECTL_STORE_TIMEOUT', `${what} did not complete within ${budget.timeoutMs} ms`);
    },
    () => new Promise<never>(() => undefined), // the operation finished first and cancelled the timer
  );
  try {
    return await Promise.race([op(abort.signal), expired]);
  } finally {
    timer.abort();
  }
}

/** Awaits a write to the log; a failure becomes PIPECTL_STORE_WRITE_FAILED. Throws first when the budget expired. */
export async function writeStep(what: string, signal: AbortSignal, write: () => Promise<void>): Promise<void> {
  signal.throwIfAborted();
  try {
    await write();
  } catch (e) {
    throw new StoreError('PIPECTL_STORE_WRITE_FAILED', `${what} failed: ${(e as Error).message}`, { cause: e });
  }
}

/** Awaits a read to the end of the log; a failure becomes PIPECTL_STORE_READ_FAILED. */
export async function readStep(what: string, signal: AbortSignal, read: () => Promise<void>): Promise<void> {
  signal.throwIfAborted();
  try {
    await read();
  } catch (e) {
    throw new StoreError('PIPECTL_STORE_READ_FAILED', `${what} failed: reading the topic to its end: ${(e as Error).message}`, { cause: e });
  }
}

/** Throws PIPECTL_STORE_NOT_STARTED unless the store is started. */
export function assertStarted(state: 'new' | 'started' | 'stopped', store: string): void {
  if (state === 'new') throw new StoreError('PIPECTL_STORE_NOT_STARTED', `the ${store} is used before start()`);
  if (state === 'stopped') throw new StoreError('PIPECTL_STORE_NOT_STARTED', `the ${store} is used after stop()`);
}
