/**
 * The HTTP sink's endpoint gone mid-stream: a TCP gate in front of the real endpoint is closed (connections cut, new
 * ones refused). With enough retries the task rides out minutes of it, RUNNING throughout; with few it fails as the
 * documented contract says (max.retries, as Confluent's HTTP sink), and a restart after the endpoint is back delivers
 * the rest. Either way every record reaches the endpoint's log exactly once after Idempotency-Key dedup: nothing lost.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeTree } from '../../support/paths.js';
import { startTcpGate } from '../../support/tcp-gate.js';
import type { TcpGate } from '../../support/tcp-gate.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';
import { startEndpoint } from './test-endpoint.js';
import type { TestEndpoint } from './test-endpoint.js';

/** How long the endpoint stays unreachable in the ride-out test. */
const OUTAGE_MS = Number(process.env.PIPECTL_TEST_OUTAGE_MS ?? 120_000);
const N = 3000;
const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const line = (i: number): string => `rec-${String(i).padStart(5, '0')}`;

interface Setup {
  worker: WorkerProcess;
  endpoint: TestEndpoint;
  gate: TcpGate;
  taskState(): Promise<string>;
  cleanup(): Promise<void>;
}

/** A worker streaming N lines through a FileStreamSource to the HTTP sink, whose endpoint (slow: 60 ms a batch) sits behind a gate. */
async function setup(retries: Record<string, string>): Promise<Setup> {
  const tree = writeTree({});
  const input = join(tree.dir, 'in.txt');
  writeFileSync(input, Array.from({ length: N }, (_, i) => `${line(i)}\n`).join(''));
  const endpoint = await startEndpoint(() => ({ status: 200, delayMs: 60 }));
  const target = new URL(endpoint.url);
  const gate = await startTcpGate(target.hostname, Number(target.port));
  target.port = String(gate.port);
  const worker = await startWorker({ dir: tree.dir, config: { 'key.converter': STRING, 'value.converter': STRING } });
  const sink = { 'connector.class': 'HttpSink', topics: 'lines', 'http.url': target.toString(), 'batch.max.records': '20', 'request.timeout.ms': '2000', ...retries };
  assert.equal((await http('POST', `${worker.url}/connectors`, { name: 'http', config: sink })).status, 201);
  assert.equal((await http('POST', `${worker.url}/connectors`, { name: 'src', config: { 'connector.class': 'FileStreamSource', file: input, topic: 'lines' } })).status, 201);
  return {
    worker, endpoint, gate,
    taskState: async () => ((await http('GET', `${worker.url}/connectors/http/status`)).body as { tasks?: { state: string }[] }).tasks?.[0]?.state ?? 'none',
    cleanup: async () => {
      await worker.stop();
      await gate.stop();
      await endpoint.close();
      tree.cleanup();
    },
  };
}

/** Every line once in the endpoint's log after dedup. */
function assertAllOnce(endpoint: TestEndpoint): void {
  const accepted = endpoint.accepted();
  assert.equal(new Set(accepted).size, accepted.length, 'no record twice after Idempotency-Key dedup');
  assert.deepEqual([...accepted].sort(), Array.from({ length: N }, (_, i) => line(i)));
}

test('the endpoint unreachable for minutes mid-stream: with retries to spare the task stays RUNNING and every record arrives once', { timeout: OUTAGE_MS + 300_000 }, async (t) => {
  const s = await setup({ 'max.retries': '1000', 'retry.backoff.ms': '200', 'retry.backoff.max.ms': '5000' });
  try {
    await waitFor('records before the outage', () => s.endpoint.accepted().length >= 300, 120_000, 50);
    s.gate.close();
    const closedAt = Date.now();
    const atCut = s.endpoint.accepted().length;
    assert.ok(atCut < N, 'the stream was cut mid-way');
    const states = new Set<string>();
    while (Date.now() - closedAt < OUTAGE_MS) {
      states.add(await s.taskState());
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.deepEqual([...states], ['RUNNING'], 'the sink task stays RUNNING through the outage');
    assert.equal(s.endpoint.accepted().length, atCut, 'nothing arrived while the endpoint was unreachable');
    assert.match(s.worker.log(), /retry \d+\/1000 of batch http:lines:0:\d+-\d+:[0-9a-f]{16} \(\d+ records\) in \d+ ms after connection failed/);
    s.gate.open();
    await waitFor(`${N} records at the endpoint`, () => s.endpoint.accepted().length >= N, 180_000, 100);
    assertAllOnce(s.endpoint);
    assert.equal(await s.taskState(), 'RUNNING');
    t.diagnostic(`outage ${OUTAGE_MS} ms; ${atCut} records before the cut; requests ${s.endpoint.requests.length}`);
  } finally {
    await s.cleanup();
  }
});

test('the endpoint unreachable past max.retries: the task fails as documented, and a restart once it is back delivers the rest', { timeout: 300_000 }, async () => {
  const s = await setup({ 'max.retries': '3', 'retry.backoff.ms': '100', 'retry.backoff.max.ms': '500' });
  try {
    await waitFor('records before the outage', () => s.endpoint.accepted().length >= 300, 120_000, 50);
    s.gate.close();
    await waitFor('the sink task FAILED', async () => (await s.taskState()) === 'FAILED', 120_000, 200);
    const trace = ((await http('GET', `${s.worker.url}/connectors/http/status`)).body as { tasks: { trace?: string }[] }).tasks[0]!.trace ?? '';
    assert.match(trace, /connection failed/);
    s.gate.open();
    assert.equal((await http('POST', `${s.worker.url}/connectors/http/tasks/0/restart`)).status, 204);
    await waitFor(`${N} records at the endpoint`, () => s.endpoint.accepted().length >= N, 180_000, 100);
    assertAllOnce(s.endpoint);
  } finally {
    await s.cleanup();
  }
});
