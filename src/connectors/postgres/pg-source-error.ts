/** What the Postgres source throws, with a catalogued code (src/diag/codes.ts, POSTGRES_SOURCE_ERROR_CODES). */
import type { POSTGRES_SOURCE_ERROR_CODES } from '../../diag/codes.js';

export type PgSourceErrorCode = keyof typeof POSTGRES_SOURCE_ERROR_CODES;

export class PgSourceError extends Error {
  constructor(
    readonly code: PgSourceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PgSourceError';
  }
}
