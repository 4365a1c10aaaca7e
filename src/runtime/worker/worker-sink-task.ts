/**
 * Runs a sink task: read from the data plane → convert → put → flush → commit consumer offsets. Offsets are committed
 * only after the sink's flush() resolved, every `offset.flush.interval.ms` and on a clean stop (at-least-once).
 */
import { RetriableError } from '../../plugins/plugin.js';
import type { SinkRecord } from '../../plugins/connect-data.js';
import type { SinkTask } from '../../plugins/plugin.js';
import type { ConnectorTaskId, TargetState } from '../../herder/types.js';
import type { Consumer, DataPlane, StoredRecord, Subscription } from '../data-plane/data-plane.js';
import type { LogFields } from '../logger.js';
import { settleWithin } from './bounded.js';
import type { RecordProcessor } from './record-processor.js';
import { inStage, WorkerTask } from './worker-task.js';
import type { TaskBaseDeps } from './worker-task.js';
import type { TaskMetrics } from '../metrics/task-metrics.js';

export interface SinkTaskDeps extends TaskBaseDeps {
  dataPlane: DataPlane;
  processor: RecordProcessor;
  groupId: string;
  /** The connector's `consumer.override.*` settings (prefix removed), for a Kafka data plane. */
  consumerOverrides: Record<string, string>;
  subscription: Subscription;
  offsetFlushIntervalMs: number;
  /** Most records handed to one put() call. */
  maxPollRecords: number;
}

export class WorkerSinkTask extends WorkerTask {
  private consumer: Consumer | undefined;
  private pluginStopped: Promise<void> | undefined;
  /** The plugin call in progress in the loop (start() is not one: a plugin is stopped only once started). */
  private inPlugin: 'put' | 'flush' | null = null;
  /** Set once the graceful timeout has passed: the loop then hands the plugin nothing more and commits nothing. */
  private abandoned = false;
  /** Next offset to read, per "topic\u0000partition", for everything put() accepted. */
  private readonly consumed = new Map<string, number>();
  private uncommitted = false;

  constructor(
    id: ConnectorTaskId,
    private readonly plugin: SinkTask,
    private readonly taskConfig: Record<string, string>,
    private readonly deps: SinkTaskDeps,
    target: TargetState,
  ) {
    super(id, deps, target);
  }

  /** The plugin's stop(), called once: when abandoned in put()/flush(), or when the loop ends; never rejects. */
  private stopPlugin(): Promise<void> {
    this.pluginStopped ??= Promise.resolve()
      .then(() => this.plugin.stop())
      .catch(() => undefined);
    return this.pluginStopped;
  }

  protected override async onAbandoned(): Promise<void> {
    this.abandoned = true;
    // Stuck in put() or flush(): ask the plugin to stop now, not once the call returns (as Connect does), since a sink
    // retrying through a long back-off would otherwise keep sending beside its successor — duplicates, possibly out
    // of order. Not awaited: a plugin's stop() may itself wait for what it abandons. Stuck in start() (or in a
    // converter or transform), the loop's own stop() call comes once that returns, as before.
    if (this.inPlugin !== null) void this.stopPlugin();
    // Leave the group so that a restarted task gets the partitions.
    await this.consumer?.close();
  }

  protected async execute(): Promise<void> {
    const { connector, task } = this.id;
    const consumer = await inStage('read from the log', () =>
      this.deps.dataPlane.openConsumer({ groupId: this.deps.groupId, clientId: `connector-consumer-${connector}-${task}`, subscription: this.deps.subscription, autoOffsetReset: 'earliest', clientOverrides: this.deps.consumerOverrides }),
    );
    this.consumer = consumer;
    if (this.deps.metrics && consumer.endOffsets) this.deps.metrics.endOffsets = () => consumer.endOffsets!();
    try {
      const taskClass = this.taskConfig['task.class'] ?? 'SinkTask';
      const logger = this.deps.logger;
      const scope = { connector, task };
      const taskLogger = {
        info: (m: string, f?: LogFields) => logger.info(m, { ...scope, ...f }),
        warn: (m: string, f?: LogFields) => logger.warn(m, { ...scope, ...f }),
        error: (m: string, f?: LogFields) => logger.error(m, { ...scope, ...f }),
      };
      await inStage('task start', () =>
        this.plugin.start(this.taskConfig, {
          assignment: () => consumer.assignment(),
          // Only where a report lets the task go on (errors.tolerance=all); else the sink fails on a bad record itself.
          ...(this.deps.processor.reportsErrant ? { reportErrant: (record: SinkRecord, error: Error) => this.deps.processor.reportErrant(record, error, taskClass) } : {}),
          logger: taskLogger,
        }),
      );
      if (this.stopping) return;
      this.report(this.isPaused ? 'PAUSED' : 'RUNNING');
      this.deps.logger.info('sink task started', { connector, task, group: this.deps.groupId });
      let lastCommit = Date.now();
      while (!this.stopping) {
        if (this.isPaused) {
          await this.commit();
          if (!(await this.waitWhilePaused())) break;
        }
        const untilCommit = Math.max(1, this.deps.offsetFlushIntervalMs - (Date.now() - lastCommit));
        const records = await inStage('read from the log', () => consumer.poll(this.deps.maxPollRecords, Math.min(500, untilCommit)));
        if (this.stopping && records.length === 0) break;
        if (records.length > 0) await this.deliver(records);
        if (Date.now() - lastCommit >= this.deps.offsetFlushIntervalMs) {
          await this.commit();
          lastCommit = Date.now();
        }
      }
      // A clean stop: what was put is flushed and committed, so a restart does not re-deliver it.
      await this.commit();
    } finally {
      await settleWithin(
        this.stopPlugin(),
        this.deps.gracefulTimeoutMs,
      );
      await consumer.close();
      this.deps.processor.close();
    }
  }

