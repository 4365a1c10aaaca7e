/**
 * The records a Kafka group member has fetched but poll() has not returned yet, per owned partition, with the
 * member's own position of each partition (the offset after the last record returned, or a seek target). Pure state;
 * KafkaConsumer drives it from kafkajs's callbacks and from poll(). Not thread-safe, nor needs to be (one event loop).
 */
import type { StoredRecord, TopicPartition } from '../data-plane/data-plane.js';

interface PartitionState {
  topic: string;
  partition: number;
  queue: StoredRecord[];
  /** Index of the next record of `queue` to return (records before it are taken). */
  head: number;
  /** Offset after the last record returned by take(), or the seek target; undefined until then. */
  position: number | undefined;
  /** Records below this offset were already buffered or returned: a fetch that repeats them is trimmed. */
  fetchedUpTo: number | undefined;
  /** take() returned records of it, or it was sought, since this member got it: its offsets may be committed. */
  delivered: boolean;
}

const key = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;

export class PartitionBuffers {
  private parts = new Map<string, PartitionState>();
  private total = 0;
  private rotation = 0;
  private readonly totalCap: number;

  /** `perPartition`: buffered records of one partition at which it is full (all together: four times that). */
  constructor(private readonly perPartition: number) {
    this.totalCap = perPartition * 4;
  }

  owned(): TopicPartition[] {
    return [...this.parts.values()].map((p) => ({ topic: p.topic, partition: p.partition }));
  }

  /**
   * A new assignment (after a join): partitions kept keep their position — they are returned as seeks, so that the
   * fetch resumes exactly after what was returned — and new ones start at the group's committed offset. Every buffer
   * is dropped.
   */
  assign(assignment: readonly TopicPartition[]): (TopicPartition & { offset: number })[] {
    const next = new Map<string, PartitionState>();
    const seeks: (TopicPartition & { offset: number })[] = [];
    for (const tp of assignment) {
      const kept = this.parts.get(key(tp));
      const state: PartitionState = { topic: tp.topic, partition: tp.partition, queue: [], head: 0, position: kept?.position, fetchedUpTo: kept?.position, delivered: kept?.delivered ?? false };
      if (state.position !== undefined) seeks.push({ topic: tp.topic, partition: tp.partition, offset: state.position });
      next.set(key(tp), state);
    }
    this.parts = next;
    this.total = 0;
    return seeks;
  }

  /** Drops every buffered record (a rebalance started, or the client restarts); positions stay. */
  clear(): void {
    for (const p of this.parts.values()) {
      p.queue = [];
      p.head = 0;
      p.fetchedUpTo = p.position;
    }
    this.total = 0;
  }

  /**
   * Buffers a fetched batch of an owned partition, leaving out records below what was already fetched. Returns how
   * many records were added, or undefined when the partition is not owned (the batch must be ignored).
   */
  add(batch: { topic: string; partition: number; records: readonly StoredRecord[]; lastOffset: number }): number | undefined {
    const p = this.parts.get(key(batch));
    if (!p) return undefined;
    let added = 0;
    for (const r of batch.records) {
      if (p.fetchedUpTo !== undefined && r.offset < p.fetchedUpTo) continue;
      p.queue.push(r);
      p.fetchedUpTo = r.offset + 1;
      added++;
    }
    if (p.fetchedUpTo === undefined || batch.lastOffset + 1 > p.fetchedUpTo) p.fetchedUpTo = batch.lastOffset + 1;
    this.total += added;
    return added;
  }

  /** Whether the partition's buffer, or all buffers together, are full: fetching must wait until poll() drains them. */
  isFull(tp: TopicPartition): boolean {
    const p = this.parts.get(key(tp));
    if (!p) return false;
    return p.queue.length - p.head >= this.perPartition || this.total >= this.totalCap;
  }

  /** Up to `max` records, starting with a different partition each call; advances positions. */
  take(max: number): StoredRecord[] {
    const out: StoredRecord[] = [];
    const parts = [...this.parts.values()];
    const start = this.rotation++;
    for (let i = 0; i < parts.length && out.length < max; i++) {
      const p = parts[(start + i) % parts.length]!;
      const n = Math.min(p.queue.length - p.head, max - out.length);
      if (n <= 0) continue;
      for (let j = 0; j < n; j++) out.push(p.queue[p.head + j]!);
      p.head += n;
      p.position = out[out.length - 1]!.offset + 1;
      p.delivered = true;
      if (p.head === p.queue.length) {
        p.queue = [];
        p.head = 0;
      } else if (p.head > 1024 && p.head * 2 > p.queue.length) {
        p.queue = p.queue.slice(p.head);
        p.head = 0;
      }
    }
    this.total -= out.length;
    return out;
  }

  /** Sets an owned partition's position and drops its buffer; false when the partition is not owned. */
  seek(tp: TopicPartition, offset: number): boolean {
    const p = this.parts.get(key(tp));
    if (!p) return false;
    this.total -= p.queue.length - p.head;
    p.queue = [];
    p.head = 0;
    p.position = offset;
    p.fetchedUpTo = offset;
    p.delivered = true;
    return true;
  }

  /** Whether an offset of this partition may be committed by this member now. */
  committable(tp: TopicPartition): boolean {
    return this.parts.get(key(tp))?.delivered ?? false;
  }
}
