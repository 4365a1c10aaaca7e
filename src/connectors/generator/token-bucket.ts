/**
 * Rate limiting without busy waiting: a token bucket that fills at `rate` tokens per second up to `capacity`, and a
 * clock whose sleep can be cut short (by stop()). Tests inject a manual clock; the task uses the system one.
 */

export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts (immediately if it already has). Never rejects. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    }),
};

export class TokenBucket {
  private tokens = 0;
  private last: number;

  /** Starts empty (no initial burst). `rate` > 0 tokens/s; `capacity` ≥ 1 bounds the burst after a pause. */
  constructor(
    private readonly rate: number,
    readonly capacity: number,
    private readonly clock: Clock,
  ) {
    this.last = clock.now();
  }

  /** Takes up to `max` whole tokens that have accrued; 0 when not even one has. */
  take(max: number): number {
    this.refill();
    const n = Math.max(0, Math.min(max, Math.floor(this.tokens)));
    this.tokens -= n;
    return n;
  }

  /** Milliseconds until `want` tokens (at most `capacity`) will have accrued; 0 when they already have. */
  msUntil(want: number): number {
    this.refill();
    const target = Math.min(want, this.capacity);
    return this.tokens >= target ? 0 : ((target - this.tokens) / this.rate) * 1000;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
  }
}
