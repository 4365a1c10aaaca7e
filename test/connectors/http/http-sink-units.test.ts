/** The HTTP sink's pure parts: batching limits and the offset grid, Retry-After, back-off bounds, config validation, JSON. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchBuffer, backoffDelay, batchBody, bodyExcerpt, connectValueJson, HTTP_SINK_CONFIG, parseHttpSinkSettings, parseRetryAfter, recordJson, RETRY_AFTER_MAX_MS } from '../../../src/connectors/http/index.js';
import type { SinkRecord } from '../../../src/plugins/connect-data.js';
import { validateConfigDef } from '../../../src/plugins/config-validation.js';

/** A batch key without its content digest. */
const rangeOf = (key: string): string => key.replace(/:[0-9a-f]{16}$/, '');
const rec = (offset: number, value: unknown = `v${offset}`, partition = 0, topic = 't'): SinkRecord => ({ topic, kafkaPartition: partition, kafkaOffset: offset, key: null, value });
const range = (from: number, to: number, partition = 0): SinkRecord[] => Array.from({ length: to - from }, (_, i) => rec(from + i, `v${from + i}`, partition));

test('batches are cut at batch.max.records on multiples of it in offsets, per partition, with an Idempotency-Key per range', () => {
  const b = new BatchBuffer('sink', { maxRecords: 10, maxBytes: 1 << 20, includeMetadata: false });
  const ready = b.add([...range(5, 27), ...range(0, 3, 1)], 0);
  assert.deepEqual(ready.map((x) => rangeOf(x.key)), ['sink:t:0:5-9', 'sink:t:0:10-19']);
  assert.equal(b.size, 10, '20-26 and partition 1 stay buffered');
  const rest = b.drain();
  assert.deepEqual(rest.map((x) => rangeOf(x.key)).sort(), ['sink:t:0:20-26', 'sink:t:1:0-2']);
  assert.equal(batchBody(ready[0]!).toString(), '["v5","v6","v7","v8","v9"]');
  assert.equal(b.size, 0);
  // The same records from the same start give the same batches: a re-delivery after a crash has the same keys.
  const again = new BatchBuffer('sink', { maxRecords: 10, maxBytes: 1 << 20, includeMetadata: false }).add(range(5, 27), 0);
  assert.deepEqual(again.map((x) => rangeOf(x.key)), ['sink:t:0:5-9', 'sink:t:0:10-19']);
  // Gaps in offsets (compaction, filtered records) do not shift the grid.
  const gappy = new BatchBuffer('c', { maxRecords: 10, maxBytes: 1 << 20, includeMetadata: false }).add([rec(3), rec(8), rec(12), rec(25)], 0);
  assert.deepEqual(gappy.map((x) => rangeOf(x.key)), ['c:t:0:3-8', 'c:t:0:12-12']);
  // The key ends in a digest of the body: the same records at the same offsets, the same key (as `again` above, whole);
  // other records at those offsets (a topic made again, offsets reset) another key, so an endpoint keeping keys takes them.
  assert.deepEqual(again.map((x) => x.key), ready.map((x) => x.key));
  assert.match(ready[0]!.key, /^sink:t:0:5-9:[0-9a-f]{16}$/);
  const other = new BatchBuffer('sink', { maxRecords: 10, maxBytes: 1 << 20, includeMetadata: false }).add(range(5, 27).map((r) => ({ ...r, value: `new-${r.kafkaOffset}` })), 0);
  assert.deepEqual(other.map((x) => rangeOf(x.key)), ['sink:t:0:5-9', 'sink:t:0:10-19']);
  assert.notEqual(other[0]!.key, ready[0]!.key);
});

test('batch.max.bytes bounds the body, brackets and commas included; a record larger than the limit goes alone', () => {
  const b = new BatchBuffer('c', { maxRecords: 1000, maxBytes: 100, includeMetadata: false });
  const value = 'x'.repeat(28); // 30 bytes as a JSON string
  const ready = [...b.add(range(0, 10).map((r) => ({ ...r, value })), 0), ...b.drain()];
  for (const batch of ready) assert.ok(batchBody(batch).length <= 100, `${batchBody(batch).length} bytes`);
  assert.deepEqual(ready.map((x) => x.records.length), [3, 3, 3, 1], '3 × 30 + 2 commas + 2 brackets = 94 bytes');
  const big = new BatchBuffer('c', { maxRecords: 1000, maxBytes: 100, includeMetadata: false });
  const out = [...big.add([rec(0, 'a'), rec(1, 'y'.repeat(500)), rec(2, 'b')], 0), ...big.drain()];
  assert.deepEqual(out.map((x) => x.records.map((r) => r.kafkaOffset)), [[0], [1], [2]]);
});

