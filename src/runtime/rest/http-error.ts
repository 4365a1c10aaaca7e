/**
 * The single mapping of errors to HTTP statuses and to Kafka Connect's error body (`ErrorMessage`:
 * `{"error_code": <status>, "message": "…"}`). Domain errors become HTTP codes here and nowhere else.
 */
import { HerderError } from '../../herder/errors.js';
import type { HerderErrorKind } from '../../herder/errors.js';

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
 * The HTTP status for any thrown value: HttpError → its own status; HerderError → NotFound 404, AlreadyExists 409,
 * BadRequest 400, Conflict 409, Timeout 500 (as Connect answers "Request timed out"), ServiceUnavailable 503;
 * anything else → 500.
 */
export function statusForError(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  if (err instanceof HerderError) return STATUS_BY_KIND[err.kind] ?? 500;
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
