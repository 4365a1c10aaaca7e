/**
 * HttpSinkTask on its own against a real HTTP endpoint (node:http in this process) that fails on purpose: bursts of
 * 503, 429 with Retry-After, answers slower than request.timeout.ms, a 400 for one record, 401, an endpoint that
 * never recovers. The errant record reporter is the test's (the worker's is tested in http-sink-worker.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpSinkTask } from '../../../src/connectors/http/index.js';
import type { SinkRecord } from '../../../src/plugins/connect-data.js';
import { ErrantRecordError } from '../../../src/plugins/errant-record-error.js';
import type { PluginLogger, SinkTaskContext } from '../../../src/plugins/plugin.js';
import { startEndpoint } from './test-endpoint.js';
import type { Answer, ReceivedRequest } from './test-endpoint.js';

const records = (n: number, partition = 0): SinkRecord[] => Array.from({ length: n }, (_, i) => ({ topic: 'orders', kafkaPartition: partition, kafkaOffset: i, key: null, value: { id: i } }));

function harness(): { context: SinkTaskContext; errant: { record: SinkRecord; error: Error }[]; warnings: string[] } {
  const errant: { record: SinkRecord; error: Error }[] = [];
  const warnings: string[] = [];
  const logger: PluginLogger = { info: (m) => void warnings.push(m), warn: (m) => void warnings.push(m), error: (m) => void warnings.push(m) };
  return { errant, warnings, context: { assignment: () => [], logger, reportErrant: async (record, error) => void errant.push({ record, error }) } };
}

async function run(answer: (r: ReceivedRequest) => Answer, config: Record<string, string>, n: number, body?: (task: HttpSinkTask) => Promise<void>) {
  const endpoint = await startEndpoint(answer);
  const h = harness();
  const task = new HttpSinkTask();
  try {
    task.start({ name: 'orders-http', 'http.url': endpoint.url, 'batch.max.records': '10', 'batch.linger.ms': '0', 'retry.backoff.ms': '20', 'retry.backoff.max.ms': '200', ...config }, h.context);
    if (body) await body(task);
    else {
      await task.put(records(n));
      await task.flush();
    }
  } finally {
    await task.stop();
    await endpoint.close();
  }
  return { endpoint, task, ...h };
}

/** A batch key without its content digest. */
const range = (key: string): string => key.replace(/:[0-9a-f]{16}$/, '');
const ids = (elements: unknown[]): number[] => elements.map((e) => (e as { id: number }).id).sort((a, b) => a - b);
const all = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

test('bursts of 503 are retried with the same Idempotency-Key until acknowledged; each retry is logged; nothing is lost', async () => {
  const { endpoint, task, warnings } = await run((r) => ({ status: r.attempt <= 3 ? 503 : 200 }), {}, 35);
  assert.deepEqual(ids(endpoint.accepted()), all(35));
  assert.deepEqual(endpoint.requests.map((r) => range(r.key)).filter((k, i, a) => a.indexOf(k) === i), ['orders-http:orders:0:0-9', 'orders-http:orders:0:10-19', 'orders-http:orders:0:20-29', 'orders-http:orders:0:30-34']);
  assert.equal(endpoint.requests.length, 16, '4 batches × (3 failures + 1 success)');
  assert.equal(task.stats.retries, 12);
  assert.equal(warnings.filter((w) => /retry \d+\/10 of batch orders-http:orders:0:\d+-\d+:[0-9a-f]{16} \(\d+ records\) in \d+ ms after HTTP 503/.test(w)).length, 12);
  assert.equal(endpoint.duplicateKeys().length, 0);
});

test('a 429 with Retry-After is honoured (seconds), longer than the back-off', async () => {
  const times: number[] = [];
  const { endpoint } = await run((r) => {
    times.push(Date.now());
    return r.attempt === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 };
  }, {}, 5);
  assert.deepEqual(ids(endpoint.accepted()), all(5));
  assert.ok(times[1]! - times[0]! >= 950, `waited ${times[1]! - times[0]!} ms for Retry-After: 1`);
});

