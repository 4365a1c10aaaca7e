/**
 * The health wait: poll a connector's status until it is in its declared state (connector and every task), fail at
 * once on a FAILED instance with its trace, or time out naming the last states seen. `judgeStatus` is the pure rule;
 * `waitForHealth` the loop around it.
 */
import { ConflictError, HerderTimeoutError, NotFoundError } from '../herder/errors.js';
import type { Herder } from '../herder/herder.js';
import type { ConnectorStateInfo, StatusState } from '../herder/types.js';
import type { TargetState } from '../pipeline-files/desired-state.js';
import { ApplyFailure } from './errors.js';
import type { ObservedStatus } from './types.js';

/** The state to wait for; SETTLED = whichever of RUNNING/PAUSED/STOPPED the connector reports (its target is kept). */
export type Expectation = TargetState | 'SETTLED';

export type Verdict =
  | { kind: 'healthy' }
  | { kind: 'waiting' }
  /** RUNNING connector without tasks: healthy only if that lasts and the herder has no task configs. */
  | { kind: 'no-tasks' }
  | { kind: 'failed'; message: string; trace?: string };

/** Instance id of the connector itself in `tolerate` sets (tasks use their own ids). */
export const CONNECTOR_INSTANCE = -1;

const WHAT: Record<Expectation, string> = {
  RUNNING: 'RUNNING with all tasks RUNNING',
  PAUSED: 'PAUSED',
  STOPPED: 'STOPPED with no tasks',
  SETTLED: 'settle in its target state (RUNNING, PAUSED or STOPPED)',
};

/** "connector RUNNING, 2 tasks (1 RUNNING, 1 UNASSIGNED)" — or "no status reported yet". */
export function describeStatus(status: ConnectorStateInfo | undefined): string {
  if (!status) return 'no status reported yet';
  const n = status.tasks.length;
  if (n === 0) return `connector ${status.connector.state}, no tasks`;
  const counts = new Map<StatusState, number>();
  for (const t of status.tasks) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  const parts = [...counts].map(([state, count]) => `${count} ${state}`);
  return `connector ${status.connector.state}, ${n} task${n === 1 ? '' : 's'} (${parts.join(', ')})`;
}

/**
 * Judges one status answer. FAILED instances whose ids are in `tolerate` are not fatal (a restart under way).
 * While waiting for STOPPED a FAILED connector is not fatal either: stopping is how a failed connector is parked.
 */
export function judgeStatus(status: ConnectorStateInfo, expected: Expectation, tolerate: ReadonlySet<number> = new Set()): Verdict {
  if (expected !== 'STOPPED') {
    const c = status.connector;
    if (c.state === 'FAILED' && !tolerate.has(CONNECTOR_INSTANCE)) {
      return withTrace(`Connector ${status.name} is FAILED on worker ${c.worker_id}.`, c.trace);
    }
    const failed = status.tasks.filter((t) => t.state === 'FAILED' && !tolerate.has(t.id));
    const first = failed[0];
    if (first) {
      const more = failed.length > 1 ? ` (${failed.length} of ${status.tasks.length} tasks are FAILED; the trace is task ${first.id}'s)` : '';
      return withTrace(`Connector ${status.name} task ${first.id} is FAILED on worker ${first.worker_id}${more}.`, first.trace);
    }
  }
  const state = status.connector.state;
  const target = expected === 'SETTLED' ? settledTarget(state) : expected;
  if (target === undefined || state !== target) return { kind: 'waiting' };
  if (target === 'STOPPED') return status.tasks.length === 0 ? { kind: 'healthy' } : { kind: 'waiting' };
  if (target === 'PAUSED') return status.tasks.every((t) => t.state === 'PAUSED') ? { kind: 'healthy' } : { kind: 'waiting' };
  if (status.tasks.length === 0) return { kind: 'no-tasks' };
  return status.tasks.every((t) => t.state === 'RUNNING') ? { kind: 'healthy' } : { kind: 'waiting' };
}

function settledTarget(state: StatusState): TargetState | undefined {
  return state === 'RUNNING' || state === 'PAUSED' || state === 'STOPPED' ? state : undefined;
}

function withTrace(message: string, trace: string | undefined): Verdict {
  return trace === undefined ? { kind: 'failed', message } : { kind: 'failed', message, trace };
}

export interface WaitContext {
  herder: Herder;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  timeoutMs: number;
  pollIntervalMs: number;
  /** See ResolvedApplyOptions.firstPollIntervalMs. */
  firstPollIntervalMs?: number;
  zeroTaskGracePolls: number;
  signal?: AbortSignal;
  /** After each poll that did not settle the wait (not called when no status could be read). */
  onWaiting: (status: ConnectorStateInfo) => void;
}

