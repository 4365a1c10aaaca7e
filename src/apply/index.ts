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

// The apply session (lease, planning against the runtime, review checks, the run) and its ports.
export { runApplySession } from './apply-session.js';
export type { ApplySessionHooks, ApplySessionOutcome, ApplySessionPorts, ApplySessionRequest } from './apply-session.js';
export { APPLY_LEASE, APPLY_LEASE_TTL_MS, LEASE_RETRY_MS, takeApplyLock } from './apply-lock.js';
export type { HeldLock, LockRequest } from './apply-lock.js';
export { goneHolder, leaseHolder, parseHolder, processExists } from './lease-holder.js';
export { planOnRuntime, readLiveState, validateOnRuntime } from './plan-on-runtime.js';
export type { RuntimeReader } from './plan-on-runtime.js';
export { SYSTEM_CLOCK } from './ports.js';
export type { ApplyLock, Clock, RuntimeTopics } from './ports.js';
export { LiveMovedError, SessionError } from './session-error.js';
export type { SessionErrorCode } from './session-error.js';
