/**
 * One HTTP request of a batch, with Node's built-in fetch, classified: acknowledged (2xx), worth retrying (5xx, 408,
 * 429, timeout, connection error), refused for its content (another 4xx) or refused as a whole (401, 403, 404, 405,
 * 407). The outcome never carries the URL or a header value.
 */
import { isEndpointStatus, isRetriableStatus, parseRetryAfter } from './retry-policy.js';

export type RequestOutcome =
  | { kind: 'ok'; status: number }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'rejected'; status: number; body: string }
  | { kind: 'refused'; status: number; body: string };

/** The most bytes of a response body kept for messages and DLQ headers. */
export const BODY_EXCERPT_BYTES = 1024;

/** The first `BODY_EXCERPT_BYTES` of a body as UTF-8, cut on a character boundary, with "…" when cut. */
export function bodyExcerpt(bytes: Uint8Array): string {
  if (bytes.length <= BODY_EXCERPT_BYTES) return Buffer.from(bytes).toString('utf8');
  let end = BODY_EXCERPT_BYTES;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // do not split a multi-byte character
  return `${Buffer.from(bytes.subarray(0, end)).toString('utf8')}…`;
}

export interface RequestSpec {
  url: string;
  method: string;
  headers: Readonly<Record<string, string>>;
  /** Texts hidden in a response excerpt (the auth header's value, its token, the URL's password …). */
  secrets?: readonly string[];
  timeoutMs: number;
  /** Aborts the request when the task stops. */
  stopSignal: AbortSignal;
}

/** Sends `body` once; resolves with its outcome (never rejects, except when `stopSignal` aborted it). */
export async function sendRequest(spec: RequestSpec, idempotencyKey: string, body: Buffer): Promise<RequestOutcome> {
  const timeout = AbortSignal.timeout(spec.timeoutMs);
  const signal = AbortSignal.any([timeout, spec.stopSignal]);
  let response: Response;
  try {
    response = await fetch(spec.url, { method: spec.method, headers: { ...spec.headers, 'idempotency-key': idempotencyKey }, body, signal, redirect: 'manual' });
  } catch (e) {
    if (spec.stopSignal.aborted) throw e;
    if (timeout.aborted) return { kind: 'retry', reason: `no answer within request.timeout.ms (${spec.timeoutMs} ms)` };
    return { kind: 'retry', reason: `connection failed: ${networkReason(e)}` };
  }
  const status = response.status;
  // The status line is the answer. A short body is read to its end so that the connection can carry the next request;
  // a long, endless or decompressing-to-gigabytes one is cut off, and one that fails or stalls (until the timeout) does
  // not change the answer.
  if ((status >= 200 && status < 300) || isRetriableStatus(status)) await readAtMost(response.body, DRAINED_BODY_BYTES).catch(() => undefined);
  if (status >= 200 && status < 300) return { kind: 'ok', status };
  if (isRetriableStatus(status)) {
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after'), Date.now()) : undefined;
    return retryAfterMs === undefined ? { kind: 'retry', reason: `HTTP ${status}` } : { kind: 'retry', reason: `HTTP ${status}, Retry-After ${retryAfterMs} ms`, retryAfterMs };
  }
  let bytes: Uint8Array;
  try {
    bytes = await readAtMost(response.body, BODY_EXCERPT_BYTES + SECRET_MARGIN_BYTES);
  } catch (e) {
    if (spec.stopSignal.aborted) throw e;
    bytes = new Uint8Array(0); // the status decides; the excerpt is only for messages
  }
  const excerpt = bodyExcerpt(Buffer.from(hideSecrets(Buffer.from(bytes).toString('utf8'), spec.secrets ?? []), 'utf8'));
  if (isEndpointStatus(status) || status < 400 || status >= 500) return { kind: 'refused', status, body: excerpt }; // 3xx: redirects are not followed
  return { kind: 'rejected', status, body: excerpt };
}

/**
 * `text` with every secret replaced by `[hidden]`: gateways and echo services send request headers back in error
 * bodies, and the excerpt goes into task traces, errant-record errors and DLQ headers.
 */
export function hideSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join('[hidden]');
  return out;
}

/** Bytes read past the excerpt, so that a secret echoed across its end is still found whole (and hidden). */
const SECRET_MARGIN_BYTES = 4096;

/** The most bytes of a 2xx or retriable answer's body read (and dropped) so that its connection can be reused. */
const DRAINED_BODY_BYTES = 64 * 1024;

/**
 * The body's first bytes: reads until more than `limit` arrived (or the body ended), then cancels the rest. At most one
 * chunk beyond `limit` is held, whatever the server sends.
 */
export async function readAtMost(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  try {
    while (total <= limit) {
      const next = await reader.read();
      if (next.done) {
        ended = true;
        break;
      }
      chunks.push(next.value);
      total += next.value.length;
    }
  } finally {
    if (!ended) await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks);
}

/** undici's "fetch failed" hides the reason in its cause (ECONNREFUSED, ECONNRESET …); its message names host:port only. */
function networkReason(e: unknown): string {
  const cause = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}