/** FAILED instances to overlook for the first `polls` polls, or until seen in another state (KIP-745 restarts are async). */
export interface Tolerance {
  ids: Set<number>;
  polls: number;
  /**
   * FAILED statuses seen before an update (instance id → trace): while an instance still shows exactly that status,
   * it is the replaced generation's and not fatal, however long it lasts; once seen otherwise, it counts again. A new
   * generation that fails with the very same trace is then reported by the wait's timeout, never as healthy.
   */
  replaced?: Map<number, string>;
}

/**
 * Polls until `judgeStatus` says healthy. Rejects with ApplyFailure: CONNECTOR_FAILED (with the trace),
 * WAIT_TIMEOUT or INTERRUPTED. A status read that fails with NotFound, Conflict or a herder timeout counts as "not
 * yet" (the status of a new connector is written asynchronously); other read errors reject as they are.
 */
export async function waitForHealth(name: string, expected: Expectation, ctx: WaitContext, tolerance?: Tolerance): Promise<ObservedStatus> {
  const start = ctx.now();
  let last: ConnectorStateInfo | undefined;
  let zeroTaskPolls = 0;
  for (let poll = 1; ; poll++) {
    const status = await readTransient(() => ctx.herder.connectorStatus(name));
    if (status) {
      last = status;
      const tolerate = tolerated(status, tolerance, poll);
      const verdict = judgeStatus(status, expected, tolerate);
      if (verdict.kind === 'failed') throw new ApplyFailure('PIPECTL_APPLY_CONNECTOR_FAILED', verdict.message, verdict.trace);
      if (verdict.kind === 'healthy') return observed(status);
      zeroTaskPolls = verdict.kind === 'no-tasks' ? zeroTaskPolls + 1 : 0;
      if (zeroTaskPolls >= ctx.zeroTaskGracePolls && zeroTaskPolls > 0) {
        const configs = await readTransient(() => ctx.herder.taskConfigs(name));
        if (configs && configs.length === 0) return observed(status);
      }
      ctx.onWaiting(status);
    }
    const elapsed = ctx.now() - start;
    const seen = `last seen: ${describeStatus(last)}${stillReplaced(last, tolerance)}`;
    if (elapsed >= ctx.timeoutMs) {
      throw new ApplyFailure(
        'PIPECTL_APPLY_WAIT_TIMEOUT',
        `Timed out after ${elapsed / 1000}s waiting for connector ${name} to be ${WHAT[expected]}; ${seen}.`,
      );
    }
    if (ctx.signal?.aborted) {
      throw new ApplyFailure('PIPECTL_APPLY_INTERRUPTED', `Interrupted while waiting for connector ${name} to be ${WHAT[expected]}; ${seen}.`);
    }
    // Most connectors are healthy within milliseconds: poll soon first, then back off to the configured interval, so a
    // plan of 1,000 creates does not spend half a second per connector waiting.
    const backoff = ctx.firstPollIntervalMs !== undefined ? ctx.firstPollIntervalMs * 2 ** (poll - 1) : ctx.pollIntervalMs;
    await ctx.sleep(Math.min(ctx.pollIntervalMs, backoff, ctx.timeoutMs - elapsed));
  }
}

function tolerated(status: ConnectorStateInfo, tolerance: Tolerance | undefined, poll: number): ReadonlySet<number> {
  if (!tolerance) return new Set();
  if (poll > tolerance.polls) tolerance.ids.clear();
  if (status.connector.state !== 'FAILED') tolerance.ids.delete(CONNECTOR_INSTANCE);
  for (const t of status.tasks) if (t.state !== 'FAILED') tolerance.ids.delete(t.id);
  const out = new Set(tolerance.ids);
  const replaced = tolerance.replaced;
  if (replaced) {
    const instances = [{ id: CONNECTOR_INSTANCE, state: status.connector.state, trace: status.connector.trace }, ...status.tasks];
    for (const i of instances) {
      if (!replaced.has(i.id)) continue;
      if (i.state === 'FAILED' && (i.trace ?? '') === replaced.get(i.id)) out.add(i.id);
      else replaced.delete(i.id);
    }
  }
  return out;
}

/** " (task 0 still shows the FAILED status it had before the update)" for instances discounted as replaced, or ''. */
function stillReplaced(last: ConnectorStateInfo | undefined, tolerance: Tolerance | undefined): string {
  const replaced = tolerance?.replaced;
  if (!last || !replaced || replaced.size === 0) return '';
  const names = [...replaced.keys()].sort((a, b) => a - b).map((id) => (id === CONNECTOR_INSTANCE ? 'the connector' : `task ${id}`));
  return ` (${names.join(', ')} still show${names.length === 1 ? 's' : ''} the FAILED status ${names.length === 1 ? 'it' : 'they'} had before the update: the new config may fail the same way)`;
}

function observed(status: ConnectorStateInfo): ObservedStatus {
  return { connector: status.connector.state, tasks: status.tasks.map((t) => t.state) };
}

async function readTransient<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof NotFoundError || err instanceof ConflictError || err instanceof HerderTimeoutError) return undefined;
    throw err;
  }
}