test('linger: drain(olderThan) hands out only the batches that waited long enough', () => {
  const b = new BatchBuffer('c', { maxRecords: 100, maxBytes: 1 << 20, includeMetadata: false });
  b.add([rec(0, 'a', 0)], 1000);
  b.add([rec(0, 'b', 1)], 1500);
  assert.equal(b.oldest(), 1000);
  assert.deepEqual(b.drain(1200).map((x) => x.partition), [0]);
  assert.equal(b.oldest(), 1500);
  assert.deepEqual(b.drain(1200), []);
});

test('Retry-After: delta-seconds or an HTTP date, never negative, capped; unreadable values are ignored', () => {
  const now = Date.parse('2026-12-05T12:00:00Z');
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter('Sat, 05 Dec 2026 12:00:07 GMT', now), 7000);
  assert.equal(parseRetryAfter('Sat, 05 Dec 2026 11:00:00 GMT', now), 0, 'a date in the past: retry now');
  assert.equal(parseRetryAfter('999999', now), RETRY_AFTER_MAX_MS);
  for (const bad of [null, undefined, '', '-1', '1.5', 'soon', '12:00', '3 s']) assert.equal(parseRetryAfter(bad, now), undefined, String(bad));
});

test('back-off: exponential from retry.backoff.ms, jittered within [step/2, step], capped at retry.backoff.max.ms; Retry-After wins when longer', () => {
  for (const r of [0, 0.5, 0.999999]) {
    const delays = [1, 2, 3, 4, 5, 6, 7, 60].map((a) => backoffDelay(a, 100, 1000, () => r));
    const steps = [100, 200, 400, 800, 1000, 1000, 1000, 1000];
    delays.forEach((d, i) => assert.ok(d >= steps[i]! / 2 && d <= steps[i]!, `attempt ${i + 1}: ${d} not in [${steps[i]! / 2}, ${steps[i]}]`));
  }
  assert.equal(backoffDelay(1, 100, 1000, () => 0), 50);
  assert.equal(backoffDelay(1, 100, 1000, () => 0, 5000), 5000, 'Retry-After longer than the back-off');
  assert.equal(backoffDelay(4, 100, 1000, () => 1, 10), 800, 'Retry-After shorter than the back-off');
});

const valid = { 'http.url': 'https://api.example.com/ingest' };
const errorsOf = (config: Record<string, string>): Record<string, string[]> =>
  Object.fromEntries(validateConfigDef(HTTP_SINK_CONFIG, config).filter((r) => r.errors.length > 0).map((r) => [r.name, r.errors]));

test('config validation: http.url is required and http(s); method, headers and numbers are checked; no message quotes a URL or header value', () => {
  assert.deepEqual(errorsOf(valid), {});
  assert.match(errorsOf({})['http.url']![0]!, /Missing required configuration "http.url"/);
  const secretUrl = 'ftp://user:s3cr3t-pw@example.com/x';
  assert.match(errorsOf({ 'http.url': secretUrl })['http.url']![0]!, /scheme must be http or https, not ftp/);
  assert.match(errorsOf({ 'http.url': 'not a url s3cr3t-pw' })['http.url']![0]!, /not an absolute URL/);
  assert.match(errorsOf({ ...valid, 'http.method': 'DELETE' })['http.method']![0]!, /POST, PUT, PATCH/);
  assert.match(errorsOf({ ...valid, 'http.headers': 'X-Ok:1,NoColon' })['http.headers']![0]!, /Name:Value/);
  assert.match(errorsOf({ ...valid, 'http.headers': 'Idempotency-Key:mine' })['http.headers']![0]!, /sets the header Idempotency-Key itself/);
  assert.match(errorsOf({ ...valid, 'http.auth.header': 'Bearer s3cr3t-pw' })['http.auth.header']![0]!, /Name:Value/);
  assert.match(errorsOf({ ...valid, 'http.auth.header': 'X-Key: s3cr3t-pw€' })['http.auth.header']![0]!, /outside ISO-8859-1/);
  assert.match(errorsOf({ ...valid, 'batch.max.records': '0' })['batch.max.records']![0]!, /at least 1/);
  assert.match(errorsOf({ ...valid, 'retry.backoff.ms': '5000', 'retry.backoff.max.ms': '1000' })['retry.backoff.max.ms']![0]!, /at least retry.backoff.ms/);
  // Node's timers fire at once past 2^31-1 ms: a longer linger or back-off would spin, not wait.
  for (const key of ['batch.linger.ms', 'retry.backoff.ms', 'retry.backoff.max.ms']) {
    assert.match(errorsOf({ ...valid, 'retry.backoff.ms': '0', [key]: '3000000000' })[key]![0]!, /no more than 2147483647/, key);
  }
  assert.deepEqual(errorsOf({ ...valid, 'batch.linger.ms': '2147483647', 'retry.backoff.max.ms': '2147483647' }), {});
  const all = JSON.stringify([errorsOf({ 'http.url': secretUrl }), errorsOf({ 'http.url': 'not a url s3cr3t-pw' }), errorsOf({ ...valid, 'http.auth.header': 'Bearer s3cr3t-pw' })]);
  assert.doesNotMatch(all, /s3cr3t-pw/);
  const auth = validateConfigDef(HTTP_SINK_CONFIG, { ...valid, 'http.auth.header': 'Authorization: Bearer s3cr3t-pw' }).find((r) => r.name === 'http.auth.header');
  assert.deepEqual(auth, { name: 'http.auth.header', value: '[hidden]', errors: [] }, 'PASSWORD: the validate endpoint shows [hidden]');
});

