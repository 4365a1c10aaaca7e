/** The public surface of src/apply: run a reviewed Plan through a Herder and report it through hooks. */
export { applyPlan, DEFAULT_APPLY_OPTIONS, NO_TOPIC_ADMIN_REASON, resolveApplyOptions, summarise } from './apply-plan.js';
export { APPLY_ERROR_CODES } from './errors.js';
export type { ApplyErrorCode } from './errors.js';
export { describeStatus, judgeStatus } from './health.js';
export type { Expectation, Verdict } from './health.js';
export { APPLY_EVENTS_FORMAT_VERSION, createJsonApplyHooks } from './json-hooks.js';
export type { DeclarationLookup } from './json-hooks.js';
export { createTextApplyHooks, formatDuration, formatObserved, summaryLines } from './text-hooks.js';
export type { TextApplyHooksOptions } from './text-hooks.js';
export type {
  ActiveStep,
  ApplyHooks,
  ApplyOptions,
  ApplyResult,
  ApplyStep,
  ApplyStepError,
  ApplySummary,
  ConflictRetryOptions,
  ObservedStatus,
  ResolvedApplyOptions,
  StepStatus,
  TopicAdmin,
} from './types.js';
