/**
 * Applies the restart policy (config/restart-policy.ts) to the tasks of one worker: it watches every status a task reports
 * and, when a task whose connector enables the policy reports FAILED, restarts it after the back-off through the
 * herder's own task restart (the path of POST /connectors/{name}/tasks/{id}/restart). Timers are injected so the
 * schedule is tested without sleeping.
 *
 * A series of restarts: each FAILED schedules the next restart with a longer back-off, up to `maxRestarts`; then the
 * task is left FAILED and its trace says the policy gave up. The series ends — the next failure starts again from the
 * first back-off — when the restarted task stays RUNNING for `stableAfterMs`, or when the task is started by anything
 * other than the policy (created, reconfigured, rebalanced, restarted by hand, or the worker restarted): a person or a
 * new config gets a fresh set of attempts. Counts live in this worker's memory only.
 */
import type { ConnectorTaskId, StatusState } from '../../herder/types.js';
import type { Logger } from '../logger.js';
import { backoffMs, DEFAULT_RESTART_POLICY, restartPolicyOf, stableAfterMs } from '../config/restart-policy.js';
import type { RestartPolicy } from '../config/restart-policy.js';

/** Timers, injected: `after` calls `fn` once after `ms` unless the returned cancel function is called first. */
export interface RestartTimers {
  after(ms: number, fn: () => void): () => void;
}