  private async deliver(records: readonly StoredRecord[]): Promise<void> {
    const metrics = this.deps.metrics;
    metrics?.recordRead(records.length);
    const batch = await this.deps.processor.toSinkRecords(records);
    if (this.abandoned) return; // a successor has the partitions; these records are its to deliver
    if (batch.length > 0) {
      const putAt = performance.now();
      await this.put(batch);
      metrics?.recordPut(batch.length, performance.now() - putAt);
    }
    // Offsets advance past every record read, including those dropped by a transform or a tolerated error: the last
    // record of each run of one partition sets its position (one map write per run, not per record).
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const next = records[i + 1];
      if (next === undefined || next.partition !== r.partition || next.topic !== r.topic) this.consumed.set(`${r.topic}\u0000${r.partition}`, r.offset + 1);
    }
    this.uncommitted = true;
    if (metrics) this.trackProgress(metrics, records);
  }

  /** Each assigned partition's position, log end and last record time, for the lag metrics (once per batch). */
  private trackProgress(metrics: TaskMetrics, records: readonly StoredRecord[]): void {
    const assignment = this.consumer?.assignment() ?? [];
    // The last record of each partition, read from the end: one step when the batch holds one partition.
    const last = new Map<string, StoredRecord>();
    for (let i = records.length - 1; i >= 0 && last.size < assignment.length; i--) {
      const r = records[i]!;
      const key = `${r.topic}\u0000${r.partition}`;
      if (!last.has(key)) last.set(key, r);
    }
    const ends = new Map((this.consumer?.endOffsets?.() ?? []).map((e) => [`${e.topic}\u0000${e.partition}`, e.endOffset]));
    const assigned = new Set<string>();
    for (const tp of assignment) {
      const key = `${tp.topic}\u0000${tp.partition}`;
      assigned.add(key);
      const progress = metrics.partitions.get(key) ?? { topic: tp.topic, partition: tp.partition, position: 0, endOffset: 0, lastTimestamp: 0 };
      const r = last.get(key);
      if (r) progress.lastTimestamp = r.timestamp;
      progress.position = this.consumed.get(key) ?? progress.position;
      progress.endOffset = Math.max(ends.get(key) ?? progress.endOffset, progress.position);
      metrics.partitions.set(key, progress);
    }
    for (const key of metrics.partitions.keys()) if (!assigned.has(key)) metrics.partitions.delete(key);
  }

  /** put(), re-delivering the same batch after a RetriableError (as Connect does), until it succeeds or we stop. */
  private put(batch: SinkRecord[]): Promise<void> {
    return this.retrying('task put', () => this.inPluginCall('put', () => this.plugin.put(batch)), (e) => `retriable error from put, re-delivering ${batch.length} records: ${e.message}`);
  }

  private async inPluginCall(call: 'put' | 'flush', op: () => unknown): Promise<void> {
    this.inPlugin = call;
    try {
      await op();
    } finally {
      this.inPlugin = null;
    }
  }

  /**
   * `op` again after a RetriableError, backing off up to 5 s, until it succeeds or we stop. A sink that writes in the
   * background (the Postgres sink) may report an outage from flush() as well as from put().
   */
  private async retrying(stage: 'task put' | 'task flush', op: () => unknown, warning: (e: Error) => string): Promise<void> {
    let delay = 100;
    for (;;) {
      try {
        await op();
        return;
      } catch (e) {
        if (!(e instanceof RetriableError) || this.stopping) return inStage(stage, () => Promise.reject(e));
        this.deps.logger.warn(warning(e), { connector: this.id.connector, task: this.id.task });
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  /** flush() the sink, then commit what it has durably taken. */
  private async commit(): Promise<void> {
    if (!this.uncommitted || !this.consumer || this.abandoned) return; // abandoned: the consumer has left the group
    await this.retrying('task flush', () => this.inPluginCall('flush', () => this.plugin.flush()), (e) => `retriable error from flush, trying again: ${e.message}`);
    const offsets = [...this.consumed].map(([k, offset]) => {
      const [topic, partition] = k.split('\u0000') as [string, string];
      return { topic, partition: Number(partition), offset };
    });
    const commitAt = performance.now();
    try {
      await inStage('offset commit', () => this.consumer!.commit(offsets));
    } catch (e) {
      this.deps.metrics?.recordOffsetCommit(performance.now() - commitAt, false);
      throw e;
    }
    this.deps.metrics?.recordOffsetCommit(performance.now() - commitAt, true);
    this.uncommitted = false;
  }
}
