/**
 * A sink task stopped while the HTTP sink is in a long back-off (the endpoint down) outlives the graceful timeout and
 * is abandoned: the worker then asks the plugin to stop, so its abandoned put()/flush() stops retrying instead of
 * sending beside its successor (Kafka Connect calls stop() only once put() returns, which here takes until the
 * retries run out: duplicates, possibly out of order). Real worker process, real local endpoint.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import { startEndpoint } from './test-endpoint.js';

const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const BACKOFF_MS = 1500;

test('a task abandoned in back-off stops retrying: after a reconfiguration only the new task sends', { timeout: 180_000 }, async (t) => {
  const N = 50;
  const tree = writeTree({});
  const input = join(tree.dir, 'in.txt');
  writeFileSync(input, Array.from({ length: N }, (_, i) => `rec-${i}\n`).join(''));
  // Generation 1 of the connector (header X-Generation: 1) meets an endpoint that is down; generation 2 gets through.
  const endpoint = await startEndpoint((r) => (r.headers['x-generation'] === '1' ? { status: 503 } : { status: 200 }));
  const worker = await startWorker({ dir: tree.dir, config: { 'key.converter': STRING, 'value.converter': STRING, 'task.shutdown.graceful.timeout.ms': '1000' } });
  try {
    assert.equal((await http('POST', `${worker.url}/connectors`, { name: 'src', config: { 'connector.class': 'FileStreamSource', file: input, topic: 'lines' } })).status, 201);
    const sink = (generation: number): Record<string, string> => ({
      'connector.class': 'HttpSink', topics: 'lines', 'http.url': endpoint.url, 'http.headers': `X-Generation:${generation}`,
      'batch.linger.ms': '0', 'max.retries': '1000', 'retry.backoff.ms': String(BACKOFF_MS), 'retry.backoff.max.ms': String(BACKOFF_MS),
    });
    assert.equal((await http('POST', `${worker.url}/connectors`, { name: 'http', config: sink(1) })).status, 201);
    const fromGeneration = (g: string) => endpoint.requests.filter((r) => r.headers['x-generation'] === g);
    await waitFor('generation 1 in back-off (two attempts refused)', () => fromGeneration('1').length >= 2, 60_000, 50);

    assert.equal((await http('PUT', `${worker.url}/connectors/http/config`, sink(2))).status, 200);
    await waitFor('the old task abandoned', () => /did not stop within the graceful timeout; abandoning it/.test(worker.log()), 60_000, 20);
    const abandonedAt = Date.now();
    await waitFor(`all ${N} records accepted from generation 2`, () => new Set(endpoint.accepted()).size >= N, 60_000, 50);
    // Absence of requests can only be watched for a while: three back-off periods, in which the old task, still
    // retrying, would have sent at least two (jitter only shortens a back-off).
    await waitFor('three back-off periods', () => Date.now() >= abandonedAt + 3 * BACKOFF_MS, 60_000, 100);
    const late = fromGeneration('1').filter((r) => r.at > abandonedAt + 500);
    t.diagnostic(`generation 1: ${fromGeneration('1').length} requests, ${late.length} more than 500 ms after the abandonment; generation 2: ${fromGeneration('2').length}`);
    assert.deepEqual(late.map((r) => r.at - abandonedAt), [], 'no request from the abandoned task');
    assert.equal(new Set(endpoint.accepted()).size, N);
  } finally {
    await worker.stop();
    await endpoint.close();
    tree.cleanup();
  }
});
