/** What the HTTP sink's task fails with, with a catalogued code (src/diag/codes.ts, HTTP_SINK_ERROR_CODES). */
import type { HTTP_SINK_ERROR_CODES } from '../../diag/codes.js';
import { CodedError } from '../../diag/coded-error.js';

export type HttpSinkErrorCode = keyof typeof HTTP_SINK_ERROR_CODES;

/** Messages name the batch, status and cause; never the URL, a header value or a secret. */
export class HttpSinkError extends CodedError<HttpSinkErrorCode> {}
