/**
 * Errors of the development tools (`pipectl dev …`, the test harness). Each carries a stable code; the message is one
 * line that says what to do, except for a JVM that failed to start, whose message ends with the tail of its log.
 */

import { DEV_ERROR_CODES } from '../diag/codes.js';

/** The codes of DevToolsError live in the catalogue (src/diag/codes.ts, docs/errors.md). */
export { DEV_ERROR_CODES };

export type DevErrorCode = keyof typeof DEV_ERROR_CODES;

/** An expected failure of the development tools; `message` is meant for a terminal as is. */
export class DevToolsError extends Error {
  override readonly name = 'DevToolsError';
  constructor(
    readonly code: DevErrorCode,
    message: string,
    /** The pid of the JVM (broker or Connect worker) when one was started (it is gone by the time the error is thrown). */
    readonly pid?: number,
  ) {
    super(message);
  }
}