test('settings: user info in the URL becomes Basic auth and leaves the URL; the secrets an endpoint could echo are known', () => {
  const s = parseHttpSinkSettings({ 'http.url': 'https://bob:p%40ss@api.example.com/in?x=1', 'http.method': 'put', 'http.headers': 'X-Team: data, Content-Type: application/x-ndjson', 'http.auth.header': 'X-Api-Key: k-123' });
  assert.equal(s.url, 'https://api.example.com/in?x=1');
  assert.equal(s.method, 'PUT');
  assert.deepEqual(s.headers, { 'content-type': 'application/x-ndjson', authorization: `Basic ${Buffer.from('bob:p@ss').toString('base64')}`, 'x-team': 'data', 'x-api-key': 'k-123' });
  const basic = Buffer.from('bob:p@ss').toString('base64');
  assert.deepEqual(s.secretValues, [`Basic ${basic}`, basic, 'bob:p@ss', 'k-123', 'p@ss'].sort((a, b) => b.length - a.length));
  assert.deepEqual([s.maxRecords, s.maxBytes, s.lingerMs, s.requestTimeoutMs, s.maxRetries, s.backoffMs, s.backoffMaxMs], [500, 1048576, 1000, 30000, 10, 3000, 60000]);
});

test('Connect values become plain JSON: structs in schema order, logical types, bytes, big integers, maps, metadata', () => {
  const schema = {
    type: 'struct' as const,
    fields: [
      { field: 'id', type: 'int64' as const },
      { field: 'at', type: 'int64' as const, name: 'org.apache.kafka.connect.data.Timestamp' },
      { field: 'day', type: 'int32' as const, name: 'org.apache.kafka.connect.data.Date' },
      { field: 'price', type: 'bytes' as const, name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } },
      { field: 'raw', type: 'bytes' as const },
      { field: 'tags', type: 'map' as const, keys: { type: 'string' as const }, values: { type: 'float64' as const } },
    ],
  };
  const value = { tags: { a: Number.NaN }, id: 2n ** 60n, at: new Date(1_700_000_000_123), day: new Date(Date.UTC(2024, 0, 2)), price: '12.30', raw: Buffer.from('hi') };
  assert.equal(connectValueJson(value, schema), '{"id":1152921504606846976,"at":1700000000123,"day":19724,"price":12.30,"raw":"aGk=","tags":{"a":"NaN"}}');
  assert.equal(connectValueJson(new Map<unknown, unknown>([[1, 'x']])), '[[1,"x"]]');
  assert.equal(connectValueJson(null), 'null');
  const r: SinkRecord = { topic: 'orders', kafkaPartition: 3, kafkaOffset: 9, key: 'k', value: { a: [1, true] }, timestamp: 5 };
  assert.deepEqual(JSON.parse(recordJson(r, true)), { topic: 'orders', partition: 3, offset: 9, timestamp: 5, key: 'k', value: { a: [1, true] } });
  assert.equal(recordJson(r, false), '{"a":[1,true]}');
});

test('a response body is kept to 1 KiB, cut on a character boundary', () => {
  assert.equal(bodyExcerpt(Buffer.from('short')), 'short');
  const long = bodyExcerpt(Buffer.from('é'.repeat(1000)));
  assert.ok(Buffer.byteLength(long) <= 1024 + 3 && long.endsWith('…') && !long.includes('\ufffd'));
});
