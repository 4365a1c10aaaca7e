/**
 * Failures of an apply session outside a step (the lease, a stale plan, no approval, a bad flag), each with its
 * session code from src/diag/codes.ts. The CLI words and prints them (src/cli/session-errors.ts).
 */
import type { SESSION_ERROR_CODES } from '../diag/codes.js';

export type SessionErrorCode = keyof typeof SESSION_ERROR_CODES;

/** A failure the session itself decides (stale plan, no approval, bad flags, a lease that cannot be taken), with its code. */
export class SessionError extends Error {
  constructor(
    readonly code: SessionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SessionError';
  }
}

/**
 * The live state moved between showing the plan and carrying it out (after the "yes"), so the plan is not the one
 * reviewed. `moved` has one line per connector or topic that moved (src/plan/live-changes.ts); never empty.
 */
export class LiveMovedError extends SessionError {
  constructor(readonly moved: readonly string[]) {
    super('PIPECTL_APPLY_STALE_PLAN', `the live state changed after the plan was shown: ${moved.join('; ')}`);
    this.name = 'LiveMovedError';
  }
}
