/**
 * The single mapping of errors to HTTP statuses and to Kafka Connect's error body (`ErrorMessage`:
 * `{"error_code": <status>, "message": "…"}`). Domain errors become HTTP codes here and nowhere else.
 */
import { HerderError } from '../../herder/errors.js';
import type { HerderErrorKind } from '../../herder/errors.js';
import { DataPlaneError } from '../data-plane/data-plane-error.js';
import type { DataPlaneErrorCode } from '../data-plane/data-plane-error.js';

/** Connect's error body; `error_code` always equals the HTTP status. */
export interface ErrorBody {
  error_code: number;
  message: string;
}

/**
 * An error raised by the REST layer itself (unknown path, wrong method, malformed or oversized body), carrying the
 * status it must be answered with. `headers` are added to the response (e.g. `Allow` on a 405).
 */
export class HttpError extends Error {
  readonly code = 'PIPECTL_REST_REFUSED';

  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const STATUS_BY_KIND: Record<HerderErrorKind, number> = {
  not_found: 404,
  already_exists: 409,
  bad_request: 400,
  conflict: 409,
  timeout: 500,
  unavailable: 503,
  internal: 500,
};

/**
 * Data-plane errors (whichever data plane threw them — the embedded log or Kafka): the request named a bad topic,
 * partition count, replication factor, config or offset → 400; a topic or partition that does not exist → 404; the
 * rest are the runtime's own trouble (closed, cancelled, a group that still has members, …) → 500. Every code is
 * listed, so a new one cannot reach a client without a decision here.
 */
const STATUS_BY_DATA_PLANE_CODE: Record<DataPlaneErrorCode, number> = {
  PIPECTL_LOG_INVALID_TOPIC: 400,
  PIPECTL_LOG_INVALID_ARGUMENT: 400,
  PIPECTL_LOG_UNKNOWN_TOPIC: 404,
  PIPECTL_LOG_UNKNOWN_PARTITION: 404,
  PIPECTL_LOG_CLOSED: 500,
  PIPECTL_LOG_CANCELLED: 500,
  PIPECTL_LOG_INVALID_RECORD: 500,
  PIPECTL_LOG_OFFSET_OUT_OF_RANGE: 500,
  PIPECTL_LOG_DUPLICATE_MEMBER: 500,
  PIPECTL_LOG_NOT_OWNER: 500,
  PIPECTL_LOG_GROUP_NOT_EMPTY: 500,
  PIPECTL_LOG_POLL_IN_PROGRESS: 500,
  PIPECTL_LOG_DELIVERY_TIMEOUT: 500,
};

/**
 * The HTTP status for any thrown value: HttpError → its own status; HerderError → NotFound 404, AlreadyExists 409,
 * BadRequest 400, Conflict 409, Timeout 500 (as Connect answers "Request timed out"), ServiceUnavailable 503;
 * DataPlaneError → by code (STATUS_BY_DATA_PLANE_CODE: 400 for a bad request, 404 for an unknown topic or partition,
 * else 500); anything else → 500.
 */
export function statusForError(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  if (err instanceof HerderError) return STATUS_BY_KIND[err.kind] ?? 500;
  if (err instanceof DataPlaneError) return STATUS_BY_DATA_PLANE_CODE[err.code] ?? 500;
  return 500;
}

/** The error body for any thrown value; never throws. A non-Error value is rendered with String(). */
export function errorBody(err: unknown): ErrorBody {
  const status = statusForError(err);
  let message: string;
  if (err instanceof Error) message = err.message;
  else {
    try {
      message = String(err);
    } catch {
      message = 'Unknown error';
    }
  }
  return { error_code: status, message: message === '' ? defaultMessage(status) : message };
}

function defaultMessage(status: number): string {
  return status >= 500 ? 'Internal server error' : `HTTP ${status}`;
}

/**
 * Replaces absolute local paths (`/var/lib/pipectl/data/…`, `C:\\data\\…`) in a message with `<path>`: 5xx answers
 * go to clients that have no business knowing the worker's file layout (the full message is logged instead). URLs
 * (`http://host/x`) and single-segment paths (`/connectors`) are left alone.
 */
export function redactLocalPaths(message: string): string {
  return message.replace(/(^|[\s'"(=,:])(?:\/(?:[^\s'"/,)]+\/)+[^\s'",)]*|[A-Za-z]:\\[^\s'",)]*)/g, (match, lead: string) => (lead === ':' && /^:\/\//.test(match) ? match : `${lead}<path>`));
}
