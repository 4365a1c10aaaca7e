/**
 * How the REST client turns HTTP answers and network failures back into the Herder's typed errors, so plan/apply see
 * the same errors from a remote worker as from an in-process herder. The mirror image of src/runtime/rest/http-error.ts.
 */
import { AlreadyExistsError, BadRequestError, ConflictError, HerderError, HerderTimeoutError, NotFoundError, ServiceUnavailableError } from './errors.js';

/** One HTTP answer as the client read it. `body` is the parsed JSON, or undefined when the body is empty or not JSON. */
export interface RawResponse {
  status: number;
  text: string;
  body: unknown;
}

/** Jersey's (and our router's) message for a path no route serves — as opposed to an unknown connector. */
export const UNKNOWN_PATH_MESSAGE = 'HTTP 404 Not Found';

/**
 * The runtime could not be reached (connection refused or reset, host unknown) — after `attempts` tries when the
 * failure was transient. `reason` is a short phrase such as "connection refused".
 */
export class RuntimeUnreachableError extends HerderError {
  override readonly code = 'PIPECTL_RUNTIME_UNREACHABLE';

  constructor(
    readonly url: string,
    readonly reason: string,
    readonly attempts: number,
    options?: { cause?: unknown; elapsedMs?: number },
  ) {
    const over = options?.elapsedMs !== undefined && attempts > 1 ? ` over ${(options.elapsedMs / 1000).toFixed(1)} s` : '';
    // An https:// listener closes a plain HTTP connection without an answer: say so, or the reset looks like a crash.
    const hint = url.startsWith('http://') && reason === 'connection reset' ? '; if the runtime listens with https:// on that port, use an https:// URL' : '';
    super('internal', `cannot reach the runtime at ${url}: ${reason}${attempts > 1 ? ` after ${attempts} attempts${over}` : ''}${hint}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RuntimeUnreachableError';
  }
}

/**
 * A pipectl lease (the apply lock) is held by someone else (409 from /pipectl/v1/leases). Never retried: waiting for a
 * concurrent apply is the caller's decision. `holder`/`expiresAt` are absent when the answer did not carry them.
 */
export class LeaseHeldError extends ConflictError {
  override readonly code = 'PIPECTL_APPLY_LOCKED';

  constructor(
    message: string,
    readonly holder?: string,
    readonly expiresAt?: string,
  ) {
    super(message);
    this.name = 'LeaseHeldError';
  }
}

/** Connect's `{"error_code","message"}` message, else the body text (shortened), else `HTTP <status>`. */
export function responseMessage(res: RawResponse): string {
  const body = res.body;
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') {
    const message = (body as { message: string }).message;
    if (message !== '') return message;
  }
  const text = res.text.trim();
  if (text !== '') return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  return `HTTP ${res.status}`;
}

/**
 * Connect's distributed herder throws RebalanceNeededException from reads such as GET /connectors/{name}/tasks while
 * its group is about to rebalance; its exception mapper answers that with 500, although it is as transient as a 409.
 */
const REBALANCE_EXPECTED = /rebalance is expected/i;

/**
 * True for an answer that a retry may cure: a 409 other than "already exists" (a rebalance or a conflicting
 * operation), or Connect's 500 "Request cannot be completed because a rebalance is expected".
 */
export function isTransientConflict(res: RawResponse): boolean {
  if (res.status === 500) return REBALANCE_EXPECTED.test(responseMessage(res));
  return res.status === 409 && !/already exists/i.test(responseMessage(res));
}

/**
 * The typed error for a failed answer (status ≥ 300):
 * 404 → NotFoundError (but a 404 for an unknown *path* — Jersey's "HTTP 404 Not Found" — is a HerderError saying the
 * runtime does not serve that endpoint, since it says nothing about the connector); 409 → AlreadyExistsError when the
 * message says "already exists", else ConflictError; 400 → BadRequestError; 500 "Request timed out…" →
 * HerderTimeoutError; 500 "…a rebalance is expected" → ConflictError; 503 → ServiceUnavailableError; anything else → HerderError('internal') naming the status, method and path.
 * `attempts` > 1 is mentioned in the message (the answer was still the same after retrying).
 */
export function errorFromResponse(url: string, method: string, path: string, res: RawResponse, attempts = 1): HerderError {
  const message = responseMessage(res);
  const retried = attempts > 1 ? ` (still failing after ${attempts} attempts)` : '';
  switch (res.status) {
    case 400:
      return new BadRequestError(message);
    case 404:
      if (message === UNKNOWN_PATH_MESSAGE) {
        return new HerderError('internal', `the runtime at ${url} does not serve ${method} ${stripQuery(path)} (HTTP 404); it may be an older Kafka Connect`);
      }
      return new NotFoundError(message);
    case 409:
      return /already exists/i.test(message) ? new AlreadyExistsError(message) : new ConflictError(`${message}${retried}`);
    case 401:
    case 403:
      return new HerderError('internal', `the runtime at ${url} refused ${method} ${stripQuery(path)} (HTTP ${res.status}): ${message}; check the credentials`);
    case 503:
      return new ServiceUnavailableError(`${method} ${stripQuery(path)}: the runtime at ${url} cannot serve it right now (HTTP 503): ${message}${retried}`);
    case 405:
      return new HerderError('internal', `the runtime at ${url} does not support ${method} ${stripQuery(path)} (HTTP 405); it may be an older Kafka Connect`);
    default:
      if (res.status === 500 && /^Request timed out/.test(message)) return new HerderTimeoutError(message);
      if (res.status === 500 && REBALANCE_EXPECTED.test(message)) return new ConflictError(`${message}${retried}`);
      return new HerderError('internal', `${method} ${stripQuery(path)} failed with HTTP ${res.status}: ${message}${retried}`);
  }
}

function stripQuery(path: string): string {
  const at = path.indexOf('?');
  return at < 0 ? path : path.slice(0, at);
}

/** Network error codes (Node's, and undici's) worth retrying: the runtime may be starting, restarting or overloaded. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection reset',
  UND_ERR_CLOSED: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EAI_AGAIN: 'temporary DNS failure',
  ENOTFOUND: 'host not found',
};

/** A fetch failure, classified: its code (when one is found in the cause chain), a short reason, and whether to retry. */
export interface NetworkFailure {
  code: string | undefined;
  reason: string;
  transient: boolean;
}

/** Reads fetch's `TypeError('fetch failed')` and its `cause` chain (an AggregateError for dual-stack hosts). */
export function classifyNetworkError(err: unknown): NetworkFailure {
  const code = findCode(err, 0);
  if (code !== undefined) return { code, reason: REASONS[code] ?? code, transient: TRANSIENT_CODES.has(code) };
  const cause = (err as { cause?: unknown } | null)?.cause;
  const detail = cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
  return { code: undefined, reason: detail, transient: false };
}

export function findCode(err: unknown, depth = 0): string | undefined {
  if (typeof err !== 'object' || err === null || depth > 5) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  const errors = (err as { errors?: unknown }).errors;
  if (Array.isArray(errors)) {
    for (const e of errors) {
      const inner = findCode(e, depth + 1);
      if (inner !== undefined) return inner;
    }
  }
  return findCode((err as { cause?: unknown }).cause, depth + 1);
}
