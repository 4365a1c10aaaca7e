/**
 * Errors of distributed mode's Kafka plumbing (group membership, internal topics), each with a stable
 * `PIPECTL_DISTRIBUTED_*` code so that the herder and the CLI can act on them without parsing messages.
 */
import { DISTRIBUTED_ERROR_CODES } from '../../diag/codes.js';

export { DISTRIBUTED_ERROR_CODES };

export type DistributedErrorCode = keyof typeof DISTRIBUTED_ERROR_CODES;

/** `code` is stable; `message` names the group or topic and, where there is one, the fix; `cause` the client's error. */
export class DistributedError extends Error {
  readonly code: DistributedErrorCode;

  constructor(code: DistributedErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DistributedError';
    this.code = code;
  }
}
