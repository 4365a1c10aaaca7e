/**
 * Runs a source task: poll → convert → write to the data plane → record the acknowledged source offsets.
 * Offsets enter the offset store only after the data plane acknowledged the records they cover (at-least-once). After
 * the worker's offset flush made them durable, the task's commit() is told which (offsetsRecorded → offsetsFlushed).
 */
import { RetriableError } from '../../plugins/plugin.js';
import type { OffsetStorageReader, SourceTask } from '../../plugins/plugin.js';
import type { LogFields } from '../logger.js';
import type { DataPlane } from '../data-plane/data-plane.js';
import type { SourceOffsetStore } from '../storage/offsets/source-offset-store.js';
import type { ConnectorTaskId, TargetState } from '../../herder/types.js';
import { invoke, settleWithin } from './bounded.js';
import type { RecordProcessor } from './record-processor.js';
import type { TopicCreation } from './topic-creation.js';
import { inStage, WorkerTask } from './worker-task.js';
import type { TaskBaseDeps } from './worker-task.js';

export interface SourceTaskDeps extends TaskBaseDeps {
  dataPlane: DataPlane;
  offsetStore: SourceOffsetStore;
  processor: RecordProcessor;
  /** The connector's `producer.override.*` settings (prefix removed), for a Kafka data plane. */
  producerOverrides: Record<string, string>;
  /** Set when the connector uses `topic.creation.*` (and the worker enables it): topics are created before the first write. */
  topicCreation?: TopicCreation;
  /** See WorkerOptions.assignmentValid. */
  assignmentValid?: () => boolean;
}

export class WorkerSourceTask extends WorkerTask {
  constructor(
    id: ConnectorTaskId,
    private readonly plugin: SourceTask,
    private readonly taskConfig: Record<string, string>,
    private readonly deps: SourceTaskDeps,
    target: TargetState,
  ) {
    super(id, deps, target);
  }

  /** Aborted when the task is abandoned: its write still retrying must give up rather than land after a successor's. */
  private readonly cancelled = new AbortController();

  /** The last offset recorded in the store for each source partition of this task, by partitionKey. */
  private readonly recorded = new Map<string, Record<string, unknown>>();

  /** What this task has recorded in the offset store so far: taken by the worker just before a flush. */
  offsetsRecorded(): ReadonlyMap<string, Record<string, unknown>> {
    return new Map(this.recorded);
  }

  /**
   * Tells the plugin (commit) that a flush made `flushed` durable — the offsets offsetsRecorded() returned before that
   * flush began, so none of them is still only in memory. Not once the task is stopping (its plugin may be stopped).
   */
  async offsetsFlushed(flushed: ReadonlyMap<string, Record<string, unknown>>): Promise<void> {
    if (!this.plugin.commit || this.stopping || flushed.size === 0) return;
    const committed: OffsetStorageReader = { offset: (partition) => flushed.get(partitionKey(partition)) ?? null };
    try {
      await this.plugin.commit(committed);
    } catch (e) {
      this.deps.logger.error(`source task commit failed: ${e instanceof Error ? e.message : String(e)}`, { connector: this.id.connector, task: this.id.task });
    }
  }

  protected override async onAbandoned(): Promise<void> {
    this.cancelled.abort();
  }

  protected override onStopRequested(): void {
    // Like Connect, stop() is called while poll() may be pending, so that the plugin can cut its wait short.
    void settleWithin(invoke(() => this.plugin.stop()), this.deps.gracefulTimeoutMs);
  }

  protected async execute(): Promise<void> {
    const { connector } = this.id;
    const offsetStore = this.deps.offsetStore;
    try {
      await this.run(offsetStore, connector);
    } finally {
      this.deps.processor.close();
    }
  }

