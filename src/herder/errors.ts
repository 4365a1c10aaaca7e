/**
 * The Herder's typed errors. They carry no HTTP status: the REST edge maps them (src/runtime/rest), and the REST
 * client maps HTTP answers back to them (src/herder/rest-client), so plan/apply see the same errors from either side.
 */
import type { HERDER_ERROR_CODES, PipectlCode } from '../diag/codes.js';

export type HerderErrorKind = 'not_found' | 'already_exists' | 'bad_request' | 'conflict' | 'timeout' | 'unavailable' | 'internal';

/** The catalogue code of each kind (src/diag/codes.ts). */
const CODE_BY_KIND: Record<HerderErrorKind, keyof typeof HERDER_ERROR_CODES> = {
  not_found: 'PIPECTL_HERDER_NOT_FOUND',
  already_exists: 'PIPECTL_HERDER_ALREADY_EXISTS',
  bad_request: 'PIPECTL_HERDER_BAD_REQUEST',
  conflict: 'PIPECTL_HERDER_CONFLICT',
  timeout: 'PIPECTL_HERDER_TIMEOUT',
  unavailable: 'PIPECTL_HERDER_UNAVAILABLE',
  internal: 'PIPECTL_HERDER_INTERNAL',
};

/** `kind` decides the HTTP status; `code` is the kind's PIPECTL_HERDER_* code unless a subclass names a finer one. */
export class HerderError extends Error {
  readonly code: PipectlCode;

  constructor(
    readonly kind: HerderErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HerderError';
    this.code = CODE_BY_KIND[kind];
  }
}

/** Unknown connector, task or plugin (Connect's NotFoundException → 404). */
export class NotFoundError extends HerderError {
  constructor(message: string) {
    super('not_found', message);
    this.name = 'NotFoundError';
  }
}

/** Create of an existing connector (AlreadyExistsException → 409). */
export class AlreadyExistsError extends HerderError {
  constructor(message: string) {
    super('already_exists', message);
    this.name = 'AlreadyExistsError';
  }
}

/** Invalid input or a request that the current state forbids (BadRequestException → 400). */
export class BadRequestError extends HerderError {
  constructor(message: string) {
    super('bad_request', message);
    this.name = 'BadRequestError';
  }
}

/** A conflicting operation is under way, e.g. a rebalance (→ 409); safe to retry. */
export class ConflictError extends HerderError {
  constructor(message: string) {
    super('conflict', message);
    this.name = 'ConflictError';
  }
}

/** The operation did not finish in time (→ 500 "Request timed out", as Connect answers). */
export class HerderTimeoutError extends HerderError {
  constructor(message: string) {
    super('timeout', message);
    this.name = 'HerderTimeoutError';
  }
}

/**
 * Something the operation needs is unreachable right now — in distributed mode, the Kafka cluster that holds the
 * config, offsets and status topics (→ 503). Safe to retry once it is back; the message names the cause.
 */
export class ServiceUnavailableError extends HerderError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unavailable', message, options);
    this.name = 'ServiceUnavailableError';
  }
}

/**
 * Distributed mode: the operation must run on another worker — the leader (create, update, delete, stop, offsets) or
 * the worker that runs a connector or task (restarts). The REST edge forwards the request to `targetUrl` (at most two
 * hops, as Connect's `completeOrForwardRequest`); with no known target, or after two hops, it answers 409.
 */
export class RequestTargetError extends HerderError {
  constructor(
    message: string,
    readonly targetUrl: string | undefined,
  ) {
    super('conflict', message);
    this.name = 'RequestTargetError';
  }
}
