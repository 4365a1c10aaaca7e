/**
 * Errors of the embedded log's directory that are no part of the data-plane port: opening a directory another live
 * process holds (PIPECTL_LOG_LOCKED) or one that is damaged (PIPECTL_LOG_CORRUPT). Everything the log throws through
 * the port (unknown topic, closed, bad argument, …) is a DataPlaneError (../data-plane/data-plane-error.ts).
 */

import { LOG_ERROR_CODES } from '../../diag/codes.js';
import { CodedError } from '../../diag/coded-error.js';

export { LOG_ERROR_CODES };

export type LogErrorCode = keyof typeof LOG_ERROR_CODES;

/** An error of the embedded log's directory; `code` is stable, `message` is for humans. Not a DataPlaneError. */
export class LogError extends CodedError<LogErrorCode> {}
