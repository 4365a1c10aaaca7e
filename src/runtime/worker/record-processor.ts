/**
 * The per-record path of a task, between the plugin and the data plane: SMTs and converters, under the connector's
 * error handling. Sources: transform → convert key → convert value (→ bytes for the log). Sinks: convert key →
 * convert value → transform (→ SinkRecords for put()). A record dropped by a transform or a tolerated error is
 * skipped; an error that is not tolerated fails the task with the stage named.
 *
 * Converters and transforms are synchronous, so the fast path calls them directly; the tolerance operator is only
 * involved when one throws.
 */
import type { Converter } from '../../plugins/converter.js';
import type { ConnectRecord, SinkRecord, SourceRecord } from '../../plugins/connect-data.js';
import { PluginError } from '../../plugins/plugin-error.js';
import type { ProducerRecord, RecordHeader, StoredRecord } from '../data-plane/data-plane.js';
import { TOLERATED } from './error-handling.js';
import type { ErrantContext, ToleranceOperator } from './error-handling.js';
import { StageError } from './worker-task.js';

/** The transformation chain as the worker uses it (built from the connector config by the composition root). */
export interface RecordTransformer {
  apply<R extends ConnectRecord>(record: R): R | null;
  /** The class of the stage that threw `error`, for reports (e.g. the SMT's class for a transform alias). */
  classOf(error: unknown): string;
  close(): void;
}

export const NO_TRANSFORMS: RecordTransformer = { apply: (r) => r, classOf: () => 'none', close: () => undefined };

export interface RecordProcessorDeps {
  keyConverter: Converter;
  valueConverter: Converter;
  /** Class names of the converters, for error reports. */
  keyConverterClass: string;
  valueConverterClass: string;
  transformer: RecordTransformer;
  tolerance: ToleranceOperator;
}

export class RecordProcessor {
  /** The record read from the log behind each record handed to put() (for the errant record reporter). */
  private readonly origins = new WeakMap<SinkRecord, StoredRecord>();

  constructor(private readonly d: RecordProcessorDeps) {}

  /** Source side: the records to produce (possibly fewer than polled). */
  async toProducerRecords(records: readonly SourceRecord[]): Promise<ProducerRecord[]> {
    const out: ProducerRecord[] = [];
    for (const original of records) {
      let r = this.step({ stage: 'transformation', className: '' }, () => this.d.transformer.apply(original));
      if (r instanceof Promise) r = await r;
      if (r === TOLERATED || r === null) continue;
      let key = r.key === null || r.key === undefined ? null : this.step({ stage: 'key converter', className: this.d.keyConverterClass }, () => this.d.keyConverter.fromConnectData(r.topic, r.keySchema, r.key));
      if (key instanceof Promise) key = await key;
      if (key === TOLERATED) continue;
      let value = this.step({ stage: 'value converter', className: this.d.valueConverterClass }, () => this.d.valueConverter.fromConnectData(r.topic, r.valueSchema, r.value));
      if (value instanceof Promise) value = await value;
      if (value === TOLERATED) continue;
      out.push({
        topic: r.topic,
        ...(r.kafkaPartition !== undefined && r.kafkaPartition !== null ? { partition: r.kafkaPartition } : {}),
        key,
        value,
        ...(r.headers && r.headers.length > 0 ? { headers: r.headers.map(headerBytes) } : {}),
        ...(r.timestamp !== undefined && r.timestamp !== null ? { timestamp: r.timestamp } : {}),
      });
    }
    return out;
  }

  /** Sink side: the records to put() (possibly fewer than read). */
  async toSinkRecords(records: readonly StoredRecord[]): Promise<SinkRecord[]> {
    const batch: SinkRecord[] = [];
    for (const r of records) {
      let key = this.step({ stage: 'key converter', className: this.d.keyConverterClass, consumed: r }, () => this.d.keyConverter.toConnectData(r.topic, r.key));
      if (key instanceof Promise) key = await key;
      if (key === TOLERATED) continue;
      let value = this.step({ stage: 'value converter', className: this.d.valueConverterClass, consumed: r }, () => this.d.valueConverter.toConnectData(r.topic, r.value));
      if (value instanceof Promise) value = await value;
      if (value === TOLERATED) continue;
      const record: SinkRecord = {
        topic: r.topic,
        kafkaPartition: r.partition,
        kafkaOffset: r.offset,
        keySchema: key.schema,
        key: key.value,
        valueSchema: value.schema,
        value: value.value,
        timestamp: r.timestamp,
        headers: r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : h.value.toString('utf8') })),
      };
      let t = this.step({ stage: 'transformation', className: '', consumed: r }, () => this.d.transformer.apply(record));
      if (t instanceof Promise) t = await t;
      if (t === TOLERATED || t === null) continue;
      this.origins.set(t, r);
      batch.push(t);
    }
    return batch;
  }

  /**
   * Reports a record that put() could not take (the sink's errant record reporter), as read from the log; rejects with
   * a StageError when errors.tolerance=none. A record this processor did not make is refused as a plugin bug.
   */
  async reportErrant(record: SinkRecord, error: Error, taskClass: string): Promise<void> {
    const consumed = this.origins.get(record);
    if (consumed === undefined) throw new StageError('task put', new PluginError('PIPECTL_PLUGIN_FAILED', 'reportErrant() was given a record that was not handed to put() by this task'));
    await this.d.tolerance.reportFailed({ stage: 'task put', className: taskClass, consumed }, error);
  }

  close(): void {
    this.d.transformer.close();
  }

  /**
   * Calls a synchronous stage directly; only a throw goes through the tolerance operator (retry/tolerate/fail), which
   * returns a promise. Callers await only in that case: an `await` per record per stage shows at 1M records/s.
   */
  private step<T>(ctx: ErrantContext, op: () => T): T | typeof TOLERATED | Promise<T | typeof TOLERATED> {
    try {
      return op();
    } catch (e) {
      const className = ctx.stage === 'transformation' ? this.d.transformer.classOf(e) : ctx.className;
      return this.d.tolerance.recover({ ...ctx, className }, e, op);
    }
  }
}

function headerBytes(h: { key: string; value: unknown }): RecordHeader {
  if (h.value === null || h.value === undefined) return { key: h.key, value: null };
  if (Buffer.isBuffer(h.value)) return { key: h.key, value: h.value };
  return { key: h.key, value: Buffer.from(typeof h.value === 'string' ? h.value : JSON.stringify(h.value)) };
}
