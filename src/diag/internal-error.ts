/**
 * A broken internal invariant: code that no input, file or runtime answer can reach ("cannot happen"), as opposed to a
 * user-facing error, which has its own class and code. Thrown instead of a bare `Error` so that such places are
 * obvious and still carry a catalogued code (PIPECTL_INTERNAL).
 */
import type { INTERNAL_ERROR_CODES } from './codes.js';

/** A bug in pipectl; `message` says which invariant failed. */
export class InternalError extends Error {
  readonly code: keyof typeof INTERNAL_ERROR_CODES = 'PIPECTL_INTERNAL';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
  }
}
