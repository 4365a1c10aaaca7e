/**
 * A real standalone worker process with `bootstrap.servers`: FileStreamSource → Kafka topic → FileStreamSink, driven
 * only over HTTP. Every line arrives once and in order; the sink's offsets are its consumer group's committed offsets
 * in Kafka; altered while the connector is STOPPED, they are where the sink continues from.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openKafkaDataPlane } from '../../../src/runtime/kafka/kafka-data-plane.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { kafkaBootstrap, uniqueGroup, uniqueTopic } from '../../support/kafka.js';
import { writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';

let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;
let bootstrap: string;

before(async () => {
  bootstrap = await kafkaBootstrap();
  tree = writeTree({ 'in.txt': '' });
  worker = await startWorker({
    dir: tree.dir,
    config: { 'bootstrap.servers': bootstrap, 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' },
    startTimeoutMs: 60_000,
  });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);

async function waitForState(name: string, connectorState: string, taskStates: string[]): Promise<void> {
  await waitFor(
    `${name} to be ${connectorState} with tasks ${taskStates.join(',')}`,
    async () => {
      const s = (await http('GET', `${worker.url}/connectors/${name}/status`)).body;
      return s?.connector?.state === connectorState && JSON.stringify(s.tasks.map((t: { state: string }) => t.state)) === JSON.stringify(taskStates);
    },
    30_000,
  );
}

/** waitFor, with the worker's log in the error (what the worker saw explains most timeouts). */
async function waitWithLog<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number): Promise<T> {
  try {
    return await waitFor(what, fn, timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- worker log (last 60 lines) ---\n${worker.log().split('\n').slice(-60).join('\n')}`);
  }
}

async function sinkOffsets(name: string): Promise<unknown> {
  return (await http('GET', `${worker.url}/connectors/${name}/offsets`)).body;
}

test('file source → Kafka → file sink: every line in order; offsets are the group\'s; altered while STOPPED, the sink continues from there', async () => {
  const topic = uniqueTopic('worker-lines');
  // Connector names are unique per run: the sink's group (connect-<name>) lives on in the shared broker.
  const src = uniqueGroup('src');
  const sink = uniqueGroup('sink');
  const input = join(tree.dir, 'in.txt');
  const output = join(tree.dir, 'out.txt');

  // The worker reports the Kafka cluster it writes to, and creates topics through pipectl's topic route.
  const info = await http('GET', `${worker.url}/`);
  assert.match(info.body.kafka_cluster_id, /^[A-Za-z0-9_-]{22}$/);
  const created = await http('POST', `${worker.url}/pipectl/v1/topics`, { name: topic, partitions: 1, config: { 'retention.ms': '86400000' } });
  assert.equal(created.status, 201);
  assert.deepEqual(created.body, { name: topic, partitions: 1, replicationFactor: 1, config: { 'retention.ms': '86400000' } });
  assert.equal((await http('POST', `${worker.url}/pipectl/v1/topics`, { name: topic, partitions: 1 })).status, 409);
  const listed = await http('GET', `${worker.url}/pipectl/v1/topics`);
  assert.ok(listed.body.some((t: { name: string }) => t.name === topic));
  assert.ok(!listed.body.some((t: { name: string }) => t.name.startsWith('__')), 'internal topics are not listed');

  assert.equal((await http('POST', `${worker.url}/connectors`, { name: src, config: { 'connector.class': 'FileStreamSource', file: input, topic, 'tasks.max': '1' } })).status, 201);
  assert.equal((await http('POST', `${worker.url}/connectors`, { name: sink, config: { 'connector.class': 'FileStreamSink', file: output, topics: topic, 'tasks.max': '1' } })).status, 201);
  await waitForState(src, 'RUNNING', ['RUNNING']);
  await waitForState(sink, 'RUNNING', ['RUNNING']);

  const sent = Array.from({ length: 300 }, (_, i) => `line-${String(i).padStart(3, '0')}`);
  appendFileSync(input, sent.slice(0, 100).join('\n') + '\n');
  appendFileSync(input, sent.slice(100).join('\n') + '\n');
  await waitWithLog('300 lines in the sink file', () => lines(output).length >= 300, 60_000);
  assert.deepEqual(lines(output), sent, 'every line once, in order');

  // The sink's offsets are its group's committed offsets (connect-<name>), read back from Kafka.
  const expected = { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 300 } }] };
  await waitWithLog('the sink to commit offset 300', async () => JSON.stringify(await sinkOffsets(sink)) === JSON.stringify(expected), 30_000);
  const plane = await openKafkaDataPlane({ workerConfig: { 'bootstrap.servers': bootstrap }, logger: silentLogger });
  try {
    assert.deepEqual(await plane.committedOffsets(`connect-${sink}`), [{ topic, partition: 0, offset: 300 }]);
  } finally {
    await plane.close();
  }

  // Altering a running sink's offsets is refused (Connect's 400); once STOPPED it works.
  const whileRunning = await http('PATCH', `${worker.url}/connectors/${sink}/offsets`, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 250 } }] });
  assert.equal(whileRunning.status, 400);
  assert.equal((await http('PUT', `${worker.url}/connectors/${sink}/stop`)).status, 204);
  await waitForState(sink, 'STOPPED', []);
  const altered = await http('PATCH', `${worker.url}/connectors/${sink}/offsets`, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 250 } }] });
  assert.equal(altered.status, 200, JSON.stringify(altered.body));
  assert.deepEqual(await sinkOffsets(sink), { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 250 } }] });

  // Resumed, the sink writes lines 250… again, then the new ones; nothing before 250 is repeated.
  assert.equal((await http('PUT', `${worker.url}/connectors/${sink}/resume`)).status, 202);
  await waitForState(sink, 'RUNNING', ['RUNNING']);
  appendFileSync(input, 'line-300\n');
  await waitWithLog('the re-delivered lines and the new one', () => lines(output).length >= 351, 60_000);
  assert.deepEqual(lines(output), [...sent, ...sent.slice(250), 'line-300']);
  await waitWithLog('the sink to commit offset 301', async () => JSON.stringify(await sinkOffsets(sink)) === JSON.stringify({ offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 301 } }] }), 30_000);

  // Source offsets stay in the worker's offsets file, as in Connect's standalone mode; GET shows them once flushed.
  const end = Buffer.byteLength([...sent, 'line-300'].join('\n') + '\n');
  const srcOffsets = await http('GET', `${worker.url}/connectors/${src}/offsets`);
  assert.deepEqual(srcOffsets.body.offsets[0].partition, { filename: input });
  await waitWithLog('the source offset past line-300 flushed', async () => (await http('GET', `${worker.url}/connectors/${src}/offsets`)).body.offsets[0]?.offset.position === end, 30_000);
  assert.equal(await worker.stop(), 0, 'a clean shutdown exits 0');
});
