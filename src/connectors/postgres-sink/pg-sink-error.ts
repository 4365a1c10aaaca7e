/** What the Postgres sink throws, with a catalogued code (src/diag/codes.ts, POSTGRES_SINK_ERROR_CODES). */
import { CodedError } from '../../diag/coded-error.js';
import type { POSTGRES_SINK_ERROR_CODES } from '../../diag/codes.js';

export type PgSinkErrorCode = keyof typeof POSTGRES_SINK_ERROR_CODES;

export class PgSinkError extends CodedError<PgSinkErrorCode> {}
