import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, crc32Fallback } from '../../../src/runtime/log/crc32.js';
import { decodeRecords, encodeBatch, sealBatch, validateBatch } from '../../../src/runtime/log/record-format.js';
import type { DecodeAt, ResumePoint } from '../../../src/runtime/log/record-format.js';
import type { StoredRecord } from '../../../src/runtime/data-plane/data-plane.js';

const records = [
  { topic: 't', key: Buffer.from('k1'), value: Buffer.from('v1'), headers: [{ key: 'h', value: Buffer.from('x') }], timestamp: 1000 },
  { topic: 't', key: null, value: Buffer.from('no key') },
  { topic: 't', key: Buffer.from('deleted'), value: null, headers: [{ key: 'ünïcode', value: null }] },
  { topic: 't', key: Buffer.alloc(0), value: Buffer.alloc(0), timestamp: 5 },
];

function decodeAll(buf: Buffer, from = 0, until = Infinity, max = 100): StoredRecord[] {
  const out: StoredRecord[] = [];
  decodeRecords(buf, buf.length, { topic: 't', partition: 3, fromOffset: from, untilOffset: until, maxRecords: max }, out);
  return out;
}

test('a batch round-trips keys, values, headers, null keys, tombstones and timestamps', () => {
  const batch = encodeBatch(records, 42);
  sealBatch(batch.buffer, 10);
  assert.equal(validateBatch(batch.buffer, 0, batch.buffer.length, 10), undefined);
  const out = decodeAll(batch.buffer);
  assert.deepEqual(
    out.map((r) => [r.offset, r.partition, r.key?.toString() ?? null, r.value?.toString() ?? null, r.timestamp]),
    [
      [10, 3, 'k1', 'v1', 1000],
      [11, 3, null, 'no key', 42],
      [12, 3, 'deleted', null, 42],
      [13, 3, '', '', 5],
    ],
  );
  assert.deepEqual(out[0]!.headers, [{ key: 'h', value: Buffer.from('x') }]);
  assert.deepEqual(out[2]!.headers, [{ key: 'ünïcode', value: null }]);
  assert.equal(batch.maxTimestamp, 1000);
});

test('decoding honours the start offset, the visible end and maxRecords', () => {
  const batch = encodeBatch(records, 42);
  sealBatch(batch.buffer, 10);
  assert.deepEqual(decodeAll(batch.buffer, 11).map((r) => r.offset), [11, 12, 13]);
  assert.deepEqual(decodeAll(batch.buffer, 10, 12).map((r) => r.offset), [10, 11]);
  assert.deepEqual(decodeAll(batch.buffer, 10, Infinity, 1).map((r) => r.offset), [10]);
  // A buffer cut mid-batch yields the records that are wholly inside it.
  assert.deepEqual(decodeAll(batch.buffer.subarray(0, batch.buffer.length - 3)).map((r) => r.offset), [10, 11, 12]);
});

test('validation rejects a flipped byte, a cut batch and an unexpected base offset', () => {
  const batch = encodeBatch(records, 42);
  sealBatch(batch.buffer, 0);
  const flipped = Buffer.from(batch.buffer);
  flipped[flipped.length - 1]! ^= 0xff;
  assert.equal(validateBatch(flipped, 0, flipped.length, 0), 'CRC mismatch');
  assert.match(validateBatch(batch.buffer, 0, batch.buffer.length - 1, 0)!, /runs past the end/);
  assert.match(validateBatch(batch.buffer, 0, 20, 0)!, /incomplete batch header/);
  assert.match(validateBatch(batch.buffer, 0, batch.buffer.length, 7)!, /expected 7/);
  assert.match(validateBatch(Buffer.alloc(64), 0, 64, 0)!, /smaller than a header/);
});

test('records with bad timestamps or too many headers are refused before anything is written', () => {
  assert.throws(() => encodeBatch([{ topic: 't', key: null, value: null, timestamp: Number.NaN }], 0), { code: 'PIPECTL_LOG_INVALID_RECORD' });
  const headers = Array.from({ length: 70_000 }, () => ({ key: 'h', value: null }));
  assert.throws(() => encodeBatch([{ topic: 't', key: null, value: null, headers }], 0), { code: 'PIPECTL_LOG_INVALID_RECORD' });
});

test('crc32 gives the standard check value, and the fallback agrees with zlib', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32Fallback(Buffer.from('123456789')), 0xcbf43926);
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff));
  assert.equal(crc32Fallback(data), crc32(data));
});

test('a read that resumes where the last one stopped mid-batch sees exactly the records after it', () => {
  // A "file" of three batches; reads of every size and record limit chain each one's stop point into the next.
  const batches = [0, 4, 8].map((base) => {
    const b = encodeBatch(records, 42);
    sealBatch(b.buffer, base);
    return b.buffer;
  });
  const file = Buffer.concat([...batches, encodeBatch(records.slice(0, 1), 42).buffer]);
  sealBatch(file.subarray(batches.reduce((n, b) => n + b.length, 0)), 12);
  const label = (r: StoredRecord): string => `${r.offset}:${r.value?.toString() ?? null}`;
  const all = decodeAll(file, 0, Infinity, 1000).map(label);
  assert.equal(all.length, 13);
  for (const until of [13, 10]) {
    for (let max = 1; max <= 5; max++) {
      for (const chunk of [40, 64, 100, file.length]) {
        const seen: string[] = [];
        let offset = 0;
        let hint: ResumePoint | undefined;
        for (let reads = 0; offset < until && reads < 200; reads++) {
          // Without a hint, start at the batch holding `offset` (as the sparse index gives it).
          let position = hint?.position ?? 0;
          if (!hint) for (let p = 0, base = 0; p < file.length && base <= offset; p += file.readUInt32LE(p), base = p < file.length ? file.readUInt32LE(p + 12) : Infinity) position = p;
          const buf = file.subarray(position, Math.min(file.length, position + chunk));
          const out: StoredRecord[] = [];
          const at: DecodeAt = hint ? { position, inBatch: hint } : { position };
          decodeRecords(buf, buf.length, { topic: 't', partition: 3, fromOffset: offset, untilOffset: until, maxRecords: max }, out, at);
          assert.ok(out.length <= max);
          seen.push(...out.map(label));
          if (out.length > 0) offset = out[out.length - 1]!.offset + 1;
          hint = at.stop?.offset === offset ? at.stop : undefined;
          if (out.length === 0 && !hint) break; // a record larger than the chunk: a real reader reads more
        }
        // Never a gap or a repeat; all of them whenever every record fits a chunk.
        assert.deepEqual(seen, all.slice(0, chunk >= 100 ? until : seen.length), `until ${until}, max ${max}, chunk ${chunk}`);
      }
    }
  }
});
