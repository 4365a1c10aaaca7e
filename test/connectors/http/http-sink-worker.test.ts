/**
 * The HTTP sink in a real worker process (standalone, embedded log): lines of a file go through a FileStreamSource to a
 * topic and through the HTTP sink to a real endpoint in this test that fails on purpose. Every record ends up exactly
 * once in the endpoint's log (deduplicated by Idempotency-Key, the documented contract) or in the dead letter queue,
 * retries show in the worker log, the auth header's secret shows nowhere; and after a kill -9 mid-stream and a restart
 * every record still arrives.
 */
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import { writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import { startEndpoint } from './test-endpoint.js';
import type { ReceivedRequest } from './test-endpoint.js';

const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const line = (i: number): string => `rec-${String(i).padStart(5, '0')}`;

function writeInput(path: string, n: number): void {
  writeFileSync(path, Array.from({ length: n }, (_, i) => `${line(i)}\n`).join(''));
}

/** The first offset of a batch, from its Idempotency-Key (`<connector>:<topic>:<partition>:<first>-<last>`). */
const firstOffset = (r: ReceivedRequest): number => Number(/:(\d+)-\d+:[0-9a-f]{16}$/.exec(r.key)?.[1] ?? -1);

const counts = (values: unknown[]): Map<unknown, number> => {
  const m = new Map<unknown, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
};

test('503 bursts, 429 + Retry-After, slow answers and a 400 for one record: every record once at the endpoint or in the DLQ', { timeout: 180_000 }, async () => {
  const N = 2000;
  const BAD = line(777);
  const token = `tok-${process.pid}-${Date.now().toString(36)}`;
  const tree = writeTree({});
  const input = join(tree.dir, 'in.txt');
  writeInput(input, N);
  const endpoint = await startEndpoint((r) => {
    if (r.elements.includes(BAD)) return { status: 400, body: `{"error":"${BAD} is refused"}` };
    const cell = Math.floor(firstOffset(r) / 100);
    if (r.attempt <= 2 && cell % 5 === 1) return { status: 503 };
    if (r.attempt === 1 && cell % 5 === 2) return { status: 429, headers: { 'retry-after': '1' } };
    // Processed, answered too late. One cell only, and a timeout far above a busy machine's answer time: a 1 s timeout
    // made ordinary answers time out under load until the task ran out of retries.
    if (r.attempt === 1 && cell === 3) return { status: 200, delayMs: 8000 };
    return { status: 200 };
  });
  const worker = await startWorker({
    dir: tree.dir,
    env: { HTTP_TOKEN: token },
    config: { 'key.converter': STRING, 'value.converter': STRING, 'config.providers': 'env', 'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider' },
  });
  try {
    const sink = {
      'connector.class': 'HttpSink', topics: 'lines', 'http.url': endpoint.url, 'http.auth.header': 'Authorization: Bearer ${env:HTTP_TOKEN}',
      'batch.max.records': '100', 'request.timeout.ms': '5000', 'retry.backoff.ms': '50', 'retry.backoff.max.ms': '500',
      'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'http-dlq', 'errors.deadletterqueue.context.headers.enable': 'true', 'errors.log.enable': 'true',
    };
    assert.equal((await http('POST', `${worker.url}/connectors`, { name: 'http', config: sink })).status, 201);
    assert.equal((await http('POST', `${worker.url}/connectors`, { name: 'src', config: { 'connector.class': 'FileStreamSource', file: input, topic: 'lines' } })).status, 201);
    await waitFor(`${N - 1} records at the endpoint`, () => endpoint.accepted().length >= N - 1, 120_000, 100);
    await waitFor('the sink to commit past the last record', async () => (await http('GET', `${worker.url}/connectors/http/offsets`)).body.offsets?.[0]?.offset?.kafka_offset === N, 30_000, 200);

    const accepted = counts(endpoint.accepted());
    assert.equal(accepted.size, N - 1);
    assert.deepEqual([...accepted.values()].filter((c) => c > 1), [], 'exactly once after Idempotency-Key dedup');
    assert.equal(accepted.has(BAD), false);
    assert.ok(endpoint.duplicateKeys().length >= 1, 'the slow answers were re-sent and dropped by the dedup');
    assert.ok(endpoint.requests.every((r) => r.headers['authorization'] === `Bearer ${token}`), 'the reference resolved in the worker');

    const log = worker.log();
    for (const reason of [/retry 1\/10 of batch http:lines:0:\d+-\d+:[0-9a-f]{16} \(\d+ records\) in \d+ ms after HTTP 503/, /after HTTP 429, Retry-After 1000 ms/, /after no answer within request\.timeout\.ms \(5000 ms\)/, /refused the record at lines-0@777 with HTTP 400/]) {
      assert.match(log, reason);
    }
    const config = (await http('GET', `${worker.url}/connectors/http/config`)).body;
    assert.equal(config['http.auth.header'], 'Authorization: Bearer ${env:HTTP_TOKEN}', 'the stored config keeps the reference');
    const answers = JSON.stringify([config, (await http('GET', `${worker.url}/connectors/http`)).body, (await http('GET', `${worker.url}/connectors/http/tasks`)).body, (await http('GET', `${worker.url}/connectors/http/status`)).body]);
    assert.doesNotMatch(answers, new RegExp(token));
    assert.doesNotMatch(worker.log(), new RegExp(token));
    assert.equal((await http('GET', `${worker.url}/connectors/http/status`)).body.tasks[0].state, 'RUNNING');
  } finally {
    await worker.stop();
    await endpoint.close();
  }
  const log = await openEmbeddedLog({ dir: join(tree.dir, 'data', 'log') });
  try {
    const dlq = await log.read({ topic: 'http-dlq', partition: 0 }, 0, 10);
    assert.equal(dlq.length, 1, 'exactly the refused record is in the DLQ');
    const h = Object.fromEntries(dlq[0]!.headers.map((x) => [x.key, x.value?.toString()]));
    assert.equal(dlq[0]!.value!.toString(), BAD);
    assert.equal(h['__connect.errors.http.status'], '400');
    assert.equal(h['__connect.errors.http.body'], `{"error":"${BAD} is refused"}`);
    assert.equal(h['__connect.errors.offset'], '777');
    assert.equal(h['__connect.errors.stage'], 'TASK_PUT');
    assert.equal(h['__connect.errors.class.name'], 'io.pipectl.connect.http.HttpSinkTask');
  } finally {
    await log.close();
    tree.cleanup();
  }
});

test('kill -9 of the worker mid-stream, then a restart: every record arrives (at least once over HTTP; after dedup, at most one batch twice)', { timeout: 240_000 }, async (t) => {
  const N = 6000;
  const tree = writeTree({});
  const input = join(tree.dir, 'in.txt');
  writeInput(input, N);
  const endpoint = await startEndpoint(() => ({ status: 200, delayMs: 40 }));
  const config = { 'key.converter': STRING, 'value.converter': STRING };
  let worker = await startWorker({ dir: tree.dir, config });
  let beforeKill = 0;
  let committedAtKill = 0;
  let requestsAtKill = 0;
  try {
    // The whole input is in the topic (and the source's offset flushed) first, so that duplicates can only come from the sink.
    assert.equal((await http('POST', `${worker.url}/connectors`, { name: 'src', config: { 'connector.class': 'FileStreamSource', file: input, topic: 'lines' } })).status, 201);
    const size = statSync(input).size;
    await waitFor('the source to flush its last offset', async () => (await http('GET', `${worker.url}/connectors/src/offsets`)).body.offsets?.[0]?.offset?.position === size, 60_000, 100);
    const sink = { 'connector.class': 'HttpSink', topics: 'lines', 'http.url': endpoint.url, 'batch.max.records': '70', 'batch.linger.ms': '200' };
    assert.equal((await http('POST', `${worker.url}/connectors`, { name: 'http', config: sink })).status, 201);
    // Past a commit (so that a flush cut a batch early, as flushes do) and mid-stream.
    const committed = async (): Promise<number> => (await http('GET', `${worker.url}/connectors/http/offsets`)).body.offsets?.[0]?.offset?.kafka_offset ?? 0;
    await waitFor('a first commit of the sink', async () => (await committed()) > 0, 60_000, 20);
    await waitFor('half the records at the endpoint', () => endpoint.accepted().length >= N / 2, 60_000, 10);
    beforeKill = endpoint.accepted().length;
    committedAtKill = await committed();
    await worker.kill();
    requestsAtKill = endpoint.requests.length;

    worker = await startWorker({ dir: tree.dir, config }); // the connectors come back from data.dir
    await waitFor(`all ${N} records at the endpoint`, () => counts(endpoint.accepted()).size >= N, 120_000, 100);
    await waitFor('the sink to commit past the last record', async () => (await http('GET', `${worker.url}/connectors/http/offsets`)).body.offsets?.[0]?.offset?.kafka_offset === N, 30_000, 200);
  } finally {
    await worker.stop();
    await endpoint.close();
    tree.cleanup();
  }
  const raw = counts(endpoint.acknowledgedRaw());
  const deduped = counts(endpoint.accepted());
  const rawDuplicates = [...raw.values()].reduce((s, c) => s + c - 1, 0);
  const dedupedDuplicates = [...deduped.values()].reduce((s, c) => s + c - 1, 0);
  t.diagnostic(`N=${N}; at the kill ${beforeKill} records were at the endpoint, ${committedAtKill} committed; ${endpoint.requests.length} requests in all, the first after the restart for ${endpoint.requests[requestsAtKill]?.key}; re-sent over HTTP: ${rawDuplicates} records; left after Idempotency-Key dedup: ${dedupedDuplicates}; keys re-sent: ${endpoint.duplicateKeys().length}`);
  for (let i = 0; i < N; i++) assert.ok(raw.has(line(i)), `${line(i)} arrived`);
  assert.ok(rawDuplicates > 0 || endpoint.duplicateKeys().length === 0, 'what the kill interrupted was re-sent');
  // Batches are cut on an offset grid (70 does not divide the worker's 500-record polls, so flushes cut batches early
  // too), and a re-sent batch has its original key — except one cut early by a flush or linger whose commit the kill
  // prevented: at most one batch (70 records) per partition may come back under a new key.
  assert.ok(dedupedDuplicates <= 70, `${dedupedDuplicates} duplicates after dedup`);
});
