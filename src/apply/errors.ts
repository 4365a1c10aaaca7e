/**
 * Apply's error codes and the conversion of whatever a step threw into an ApplyStepError (data, never rethrown).
 * The codes follow the `PIPECTL_<AREA>_<WHAT>` convention so they can join the catalogue in src/diag/codes.ts.
 */
import { AlreadyExistsError, BadRequestError, ConflictError, HerderTimeoutError, NotFoundError } from '../herder/errors.js';
import type { PlanOperation } from '../plan/types.js';
import type { ApplyStepError } from './types.js';

export const APPLY_ERROR_CODES = {
  PIPECTL_APPLY_REJECTED: 'The runtime rejected an operation (400 invalid config or state, 404 unknown connector).',
  PIPECTL_APPLY_CONFLICT: 'The runtime still answered 409 (rebalance or conflicting operation) after every retry.',
  PIPECTL_APPLY_ALREADY_EXISTS: 'A connector to create already exists with a different config (created outside this apply).',
  PIPECTL_APPLY_CONNECTOR_FAILED: 'A connector or one of its tasks reported FAILED while apply waited for it.',
  PIPECTL_APPLY_WAIT_TIMEOUT: 'A connector did not reach its declared state within the wait timeout.',
  PIPECTL_APPLY_INTERRUPTED: 'Apply was interrupted (signal) while waiting.',
  PIPECTL_APPLY_TOPIC_FAILED: 'A topic could not be created.',
  PIPECTL_APPLY_RUNTIME_ERROR: 'The runtime could not be reached or failed unexpectedly (timeout, 500, network).',
} as const;

export type ApplyErrorCode = keyof typeof APPLY_ERROR_CODES;

/** Thrown inside the engine with an already-worded failure; caught per step and turned into data. */
export class ApplyFailure extends Error {
  constructor(
    readonly code: ApplyErrorCode,
    message: string,
    readonly trace?: string,
  ) {
    super(message);
    this.name = 'ApplyFailure';
  }
}

function describe(op: PlanOperation): string {
  return op.op === 'create-topic' ? `create of topic ${op.name}` : `${op.op} of connector ${op.name}`;
}

/** Words whatever a step threw; never throws. */
export function toStepError(err: unknown, op: PlanOperation): ApplyStepError {
  if (err instanceof ApplyFailure) return err.trace === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, trace: err.trace };
  const message = err instanceof Error ? err.message : String(err);
  if (op.op === 'create-topic') return { code: 'PIPECTL_APPLY_TOPIC_FAILED', message: `${describe(op)} failed: ${message}` };
  if (err instanceof NotFoundError || err instanceof BadRequestError || err instanceof AlreadyExistsError) {
    return { code: 'PIPECTL_APPLY_REJECTED', message: `The runtime rejected the ${describe(op)}: ${message}` };
  }
  if (err instanceof ConflictError) return { code: 'PIPECTL_APPLY_CONFLICT', message: `The ${describe(op)} conflicted: ${message}` };
  if (err instanceof HerderTimeoutError) {
    return { code: 'PIPECTL_APPLY_RUNTIME_ERROR', message: `The ${describe(op)} timed out in the runtime (it may or may not have happened): ${message}` };
  }
  return { code: 'PIPECTL_APPLY_RUNTIME_ERROR', message: `The ${describe(op)} failed: ${message}` };
}
