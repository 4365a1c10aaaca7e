/**
 * Cuts the records handed to put() into request bodies, per topic partition: at most `maxRecords` records and
 * `maxBytes` bytes of JSON, and never across a multiple of `maxRecords` in offsets (the "grid"). Cutting on offsets
 * rather than on arrival makes the batches delivered again after a crash (from the last committed offset) the same
 * batches, with the same Idempotency-Key, except the last one cut early by a linger or a flush. Pure: no I/O, no clock
 * (times are passed in).
 */
import { createHash } from 'node:crypto';
import type { SinkRecord } from '../../plugins/connect-data.js';
import { recordJson } from './record-json.js';

/** One request's worth of records from one topic partition, in offset order. */
export interface Batch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly SinkRecord[];
  /** Each record's JSON element, same order. */
  readonly parts: readonly string[];
  /** The request body: a JSON array of the elements. */
  readonly body: Buffer;
  /**
   * `<connector>:<topic>:<partition>:<first offset>-<last offset>:<16 hex of the body's SHA-256>`, the Idempotency-Key
   * header. The same records sent again carry the same key; other records at the same offsets (a topic deleted and
   * made again, offsets reset, another SMT) another one, so an endpoint that drops known keys does not drop them.
   */
  readonly key: string;
}

/** The request body of a batch: a JSON array of its elements. */
export function batchBody(batch: Batch): Buffer {
  return batch.body;
}

/** A batch of some of `parent`'s records (a half, when looking for a refused record). */
export function subBatch(parent: Batch, from: number, to: number, connector: string): Batch {
  return makeBatch(connector, parent.topic, parent.partition, parent.records.slice(from, to), parent.parts.slice(from, to));
}

function makeBatch(connector: string, topic: string, partition: number, records: readonly SinkRecord[], parts: readonly string[]): Batch {
  const first = records[0]!.kafkaOffset;
  const last = records[records.length - 1]!.kafkaOffset;
  const body = Buffer.from(`[${parts.join(',')}]`, 'utf8');
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { topic, partition, records, parts, body, key: `${encodeURIComponent(connector)}:${topic}:${partition}:${first}-${last}:${digest}` };
}

interface Open {
  records: SinkRecord[];
  parts: string[];
  /** Body bytes so far: brackets and commas included. */
  bytes: number;
  cell: number;
  /** When its first record arrived (ms). */
  since: number;
}

export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
  includeMetadata: boolean;
}

export class BatchBuffer {
  private readonly open = new Map<string, Open>();

  constructor(
    private readonly connector: string,
    private readonly limits: BatchLimits,
  ) {}

  /** Adds records; returns the batches that are complete (full, at a grid line, or at the byte limit). */
  add(records: readonly SinkRecord[], nowMs: number): Batch[] {
    const ready: Batch[] = [];
    const { maxRecords, maxBytes, includeMetadata } = this.limits;
    for (const r of records) {
      const id = `${r.topic}\u0000${r.kafkaPartition}`;
      const part = recordJson(r, includeMetadata);
      const size = Buffer.byteLength(part, 'utf8');
      const cell = Math.floor(r.kafkaOffset / maxRecords);
      let o = this.open.get(id);
      if (o && (o.cell !== cell || o.bytes + 1 + size > maxBytes || o.records.length >= maxRecords)) {
        ready.push(this.close(id, o));
        o = undefined;
      }
      if (!o) {
        o = { records: [], parts: [], bytes: 1, cell, since: nowMs };
        this.open.set(id, o);
      }
      o.records.push(r);
      o.parts.push(part);
      o.bytes += size + 1; // the element and the comma or closing bracket after it
      if (r.kafkaOffset % maxRecords === maxRecords - 1 || o.records.length >= maxRecords) ready.push(this.close(id, o));
    }
    return ready;
  }

  /** Closes the open batches whose first record arrived at or before `olderThanMs` (all of them by default). */
  drain(olderThanMs = Number.POSITIVE_INFINITY): Batch[] {
    const out: Batch[] = [];
    for (const [id, o] of this.open) if (o.since <= olderThanMs) out.push(this.close(id, o));
    return out;
  }

  /** When the oldest open batch started (ms), or undefined when nothing is buffered. */
  oldest(): number | undefined {
    let min: number | undefined;
    for (const o of this.open.values()) if (min === undefined || o.since < min) min = o.since;
    return min;
  }

  /** Records buffered, not yet in a batch handed out. */
  get size(): number {
    let n = 0;
    for (const o of this.open.values()) n += o.records.length;
    return n;
  }

  /** Forgets what is buffered (the partitions were revoked, or the task stops without flushing). */
  clear(): void {
    this.open.clear();
  }

  private close(id: string, o: Open): Batch {
    this.open.delete(id);
    const first = o.records[0]!;
    return makeBatch(this.connector, first.topic, first.kafkaPartition, o.records, o.parts);
  }
}
