/**
 * The errors of the Kafka data plane that are no part of the data-plane port (whose own errors are DataPlaneError):
 * configs it cannot map, a cluster it cannot reach at start, a commit kafkajs did not make. Here, beside the port, so
 * that the adapters in kafkajs/ and the data plane above them throw the same classes.
 */
import type { KAFKA_ERROR_CODES } from '../../../diag/codes.js';
import { CodedError } from '../../../diag/coded-error.js';

export type KafkaErrorCode = keyof typeof KAFKA_ERROR_CODES;

/** An error of the Kafka data plane; `code` is stable, `cause` the client's error if any. */
export class KafkaError extends CodedError<KafkaErrorCode> {}

/** A malformed or unsupported Kafka client config (PIPECTL_KAFKA_CONFIG); the message names the key. */
export class KafkaConfigError extends KafkaError {
  constructor(message: string) {
    super('PIPECTL_KAFKA_CONFIG', message);
  }
}

/** kafkajs returned from a commit without committing: its consumer was not running (PIPECTL_KAFKA_NOT_COMMITTED). */
export class NotCommittedError extends KafkaError {
  readonly retriable = true;
  constructor() {
    super('PIPECTL_KAFKA_NOT_COMMITTED', 'the consumer is not running (rebalancing or restarting); nothing was committed');
  }
}
