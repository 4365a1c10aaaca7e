/**
 * Which failures the task outlives and how long it waits: a lost connection (the server restarted, the network
 * failed) is retried without limit with back-off; a slot active for another connection is retried slot.max.retries
 * times, slot.retry.delay.ms apart (Debezium's rule); anything else fails the task.
 */
import { PgSourceError } from './pg-source-error.js';

/** SQLSTATE classes and codes of connection trouble: 08 connection exception, 57P01–57P03 shutdown / starting up, 53300 too many connections. */
const RETRIABLE_SQLSTATE = /^(08|57P0[1-3]|53300)/;

export function isConnectionLoss(e: unknown): boolean {
  if (e instanceof PgSourceError) return e.code === 'PIPECTL_PG_CONNECTION';
  const err = e as { code?: string; message?: string };
  if (typeof err?.code === 'string' && (RETRIABLE_SQLSTATE.test(err.code) || /^E(CONNREFUSED|CONNRESET|PIPE|HOSTUNREACH|NETUNREACH|TIMEDOUT|AI_AGAIN)$/.test(err.code))) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|Connection ended|not queryable/i.test(err?.message ?? '');
}

/** SQLSTATE 55006 object_in_use: "replication slot … is active for PID …". */
export function isSlotActive(e: unknown): boolean {
  return (e as { code?: string })?.code === '55006';
}

/** 1 s, 2 s, 4 s … capped at 30 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `op`, retrying while the slot is active elsewhere: up to `maxRetries` more times, `delayMs` apart. Then fails
 * with PIPECTL_PG_SLOT_IN_USE. Other errors pass through.
 */
export async function withSlotRetries<T>(slot: string, maxRetries: number, delayMs: number, signal: AbortSignal, onRetry: (attempt: number, e: Error) => void, op: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (e) {
      if (!isSlotActive(e)) throw e;
      if (attempt >= maxRetries || signal.aborted) {
        throw new PgSourceError('PIPECTL_PG_SLOT_IN_USE', `The replication slot ${slot} is active for another connection (${(e as Error).message}) after ${attempt + 1} attempts. Another connector or client uses slot.name=${slot}: stop it, or give this connector its own slot.name.`, { cause: e });
      }
      onRetry(attempt + 1, e as Error);
      await sleep(delayMs, signal);
    }
  }
}
