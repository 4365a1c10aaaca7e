/**
 * The per-record path of a task, between the plugin and the data plane: SMTs and converters, under the connector's
 * error handling. Sources: transform → convert key → convert value (→ bytes for the log). Sinks: convert key →
 * convert value → transform (→ SinkRecords for put()). A record dropped by a transform or a tolerated error is
 * skipped; an error that is not tolerated fails the task with the stage named.
 *
 * Converters and transforms are synchronous, so the fast path calls them directly; the tolerance operator is only
 * involved when one throws.
 */
import type { Converter, SchemaAndValue } from '../../plugins/converter.js';
import type { ConnectRecord, Header, SinkRecord, SourceRecord } from '../../plugins/connect-data.js';
import type { ProducerRecord, RecordHeader, StoredRecord } from '../data-plane/data-plane.js';
import { TOLERATED } from './error-handling.js';
import type { ErrantContext, ToleranceOperator } from './error-handling.js';
import { WorkerError } from './worker-error.js';
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
  /**
   * The record read from the log behind a record handed to put() (for the errant record reporter) is kept on the
   * record itself under this processor's own symbol, non-enumerable (invisible to spreads, comparisons and logs; a
   * record of another task is not found): a WeakMap entry per record cost about 1 µs of garbage collection each
   * (ephemerons).
   */
  private readonly originKey = Symbol('pipectl.origin');
  /** Origins of records that cannot carry the symbol (a transform returned a frozen or sealed object); looked up first. */
  private readonly origins = new WeakMap<SinkRecord, StoredRecord>();

  /**
   * Whether records handed to put() keep their origin for the errant record reporter: only with errors.tolerance=all,
   * where a report lets the task go on. With `none` a report could only fail the task, so the worker gives sinks no
   * reporter (they fail by themselves, and the task error metrics do not count that record, as in Connect without a
   * DLQ or error log) and records carry nothing — neither this link nor, in the sink, the record
   * kept until its write commits (40–80 MiB less peak RSS in the Postgres sink's bench).
   */
  readonly reportsErrant: boolean;

  constructor(private readonly d: RecordProcessorDeps) {
    this.reportsErrant = d.tolerance.config.tolerance === 'all';
  }

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
    const { keyConverter, valueConverter, transformer } = this.d;
    const batch: SinkRecord[] = [];
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      // Each stage is called directly (no closure, no context object per record); recover() makes them on a throw.
      let key: SchemaAndValue | typeof TOLERATED | Promise<SchemaAndValue | typeof TOLERATED>;
      try {
        key = keyConverter.toConnectData(r.topic, r.key);
      } catch (e) {
        key = this.recover('key converter', this.d.keyConverterClass, r, e, () => keyConverter.toConnectData(r.topic, r.key));
      }
      if (key instanceof Promise) key = await key;
      if (key === TOLERATED) continue;
      let value: SchemaAndValue | typeof TOLERATED | Promise<SchemaAndValue | typeof TOLERATED>;
      try {
        value = valueConverter.toConnectData(r.topic, r.value);
      } catch (e) {
        value = this.recover('value converter', this.d.valueConverterClass, r, e, () => valueConverter.toConnectData(r.topic, r.value));
      }
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
        headers: r.headers.length === 0 ? [] : r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : h.value.toString('utf8') })),
      };
      let t: SinkRecord | null | typeof TOLERATED | Promise<SinkRecord | null | typeof TOLERATED>;
      try {
        t = transformer.apply(record);
      } catch (e) {
        t = this.recover('transformation', '', r, e, () => transformer.apply(record));
      }
      if (t instanceof Promise) t = await t;
      if (t === TOLERATED || t === null) continue;
      if (this.reportsErrant) this.rememberOrigin(t, r);
      batch.push(t);
    }
    return batch;
  }

  private rememberOrigin(record: SinkRecord, origin: StoredRecord): void {
    try {
      Object.defineProperty(record, this.originKey, { value: origin, configurable: true });
    } catch {
      this.origins.set(record, origin);
    }
  }

  /**
   * A stage that threw, through the tolerance operator (retry, tolerate or fail). The sink path calls it from its own
   * catch, so that the context object is made only on a throw; step() for the source path.
   */
  private recover<T>(stage: ErrantContext['stage'], className: string, consumed: StoredRecord | undefined, e: unknown, op: () => T): Promise<T | typeof TOLERATED> {
    const ctx: ErrantContext = { stage, className: stage === 'transformation' ? this.d.transformer.classOf(e) : className, ...(consumed ? { consumed } : {}) };
    return this.d.tolerance.recover(ctx, e, op);
  }

  /**
   * Reports a record that put() could not take (the sink's errant record reporter), as read from the log; rejects with
   * a StageError when errors.tolerance=none. A record this processor did not make is refused as a plugin bug.
   */
  async reportErrant(record: SinkRecord, error: Error, taskClass: string): Promise<void> {
    // errors.tolerance=none: the report fails the task, whatever the record (which carries no origin then).
    if (!this.reportsErrant) return this.d.tolerance.reportFailed({ stage: 'task put', className: taskClass }, error);
    // The WeakMap first: a frozen record handed out again keeps its first symbol, and its entry there is the latest.
    const consumed = this.origins.get(record) ?? (Object.getOwnPropertyDescriptor(record, this.originKey)?.value as StoredRecord | undefined);
    if (consumed === undefined) throw new StageError('task put', new WorkerError('PIPECTL_WORKER_ERRANT_UNKNOWN_RECORD', 'reportErrant() was given a record that was not handed to put() by this task'));
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
      return this.recover(ctx.stage, ctx.className, ctx.consumed, e, op);
    }
  }
}

const LOGICAL_DATE = 'org.apache.kafka.connect.data.Date';
const LOGICAL_TIME = 'org.apache.kafka.connect.data.Time';

/**
 * A header's bytes: text as it is, other values as JSON. As Connect's SimpleHeaderConverter writes them: an int64 beyond
 * 2^53 (a bigint, e.g. Debezium's `ts_ns` copied by ExtractNewRecordState's add.headers) as its digits, a logical Date,
 * Time or Timestamp (a JS Date) as ISO-8601 text (`2024-01-02`, `03:04:05.006Z`, `2024-01-02T03:04:05.006Z`).
 */
export function headerBytes(h: Header): RecordHeader {
  const v = h.value;
  if (v === null || v === undefined) return { key: h.key, value: null };
  if (Buffer.isBuffer(v)) return { key: h.key, value: v };
  if (typeof v === 'string') return { key: h.key, value: Buffer.from(v) };
  if (v instanceof Date) {
    const iso = v.toISOString();
    const name = h.schema?.name;
    return { key: h.key, value: Buffer.from(name === LOGICAL_DATE ? iso.slice(0, 10) : name === LOGICAL_TIME ? iso.slice(11) : iso) };
  }
  if (typeof v === 'bigint') return { key: h.key, value: Buffer.from(v.toString()) };
  // (A bigint inside a list or map is written as a number when exact, else as a string: JSON.stringify refuses them.)
  return { key: h.key, value: Buffer.from(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? (Number.isSafeInteger(Number(x)) ? Number(x) : x.toString()) : x))) };
}
