/**
 * KIP-158 topic creation on a real standalone worker with the embedded log: a source connector's `topic.creation.*`
 * groups decide the partitions and configs of the topics it creates before its first write; existing topics are left
 * alone; bad settings are refused at create or fail the task in stage "topic creation"; `topic.creation.enable=false`
 * turns it all off.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';

const CREATION = {
  'topic.creation.default.replication.factor': '1',
  'topic.creation.default.partitions': '3',
  'topic.creation.groups': 'audit',
  'topic.creation.audit.include': 'audit\\..*',
  'topic.creation.audit.partitions': '2',
  'topic.creation.audit.cleanup.policy': 'compact',
  'topic.creation.audit.retention.ms': '3600000',
};

const generator = (topic: string, extra: Record<string, string> = {}): Record<string, string> => ({ 'connector.class': 'Generator', topic, count: '20', ...CREATION, ...extra });

async function topic(worker: WorkerProcess, name: string): Promise<{ partitions: number; replicationFactor: number; config: Record<string, string> } | undefined> {
  return ((await http('GET', `${worker.url}/pipectl/v1/topics`)).body as { name: string; partitions: number; replicationFactor: number; config: Record<string, string> }[]).find((t) => t.name === name);
}

async function waitForSourceOffsets(worker: WorkerProcess, connector: string): Promise<void> {
  await waitFor(`${connector} to commit source offsets`, async () => ((await http('GET', `${worker.url}/connectors/${connector}/offsets`)).body?.offsets?.length ?? 0) > 0, 20_000);
}

test('a source creates its new topics with the settings of the first matching group, and leaves existing topics alone', async () => {
  const tree = writeTree({});
  const worker = await startWorker({ dir: tree.dir });
  try {
    assert.equal((await http('POST', `${worker.url}/pipectl/v1/topics`, { name: 'existing', partitions: 1 })).status, 201);
    for (const [name, t] of [['metrics-gen', 'metrics'], ['audit-gen', 'audit.events'], ['existing-gen', 'existing']] as const) {
      const r = await http('POST', `${worker.url}/connectors`, { name, config: generator(t) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    for (const name of ['metrics-gen', 'audit-gen', 'existing-gen']) await waitForSourceOffsets(worker, name);

    assert.deepEqual(await topic(worker, 'metrics'), { name: 'metrics', partitions: 3, replicationFactor: 1, config: {} }, 'the default group');
    assert.deepEqual(await topic(worker, 'audit.events'), { name: 'audit.events', partitions: 2, replicationFactor: 1, config: { 'cleanup.policy': 'compact', 'retention.ms': '3600000' } }, 'the audit group');
    assert.deepEqual(await topic(worker, 'existing'), { name: 'existing', partitions: 1, replicationFactor: 1, config: {} }, 'an existing topic is not changed');
  } finally {
    await worker.stop();
    tree.cleanup();
  }
});

test('invalid topic.creation settings are refused at create; a topic config the log rejects fails the task in stage "topic creation"', async () => {
  const tree = writeTree({});
  const worker = await startWorker({ dir: tree.dir });
  try {
    const refused = await http('POST', `${worker.url}/connectors`, { name: 'bad', config: generator('t', { 'topic.creation.default.partitions': '0', 'topic.creation.audit.replication.factor': '-3' }) });
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /topic\.creation\.default\.partitions: Invalid value 0 for configuration topic\.creation\.default\.partitions: Number of partitions must be positive, or -1/);
    assert.match(refused.body.message, /topic\.creation\.audit\.replication\.factor: Invalid value -3/);
    const missing = await http('POST', `${worker.url}/connectors`, { name: 'bad', config: { 'connector.class': 'Generator', topic: 't', 'topic.creation.default.partitions': '3' } });
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /Missing required configuration "topic.creation.default.replication.factor"/);

    const created = await http('POST', `${worker.url}/connectors`, { name: 'bad-retention', config: generator('audit.bad', { 'topic.creation.audit.retention.ms': 'forever' }) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const status = await waitFor('the task to fail', async () => {
      const s = (await http('GET', `${worker.url}/connectors/bad-retention/status`)).body;
      return s?.tasks?.[0]?.state === 'FAILED' ? s : undefined;
    });
    assert.match(status.tasks[0].trace, /failed in stage "topic creation"/);
    assert.match(status.tasks[0].trace, /Task failed to create new topic audit\.bad .*topic creation group audit.*retention\.ms="forever"/s);
    assert.match(status.tasks[0].trace, /Fix the connector's topic\.creation\.audit\.\* settings/);
    assert.equal(await topic(worker, 'audit.bad'), undefined, 'nothing was written to a default-created topic');
  } finally {
    await worker.stop();
    tree.cleanup();
  }
});

test('with topic.creation.enable=false the keys are ignored: the log creates the topic with its defaults', async () => {
  const tree = writeTree({});
  const worker = await startWorker({ dir: tree.dir, config: { 'topic.creation.enable': 'false' } });
  try {
    const r = await http('POST', `${worker.url}/connectors`, { name: 'metrics-gen', config: generator('metrics', { 'topic.creation.audit.partitions': '0' }) });
    assert.equal(r.status, 201, 'not validated either, as in Connect');
    await waitForSourceOffsets(worker, 'metrics-gen');
    assert.deepEqual(await topic(worker, 'metrics'), { name: 'metrics', partitions: 1, replicationFactor: 1, config: {} });
  } finally {
    await worker.stop();
    tree.cleanup();
  }
});
