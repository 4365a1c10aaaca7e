/**
 * KIP-158 topic creation against a real Kafka broker: a standalone worker with `bootstrap.servers` creates a source's
 * new topics with the partitions, replication factor and configs of the first matching `topic.creation` group (-1 =
 * the broker's defaults) before the first write; an existing topic is left alone; a config Kafka rejects fails the
 * task in stage "topic creation".
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kafkaBootstrap, uniqueTopic } from '../../support/kafka.js';
import { writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';

let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

before(async () => {
  const bootstrap = await kafkaBootstrap();
  tree = writeTree({});
  worker = await startWorker({ dir: tree.dir, config: { 'bootstrap.servers': bootstrap }, startTimeoutMs: 60_000 });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

const CREATION = {
  'topic.creation.default.replication.factor': '1',
  'topic.creation.default.partitions': '3',
  'topic.creation.groups': 'audit, brokerDefaults',
  'topic.creation.audit.include': 'tc-audit-.*',
  'topic.creation.audit.partitions': '2',
  'topic.creation.audit.cleanup.policy': 'compact',
  'topic.creation.audit.retention.ms': '3600000',
  'topic.creation.brokerDefaults.include': 'tc-broker-.*',
  'topic.creation.brokerDefaults.partitions': '-1',
  'topic.creation.brokerDefaults.replication.factor': '-1',
};

interface Topic {
  name: string;
  partitions: number;
  replicationFactor: number;
  config: Record<string, string>;
}

async function topic(name: string): Promise<Topic | undefined> {
  return ((await http('GET', `${worker.url}/pipectl/v1/topics`)).body as Topic[]).find((t) => t.name === name);
}

/** waitFor, with the worker's log in the error. */
async function waitWithLog<T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T> {
  try {
    return await waitFor(what, fn, 30_000);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- worker log (last 40 lines) ---\n${worker.log().split('\n').slice(-40).join('\n')}`);
  }
}

test('a source creates its new Kafka topics with its groups\' partitions, replication factor and configs', async () => {
  const topics = { metrics: uniqueTopic('tc-metrics'), audit: uniqueTopic('tc-audit'), broker: uniqueTopic('tc-broker'), existing: uniqueTopic('tc-existing') };
  assert.equal((await http('POST', `${worker.url}/pipectl/v1/topics`, { name: topics.existing, partitions: 1 })).status, 201);
  for (const [name, t] of Object.entries(topics)) {
    const r = await http('POST', `${worker.url}/connectors`, { name: `${name}-gen`, config: { 'connector.class': 'Generator', topic: t, count: '20', ...CREATION } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  for (const name of Object.keys(topics)) {
    await waitWithLog(`${name}-gen to commit source offsets`, async () => ((await http('GET', `${worker.url}/connectors/${name}-gen/offsets`)).body?.offsets?.length ?? 0) > 0);
  }
  assert.deepEqual(await topic(topics.metrics), { name: topics.metrics, partitions: 3, replicationFactor: 1, config: {} }, 'the default group');
  assert.deepEqual(await topic(topics.audit), { name: topics.audit, partitions: 2, replicationFactor: 1, config: { 'cleanup.policy': 'compact', 'retention.ms': '3600000' } }, 'the audit group');
  assert.deepEqual(await topic(topics.broker), { name: topics.broker, partitions: 1, replicationFactor: 1, config: {} }, "-1: the broker's num.partitions (1 on the test broker)");
  assert.deepEqual(await topic(topics.existing), { name: topics.existing, partitions: 1, replicationFactor: 1, config: {} }, 'an existing topic is not changed');
});

test('a topic config Kafka rejects fails the task in stage "topic creation"', async () => {
  const t = uniqueTopic('tc-audit-bad');
  const r = await http('POST', `${worker.url}/connectors`, { name: 'bad-policy-gen', config: { 'connector.class': 'Generator', topic: t, count: '5', ...CREATION, 'topic.creation.audit.cleanup.policy': 'sometimes' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const status = await waitWithLog('the task to fail', async () => {
    const s = (await http('GET', `${worker.url}/connectors/bad-policy-gen/status`)).body;
    return s?.tasks?.[0]?.state === 'FAILED' ? s : undefined;
  });
  assert.match(status.tasks[0].trace, /failed in stage "topic creation"/);
  assert.match(status.tasks[0].trace, new RegExp(`Task failed to create new topic ${t} .*topic creation group audit`));
  assert.equal(await topic(t), undefined);
});
