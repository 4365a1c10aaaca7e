/**
 * A consumer of the embedded log: a group member that reads its partitions from their positions. poll() sleeps on an
 * in-process signal — partition appends, rebalances, seeks and close wake it — so it returns as soon as records
 * arrive and never busy-polls.
 */
import type { GroupCoordinator, GroupMember, OffsetReset } from './group-coordinator.js';
import { partitionKey } from './group-coordinator.js';
import { DataPlaneError } from '../data-plane/data-plane-error.js';
import type { PartitionLog } from './partition-log.js';
import type { CommittedOffset } from './offset-store.js';
import type { Consumer, ConsumerOptions, StoredRecord, TopicPartition } from '../data-plane/data-plane.js';
import { offsetList, WakeableSleep } from '../data-plane/data-plane-support.js';

/** What a consumer needs from the log that created it. */
export interface ConsumerHost {
  coordinator: GroupCoordinator;
  /** The log of a partition; undefined if the topic or partition does not exist. */
  partitionLog(topic: string, partition: number): PartitionLog | undefined;
  /** Called once when the consumer closes. */
  closed(consumer: EmbeddedConsumer): void;
  /** Told whenever a position outside the log is moved (see resetIfOutOfRange). */
  offsetReset?(reset: OffsetReset): void;
}

interface OwnedPartition {
  topic: string;
  partition: number;
  key: string;
  log: PartitionLog;
  /** Offset of the next record to return. */
  position: number;
  unsubscribe: () => void;
}

/** Accepts a whole-name match only, like Java's Pattern.matches() behind Connect's `topics.regex`. */
function topicMatcher(options: ConsumerOptions): (topic: string) => boolean {
  const sub = options.subscription;
  if ('topics' in sub) {
    const names = new Set(sub.topics);
    return (topic) => names.has(topic);
  }
  const whole = new RegExp(`^(?:${sub.pattern.source})$`, sub.pattern.flags.replace(/[gy]/g, ''));
  return (topic) => whole.test(topic);
}

export class EmbeddedConsumer implements Consumer, GroupMember {
  readonly clientId: string;
  readonly groupId: string;
  private readonly reset: 'earliest' | 'latest';
  private readonly matches: (topic: string) => boolean;
  private owned: OwnedPartition[] = [];
  private rotation = 0;
  private readonly sleeper = new WakeableSleep();
  private polling = false;
  private closing: Promise<void> | undefined;

  constructor(
    options: ConsumerOptions,
    private readonly host: ConsumerHost,
  ) {
    this.clientId = options.clientId;
    this.groupId = options.groupId;
    this.reset = options.autoOffsetReset ?? 'earliest';
    this.matches = topicMatcher(options);
  }

  subscribes(topic: string): boolean {
    return this.matches(topic);
  }

  /** Called by the coordinator: keeps positions of partitions it still owns, starts new ones at the committed offset. */
  assign(partitions: readonly TopicPartition[]): void {
    const previous = new Map(this.owned.map((p) => [p.key, p]));
    const next: OwnedPartition[] = [];
    for (const tp of partitions) {
      const key = partitionKey(tp.topic, tp.partition);
      const kept = previous.get(key);
      if (kept) {
        previous.delete(key);
        next.push(kept);
        continue;
      }
      const log = this.host.partitionLog(tp.topic, tp.partition);
      if (!log) continue;
      const committed = this.host.coordinator.committedOffset(this.groupId, tp.topic, tp.partition);
      const position = committed ?? (this.reset === 'earliest' ? log.startOffset : log.endOffset);
      next.push({ ...tp, key, log, position, unsubscribe: log.onAppend(() => this.wakeUp()) });
    }
    for (const revoked of previous.values()) revoked.unsubscribe();
    this.owned = next;
    this.wakeUp();
  }

  assignment(): TopicPartition[] {
    return this.owned.map((p) => ({ topic: p.topic, partition: p.partition }));
  }

  endOffsets(): (TopicPartition & { endOffset: number })[] {
    return this.owned.map((p) => ({ topic: p.topic, partition: p.partition, endOffset: p.log.endOffset }));
  }

