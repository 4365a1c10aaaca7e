/**
 * REST calls of the chaos run, each bounded by a timeout, that never throw: the answer is data (HTTP status, or
 * 'timeout' / 'refused' / 'net-error'), with its latency and the body.
 */
export type Answer = { kind: 'http'; status: number; body: any; ms: number } | { kind: 'timeout' | 'refused' | 'net-error'; message: string; ms: number };

export async function call(method: string, url: string, body: unknown, timeoutMs: number): Promise<Answer> {
  const t0 = Date.now();
  try {
    const res = await fetch(url, {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // a non-JSON body stays text
    }
    return { kind: 'http', status: res.status, body: parsed, ms: Date.now() - t0 };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const ms = Date.now() - t0;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return { kind: 'timeout', message: `no answer in ${timeoutMs} ms`, ms };
    if (err.cause?.code === 'ECONNREFUSED') return { kind: 'refused', message: 'connection refused', ms };
    return { kind: 'net-error', message: `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`, ms };
  }
}

/** A short label of an answer for the summary: `201`, `409`, `timeout`, … */
export const label = (a: Answer): string => (a.kind === 'http' ? String(a.status) : a.kind);

/** The error message of an answer, if it has one. */
export const messageOf = (a: Answer): string => (a.kind === 'http' ? (typeof a.body === 'object' && a.body?.message ? String(a.body.message) : typeof a.body === 'string' ? a.body.slice(0, 200) : '') : a.message);

/** GET that returns the body of a 200, else undefined. */
export async function getJson(url: string, timeoutMs: number): Promise<any> {
  const a = await call('GET', url, undefined, timeoutMs);
  return a.kind === 'http' && a.status === 200 ? a.body : undefined;
}
