/** The error of a worker config the worker cannot start with (its own module: the key readers and the listener parser share it). */

/** The catalogue codes (src/diag/codes.ts) a worker config refusal carries. */
export type WorkerConfigErrorCode = 'PIPECTL_WORKER_UNSUPPORTED_SECURITY' | 'PIPECTL_WORKER_INVALID_CONFIG' | 'PIPECTL_WORKER_TLS_STORE' | 'PIPECTL_WORKER_BASIC_AUTH_CONFIG'
  | 'PIPECTL_WORKER_INTER_WORKER_CONFIG' | 'PIPECTL_WORKER_UNSUPPORTED_PROTOCOL';

/** A worker config or connector file the worker cannot start with; the message names the file or key, never a password. */
export class WorkerConfigError extends Error {
  /** PIPECTL_WORKER_INVALID_CONFIG unless a refusal names a finer one. */
  readonly code: WorkerConfigErrorCode;

  constructor(message: string, code: WorkerConfigErrorCode = 'PIPECTL_WORKER_INVALID_CONFIG') {
    super(message);
    this.name = 'WorkerConfigError';
    this.code = code;
  }
}
