/**
 * Errors of the worker's connectors and tasks (src/runtime/worker), each with a stable `PIPECTL_WORKER_*` code; they end
 * in a FAILED status whose trace holds the message, or in the worker log.
 */
import type { WORKER_TASK_ERROR_CODES } from '../../diag/codes.js';
import { CodedError } from '../../diag/coded-error.js';

export type WorkerTaskErrorCode = keyof typeof WORKER_TASK_ERROR_CODES;

/** `code` is stable; `message` names the connector or task; `cause` what failed underneath, when something did. */
export class WorkerError extends CodedError<WorkerTaskErrorCode> {}
