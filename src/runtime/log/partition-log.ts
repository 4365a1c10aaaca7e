/**
 * The log of one partition: an ordered list of segments (the last one active), contiguous offsets from the log start
 * to the log end, group-committed appends and reads by offset.
 *
 * Appends are queued and written by one drain loop, so concurrent produce calls to a partition share a writev(2) (and,
 * with fsync=always, an fdatasync). Records become visible to readers (`endOffset`) once written — for 'always', once
 * synced — and listeners registered with onAppend() are called then.
 */
import { fsyncDirectory } from '../storage/files/atomic-file.js';
import { DataPlaneError } from '../data-plane/data-plane-error.js';
import { BATCH_HEADER_SIZE, decodeRecords, sealBatch } from './record-format.js';
import type { DecodeAt, ResumePoint } from './record-format.js';
import type { EncodedBatch } from './record-format.js';
import { selectSegmentsToDelete } from './retention.js';
import type { RetentionReason } from './retention.js';
import { recoverSegments } from './segment-recovery.js';
import type { LogDamage, RecoveryMode, TruncatedTail } from './segment-recovery.js';
import { Segment, segmentFileName } from './segment.js';
import type { SealedBatch } from './segment.js';
import type { TopicLogConfig } from './topic-config.js';
import type { StoredRecord } from '../data-plane/data-plane.js';

export type FsyncPolicy = 'always' | 'interval' | 'never';
export type { TruncatedTail } from './segment-recovery.js';

export interface PartitionLogOptions {
  dir: string;
  topic: string;
  partition: number;
  fsync: FsyncPolicy;
  indexIntervalBytes: number;
  /** Called after an append leaves unsynced data (fsync='interval'), so a scheduler can sync it later. */
  onDirty: (log: PartitionLog) => void;
  /** What to do with damage found on open (default 'refuse'). */
  recovery?: RecoveryMode;
}

/** A segment deleted by retention. */
export interface DeletedSegment {
  topic: string;
  partition: number;
  segment: string;
  baseOffset: number;
  nextOffset: number;
  bytes: number;
  reason: RetentionReason;
}

interface PendingAppend {
  batch: EncodedBatch;
  baseOffset: number;
  resolve: (baseOffset: number) => void;
  reject: (err: unknown) => void;
}

const MIN_READ_BYTES = 16 * 1024;
const MAX_READ_BYTES = 4 * 1024 * 1024;

export class PartitionLog {
  readonly topic: string;
  readonly partition: number;
  private visibleEnd: number;
  private nextOffset: number;
  private pending: PendingAppend[] = [];
  private draining = false;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  private closing: Promise<void> | undefined;
  /** Where the last read stopped inside a batch (the next read of a consumer usually starts there). */
  private resume: { segment: Segment; point: ResumePoint } | undefined;

  private constructor(
    private readonly options: PartitionLogOptions,
    private config: TopicLogConfig,
    private readonly segments: Segment[],
  ) {
    this.topic = options.topic;
    this.partition = options.partition;
    this.nextOffset = this.active.nextOffset;
    this.visibleEnd = this.nextOffset;
  }

  /** Opens (creating if needed) and recovers the partition directory; see recoverSegments() for what that checks. */
  static async open(options: PartitionLogOptions, config: TopicLogConfig): Promise<{ log: PartitionLog; truncated?: TruncatedTail; repaired?: LogDamage }> {
    const { segments, truncated, repaired } = await recoverSegments(options);
    const log = new PartitionLog(options, config, segments);
    return { log, ...(truncated ? { truncated } : {}), ...(repaired ? { repaired } : {}) };
  }

  /**
   * Takes a changed topic config: the next roll uses the new `segment.bytes` (existing segments keep their size) and
   * the next retention run the new retention settings.
   */
  reconfigure(config: TopicLogConfig): void {
    this.config = config;
  }

  /** Offset after the last record readers may see (the high watermark). */
  get endOffset(): number {
    return this.visibleEnd;
  }