test('an answer slower than request.timeout.ms is abandoned and re-sent with the same key; the server drops the copy', async () => {
  const { endpoint, warnings } = await run((r) => (r.attempt === 1 ? { status: 200, delayMs: 2000 } : { status: 200 }), { 'request.timeout.ms': '300' }, 10);
  assert.deepEqual(endpoint.requests.map((r) => range(r.key)), ['orders-http:orders:0:0-9', 'orders-http:orders:0:0-9']);
  assert.deepEqual(endpoint.duplicateKeys().map(range), ['orders-http:orders:0:0-9'], 'the slow request was processed, and so was its re-send');
  assert.equal(endpoint.acknowledgedRaw().length, 20, 'without dedup the server would hold every record twice');
  assert.deepEqual(ids(endpoint.accepted()), all(10), 'deduplicated by Idempotency-Key: exactly once');
  assert.ok(warnings.some((w) => /no answer within request.timeout.ms \(300 ms\)/.test(w)));
});

test('a 400 for one record: the batch is sent again in halves, the record is reported errant with status and body, the rest delivered', async () => {
  const bad = (r: ReceivedRequest): boolean => r.elements.some((e) => (e as { id: number }).id === 13);
  const { endpoint, errant, task } = await run((r) => (bad(r) ? { status: 400, body: '{"error":"id 13 is not allowed"}' } : { status: 201 }), {}, 30);
  assert.deepEqual(ids(endpoint.accepted()), all(30).filter((i) => i !== 13));
  assert.equal(errant.length, 1);
  assert.equal(errant[0]!.record.kafkaOffset, 13);
  assert.ok(errant[0]!.error instanceof ErrantRecordError);
  assert.deepEqual((errant[0]!.error as ErrantRecordError).details, { 'http.status': '400', 'http.body': '{"error":"id 13 is not allowed"}' });
  assert.equal(task.stats.errant, 1);
  assert.ok(endpoint.requests.length <= 3 + 2 * Math.ceil(Math.log2(10)), `${endpoint.requests.length} requests: a bisection, not one per record`);
});

test('without an errant record reporter, a refused record fails the task; 401 fails it at once; endless 503 fails it after max.retries', async () => {
  const endpoint = await startEndpoint(() => ({ status: 422 }));
  const alone = new HttpSinkTask();
  alone.start({ 'http.url': endpoint.url, 'batch.linger.ms': '0' }, { assignment: () => [] });
  await alone.put(records(1));
  await assert.rejects(alone.flush(), (e: any) => e.code === 'PIPECTL_HTTP_RECORD_REJECTED' && /HTTP 422/.test(e.message));
  await assert.rejects(alone.put(records(1)), (e: any) => e.code === 'PIPECTL_HTTP_RECORD_REJECTED', 'the failure sticks');
  await alone.stop();
  await endpoint.close();

  const unauthorized = await run(() => ({ status: 401, body: 'bad token' }), {}, 0, async (task) => {
    await task.put(records(3));
    await assert.rejects(task.flush(), (e: any) => e.code === 'PIPECTL_HTTP_ENDPOINT_REFUSED' && /HTTP 401/.test(e.message));
  });
  assert.equal(unauthorized.endpoint.requests.length, 1, 'no retry and no bisection for a 401');
  assert.equal(unauthorized.errant.length, 0);

  const down = await run(() => ({ status: 503 }), { 'max.retries': '3', 'retry.backoff.ms': '1', 'retry.backoff.max.ms': '5' }, 0, async (task) => {
    await task.put(records(2));
    await assert.rejects(task.flush(), (e: any) => e.code === 'PIPECTL_HTTP_RETRIES_EXHAUSTED' && /after 3 retries; last: HTTP 503/.test(e.message));
  });
  assert.equal(down.endpoint.requests.length, 4);
});