  private async run(offsetStore: SourceOffsetStore, connector: string): Promise<void> {
    const scope = { connector, task: this.id.task };
    const logger = this.deps.logger;
    const taskLogger = {
      info: (m: string, f?: LogFields) => logger.info(m, { ...scope, ...f }),
      warn: (m: string, f?: LogFields) => logger.warn(m, { ...scope, ...f }),
      error: (m: string, f?: LogFields) => logger.error(m, { ...scope, ...f }),
    };
    await inStage('task start', () => this.plugin.start(this.taskConfig, { offsetStorageReader: { offset: (p) => offsetStore.get(connector, p) }, logger: taskLogger }));
    if (this.stopping) return;
    this.report(this.isPaused ? 'PAUSED' : 'RUNNING');
    this.deps.logger.info('source task started', { connector, task: this.id.task });
    // One write in flight while the next batch is polled and converted (Connect's producer also sends while the task
    // polls). Writes stay one at a time, so records keep their order and offsets are recorded in order.
    let writing: Promise<void> | undefined;
    try {
      while (!this.stopping) {
        if (this.isPaused && !(await this.waitWhilePaused())) break;
        const polledAt = performance.now();
        const records = await this.poll();
        if (this.stopping) break; // polled records without committed offsets are simply read again next time
        if (!records || records.length === 0) {
          if (writing) await writing;
          await new Promise((r) => setImmediate(r));
          continue;
        }
        const out = await this.deps.processor.toProducerRecords(records);
        this.deps.metrics?.recordPoll(records.length, performance.now() - polledAt);
        if (writing) await writing;
        if (!(await this.whileAssignmentInDoubt())) break; // stopped: the polled records are read again by the next owner
        writing = this.write(out, records, offsetStore, connector);
        writing.catch(() => undefined); // awaited before the next write or at the end; never an unhandled rejection
      }
    } finally {
      if (writing) await writing;
    }
  }

  /** Writes one batch, then records the offsets of every polled record (the plugin's commit() follows a flush). */
  private async write(out: Awaited<ReturnType<RecordProcessor['toProducerRecords']>>, records: NonNullable<Awaited<ReturnType<SourceTask['poll']>>>, offsetStore: SourceOffsetStore, connector: string): Promise<void> {
    if (out.length > 0) {
      const creation = this.deps.topicCreation;
      if (creation) await inStage('topic creation', () => creation.ensure(new Set(out.map((r) => r.topic))));
      await inStage('write to the log', () => this.deps.dataPlane.produce(out, { clientOverrides: this.deps.producerOverrides, signal: this.cancelled.signal, mayWrite: this.deps.assignmentValid }));
      this.deps.metrics?.recordWrite(out.length);
    }
    // Offsets of everything polled: records dropped by a transform or a tolerated error are done with too.
    for (const r of records) {
      if (!r.sourcePartition || !r.sourceOffset) continue;
      offsetStore.set(connector, r.sourcePartition, r.sourceOffset);
      this.recorded.set(partitionKey(r.sourcePartition), r.sourceOffset);
    }
  }

  /**
   * Holds the next write while this worker may no longer own the task (distributed mode: its group session may have
   * expired, e.g. after the process was frozen), so that it cannot land after the new owner's; the loss, when real, is
   * handled right after and stops the task. Returns false when the task is stopped meanwhile.
   */
  private async whileAssignmentInDoubt(): Promise<boolean> {
    const valid = this.deps.assignmentValid;
    if (!valid || valid()) return !this.stopping;
    this.deps.logger.warn('holding a write: this worker may no longer own the task (group session in doubt)', { connector: this.id.connector, task: this.id.task });
    while (!this.stopping && !valid()) await Promise.race([new Promise((r) => setTimeout(r, 100)), this.stopRequestedPromise]);
    return !this.stopping;
  }

  /** poll(), where a RetriableError means "nothing this time" (as in Connect), not a failure. */
  private async poll(): Promise<Awaited<ReturnType<SourceTask['poll']>>> {
    try {
      return await this.plugin.poll();
    } catch (e) {
      if (e instanceof RetriableError) {
        this.deps.logger.warn(`retriable error from poll: ${e.message}`, { connector: this.id.connector, task: this.id.task });
        await new Promise((r) => setTimeout(r, 100));
        return null;
      }
      return inStage('task poll', () => Promise.reject(e));
    }
  }
}

/** A source partition as a map key: its entries sorted by name, so that equal partitions give equal keys. */
export function partitionKey(partition: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(partition).sort().map((k) => [k, partition[k]]));
}
