/**
 * Errors the embedded log throws. Each carries a stable `PIPECTL_LOG_*` code so the REST edge and the CLI can map it
 * without parsing messages.
 */

export const LOG_ERROR_CODES = {
  PIPECTL_LOG_CLOSED: 'The embedded log or consumer was used after close().',
  PIPECTL_LOG_LOCKED: 'Another live process holds the log directory.',
  PIPECTL_LOG_INVALID_TOPIC: 'A topic name Kafka would reject (empty, longer than 249 characters, outside [a-zA-Z0-9._-], "." or "..").',
  PIPECTL_LOG_INVALID_ARGUMENT: 'A partition count, topic config value, offset or poll argument is out of range.',
  PIPECTL_LOG_INVALID_RECORD: 'A record cannot be stored (bad timestamp, too many headers, batch too large).',
  PIPECTL_LOG_UNKNOWN_TOPIC: 'The topic does not exist.',
  PIPECTL_LOG_UNKNOWN_PARTITION: 'The topic has no such partition.',
  PIPECTL_LOG_OFFSET_OUT_OF_RANGE: 'The offset is below the log start (deleted by retention) or above the log end.',
  PIPECTL_LOG_CORRUPT: 'A closed segment or metadata file is damaged; the log refuses to open rather than drop acknowledged records.',
  PIPECTL_LOG_DUPLICATE_MEMBER: 'A consumer with the same clientId is already open in the group.',
  PIPECTL_LOG_NOT_OWNER: 'A consumer committed or seeked a partition it does not own (the group rebalanced).',
  PIPECTL_LOG_GROUP_NOT_EMPTY: 'Committed offsets can only be altered while the group has no open consumers.',
  PIPECTL_LOG_POLL_IN_PROGRESS: 'poll() was called while another poll() of the same consumer was still running.',
} as const;

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
