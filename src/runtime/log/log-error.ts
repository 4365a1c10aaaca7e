/**
 * Errors the embedded log throws. Each carries a stable `PIPECTL_LOG_*` code so the REST edge and the CLI can map it
 * without parsing messages.
 */

import { LOG_ERROR_CODES } from '../../diag/codes.js';

export { LOG_ERROR_CODES };

export type LogErrorCode = keyof typeof LOG_ERROR_CODES;

/** An error of the embedded log; `code` is stable, `message` is for humans. */
export class LogError extends Error {
  readonly code: LogErrorCode;

  constructor(code: LogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LogError';
    this.code = code;
  }
}