test('a refused connection is retried like a 5xx', async () => {
  const endpoint = await startEndpoint();
  const url = endpoint.url;
  await endpoint.close(); // nothing listens there now
  const h = harness();
  const task = new HttpSinkTask();
  task.start({ 'http.url': url, 'max.retries': '2', 'retry.backoff.ms': '1', 'retry.backoff.max.ms': '2', 'batch.linger.ms': '0' }, h.context);
  await task.put(records(1));
  await assert.rejects(task.flush(), (e: any) => e.code === 'PIPECTL_HTTP_RETRIES_EXHAUSTED' && /connection failed: ECONNREFUSED/.test(e.message));
  assert.equal(h.warnings.filter((w) => /ECONNREFUSED/.test(w)).length, 2);
  await task.stop();
});

test('flush resolves only once the endpoint acknowledged; linger sends a partial batch without a flush; headers and secrets', async () => {
  const token = 'tok-9f8e7d6c5b4a';
  let answered = 0;
  const { endpoint, warnings } = await run((r) => {
    if (range(r.key).endsWith('0-2')) setTimeout(() => answered++, 400);
    return { status: 200, delayMs: range(r.key).endsWith('0-2') ? 400 : 0 };
  }, { 'batch.linger.ms': '200', 'http.headers': 'X-Team:data', 'http.auth.header': `Authorization: Bearer ${token}` }, 0, async (task) => {
    await task.put(records(3));
    await task.flush();
    assert.equal(answered, 1, 'flush waited for the 2xx');
    await task.put(records(5, 1));
    const t0 = Date.now();
    while (task.stats.delivered < 8 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 20));
    assert.equal(task.stats.delivered, 8, 'the linger timer sent partition 1 without a flush');
  });
  const first = endpoint.requests[0]!;
  assert.equal(first.headers['authorization'], `Bearer ${token}`);
  assert.equal(first.headers['x-team'], 'data');
  assert.equal(first.headers['content-type'], 'application/json');
  assert.equal(first.method, 'POST');
  assert.doesNotMatch(warnings.join('\n'), new RegExp(token));
});

test('an endpoint that echoes the request headers in its error body: no credential reaches the errant record, its DLQ details or a task failure', async () => {
  const TOKEN = 'tok-8f3a9c2e71d4';
  const echo = (r: ReceivedRequest): string => `{"error":"denied","you sent":${JSON.stringify(r.headers)}}`;
  const bearer = await run((r) => ((r.elements[0] as { id: number }).id === 3 ? { status: 400, body: echo(r) } : { status: 200 }), { 'http.auth.header': `Authorization: Bearer ${TOKEN}`, 'batch.max.records': '1' }, 5);
  assert.equal(bearer.errant.length, 1);
  const details = JSON.stringify((bearer.errant[0]!.error as ErrantRecordError).details);
  assert.ok(details.includes('denied') && details.includes('[hidden]'), details);
  for (const text of [bearer.errant[0]!.error.message, details, ...bearer.warnings]) assert.ok(!text.includes(TOKEN), text);

  // Basic auth from the URL's user info; a 401 fails the task with the body in its message.
  const endpoint = await startEndpoint((r) => ({ status: 401, body: echo(r) }));
  const task = new HttpSinkTask();
  const url = new URL(endpoint.url);
  url.username = 'svc';
  url.password = 'pa55-word-9';
  try {
    task.start({ name: 'orders-http', 'http.url': url.toString(), 'batch.linger.ms': '0' }, harness().context);
    await task.put(records(1));
    const failure = await task.flush().then(() => null, (e: Error) => e);
    assert.ok(failure, 'a 401 fails the task');
    assert.ok(failure.message.includes('denied'), failure.message);
    const basic = Buffer.from('svc:pa55-word-9').toString('base64');
    for (const secret of ['pa55-word-9', basic]) assert.ok(!failure.message.includes(secret), failure.message);
  } finally {
    await task.stop();
    await endpoint.close();
  }
});
