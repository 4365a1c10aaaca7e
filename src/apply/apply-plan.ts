/**
 * The apply engine: runs exactly the reviewed plan's operations, in order, one at a time, through a Herder; waits for
 * each touched connector's health after its last operation; stops at the first failure; reports through hooks and
 * returns what was done, what failed and what did not run. It never prints.
 */
import type { Herder } from '../herder/herder.js';
import type { Plan, PlanOperation } from '../plan/types.js';
import type { TargetState } from '../pipeline-files/desired-state.js';
import { ApplyFailure, toStepError } from './errors.js';
import { waitForHealth } from './health.js';
import type { Expectation, Tolerance } from './health.js';
import { performOperation, stamper } from './operations.js';
import type { OperationContext } from './operations.js';
import type { ActiveStep, ApplyHooks, ResolvedApplyOptions, ApplyOptions, ApplyResult, ApplyStep, ApplySummary } from './types.js';

export const DEFAULT_APPLY_OPTIONS: Readonly<ResolvedApplyOptions> = Object.freeze({
  waitTimeoutMs: 60_000,
  pollIntervalMs: 500,
  conflictRetry: Object.freeze({ attempts: 8, baseDelayMs: 250, maxDelayMs: 5_000 }),
  wait: true,
  onFailure: 'stop',
  zeroTaskGracePolls: 4,
  parallelism: 1,
  interruptGraceMs: 10_000,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  random: () => Math.random(),
});

/** Fills in the defaults; a field given as `undefined` takes its default too. */
export function resolveApplyOptions(input: ApplyOptions = {}): ResolvedApplyOptions {
  const { conflictRetry, ...rest } = input;
  return {
    ...DEFAULT_APPLY_OPTIONS,
    ...defined(rest),
    conflictRetry: { ...DEFAULT_APPLY_OPTIONS.conflictRetry, ...defined(conflictRetry ?? {}) },
  };
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const NO_TOPIC_ADMIN_REASON = 'no topic admin is configured for this target; create or change the topic yourself (or let the broker auto-create it)';

/**
 * Applies `plan` through `herder`. Never rejects for a failed operation: failures are steps of the result (and
 * `onFailed` calls). It rejects only if a hook throws. Does not check the plan's fingerprints: refusing a stale plan
 * is the caller's job, before calling this.
 */
export async function applyPlan(plan: Plan, herder: Herder, options: ApplyOptions = {}, hooks: ApplyHooks = {}): Promise<ApplyResult> {
  const opts = resolveApplyOptions(options);
  const ops = plan.operations;
  const lastIndex = lastOperationIndex(ops);
  const finalStates = declaredFinalStates(ops);
  const steps: ApplyStep[] = ops.map((op, index) => ({ index, op: op.op, name: op.name, ...pipelineOf(op), status: 'not-run', ms: 0 }));
  const startedAt = opts.now();
  const failedNames = new Set<string>();
  let stopped = false;
  let interrupted = false;
  const inFlight = new Set<Promise<void>>();
  /** Per connector, the FAILED statuses its update replaced (see OperationOutcome.replaced), for its health wait. */
  const replacedByName = new Map<string, Map<number, string>>();
  hooks.onBegin?.({ total: ops.length, startedAt });

  for (const [index, op] of ops.entries()) {
    const step = steps[index]!;
    if (stopped || failedNames.has(subject(op))) continue;
    if (opts.signal?.aborted) {
      interrupted = true;
      break;
    }
    if (isTopicOp(op) && !opts.topics) {
      Object.assign(step, { status: 'skipped', reason: NO_TOPIC_ADMIN_REASON, startedAt: opts.now() });
      hooks.onSkipped?.(step, NO_TOPIC_ADMIN_REASON);
      continue;
    }
    const active: ActiveStep = { index, op: op.op, name: op.name, ...pipelineOf(op), operation: op, startedAt: opts.now() };
    step.startedAt = active.startedAt;
    hooks.onStart?.(active);
    const ctx: OperationContext = {
      herder,
      retry: opts.conflictRetry,
      sleep: opts.sleep,
      random: opts.random,
      onRetry: (info) => hooks.onRetrying?.(active, { ...info, elapsedMs: opts.now() - active.startedAt }),
      ...(opts.topics ? { topics: opts.topics } : {}),
      observeBeforeUpdate: opts.wait,
      ...(opts.provenance ? { stamp: stamper(opts.provenance, opts.now) } : {}),
    };
    const fail = (err: unknown): void => {
      const error = toStepError(err, op);
      Object.assign(step, { status: 'failed', ms: opts.now() - active.startedAt, code: error.code, error: error.message });
      if (error.trace !== undefined) step.trace = error.trace;
      hooks.onFailed?.(step, error);
      if (error.code === 'PIPECTL_APPLY_INTERRUPTED') interrupted = true;
      if (opts.onFailure === 'stop' || op.op === 'create-topic' || interrupted) stopped = true;
      else failedNames.add(subject(op));
    };
    const done = (): void => {
      step.status = 'done';
      step.ms = opts.now() - active.startedAt;
      hooks.onDone?.(step);
    };
    let outcome: Awaited<ReturnType<typeof performOperation>>;
    try {
      outcome = await boundedAfterInterrupt(performOperation(op, ctx), op, opts);
    } catch (err) {
      fail(err);
      continue;
    }
    if (outcome.note !== undefined) step.note = outcome.note;
    if (outcome.replaced) replacedByName.set(op.name, outcome.replaced);
    if (!(opts.wait && !isTopicOp(op) && op.op !== 'delete' && lastIndex.get(op.name) === index)) {
      done();
      continue;
    }
    const expected: Expectation = finalStates.get(op.name) ?? 'SETTLED';
    const wait = waitForHealth(
      op.name,
      expected,
      {
        herder,
        now: opts.now,
        sleep: opts.sleep,
        timeoutMs: opts.waitTimeoutMs,
        pollIntervalMs: opts.pollIntervalMs,
        ...(opts.firstPollIntervalMs !== undefined ? { firstPollIntervalMs: opts.firstPollIntervalMs } : {}),
        zeroTaskGracePolls: opts.zeroTaskGracePolls,
        ...(opts.signal ? { signal: opts.signal } : {}),
        onWaiting: (status) => hooks.onWaiting?.(active, status, opts.now() - active.startedAt),
      },
      withReplaced(outcome.tolerance, replacedByName.get(op.name)),
    ).then((observed) => {
      step.observed = observed;
      done();
    }, fail);
    // Up to `parallelism` health waits overlap with the next operations (operations themselves are issued one at a
    // time, in plan order); a failed wait stops further operations, as a failed operation does.
    inFlight.add(wait);
    void wait.finally(() => inFlight.delete(wait));
    if (inFlight.size >= opts.parallelism) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);

  const summary = summarise(steps);
  const result: ApplyResult = { ok: summary.failed === 0 && summary.notRun === 0, interrupted, steps, summary, startedAt, ms: opts.now() - startedAt };
  hooks.onSummary?.(result);
  return result;
}

/**
 * `call`, or — once `opts.signal` has aborted and `interruptGraceMs` more have passed without an answer — an
 * INTERRUPTED failure that says the call may or may not have happened. The grace timer is wall-clock, and cleared as
 * soon as the race is settled; without an interrupt, `call` alone decides.
 */
function boundedAfterInterrupt<T>(call: Promise<T>, op: PlanOperation, opts: ResolvedApplyOptions): Promise<T> {
  const signal = opts.signal;
  if (!signal) return call;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const expired = new Promise<never>((_, reject) => {
    const start = (): void => {
      timer = setTimeout(() => {
        const what = isTopicOp(op) ? `${op.op} of topic ${op.name}` : `${op.op} of connector ${op.name}`;
        reject(new ApplyFailure('PIPECTL_APPLY_INTERRUPTED', `Interrupted: the ${what} was sent but not answered within ${opts.interruptGraceMs / 1000}s of the interrupt; it may or may not have happened (plan again to see).`));
      }, opts.interruptGraceMs);
    };
    if (signal.aborted) start();
    else {
      onAbort = start;
      signal.addEventListener('abort', start, { once: true });
    }
  });
  call.catch(() => undefined); // a call abandoned after the grace may still reject later: not an unhandled rejection
  return Promise.race([call, expired]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  });
}

