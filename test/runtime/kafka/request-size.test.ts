/** Cutting a produce into requests under max.request.size (src/runtime/kafka/request-size.ts), without a broker. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataPlaneError } from '../../../src/runtime/data-plane/data-plane-error.js';
import type { ProducerRecord } from '../../../src/runtime/data-plane/data-plane.js';
import { estimatedRecordBytes, splitByRequestSize } from '../../../src/runtime/kafka/request-size.js';
import { rec } from '../log/helpers.js';

test('runs keep the input order, cover every record once, and each stays under the limit', () => {
  const records: ProducerRecord[] = Array.from({ length: 500 }, (_, i) => rec('t', `k${i}`, 'v'.repeat(1 + ((i * 7919) % 5000)), { headers: [{ key: 'h', value: Buffer.from('x'.repeat(i % 50)) }] }));
  const runs = splitByRequestSize(records, 65_536);
  assert.ok(runs.length > 10);
  assert.deepEqual(runs.flat(), records);
  for (const run of runs) assert.ok(run.reduce((n, r) => n + estimatedRecordBytes(r), 0) <= 65_536, 'each run under the limit');
  assert.deepEqual(splitByRequestSize(records.slice(0, 3), 65_536), [records.slice(0, 3)], 'small sends are one request');
  assert.deepEqual(splitByRequestSize([], 65_536), []);
});

test('the estimate counts key, value, header keys and values; null key and value count nothing', () => {
  const base = estimatedRecordBytes(rec('t', null, null));
  assert.equal(estimatedRecordBytes(rec('t', 'abc', 'defg')) - base, 7);
  assert.equal(estimatedRecordBytes(rec('t', null, null, { headers: [{ key: 'ké', value: Buffer.from('xy') }] })) - base, 10 + 3 + 2);
});

test('one record over the limit is refused, naming its topic and the key to raise; nothing is cut', () => {
  assert.throws(() => splitByRequestSize([rec('a', null, 'x'), rec('orders', null, 'y'.repeat(70_000))], 65_536), (e: unknown) =>
    e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_INVALID_RECORD' && /topic "orders"/.test(e.message) && /max\.request\.size=65536/.test(e.message));
});
