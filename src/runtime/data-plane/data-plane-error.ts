/**
 * The one error type of the data-plane port. Both implementations — the embedded log (src/runtime/log) and Kafka
 * (src/runtime/kafka, which translates kafkajs errors into it) — throw it with the same code for the same condition,
 * so callers (worker, stores, REST) check codes without knowing which data plane they use. The REST edge maps the
 * codes to HTTP statuses in one place (src/runtime/rest/http-error.ts).
 */
import { DATA_PLANE_ERROR_CODES } from '../../diag/codes.js';
import { CodedError } from '../../diag/coded-error.js';

export { DATA_PLANE_ERROR_CODES };

/** A code of the data-plane port (catalogued in src/diag/codes.ts; the PIPECTL_LOG_* prefix is kept for stability). */
export type DataPlaneErrorCode = keyof typeof DATA_PLANE_ERROR_CODES;

/** An error of the data-plane port; `code` is stable, `message` is for humans, `cause` the client's error if any. */
export class DataPlaneError extends CodedError<DataPlaneErrorCode> {}

/** Whether `e` is a DataPlaneError, with one of `codes` when any are given. */
export function isDataPlaneError(e: unknown, ...codes: DataPlaneErrorCode[]): e is DataPlaneError {
  return e instanceof DataPlaneError && (codes.length === 0 || codes.includes(e.code));
}
