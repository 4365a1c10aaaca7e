/**
 * The lifecycle every task shares (Connect's WorkerTask): UNASSIGNED → RUNNING ⇄ PAUSED, FAILED (sticky, with the
 * trace, until a restart), and a bounded stop. Subclasses implement `execute` (the poll/put loop). A failure fails
 * this task alone; a task that hangs is abandoned after the graceful timeout.
 */
import type { ConnectorTaskId, StatusState, TargetState } from '../../herder/types.js';
import type { Logger } from '../logger.js';
import type { TaskMetrics } from '../metrics/task-metrics.js';
import { settleWithin, signal, traceOf } from './bounded.js';

/** Where a failure happened, named in traces and logs (Connect's error-handling stages). */
export type Stage = 'task start' | 'task poll' | 'task put' | 'task flush' | 'task stop' | 'key converter' | 'value converter' | 'header converter' | 'transformation' | 'topic creation' | 'write to the log' | 'read from the log' | 'offset commit';

/** A failure in a named stage (PIPECTL_WORKER_STAGE_FAILED); `original` is what the stage threw. */
export class StageError extends Error {
  readonly code = 'PIPECTL_WORKER_STAGE_FAILED';

  constructor(
    readonly stage: Stage,
    readonly original: unknown,
  ) {
    super(`Failed in stage "${stage}": ${original instanceof Error ? original.message : String(original)}`, { cause: original });
    this.name = 'StageError';
  }
}

/** Runs `fn`, wrapping any error with the stage it happened in. */
export async function inStage<T>(stage: Stage, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof StageError ? e : new StageError(stage, e);
  }
}

export interface TaskStatusListener {
  onTaskStatus(id: ConnectorTaskId, state: StatusState, trace?: string): void;
}

export interface TaskBaseDeps {
  logger: Logger;
  /** This task's counters for GET /metrics; null when the worker keeps none. */
  metrics?: TaskMetrics | null;
  statusListener: TaskStatusListener;
  gracefulTimeoutMs: number;
}

export abstract class WorkerTask {
  protected stopping = false;
  private target: TargetState;
  private resumed = signal();
  private stopRequested = signal();
  private loop: Promise<void> | undefined;
  private failed = false;

  constructor(
    readonly id: ConnectorTaskId,
    protected readonly base: TaskBaseDeps,
    initialTarget: TargetState,
  ) {
    this.target = initialTarget;
  }

  /** Starts the task's loop in the background; status changes are reported through the listener. */
  start(): void {
    this.base.statusListener.onTaskStatus(this.id, 'UNASSIGNED');
    this.loop = this.execute().then(
      () => undefined,
      (e: unknown) => this.fail(e),
    );
  }

  get isFailed(): boolean {
    return this.failed;
  }

  setTargetState(target: TargetState): void {
    if (target === this.target) return;
    this.target = target;
    if (target === 'STARTED') {
      this.resumed.fire();
      this.resumed = signal();
    }
  }

  /**
   * Stops the task: signals the loop, lets the subclass interrupt the plugin, and waits up to the graceful timeout.
   * Resolves false when the task had to be abandoned (its loop is still stuck in plugin code).
   */
  async stop(): Promise<boolean> {
    if (this.stopping) return true;
    this.stopping = true;
    this.stopRequested.fire();
    this.resumed.fire();
    const deadline = Date.now() + this.base.gracefulTimeoutMs;
    this.onStopRequested();
    const r = await settleWithin(this.loop ?? Promise.resolve(), Math.max(0, deadline - Date.now()));
    if (!r.settled) {
      this.base.logger.warn('task did not stop within the graceful timeout; abandoning it', { connector: this.id.connector, task: this.id.task, timeout_ms: this.base.gracefulTimeoutMs });
      await this.onAbandoned();
      return false;
    }
    return true;
  }

  /** The poll/put loop. Must return when `stopping` becomes true (checked after every await). */
  protected abstract execute(): Promise<void>;

  /** Called once when a stop is requested, before waiting for the loop (source tasks interrupt poll here). */
  protected onStopRequested(): void {}

  /** Called when the loop is stuck in plugin code past the timeout: release what others need (e.g. partitions). */
  protected async onAbandoned(): Promise<void> {}

  /** Resolves once a stop has been requested (to cut a wait short). */
  protected get stopRequestedPromise(): Promise<void> {
    return this.stopRequested.promise;
  }

  protected get isPaused(): boolean {
    return this.target !== 'STARTED';
  }

  /** Blocks while the target state is PAUSED, reporting PAUSED then RUNNING. Returns false when stopping. */
  protected async waitWhilePaused(): Promise<boolean> {
    if (!this.isPaused || this.stopping) return !this.stopping;
    this.report('PAUSED');
    this.base.logger.info('task paused', { connector: this.id.connector, task: this.id.task });
    while (this.isPaused && !this.stopping) await Promise.race([this.resumed.promise, this.stopRequested.promise]);
    if (this.stopping) return false;
    this.report('RUNNING');
    this.base.logger.info('task resumed', { connector: this.id.connector, task: this.id.task });
    return true;
  }

  protected report(state: StatusState, trace?: string): void {
    if (this.failed) return; // FAILED is sticky until the task is restarted (a new instance)
    this.base.statusListener.onTaskStatus(this.id, state, trace);
  }

  private fail(e: unknown): void {
    const stage = e instanceof StageError ? e.stage : 'task poll';
    const original = e instanceof StageError ? e.original : e;
    if (this.stopping) {
      // A task being stopped is not failing; what went wrong on the way out is still worth a line.
      this.base.logger.warn(`error while stopping task, in stage "${stage}": ${original instanceof Error ? original.message : String(original)}`, { connector: this.id.connector, task: this.id.task });
      return;
    }
    const trace = traceOf(original, `Task ${this.id.connector}-${this.id.task} failed in stage "${stage}"; it will not recover until restarted.`);
    this.report('FAILED', trace);
    this.failed = true;
    this.base.logger.error(`task failed in stage "${stage}": ${original instanceof Error ? original.message : String(original)}`, { connector: this.id.connector, task: this.id.task, stage });
  }
}
