/** Errors about the state files of a standalone worker's data.dir, with stable `PIPECTL_STATE_*` codes. */
import { STATE_ERROR_CODES } from '../../../diag/codes.js';

export { STATE_ERROR_CODES };

export type StateErrorCode = keyof typeof STATE_ERROR_CODES;

/** A damaged state file or an offset that cannot be stored; `file` names the file when there is one. */
export class StateError extends Error {
  readonly code: StateErrorCode;

  constructor(code: StateErrorCode, message: string, readonly file?: string) {
    super(message);
    this.name = 'StateError';
    this.code = code;
  }
}
