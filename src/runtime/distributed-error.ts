/**
 * Errors of distributed mode's Kafka plumbing, each with a stable `PIPECTL_DISTRIBUTED_*` code so that the herder and
 * the CLI can act on them without parsing messages. Here, beside the folders, because two of them throw it: the group
 * membership (distributed/group-member.ts) and the internal-topic log the Kafka stores share
 * (storage/kafka-topics/topic-log.ts), and storage does not import the distributed herder's folder.
 */
import { DISTRIBUTED_ERROR_CODES } from '../diag/codes.js';
import { CodedError } from '../diag/coded-error.js';

export { DISTRIBUTED_ERROR_CODES };

export type DistributedErrorCode = keyof typeof DISTRIBUTED_ERROR_CODES;

/** `code` is stable; `message` names the group or topic and, where there is one, the fix; `cause` the client's error. */
export class DistributedError extends CodedError<DistributedErrorCode> {}
