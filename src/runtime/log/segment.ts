/**
 * One segment file of a partition: `<20-digit base offset>.log`, a run of batches in the format of record-format.ts.
 * Holds the file handle, the count of valid bytes, the offset range, the largest timestamp and the sparse index.
 *
 * Concurrency contract: appends are serialised by the owning PartitionLog; reads may run concurrently with an append
 * and only ever read below `size`, which grows after a write completes. A reader brackets its reads with
 * acquire()/release() so that deleting or closing the segment never closes the descriptor under a pending read.
 */
import { open, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { findValidAfter } from './damage-scan.js';
import type { ValidAfterStop } from './damage-scan.js';
import { BATCH_HEADER_SIZE, readBatchHeader, validateBatch } from './record-format.js';
import { SparseIndex } from './sparse-index.js';

const SCAN_CHUNK_BYTES = 8 * 1024 * 1024;

export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}.log`;
}

/** The base offset encoded in a segment file name, or undefined when the name is not a segment's. */
export function parseSegmentFileName(name: string): number | undefined {
  const m = /^(\d{20})\.log$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** A batch ready to append: sealed buffer plus what the index needs. */
export interface SealedBatch {
  buffer: Buffer;
  baseOffset: number;
  count: number;
  maxTimestamp: number;
}

/** Where the recovery scan of a segment stopped before the end of the file. */
export interface ScanStop {
  /** Byte position of the first invalid batch. */
  position: number;
  /** Bytes from there to the end of the file. */
  bytes: number;
  reason: string;
  /** Offset of the first record lost there (the segment's next offset). */
  offset: number;
  /**
   * Intact batches after the stop: present means damage inside the log (acknowledged records follow it), absent a
   * torn tail (see damage-scan.ts).
   */
  validAfter?: ValidAfterStop;
}

export class Segment {
  /** Bytes of complete, valid batches. */
  size = 0;
  /** Offset after the last record of this segment (= baseOffset when empty). */
  nextOffset: number;
  /** Largest record timestamp in the segment; -Infinity when empty. */
  maxTimestamp = Number.NEGATIVE_INFINITY;
  private readonly index: SparseIndex;
  private refs = 0;
  private closing = false;
  private closed: Promise<void> | undefined;
  private releaseClosed: (() => void) | undefined;

  private constructor(
    readonly baseOffset: number,
    readonly path: string,
    private readonly fh: FileHandle,
    indexIntervalBytes: number,
  ) {
    this.nextOffset = baseOffset;
    this.index = new SparseIndex(indexIntervalBytes);
  }

  /** Creates a new, empty segment file; fails if it already exists. */
  static async create(dir: string, baseOffset: number, indexIntervalBytes: number): Promise<Segment> {
    const path = join(dir, segmentFileName(baseOffset));
    const fh = await open(path, 'ax+');
    return new Segment(baseOffset, path, fh, indexIntervalBytes);
  }

  /**
   * Opens an existing segment and scans it, validating every batch (length, CRC, offset continuity) and rebuilding the
   * index. Returns where the valid prefix ends if the file has anything after it; the caller decides whether to
   * truncate ({@link truncateToSize}) or refuse. The scan reads the file sequentially in 8 MiB chunks.
   */
  static async recover(path: string, baseOffset: number, indexIntervalBytes: number): Promise<{ segment: Segment; stop?: ScanStop }> {
    const fh = await open(path, 'a+');
    const segment = new Segment(baseOffset, path, fh, indexIntervalBytes);
    try {
      const stop = await segment.scan();
      return stop ? { segment, stop } : { segment };
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  private async scan(): Promise<ScanStop | undefined> {
    let fileSize = (await this.fh.stat()).size;
    let buf = Buffer.allocUnsafe(Math.min(SCAN_CHUNK_BYTES, Math.max(fileSize, BATCH_HEADER_SIZE)));
    let chunkStart = 0;
    let chunkEnd = 0;
    let pos = 0;
    while (pos < fileSize) {
      const need = pos + BATCH_HEADER_SIZE <= chunkEnd ? pos + buf.readUInt32LE(pos - chunkStart) : pos + BATCH_HEADER_SIZE;
      if (need > chunkEnd && chunkEnd < fileSize) {
        const want = Math.min(Math.max(SCAN_CHUNK_BYTES, need - pos), fileSize - pos);
        if (buf.length < want) buf = Buffer.allocUnsafe(want);
        const n = await this.readInto(buf, want, pos);
        chunkStart = pos;
        chunkEnd = pos + n;
        if (n < want) fileSize = chunkEnd; // the file shrank under us; judge what is there
        continue; // re-evaluate `need` against the new chunk
      }
      const reason = validateBatch(buf, pos - chunkStart, chunkEnd - chunkStart, this.nextOffset);
      if (reason !== undefined) {
        const stop: ScanStop = { position: pos, bytes: fileSize - pos, reason, offset: this.nextOffset };
        const validAfter = await findValidAfter(this.fh, pos, fileSize, this.nextOffset);
        return validAfter ? { ...stop, validAfter } : stop;
      }
      const header = readBatchHeader(buf, pos - chunkStart);
      this.recordAppended(header.baseOffset, header.count, header.length, header.maxTimestamp);
      pos += header.length;
    }
    return undefined;
  }

  /** Records in the segment's valid prefix. */
  get records(): number {
    return this.nextOffset - this.baseOffset;
  }

  /** Cuts the file after the valid prefix found by the scan and makes the cut durable. */
  async truncateToSize(): Promise<void> {
    await this.fh.truncate(this.size);
    await this.fh.sync();
  }

  private recordAppended(baseOffset: number, count: number, length: number, maxTimestamp: number): void {
    this.index.add(baseOffset, this.size, length);
    this.size += length;
    this.nextOffset = baseOffset + count;
    if (maxTimestamp > this.maxTimestamp) this.maxTimestamp = maxTimestamp;
  }

  /**
   * Appends sealed batches with one writev(2) (more only if the kernel writes partially). When it resolves the bytes are
   * in the OS (they survive a kill -9, not a power loss until synced). On failure the file is cut back to its previous
   * size and the error rethrown; none of the batches count as written.
   */
  async append(batches: readonly SealedBatch[]): Promise<void> {
    let buffers = batches.map((b) => b.buffer);
    let remaining = buffers.reduce((n, b) => n + b.length, 0);
    try {
      while (remaining > 0) {
        const { bytesWritten } = await this.fh.writev(buffers);
        remaining -= bytesWritten;
        if (remaining > 0) buffers = dropBytes(buffers, bytesWritten);
      }
    } catch (err) {
      await this.fh.truncate(this.size).catch(() => undefined);
      throw err;
    }
    for (const b of batches) this.recordAppended(b.baseOffset, b.count, b.buffer.length, b.maxTimestamp);
  }

  /** Position of an indexed batch at or before `offset` (the caller scans forward from there). */
  lookup(offset: number): number {
    return this.index.lookup(offset);
  }

  /** Reads up to `length` bytes at `position` (fewer at the end of the file). Call between acquire() and release(). */
  async read(position: number, length: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(length);
    const n = await this.readInto(buf, length, position);
    return n === length ? buf : buf.subarray(0, n);
  }

  private async readInto(buf: Buffer, length: number, position: number): Promise<number> {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.fh.read(buf, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  }

  /** Forces written data to disk (fdatasync). No-op once the segment is closing. */
  async sync(): Promise<void> {
    if (!this.acquire()) return;
    try {
      await this.fh.datasync();
    } finally {
      this.release();
    }
  }

  /** Pins the file descriptor for a read; false when the segment is already closing (the caller must re-resolve). */
  acquire(): boolean {
    if (this.closing) return false;
    this.refs++;
    return true;
  }

  release(): void {
    this.refs--;
    if (this.refs === 0 && this.closing) this.releaseClosed?.();
  }

  /** Closes the descriptor once no read holds it. Idempotent. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closing = true;
      const drained = this.refs === 0 ? Promise.resolve() : new Promise<void>((resolve) => (this.releaseClosed = resolve));
      this.closed = drained.then(() => this.fh.close());
    }
    return this.closed;
  }

  /** Deletes the file: unlinks it now, closes the descriptor when pending reads finish. */
  async delete(): Promise<void> {
    await unlink(this.path);
    await this.close();
  }
}

function dropBytes(buffers: Buffer[], n: number): Buffer[] {
  const out: Buffer[] = [];
  for (const b of buffers) {
    if (n >= b.length) {
      n -= b.length;
      continue;
    }
    out.push(n > 0 ? b.subarray(n) : b);
    n = 0;
  }
  return out;
}
