/**
 * The on-disk batch format. One produce call becomes one batch per partition, written with a single write(2).
 *
 * Batch (little-endian):
 * ```
 *  0  u32 batchLength    total bytes, header included
 *  4  u32 crc            CRC-32 of bytes [8, batchLength)
 *  8  u8  magic          1
 *  9  u8  attributes     0 (reserved)
 * 10  u16 reserved       0
 * 12  u32 baseOffset lo  } offset of the first record, a 64-bit integer (< 2^53 in practice)
 * 16  u32 baseOffset hi  }
 * 20  u32 recordCount    ≥ 1; record i has offset baseOffset + i
 * 24  f64 maxTimestamp   largest record timestamp (ms since the epoch), used by retention.ms
 * 32  records…
 * ```
 * Record: `f64 timestamp, i32 keyLength (-1 = null), key, i32 valueLength (-1 = null), value, u16 headerCount`, then per
 * header `u16 keyLength, UTF-8 key, i32 valueLength (-1 = null), value`.
 *
 * Fixed-width lengths (not Kafka's varints) keep encoding and decoding branch-free; the cost is ~18 bytes per record.
 */
import { crc32 } from './crc32.js';
import { DataPlaneError } from '../data-plane/data-plane-error.js';
import type { ProducerRecord, StoredRecord } from '../data-plane/data-plane.js';

export const BATCH_HEADER_SIZE = 32;
export const BATCH_MAGIC = 1;
/** Largest batch the format can describe (u32 length). */
export const MAX_BATCH_BYTES = 0xffff_ffff;
const MAX_HEADERS = 0xffff;

/** A batch encoded except for its base offset and CRC, which are set by {@link sealBatch} once the offset is known. */
export interface EncodedBatch {
  buffer: Buffer;
  count: number;
  maxTimestamp: number;
}

/** The header fields of a batch. */
export interface BatchHeader {
  length: number;
  crc: number;
  magic: number;
  baseOffset: number;
  count: number;
  maxTimestamp: number;
}

function headerKeyBytes(records: readonly ProducerRecord[]): number[] {
  const sizes: number[] = [];
  for (const r of records) {
    const headers = r.headers;
    if (headers === undefined) continue;
    if (headers.length > MAX_HEADERS) {
      throw new DataPlaneError('PIPECTL_LOG_INVALID_RECORD', `a record has ${headers.length} headers; at most ${MAX_HEADERS} are allowed`);
    }
    for (const h of headers) {
      const n = Buffer.byteLength(h.key, 'utf8');
      if (n > 0xffff) throw new DataPlaneError('PIPECTL_LOG_INVALID_RECORD', 'a header key is longer than 65535 bytes');
      sizes.push(n);
    }
  }
  return sizes;
}

/**
 * Encodes records into one batch. Records without a timestamp get `defaultTimestamp`.
 * Throws DataPlaneError(PIPECTL_LOG_INVALID_RECORD) for a non-finite timestamp, too many headers or a batch over 4 GiB.
 */
export function encodeBatch(records: readonly ProducerRecord[], defaultTimestamp: number): EncodedBatch {
  const keySizes = headerKeyBytes(records);
  let size = BATCH_HEADER_SIZE;
  let h = 0;
  for (const r of records) {
    size += 8 + 4 + (r.key ? r.key.length : 0) + 4 + (r.value ? r.value.length : 0) + 2;
    if (r.headers) {
      for (const header of r.headers) size += 2 + keySizes[h++]! + 4 + (header.value ? header.value.length : 0);
    }
  }
  if (size > MAX_BATCH_BYTES) throw new DataPlaneError('PIPECTL_LOG_INVALID_RECORD', `a batch of ${size} bytes exceeds 4 GiB`);
  const buf = Buffer.allocUnsafe(size);
  let pos = BATCH_HEADER_SIZE;
  let maxTimestamp = -Infinity;
  h = 0;
  for (const r of records) {
    const ts = r.timestamp ?? defaultTimestamp;
    if (!Number.isFinite(ts)) throw new DataPlaneError('PIPECTL_LOG_INVALID_RECORD', `record timestamp ${ts} is not a finite number`);
    if (ts > maxTimestamp) maxTimestamp = ts;
    pos = buf.writeDoubleLE(ts, pos);
    pos = writeBytes(buf, pos, r.key);
    pos = writeBytes(buf, pos, r.value);
    const headers = r.headers;
    pos = buf.writeUInt16LE(headers ? headers.length : 0, pos);
    if (headers) {
      for (const header of headers) {
        const n = keySizes[h++]!;
        pos = buf.writeUInt16LE(n, pos);
        pos += buf.write(header.key, pos, n, 'utf8');
        pos = writeBytes(buf, pos, header.value);
      }
    }
  }
  buf.writeUInt32LE(size, 0);
  buf.writeUInt32LE(0, 4);
  buf.writeUInt8(BATCH_MAGIC, 8);
  buf.writeUInt8(0, 9);
  buf.writeUInt16LE(0, 10);
  buf.writeUInt32LE(records.length, 20);
  buf.writeDoubleLE(maxTimestamp, 24);
  return { buffer: buf, count: records.length, maxTimestamp };
}

