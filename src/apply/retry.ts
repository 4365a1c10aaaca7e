/**
 * Retries of calls the runtime answered with ConflictError (409: a rebalance, no known leader, stale config), with
 * jittered exponential backoff. Only ConflictError is retried: Connect guarantees a 409 did not apply the change.
 */
import { ConflictError } from '../herder/errors.js';
import { ApplyFailure } from './errors.js';
import type { ConflictRetryOptions } from './types.js';

export interface RetryContext {
  retry: ConflictRetryOptions;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Called before each sleep; `attempt` is the (1-based) try that just conflicted. */
  onRetry: (info: { attempt: number; attempts: number; delayMs: number; message: string }) => void;
}

/** The delay after the `attempt`-th conflicting try: base·2^(attempt−1), capped, then scaled to 50–100 %. */
export function backoffDelay(attempt: number, retry: ConflictRetryOptions, random: () => number): number {
  const raw = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  const unit = Math.min(1, Math.max(0, random()));
  return Math.round(raw * (0.5 + unit / 2));
}

/**
 * Runs `call`, retrying it while it rejects with ConflictError. Rejects with an ApplyFailure (PIPECTL_APPLY_CONFLICT)
 * once the tries are used up; any other rejection passes through unchanged.
 */
export async function withConflictRetry<T>(what: string, call: () => Promise<T>, ctx: RetryContext): Promise<T> {
  const attempts = Math.max(1, Math.floor(ctx.retry.attempts));
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      if (attempt >= attempts) {
        throw new ApplyFailure(
          'PIPECTL_APPLY_CONFLICT',
          `The ${what} still conflicted after ${attempts} attempt${attempts === 1 ? '' : 's'} (a rebalance may be stuck): ${err.message}`,
        );
      }
      const delayMs = backoffDelay(attempt, ctx.retry, ctx.random);
      ctx.onRetry({ attempt, attempts, delayMs, message: err.message });
      await ctx.sleep(delayMs);
    }
  }
}