  /**
   * Returns up to `maxRecords` records from the owned partitions (taking turns between partitions across polls), or
   * waits up to `timeoutMs` for some. Resolves [] on timeout or when closed meanwhile. Throws DataPlaneError for a closed
   * consumer (PIPECTL_LOG_CLOSED), bad arguments (PIPECTL_LOG_INVALID_ARGUMENT) or a concurrent poll
   * (PIPECTL_LOG_POLL_IN_PROGRESS).
   */
  async poll(maxRecords: number, timeoutMs: number): Promise<StoredRecord[]> {
    if (this.closing) throw new DataPlaneError('PIPECTL_LOG_CLOSED', `consumer "${this.clientId}" is closed`);
    if (!Number.isSafeInteger(maxRecords) || maxRecords < 1 || !(timeoutMs >= 0)) {
      throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `poll(${maxRecords}, ${timeoutMs}): maxRecords must be ≥ 1 and timeoutMs ≥ 0`);
    }
    if (this.polling) throw new DataPlaneError('PIPECTL_LOG_POLL_IN_PROGRESS', `consumer "${this.clientId}" is already polling`);
    this.polling = true;
    try {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const records = await this.fetch(maxRecords);
        if (records.length > 0 || this.closing) return records;
        const remaining = deadline - performance.now();
        if (remaining <= 0) return [];
        if (!this.hasNewData()) await this.sleep(remaining);
      }
    } finally {
      this.polling = false;
    }
  }

  private async fetch(maxRecords: number): Promise<StoredRecord[]> {
    const out: StoredRecord[] = [];
    const owned = this.owned;
    const start = this.rotation++;
    for (let i = 0; i < owned.length && out.length < maxRecords; i++) {
      const p = owned[(start + i) % owned.length]!;
      if (this.owned !== owned && !this.owned.includes(p)) continue; // revoked during this fetch
      this.resetIfOutOfRange(p);
      const from = p.position;
      if (from >= p.log.endOffset) continue;
      let records: StoredRecord[];
      try {
        records = await p.log.read(from, maxRecords - out.length);
      } catch (err) {
        if (err instanceof DataPlaneError && err.code === 'PIPECTL_LOG_OFFSET_OUT_OF_RANGE') continue; // reset next time
        throw err;
      }
      if (p.position !== from || (this.owned !== owned && !this.owned.includes(p))) continue; // seeked or revoked
      if (records.length === 0) continue;
      p.position = records[records.length - 1]!.offset + 1;
      for (const r of records) out.push(r);
    }
    return out;
  }

  /**
   * A position outside [start, end]. Before the start (retention): Kafka's auto.offset.reset. Past the end: the log
   * lost its tail (or an offset was altered beyond it), so the offsets in between will be reused by new records; like
   * a Kafka consumer that detects a truncation (KIP-320), resume at the log end — earliest would replay the whole
   * partition, and keeping the position would skip the next records.
   */
  private resetIfOutOfRange(p: OwnedPartition): void {
    const { startOffset, endOffset } = p.log;
    if (p.position >= startOffset && p.position <= endOffset) return;
    const pastEnd = p.position > endOffset;
    const to = pastEnd || this.reset === 'latest' ? endOffset : startOffset;
    const reason = pastEnd ? 'past-log-end' : 'before-log-start';
    this.host.offsetReset?.({ groupId: this.groupId, topic: p.topic, partition: p.partition, from: p.position, to, reason, at: 'fetch' });
    p.position = to;
  }

  private hasNewData(): boolean {
    return this.owned.some((p) => p.position !== p.log.endOffset);
  }

  private sleep(ms: number): Promise<void> {
    return this.sleeper.sleep(ms);
  }

  private wakeUp(): void {
    this.sleeper.wake();
  }

  /**
   * Commits offsets (next offset to read) of owned partitions; durable when it resolves. A Map is keyed by
   * `topic-partition` (the partition is the part after the last '-'). Throws DataPlaneError(PIPECTL_LOG_NOT_OWNER),
   * committing nothing, if any partition is not owned.
   */
  async commit(offsets: ReadonlyMap<string, number> | readonly (TopicPartition & { offset: number })[]): Promise<void> {
    if (this.closing) throw new DataPlaneError('PIPECTL_LOG_CLOSED', `consumer "${this.clientId}" is closed`);
    const list: CommittedOffset[] = offsetList(offsets);
    await this.host.coordinator.commit(this.groupId, this, list);
  }

  /** Moves the position of an owned partition. Throws DataPlaneError(PIPECTL_LOG_NOT_OWNER) otherwise. */
  seek(tp: TopicPartition, offset: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `seek offset ${offset} must be a non-negative integer`);
    }
    const p = this.owned.find((o) => o.topic === tp.topic && o.partition === tp.partition);
    if (!p) throw new DataPlaneError('PIPECTL_LOG_NOT_OWNER', `consumer "${this.clientId}" does not own ${partitionKey(tp.topic, tp.partition)}`);
    p.position = offset;
    this.wakeUp();
  }

  /** Leaves the group (its partitions go to the others) and ends a pending poll with []. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.host.coordinator.leave(this.groupId, this);
      for (const p of this.owned) p.unsubscribe();
      this.owned = [];
      this.wakeUp();
      this.host.closed(this);
    })();
    return this.closing;
  }
}
