/**
 * Runs a source task: poll → convert → write to the data plane → record the acknowledged source offsets.
 * Offsets enter the offset store only after the data plane acknowledged the records they cover (at-least-once).
 */
import type { Converter } from '../../converters/converter.js';
import type { SourceRecord } from '../../plugins/connect-data.js';
import type { SourceTask } from '../../plugins/plugin.js';
import type { DataPlane, ProducerRecord, RecordHeader } from '../data-plane/data-plane.js';
import type { FileOffsetStore } from '../storage/offset-store.js';
import type { ConnectorTaskId, TargetState } from '../../herder/types.js';
import { invoke, settleWithin } from './bounded.js';
import { inStage, WorkerTask } from './worker-task.js';
import type { TaskBaseDeps } from './worker-task.js';

export interface SourceTaskDeps extends TaskBaseDeps {
  dataPlane: DataPlane;
  offsetStore: FileOffsetStore;
  keyConverter: Converter;
  valueConverter: Converter;
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

  protected override onStopRequested(): void {
    // Like Connect, stop() is called while poll() may be pending, so that the plugin can cut its wait short.
    void settleWithin(invoke(() => this.plugin.stop()), this.deps.gracefulTimeoutMs);
  }

  protected async execute(): Promise<void> {
    const { connector } = this.id;
    const offsetStore = this.deps.offsetStore;
    await inStage('task start', () => this.plugin.start(this.taskConfig, { offsetStorageReader: { offset: (p) => offsetStore.get(connector, p) } }));
    if (this.stopping) return;
    this.report(this.isPaused ? 'PAUSED' : 'RUNNING');
    this.deps.logger.info('source task started', { connector, task: this.id.task });
    while (!this.stopping) {
      if (this.isPaused && !(await this.waitWhilePaused())) break;
      const records = await inStage('task poll', () => this.plugin.poll());
      if (this.stopping) break; // polled records without committed offsets are simply read again next time
      if (!records || records.length === 0) {
        await new Promise((r) => setImmediate(r));
        continue;
      }
      const batch = await this.convert(records);
      await inStage('write to the log', () => this.deps.dataPlane.produce(batch));
      for (const r of records) {
        if (r.sourcePartition && r.sourceOffset) offsetStore.set(connector, r.sourcePartition, r.sourceOffset);
      }
      if (this.plugin.commit) await inStage('offset commit', () => this.plugin.commit!());
    }
  }

  private async convert(records: readonly SourceRecord[]): Promise<ProducerRecord[]> {
    const out: ProducerRecord[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const key = r.key === null || r.key === undefined ? null : await inStage('key converter', () => this.deps.keyConverter.fromConnectData(r.topic, r.keySchema, r.key));
      const value = await inStage('value converter', () => this.deps.valueConverter.fromConnectData(r.topic, r.valueSchema, r.value));
      out[i] = {
        topic: r.topic,
        ...(r.kafkaPartition !== undefined && r.kafkaPartition !== null ? { partition: r.kafkaPartition } : {}),
        key,
        value,
        ...(r.headers && r.headers.length > 0 ? { headers: r.headers.map(headerBytes) } : {}),
        ...(r.timestamp !== undefined && r.timestamp !== null ? { timestamp: r.timestamp } : {}),
      };
    }
    return out;
  }
}

function headerBytes(h: { key: string; value: unknown }): RecordHeader {
  if (h.value === null || h.value === undefined) return { key: h.key, value: null };
  if (Buffer.isBuffer(h.value)) return { key: h.key, value: h.value };
  return { key: h.key, value: Buffer.from(typeof h.value === 'string' ? h.value : JSON.stringify(h.value)) };
}
