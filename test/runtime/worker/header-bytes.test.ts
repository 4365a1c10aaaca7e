/** How a source record's header values become bytes (SimpleHeaderConverter's text forms). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headerBytes } from '../../../src/runtime/worker/record-processor.js';

const text = (value: unknown, name?: string): string | null => headerBytes({ key: 'h', value, ...(name ? { schema: { type: 'int64', name } } : {}) }).value?.toString('utf8') ?? null;

test('header values: text as it is, numbers and lists as JSON, an int64 beyond 2^53 as its digits, logical dates as ISO text', () => {
  assert.equal(text('c'), 'c');
  assert.equal(text(1234), '1234');
  assert.equal(text(null), null);
  assert.equal(text(1704164645123456000n), '1704164645123456000');
  assert.equal(text(['a', 'b']), '["a","b"]');
  assert.equal(text([1n, 2n ** 60n]), '[1,"1152921504606846976"]');
  const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6));
  assert.equal(text(at, 'org.apache.kafka.connect.data.Timestamp'), '2024-01-02T03:04:05.006Z');
  assert.equal(text(at), '2024-01-02T03:04:05.006Z');
  assert.equal(text(new Date(Date.UTC(2024, 0, 2)), 'org.apache.kafka.connect.data.Date'), '2024-01-02');
  assert.equal(text(new Date(Date.UTC(1970, 0, 1, 3, 4, 5, 6)), 'org.apache.kafka.connect.data.Time'), '03:04:05.006Z');
  assert.deepEqual(headerBytes({ key: 'b', value: Buffer.from([1, 2]) }).value, Buffer.from([1, 2]));
});