  /** Offset of the oldest record still stored (retention moves it forward). */
  get startOffset(): number {
    return this.segments[0]!.baseOffset;
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  /**
   * Appends one encoded batch; resolves with the offset of its first record once it is written (and synced, for
   * 'always'). Rejects with the write error — none of the batch then counts as acknowledged — or DataPlaneError
   * (PIPECTL_LOG_CLOSED) after close().
   */
  append(batch: EncodedBatch): Promise<number> {
    if (this.closing) return Promise.reject(new DataPlaneError('PIPECTL_LOG_CLOSED', `partition ${this.topic}-${this.partition} is closed`));
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, baseOffset: -1, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        void this.exclusive(() => this.drain());
      }
    });
  }

  /** Registers a listener called (synchronously) whenever endOffset advances; returns its removal function. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) await this.writeGroup(this.pending.splice(0));
    } finally {
      this.draining = false;
    }
  }

  /**
   * Writes a group of queued batches: one writev per segment touched, rolling when `segment.bytes` would be exceeded.
   * On failure, batches already made durable by a roll are still acknowledged; the rest are rejected (what reached the
   * file stays and becomes visible — at-least-once, like a Kafka produce that timed out).
   */
  private async writeGroup(group: PendingAppend[]): Promise<void> {
    let segment = this.active;
    let chunk: SealedBatch[] = [];
    let chunkBytes = 0;
    let durable = 0; // how many of `group` are written and synced by a roll
    try {
      for (const [i, p] of group.entries()) {
        const length = p.batch.buffer.length;
        if (segment.size + chunkBytes > 0 && segment.size + chunkBytes + length > this.config.segmentBytes) {
          if (chunk.length > 0) await segment.append(chunk);
          chunk = [];
          chunkBytes = 0;
          segment = await this.roll();
          durable = i;
        }
        p.baseOffset = this.nextOffset;
        sealBatch(p.batch.buffer, p.baseOffset);
        this.nextOffset += p.batch.count;
        chunk.push({ buffer: p.batch.buffer, baseOffset: p.baseOffset, count: p.batch.count, maxTimestamp: p.batch.maxTimestamp });
        chunkBytes += length;
      }
      await segment.append(chunk);
      if (this.options.fsync === 'always') await segment.sync();
      durable = group.length;
    } catch (err) {
      this.nextOffset = this.active.nextOffset; // offsets of unwritten batches are reused
      this.afterWrite();
      for (const [i, p] of group.entries()) {
        if (i < durable) p.resolve(p.baseOffset);
        else p.reject(err);
      }
      return;
    }
    this.afterWrite();
    for (const p of group) p.resolve(p.baseOffset);
  }

  private afterWrite(): void {
    if (this.options.fsync === 'interval') this.options.onDirty(this);
    this.publish();
  }

  private publish(): void {
    const end = this.active.nextOffset;
    if (end === this.visibleEnd) return;
    this.visibleEnd = end;
    for (const listener of this.listeners) listener();
  }

  /** Starts a new active segment at the log end; the old one is synced first unless fsync='never'. */
  private async roll(): Promise<Segment> {
    const old = this.active;
    if (this.options.fsync !== 'never') await old.sync();
    const segment = await Segment.create(this.options.dir, old.nextOffset, this.options.indexIntervalBytes);
    if (this.options.fsync !== 'never') await fsyncDirectory(this.options.dir);
    this.segments.push(segment);
    return segment;
  }

  /**
   * Reads up to `maxRecords` records from `offset` (fewer when they are far apart or larger than 4 MiB together; none
   * when offset = endOffset). Throws DataPlaneError(PIPECTL_LOG_OFFSET_OUT_OF_RANGE) when offset < startOffset or > endOffset.
   */
  async read(offset: number, maxRecords: number): Promise<StoredRecord[]> {
    for (;;) {
      const end = this.endOffset;
      if (offset < this.startOffset || offset > end) {
        throw new DataPlaneError(
          'PIPECTL_LOG_OFFSET_OUT_OF_RANGE',
          `offset ${offset} is outside ${this.topic}-${this.partition}'s range [${this.startOffset}, ${end}]`,
        );
      }
      if (offset === end || maxRecords <= 0) return [];
      const segment = this.segmentFor(offset);
      if (!segment.acquire()) {
        if (this.closing) throw new DataPlaneError('PIPECTL_LOG_CLOSED', `partition ${this.topic}-${this.partition} is closed`);
        continue; // deleted by retention meanwhile: re-check the range
      }
      try {
        return await this.readSegment(segment, offset, end, maxRecords);
      } finally {
        segment.release();
      }
    }
  }

  private async readSegment(segment: Segment, offset: number, end: number, maxRecords: number): Promise<StoredRecord[]> {
    // A read that goes on where the last one stopped mid-batch starts at that record, not at its batch.
    const hint = this.resume?.segment === segment && this.resume.point.offset === offset ? this.resume.point : undefined;
    const position = hint ? hint.position : segment.lookup(offset);
    const limit = segment.size;
    const records = Math.max(1, segment.nextOffset - segment.baseOffset);
    const perRecord = segment.size / records;
    let want = Math.min(MAX_READ_BYTES, Math.max(MIN_READ_BYTES, Math.ceil(perRecord * Math.min(maxRecords, records) * 1.1) + 2 * BATCH_HEADER_SIZE + 4096));
    const request = { topic: this.topic, partition: this.partition, fromOffset: offset, untilOffset: end, maxRecords };
    for (;;) {
      const length = Math.min(want, limit - position);
      const buf = await segment.read(position, length);
      const out: StoredRecord[] = [];
      const at: DecodeAt = hint ? { position, inBatch: hint } : { position };
      decodeRecords(buf, buf.length, request, out, at);
      if (out.length > 0 || position + length >= limit) {
        this.resume = at.stop ? { segment, point: at.stop } : undefined;
        return out;
      }
      want *= 2; // the first wanted record lies beyond the chunk
    }
  }

  private segmentFor(offset: number): Segment {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.segments[lo]!;
  }

  /** Forces appended data to disk. */
  async sync(): Promise<void> {
    await this.active.sync();
  }

  /**
   * Deletes the oldest whole segments that `retention.ms` (against `now`) or `retention.bytes` allow, rolling the
   * active segment first when it must go too. Readers of a deleted segment finish their read; later reads below the
   * new startOffset fail with PIPECTL_LOG_OFFSET_OUT_OF_RANGE.
   */
  enforceRetention(now: number): Promise<DeletedSegment[]> {
    if (this.closing) return Promise.resolve([]);
    return this.exclusive(async () => {
      const reasons = selectSegmentsToDelete(this.segments, this.config, now);
      if (reasons.length === 0) return [];
      if (reasons.length === this.segments.length) await this.roll();
      const doomed = this.segments.splice(0, reasons.length);
      const deleted: DeletedSegment[] = [];
      for (const [i, s] of doomed.entries()) {
        await s.delete();
        deleted.push({
          topic: this.topic,
          partition: this.partition,
          segment: segmentFileName(s.baseOffset),
          baseOffset: s.baseOffset,
          nextOffset: s.nextOffset,
          bytes: s.size,
          reason: reasons[i]!,
        });
      }
      if (this.options.fsync !== 'never') await fsyncDirectory(this.options.dir);
      return deleted;
    });
  }

  /** Finishes queued appends, syncs and closes every segment. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.exclusive(async () => {
      await this.active.sync();
      await Promise.all(this.segments.map((s) => s.close()));
    });
    return this.closing;
  }
}