function writeBytes(buf: Buffer, pos: number, bytes: Uint8Array | null | undefined): number {
  if (bytes === null || bytes === undefined) return buf.writeInt32LE(-1, pos);
  pos = buf.writeInt32LE(bytes.length, pos);
  buf.set(bytes, pos);
  return pos + bytes.length;
}

/** Writes the base offset and the CRC into an encoded batch. */
export function sealBatch(buffer: Buffer, baseOffset: number): void {
  buffer.writeUInt32LE(baseOffset % 0x1_0000_0000, 12);
  buffer.writeUInt32LE(Math.floor(baseOffset / 0x1_0000_0000), 16);
  buffer.writeUInt32LE(crc32(buffer.subarray(8)), 4);
}

/** Reads the header of the batch at `pos`; the caller must ensure `pos + BATCH_HEADER_SIZE <= buf.length`. */
export function readBatchHeader(buf: Buffer, pos: number): BatchHeader {
  return {
    length: buf.readUInt32LE(pos),
    crc: buf.readUInt32LE(pos + 4),
    magic: buf.readUInt8(pos + 8),
    baseOffset: buf.readUInt32LE(pos + 12) + buf.readUInt32LE(pos + 16) * 0x1_0000_0000,
    count: buf.readUInt32LE(pos + 20),
    maxTimestamp: buf.readDoubleLE(pos + 24),
  };
}

/**
 * Why the bytes at `pos` are not a valid batch with base offset `expectedOffset`, or undefined when they are. Checks
 * the length, magic, CRC, offset continuity and that the records fill the batch exactly. With `expectedOffset`
 * undefined any base offset is accepted (the search for intact batches after damage, damage-scan.ts).
 */
export function validateBatch(buf: Buffer, pos: number, end: number, expectedOffset: number | undefined): string | undefined {
  if (end - pos < BATCH_HEADER_SIZE) return `incomplete batch header (${end - pos} bytes)`;
  const header = readBatchHeader(buf, pos);
  if (header.length < BATCH_HEADER_SIZE) return `batch length ${header.length} is smaller than a header`;
  if (header.length > end - pos) return `batch length ${header.length} runs past the end of the file`;
  if (header.magic !== BATCH_MAGIC) return `unknown batch magic ${header.magic}`;
  if (crc32(buf.subarray(pos + 8, pos + header.length)) !== header.crc) return 'CRC mismatch';
  if (expectedOffset !== undefined && header.baseOffset !== expectedOffset) return `batch starts at offset ${header.baseOffset}, expected ${expectedOffset}`;
  if (header.count < 1) return 'empty batch';
  const cursor: DecodeCursor = { pos: pos + BATCH_HEADER_SIZE, end: pos + header.length };
  for (let i = 0; i < header.count; i++) {
    if (!skipRecord(buf, cursor)) return `record ${i} of the batch is malformed`;
  }
  if (cursor.pos !== pos + header.length) return 'records do not fill the batch';
  return undefined;
}

interface DecodeCursor {
  pos: number;
  end: number;
}

function skipBytes(buf: Buffer, c: DecodeCursor): boolean {
  if (c.pos + 4 > c.end) return false;
  const n = buf.readInt32LE(c.pos);
  c.pos += 4;
  if (n < -1) return false;
  if (n > 0) c.pos += n;
  return c.pos <= c.end;
}

/** Advances past one record; false when the record does not fit between `pos` and `end`. */
function skipRecord(buf: Buffer, c: DecodeCursor): boolean {
  c.pos += 8;
  if (c.pos > c.end || !skipBytes(buf, c) || !skipBytes(buf, c) || c.pos + 2 > c.end) return false;
  const headers = buf.readUInt16LE(c.pos);
  c.pos += 2;
  for (let i = 0; i < headers; i++) {
    if (c.pos + 2 > c.end) return false;
    c.pos += 2 + buf.readUInt16LE(c.pos);
    if (!skipBytes(buf, c)) return false;
  }
  return true;
}

function readBytes(buf: Buffer, c: DecodeCursor): Buffer | null {
  const n = buf.readInt32LE(c.pos);
  c.pos += 4;
  if (n < 0) return null;
  const bytes = buf.subarray(c.pos, c.pos + n);
  c.pos += n;
  return bytes;
}