/** Real timers that never keep the process alive by themselves. */
export const SYSTEM_TIMERS: RestartTimers = {
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

export interface TaskRestarterDeps {
  /** The worker's policy, for connectors that set no `pipectl.restart.*` keys. */
  defaults?: Readonly<RestartPolicy>;
  /** Restarts the task as POST /connectors/{name}/tasks/{id}/restart does on the worker that owns it. */
  restart: (id: ConnectorTaskId) => Promise<void>;
  /** Whether the task is still FAILED on this worker (checked when the back-off ends). */
  isFailed: (id: ConnectorTaskId) => boolean;
  /** Called when the policy restarts a task (metrics). */
  onPolicyRestart?: (id: ConnectorTaskId) => void;
  /**
   * The connector's config as stored now: a `pipectl.restart.*` edit takes effect at once, even when it leaves the
   * task configs unchanged (then the tasks are not restarted and still hold the config they started with). Absent, or
   * undefined for the connector: the config the task started with.
   */
  storedConfig?: (connector: string) => Readonly<Record<string, string>> | undefined;
  logger: Logger;
  timers?: RestartTimers;
}

/** What the worker stores with a task status: the policy's restart count and a line for the trace. */
export interface RestartNote {
  /** Policy restarts since the task was last started by anything else; 0 when none. */
  restarts: number;
  /** Said after a FAILED trace: when the next restart comes, or that the policy gave up. */
  note?: string;
}

interface TaskSeries {
  /** Restarts scheduled in the current series (reset by a stable run). */
  attempts: number;
  /** Restarts carried out since the task was last started by something else (reported with its status). */
  restarts: number;
  lastDelayMs: number;
  /** The policy started the instance now starting: its UNASSIGNED status continues the series. */
  inFlight: boolean;
  cancelRestart?: () => void;
  cancelStable?: () => void;
}

const key = (id: ConnectorTaskId): string => `${id.connector}\u0000${id.task}`;
const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

export class TaskRestarter {
  private readonly series = new Map<string, TaskSeries>();
  private readonly timers: RestartTimers;
  private closed = false;

  constructor(private readonly deps: TaskRestarterDeps) {
    this.timers = deps.timers ?? SYSTEM_TIMERS;
  }

  /**
   * A task reported `state` (before it is stored). On FAILED with the policy enabled, schedules a restart or gives up.
   * `connectorConfig` is the stored (unresolved) connector config, whose `pipectl.restart.*` keys override the defaults.
   */
  onTaskStatus(id: ConnectorTaskId, state: StatusState, connectorConfig: Readonly<Record<string, string>>): RestartNote {
    const s = this.series.get(key(id));
    switch (state) {
      case 'UNASSIGNED': // a new instance starts
        if (!s) return { restarts: 0 };
        this.cancel(s);
        if (!s.inFlight) {
          this.series.delete(key(id));
          return { restarts: 0 };
        }
        s.inFlight = false;
        return { restarts: s.restarts };
      case 'RUNNING':
        if (!s) return { restarts: 0 };
        s.cancelStable?.();
        if (s.attempts > 0) s.cancelStable = this.timers.after(stableAfterMs(this.policyOf(id, connectorConfig), s.lastDelayMs), () => this.endSeries(id));
        return { restarts: s.restarts };
      case 'FAILED':
        return this.onFailed(id, connectorConfig);
      default:
        if (s) s.cancelStable?.(); // paused or stopped is not a stable run
        return { restarts: s?.restarts ?? 0 };
    }
  }

  /** The task was stopped (removed, revoked, or about to be restarted): pending timers go; a policy restart keeps its series. */
  taskRemoved(id: ConnectorTaskId): void {
    const s = this.series.get(key(id));
    if (!s) return;
    this.cancel(s);
    if (!s.inFlight) this.series.delete(key(id));
  }

  /** Restarts carried out by the policy since the task was last started by something else. */
  restartsOf(id: ConnectorTaskId): number {
    return this.series.get(key(id))?.restarts ?? 0;
  }

  /** Cancels every pending restart (the worker stops). */
  close(): void {
    this.closed = true;
    for (const s of this.series.values()) this.cancel(s);
    this.series.clear();
  }

  private onFailed(id: ConnectorTaskId, connectorConfig: Readonly<Record<string, string>>): RestartNote {
    const policy = this.policyOf(id, connectorConfig);
    const existing = this.series.get(key(id));
    if (existing) this.cancel(existing);
    if (!policy.enabled || this.closed) return { restarts: existing?.restarts ?? 0 };
    const s: TaskSeries = existing ?? { attempts: 0, restarts: 0, lastDelayMs: 0, inFlight: false };
    s.inFlight = false; // a task that fails while being set up reports no UNASSIGNED first
    this.series.set(key(id), s);
    if (s.attempts >= policy.maxRestarts) {
      this.deps.logger.warn('restart policy gave up: the task stays FAILED until restarted by hand', { connector: id.connector, task: id.task, restarts: s.attempts });
      return { restarts: s.restarts, note: `pipectl restart policy gave up: the task failed again after ${s.attempts} restart${s.attempts === 1 ? '' : 's'} (${'pipectl.restart.max.restarts'}=${policy.maxRestarts}); it stays FAILED until restarted by hand.` };
    }
    const delay = backoffMs(policy, s.attempts);
    s.attempts += 1;
    s.lastDelayMs = delay;
    const attempt = s.attempts;
    s.cancelRestart = this.timers.after(delay, () => void this.fire(id, s));
    this.deps.logger.info('task failed: the restart policy restarts it after a back-off', { connector: id.connector, task: id.task, attempt, max_restarts: policy.maxRestarts, delay_ms: delay });
    return { restarts: s.restarts, note: `pipectl restart policy: restart ${attempt} of ${policy.maxRestarts} in ${seconds(delay)}.` };
  }

  private async fire(id: ConnectorTaskId, s: TaskSeries): Promise<void> {
    s.cancelRestart = undefined;
    if (this.closed || this.series.get(key(id)) !== s || !this.deps.isFailed(id)) return;
    s.inFlight = true;
    s.restarts += 1;
    this.deps.onPolicyRestart?.(id);
    try {
      await this.deps.restart(id);
    } catch (e) {
      s.inFlight = false;
      this.deps.logger.error(`the restart policy could not restart the task: ${e instanceof Error ? e.message : String(e)}`, { connector: id.connector, task: id.task });
    }
  }

  private endSeries(id: ConnectorTaskId): void {
    const s = this.series.get(key(id));
    if (!s) return;
    s.cancelStable = undefined;
    s.attempts = 0;
    s.lastDelayMs = 0;
    this.deps.logger.info('task stayed running after its restarts: the restart policy starts afresh on its next failure', { connector: id.connector, task: id.task });
  }

  private policyOf(id: ConnectorTaskId, startedWith: Readonly<Record<string, string>>): RestartPolicy {
    const connectorConfig = this.deps.storedConfig?.(id.connector) ?? startedWith;
    try {
      return restartPolicyOf(connectorConfig, this.deps.defaults ?? DEFAULT_RESTART_POLICY);
    } catch (e) {
      // Validated when the config was written through this runtime; a config written by another (a Java worker) is not.
      this.deps.logger.warn(`restart policy ignored: ${(e as Error).message}`, { connector: id.connector, task: id.task });
      return { ...(this.deps.defaults ?? DEFAULT_RESTART_POLICY), enabled: false };
    }
  }

  private cancel(s: TaskSeries): void {
    s.cancelRestart?.();
    s.cancelRestart = undefined;
    s.cancelStable?.();
    s.cancelStable = undefined;
  }
}