function withReplaced(tolerance: Tolerance | undefined, replaced: Map<number, string> | undefined): Tolerance | undefined {
  if (!replaced || replaced.size === 0) return tolerance;
  return { ids: tolerance?.ids ?? new Set(), polls: tolerance?.polls ?? 0, replaced };
}

function isTopicOp(op: PlanOperation): boolean {
  return op.op === 'create-topic' || op.op === 'update-topic';
}

/** What an operation acts on: topics and connectors are separate namespaces (a topic may share a connector's name). */
function subject(op: PlanOperation): string {
  return isTopicOp(op) ? `topic\u0000${op.name}` : op.name;
}

function pipelineOf(op: PlanOperation): { pipeline?: string } {
  return op.pipeline === undefined ? {} : { pipeline: op.pipeline };
}

/** Index of each connector's last operation: its health is checked once, after it (earlier states are transient). */
function lastOperationIndex(ops: readonly PlanOperation[]): Map<string, number> {
  const last = new Map<string, number>();
  ops.forEach((op, i) => {
    if (!isTopicOp(op)) last.set(op.name, i);
  });
  return last;
}

/** The state the plan leaves each connector in, when it says (create's initial state, pause, resume, stop). */
function declaredFinalStates(ops: readonly PlanOperation[]): Map<string, TargetState> {
  const states = new Map<string, TargetState>();
  for (const op of ops) {
    if (op.op === 'create') states.set(op.name, op.initialState);
    else if (op.op === 'pause') states.set(op.name, 'PAUSED');
    else if (op.op === 'resume') states.set(op.name, 'RUNNING');
    else if (op.op === 'stop') states.set(op.name, 'STOPPED');
    else if (op.op === 'delete') states.delete(op.name);
  }
  return states;
}

export function summarise(steps: readonly ApplyStep[]): ApplySummary {
  const s: ApplySummary = { done: 0, failed: 0, skipped: 0, notRun: 0, created: 0, updated: 0, deleted: 0, stateChanged: 0, restarted: 0, topicsCreated: 0, topicsUpdated: 0 };
  for (const step of steps) {
    if (step.status === 'failed') s.failed++;
    else if (step.status === 'skipped') s.skipped++;
    else if (step.status === 'not-run') s.notRun++;
    else {
      s.done++;
      if (step.op === 'create') s.created++;
      else if (step.op === 'update') s.updated++;
      else if (step.op === 'delete') s.deleted++;
      else if (step.op === 'restart') s.restarted++;
      else if (step.op === 'create-topic') s.topicsCreated++;
      else if (step.op === 'update-topic') s.topicsUpdated++;
      else s.stateChanged++;
    }
  }
  return s;
}