/** What to decode from a run of batches: offsets in [fromOffset, untilOffset), at most `maxRecords`. */
export interface DecodeRequest {
  topic: string;
  partition: number;
  fromOffset: number;
  untilOffset: number;
  maxRecords: number;
}

/**
 * A record boundary inside a batch, where a read stopped: a read of `offset` can start at `position` in the file
 * instead of at the batch's start, which would read and skip the records before it again.
 */
export interface ResumePoint {
  offset: number;
  position: number;
  /** File position of the end of the record's batch, and the offset after its last record. */
  batchEnd: number;
  batchUntil: number;
}

/** Where `buf` lies in the file, whether it starts at a ResumePoint instead of a batch, and (out) where decoding stopped mid-batch. */
export interface DecodeAt {
  position: number;
  inBatch?: ResumePoint;
  stop?: ResumePoint;
}

/**
 * Decodes records from the batches in `buf[0, end)` (which starts at a batch boundary, or at `at.inBatch`) into
 * `out`. Stops at the first record that is not entirely inside the buffer, so a read may end mid-batch; `at.stop`
 * then says where. Keys, values and header values are views into `buf` (no copies). Returns the offset after the last
 * record looked at — where the next read resumes.
 */
export function decodeRecords(buf: Buffer, end: number, req: DecodeRequest, out: StoredRecord[], at?: DecodeAt): number {
  let pos = 0;
  const state = { next: req.fromOffset, stopped: -1 };
  const cursor: DecodeCursor = { pos: 0, end };
  if (at?.inBatch) {
    const b = at.inBatch;
    pos = b.batchEnd - at.position;
    cursor.end = Math.min(end, pos);
    if (!decodeRun(buf, cursor, b.offset, b.batchUntil, req, out, state)) return stopAt(at, cursor, state, b.batchEnd, b.batchUntil);
  }
  while (pos + BATCH_HEADER_SIZE <= end && out.length < req.maxRecords) {
    const length = buf.readUInt32LE(pos);
    const base = buf.readUInt32LE(pos + 12) + buf.readUInt32LE(pos + 16) * 0x1_0000_0000;
    const count = buf.readUInt32LE(pos + 20);
    if (base + count <= req.fromOffset) {
      pos += length;
      continue;
    }
    cursor.pos = pos + BATCH_HEADER_SIZE;
    cursor.end = Math.min(end, pos + length);
    if (!decodeRun(buf, cursor, base, base + count, req, out, state)) return at ? stopAt(at, cursor, state, at.position + pos + length, base + count) : state.next;
    pos += length;
  }
  return state.next;
}

/**
 * Decodes the records [first, until) of one batch from `c.pos`; false when it stopped before the batch's end (at
 * the visible end, at maxRecords or at the end of the buffer), with `state.stopped` the offset of the record at c.pos.
 */
function decodeRun(buf: Buffer, c: DecodeCursor, first: number, until: number, req: DecodeRequest, out: StoredRecord[], state: { next: number; stopped: number }): boolean {
  for (let offset = first; offset < until; offset++) {
    const start = c.pos;
    if (offset >= req.untilOffset || out.length >= req.maxRecords || !skipRecord(buf, c)) {
      c.pos = start;
      state.stopped = offset;
      return false;
    }
    if (offset < req.fromOffset) continue;
    out.push(decodeRecordAt(buf, start, offset, req));
    state.next = offset + 1;
  }
  return true;
}

function stopAt(at: DecodeAt, c: DecodeCursor, state: { next: number; stopped: number }, batchEnd: number, batchUntil: number): number {
  at.stop = { offset: state.stopped, position: at.position + c.pos, batchEnd, batchUntil };
  return state.next;
}

function decodeRecordAt(buf: Buffer, start: number, offset: number, req: DecodeRequest): StoredRecord {
  const c: DecodeCursor = { pos: start + 8, end: buf.length };
  const timestamp = buf.readDoubleLE(start);
  const key = readBytes(buf, c);
  const value = readBytes(buf, c);
  const n = buf.readUInt16LE(c.pos);
  c.pos += 2;
  const headers: StoredRecord['headers'] = [];
  for (let i = 0; i < n; i++) {
    const keyLength = buf.readUInt16LE(c.pos);
    const headerKey = buf.toString('utf8', c.pos + 2, c.pos + 2 + keyLength);
    c.pos += 2 + keyLength;
    headers.push({ key: headerKey, value: readBytes(buf, c) });
  }
  return { topic: req.topic, partition: req.partition, offset, key, value, headers, timestamp };
}
