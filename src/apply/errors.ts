/**
 * Apply's error codes and the conversion of whatever a step threw into an ApplyStepError (data, never rethrown).
 * The codes live in the catalogue (src/diag/codes.ts, docs/errors.md).
 */
import { AlreadyExistsError, BadRequestError, ConflictError, HerderTimeoutError, NotFoundError } from '../herder/errors.js';
import type { PlanOperation } from '../plan/types.js';
import type { ApplyStepError } from './types.js';
import { APPLY_ERROR_CODES } from '../diag/codes.js';

export { APPLY_ERROR_CODES };

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
  if (op.op === 'create-topic') return `create of topic ${op.name}`;
  if (op.op === 'update-topic') return `update of topic ${op.name}`;
  return `${op.op} of connector ${op.name}`;
}

/** Words whatever a step threw; never throws. */
export function toStepError(err: unknown, op: PlanOperation): ApplyStepError {
  if (err instanceof ApplyFailure) return err.trace === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, trace: err.trace };
  const message = err instanceof Error ? err.message : String(err);
  if (op.op === 'create-topic' || op.op === 'update-topic') return { code: 'PIPECTL_APPLY_TOPIC_FAILED', message: `${describe(op)} failed: ${message}` };
  if (err instanceof NotFoundError || err instanceof BadRequestError || err instanceof AlreadyExistsError) {
    return { code: 'PIPECTL_APPLY_REJECTED', message: `The runtime rejected the ${describe(op)}: ${message}` };
  }
  if (err instanceof ConflictError) return { code: 'PIPECTL_APPLY_CONFLICT', message: `The ${describe(op)} conflicted: ${message}` };
  if (err instanceof HerderTimeoutError) {
    return { code: 'PIPECTL_APPLY_RUNTIME_ERROR', message: `The ${describe(op)} timed out in the runtime (it may or may not have happened): ${message}` };
  }
  return { code: 'PIPECTL_APPLY_RUNTIME_ERROR', message: `The ${describe(op)} failed: ${message}` };
}
