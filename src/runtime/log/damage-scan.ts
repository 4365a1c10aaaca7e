/**
 * Tells a torn tail from damage. When the recovery scan of a segment stops at an invalid batch, this looks at the
 * bytes after it for intact batches (length, magic, CRC-32, records filling the batch, a base offset not below the
 * stop's): none means a torn tail — a write cut short by a crash, or zeros a power loss left — that only ever holds
 * records whose write was not complete; one or more means the stop is damage *inside* the log, and cutting there
 * would drop the acknowledged records that follow it.
 */
import type { FileHandle } from 'node:fs/promises';
import { BATCH_HEADER_SIZE, BATCH_MAGIC, readBatchHeader, validateBatch } from './record-format.js';

/** Intact batches found after a stop. */
export interface ValidAfterStop {
  /** Byte position of the first intact batch after the damage. */
  position: number;
  /** Offset of its first record. */
  baseOffset: number;
  /** Offset after the last intact record found after the damage. */
  endOffset: number;
  /** Records in the intact batches after the damage. */
  records: number;
}

/**
 * Searches `fh` from byte `from + 1` to `fileSize` for intact batches with base offsets ≥ `minOffset`, byte by byte;
 * counts the records of every intact batch found (continuing after further damage). Returns undefined when there is
 * none. Reads the rest of the file into memory once (at most one segment, `segment.bytes`): this runs only when a
 * scan stopped early.
 */
export async function findValidAfter(fh: FileHandle, from: number, fileSize: number, minOffset: number): Promise<ValidAfterStop | undefined> {
  const length = fileSize - from;
  if (length <= BATCH_HEADER_SIZE) return undefined;
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, from + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  let found: ValidAfterStop | undefined;
  let expected = minOffset;
  for (let pos = 1; pos + BATCH_HEADER_SIZE <= done; ) {
    if (!plausibleHeader(buf, pos, done, expected) || validateBatch(buf, pos, done, undefined) !== undefined) {
      pos++;
      continue;
    }
    const header = readBatchHeader(buf, pos);
    found ??= { position: from + pos, baseOffset: header.baseOffset, endOffset: header.baseOffset, records: 0 };
    found.endOffset = header.baseOffset + header.count;
    found.records += header.count;
    expected = found.endOffset;
    pos += header.length;
  }
  return found;
}

/** Cheap checks before the CRC: a length that fits, the magic byte, at least one record, an offset not going back. */
function plausibleHeader(buf: Buffer, pos: number, end: number, minOffset: number): boolean {
  const length = buf.readUInt32LE(pos);
  if (length < BATCH_HEADER_SIZE || length > end - pos || buf.readUInt8(pos + 8) !== BATCH_MAGIC) return false;
  const header = readBatchHeader(buf, pos);
  return header.count >= 1 && header.baseOffset >= minOffset;
}
