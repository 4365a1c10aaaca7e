/**
 * When to retry a request and how long to wait: exponential back-off with jitter, and the server's Retry-After.
 * Pure functions (random and clock are parameters) so the bounds are unit-tested.
 */

/** Statuses retried as transient: timeouts, throttling and server errors. Every other 4xx is about the request. */
export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Statuses that say the request as a whole is refused, whatever records it holds (credentials, permissions, URL): the
 * task fails on them instead of looking for a bad record.
 */
export function isEndpointStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 404 || status === 405 || status === 407;
}

/** The longest Retry-After honoured (a bogus date far in the future must not park the task for days). */
export const RETRY_AFTER_MAX_MS = 600_000;

/**
 * Milliseconds a Retry-After header asks to wait: delta-seconds (`120`) or an HTTP date, relative to `nowMs`; at least 0,
 * at most RETRY_AFTER_MAX_MS. Undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (text === '') return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined; // an HTTP date always names a day and month
    ms = at - nowMs;
  }
  return Math.min(RETRY_AFTER_MAX_MS, Math.max(0, ms));
}

/**
 * The wait before retry number `attempt` (1 for the first): the exponential step `min(max, base·2^(attempt-1))`, with
 * "equal jitter" — a uniform draw in [step/2, step] — so tasks that failed together do not retry together. A
 * Retry-After (ms) is honoured when longer.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number, retryAfterMs?: number): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 40));
  const jittered = Math.round(step / 2 + random() * (step / 2));
  return retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
}
