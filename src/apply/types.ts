/**
 * The shapes of apply: its options (with the TopicAdmin port of ports.ts), the hooks it reports through and the result
 * it returns. Pure data and interfaces; the engine is apply-plan.ts.
 */
import type { ConnectorStateInfo, StatusState } from '../herder/types.js';
import type { ApplyProvenance } from '../plan/applied-stamp.js';
import type { PlanOperation, PlanOperationKind } from '../plan/types.js';
import type { ApplyErrorCode } from './errors.js';
import type { TopicAdmin } from './ports.js';

export type { TopicAdmin };

export interface ConflictRetryOptions {
  /** Total tries of one call, the first included (1 = no retry). */
  attempts: number;
  /** Delay before the second try; doubled for every further try, then jittered to 50–100 % of itself. */
  baseDelayMs: number;
  /** Upper bound of the un-jittered delay. */
  maxDelayMs: number;
}

/** Apply's options with every default filled in (see DEFAULT_APPLY_OPTIONS). */
export interface ResolvedApplyOptions {
  /** How long a health wait may take before the step fails (default 60 000). */
  waitTimeoutMs: number;
  /** Delay between two status polls (default 500). */
  pollIntervalMs: number;
  /**
   * When set, the first poll waits this long and later ones double up to pollIntervalMs: connectors are usually
   * healthy within milliseconds, so a large plan should not wait a full interval per connector. The CLI sets 20.
   */
  firstPollIntervalMs?: number;
  /**
   * How many health waits may run while later operations are issued (default 1: each operation waits for its
   * connector before the next starts). With more, a failure is noticed up to that many operations later; the
   * operations not yet issued are then not run. The CLI's --parallelism defaults to 10, as Terraform's does.
   */
  parallelism: number;
  /** Retries of calls rejected with ConflictError, i.e. a 409 during a rebalance (default 8 tries, 250 ms → 5 s). */
  conflictRetry: ConflictRetryOptions;
  /** Wait for every touched connector to reach its declared state (default true; false = fire and forget). */
  wait: boolean;
  /**
   * What to do after a failed step (default 'stop': no later operation runs). 'continue' still skips the later
   * operations on the failed name, and a failed create-topic always stops (later connectors may need the topic).
   */
  onFailure: 'stop' | 'continue';
  /**
   * Polls during which a RUNNING connector may report zero tasks before the herder's task configs are asked
   * whether zero is legitimate (default 4). Tasks appear only after the connector has started.
   */
  zeroTaskGracePolls: number;
  /** Injectable sleep (default setTimeout). */
  sleep: (ms: number) => Promise<void>;
  /** Injectable clock, epoch milliseconds (default Date.now). Step timings and event times come from it. */
  now: () => number;
  /** Injectable randomness for the backoff jitter, in [0, 1] (default Math.random). */
  random: () => number;
  /** When absent, create-topic and update-topic operations are reported as skipped. */
  topics?: TopicAdmin;
  /**
   * An interrupt (the CLI's first Ctrl-C / SIGTERM). Once aborted: no new operation starts, health waits end at their
   * next poll (their step fails with PIPECTL_APPLY_INTERRUPTED, naming the last status seen), and a herder call in
   * flight is awaited for at most `interruptGraceMs` — it may have been applied, so it is not abandoned at once.
   */
  signal?: AbortSignal;
  /** How long a herder call in flight may still take after `signal` aborts (default 10 000; wall-clock, see README). */
  interruptGraceMs: number;
  /**
   * Who applies and from which commit: stamped, with the time from `now`, on every connector created or updated
   * (plan/applied-stamp.ts). Absent: no stamp (an older stamp stays).
   */
  provenance?: ApplyProvenance;
}

/** What callers pass to applyPlan: every field optional (defaults in DEFAULT_APPLY_OPTIONS), `conflictRetry` field by field. */
export type ApplyOptions = Partial<Omit<ResolvedApplyOptions, 'conflictRetry'>> & {
  conflictRetry?: Partial<ConflictRetryOptions>;
};

export type StepStatus = 'done' | 'failed' | 'skipped' | 'not-run';

/** The connector's status when its health wait ended (successfully). */
export interface ObservedStatus {
  connector: StatusState;
  tasks: StatusState[];
}

/** An operation as it starts: hooks get this before its herder call. */
export interface ActiveStep {
  /** Position in `plan.operations`. */
  index: number;
  op: PlanOperationKind;
  name: string;
  pipeline?: string;
  /** The plan's operation, as reviewed. */
  operation: PlanOperation;
  /** When it started, per `options.now`. */
  startedAt: number;
}

export interface ApplyStepError {
  code: ApplyErrorCode;
  /** One or more sentences that name the connector or topic, what was expected and what happened. */
  message: string;
  /** The worker's stack trace of the failed connector or (first failed) task, when that is what failed. */
  trace?: string;
}

/** One operation's outcome: `steps[i]` of the result is `plan.operations[i]`. */
export interface ApplyStep {
  index: number;
  op: PlanOperationKind;
  name: string;
  pipeline?: string;
  status: StepStatus;
  /** Start time (per `options.now`); absent for steps that did not run. */
  startedAt?: number;
  /** Duration including the health wait; 0 for steps that did not run or were skipped. */
  ms: number;
  /** Status seen when the health wait succeeded (absent without a wait: deletes, topics, `wait: false`). */
  observed?: ObservedStatus;
  /** Something worth saying about a done step, e.g. `already gone` for a delete of a missing connector. */
  note?: string;
  /** Why a step was skipped. */
  reason?: string;
  code?: ApplyErrorCode;
  error?: string;
  trace?: string;
}

export interface ApplySummary {
  done: number;
  failed: number;
  skipped: number;
  notRun: number;
  /** Done steps by kind. */
  created: number;
  updated: number;
  deleted: number;
  /** pause, resume and stop. */
  stateChanged: number;
  restarted: number;
  topicsCreated: number;
  topicsUpdated: number;
}

export interface ApplyResult {
  /** True when no step failed and every step ran (or was skipped). */
  ok: boolean;
  /** True when `options.signal` stopped the run. */
  interrupted: boolean;
  steps: ApplyStep[];
  summary: ApplySummary;
  startedAt: number;
  ms: number;
}

/**
 * How apply reports: the engine never prints. Every hook is optional and is called synchronously, in order; a hook
 * must not throw (an exception would abort the run without a result).
 */
export interface ApplyHooks {
  /** Once, before the first operation: how many operations the plan has (for `[n/N]` counters). */
  onBegin?(info: { total: number; startedAt: number }): void;
  onStart?(step: ActiveStep): void;
  /** After each status poll that did not yet settle the wait; `elapsedMs` counts from the step's start. */
  onWaiting?(step: ActiveStep, status: ConnectorStateInfo, elapsedMs: number): void;
  /** Before sleeping between two tries of a call that got a ConflictError. `attempt` is the try that failed. */
  onRetrying?(step: ActiveStep, info: { attempt: number; attempts: number; delayMs: number; message: string; elapsedMs: number }): void;
  onDone?(step: ApplyStep): void;
  onFailed?(step: ApplyStep, error: ApplyStepError): void;
  onSkipped?(step: ApplyStep, reason: string): void;
  onSummary?(result: ApplyResult): void;
}
