/** The public surface of src/apply: run a reviewed Plan through a Herder and report it through hooks (views: src/views). */
export { applyPlan, DEFAULT_APPLY_OPTIONS, NO_TOPIC_ADMIN_REASON, resolveApplyOptions, summarise } from './apply-plan.js';
export { APPLY_ERROR_CODES } from './errors.js';
export type { ApplyErrorCode } from './errors.js';
export { describeStatus, judgeStatus } from './health.js';
export type { Expectation, Verdict } from './health.js';
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
