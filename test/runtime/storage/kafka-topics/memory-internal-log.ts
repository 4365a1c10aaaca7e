/**
 * The in-memory twin of InternalLog (a test helper, not a test file): a MemoryTopic is one shared "topic" that several
 * MemoryInternalLog instances attach to, so a test can play several workers writing and reading the same internal
 * topic. Records get offsets per partition; a keyed record without a partition goes where Kafka's default partitioner
 * would put it (murmur2 of the key).
 *
 * Delivery is deterministic by default: a log passes records to onRecord in start(), readToEnd() and poll() only.
 * With `{ background: true }` it also delivers on its own shortly after each append (like a consumer thread).
 * Faults: `beforeSend`/`beforeRead` hooks may throw (a failed write or read) or return a promise that stays pending
 * (an ack or a fetch that never comes).
 */
import type { InternalLog, InternalLogRecord, InternalLogWrite } from '../../../../src/runtime/storage/kafka-topics/internal-log.js';
import { partitionForKey } from '../../../../src/runtime/log/partitioner.js';

export class MemoryTopic {
  /** Records of each partition, in offset order (offsets may have gaps after compact()/remove()). */
  readonly partitions: InternalLogRecord[][];
  private readonly next: number[];
  private readonly logs = new Set<MemoryInternalLog>();
  private roundRobin = 0;

  constructor(partitionCount = 1) {
    this.partitions = Array.from({ length: partitionCount }, () => []);
    this.next = Array.from({ length: partitionCount }, () => 0);
  }

  /** Appends the records as one batch, in order; returns them with their partition and offset. */
  append(records: readonly InternalLogWrite[]): InternalLogRecord[] {
    const stored = records.map((r) => {
      const partition = r.partition ?? (r.key ? partitionForKey(r.key, this.partitions.length) : this.roundRobin++ % this.partitions.length);
      if (!Number.isInteger(partition) || partition < 0 || partition >= this.partitions.length) throw new Error(`no partition ${partition}`);
      const record: InternalLogRecord = { partition, offset: this.next[partition]!++, key: r.key, value: r.value };
      this.partitions[partition]!.push(record);
      return record;
    });
    for (const log of this.logs) log.appended();
    return stored;
  }

  /** The next offset of each partition (Kafka's end offsets). */
  endOffsets(): number[] {
    return [...this.next];
  }

  /** Every record, partition by partition, in offset order. */
  records(): InternalLogRecord[] {
    return this.partitions.flat();
  }

  /** Keys and UTF-8 values of every record, for asserting on the exact bytes written. */
  dump(): { partition: number; key: string | null; value: string | null }[] {
    return this.records().map((r) => ({ partition: r.partition, key: r.key?.toString('utf8') ?? null, value: r.value?.toString('utf8') ?? null }));
  }

  /** What log compaction converges to: only the latest record of each key stays (null keys all stay). */
  compact(options: { dropTombstones?: boolean } = {}): void {
    for (const records of this.partitions) {
      const latest = new Map<string, number>();
      for (const r of records) if (r.key) latest.set(r.key.toString('latin1'), r.offset);
      const kept = records.filter((r) => !r.key || (latest.get(r.key.toString('latin1')) === r.offset && !(options.dropTombstones && r.value === null)));
      records.splice(0, records.length, ...kept);
    }
  }

  /** Removes the records `drop` selects (partial compaction, lost writes). */
  remove(drop: (r: InternalLogRecord) => boolean): void {
    for (const records of this.partitions) records.splice(0, records.length, ...records.filter((r) => !drop(r)));
  }

  attach(log: MemoryInternalLog): void {
    this.logs.add(log);
  }

  detach(log: MemoryInternalLog): void {
    this.logs.delete(log);
  }
}

export class MemoryInternalLog implements InternalLog {
  /** Runs before each send is appended: throw to fail it, or return a promise to delay the ack. */
  beforeSend: ((records: readonly InternalLogWrite[]) => Promise<void> | void) | undefined;
  /** Runs at each readToEnd before records are delivered: throw to fail it, or delay it. */
  beforeRead: (() => Promise<void> | void) | undefined;
  /** Every batch sent through this log, in order. */
  readonly sent: InternalLogWrite[][] = [];
  private onRecord: ((r: InternalLogRecord) => void) | undefined;
  private position: number[];
  private state: 'new' | 'started' | 'stopped' = 'new';
  private scheduled = false;

  constructor(
    readonly topic: MemoryTopic,
    private readonly options: { background?: boolean } = {},
  ) {
    this.position = topic.partitions.map(() => 0);
  }

  async start(onRecord: (record: InternalLogRecord) => void): Promise<void> {
    if (this.state !== 'new') throw new Error(`MemoryInternalLog.start: already ${this.state}`);
    this.onRecord = onRecord;
    this.state = 'started';
    this.topic.attach(this);
    this.deliver(this.topic.endOffsets());
  }

  async send(records: readonly InternalLogWrite[]): Promise<void> {
    if (this.state !== 'started') throw new Error(`MemoryInternalLog.send: the log is ${this.state}`);
    this.sent.push([...records]);
    await this.beforeSend?.(records);
    this.topic.append(records);
  }

  async readToEnd(): Promise<void> {
    if (this.state !== 'started') throw new Error(`MemoryInternalLog.readToEnd: the log is ${this.state}`);
    const ends = this.topic.endOffsets();
    await this.beforeRead?.();
    this.deliver(ends);
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    this.topic.detach(this);
  }

  /** Delivers everything up to the current end now (what a background consumer does eventually). */
  poll(): void {
    if (this.state === 'started') this.deliver(this.topic.endOffsets());
  }

  /** Called by the topic after an append. */
  appended(): void {
    if (!this.options.background || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.poll();
    });
  }

  private deliver(ends: readonly number[]): void {
    this.topic.partitions.forEach((records, p) => {
      const end = ends[p] ?? 0;
      for (const r of records) {
        if (this.state !== 'started') return;
        if (r.offset < (this.position[p] ?? 0) || r.offset >= end) continue;
        this.position[p] = r.offset + 1;
        this.onRecord!(r);
      }
      if ((this.position[p] ?? 0) < end) this.position[p] = end; // gaps left by compaction
    });
  }
}
