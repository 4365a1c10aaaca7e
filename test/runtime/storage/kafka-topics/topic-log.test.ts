/**
 * TopicLog and ensureInternalTopic against the real broker of the test run: reading every partition without a group,
 * two logs (two workers) on one topic, readToEnd, tombstones, and the internal-topic checks Connect makes.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { InternalLogRecord } from '../../../../src/runtime/storage/kafka-topics/internal-log.js';
import { ensureInternalTopic, TopicLog } from '../../../../src/runtime/storage/kafka-topics/topic-log.js';
import { kafkajsRawClusterFactory } from '../../../../src/runtime/kafka/kafka-client.js';
import { openKafkaDataPlane, type KafkaDataPlane } from '../../../../src/runtime/kafka/kafka-data-plane.js';
import { silentLogger } from '../../../../src/runtime/logger.js';
import { kafkaBootstrap, uniqueTopic } from '../../../support/kafka.js';
import { waitFor } from '../../../support/worker-process.js';

let bootstrap: string;
let dataPlane: KafkaDataPlane;
const logs: TopicLog[] = [];

before(async () => {
  bootstrap = await kafkaBootstrap();
  dataPlane = await openKafkaDataPlane({ workerConfig: { 'bootstrap.servers': bootstrap }, logger: silentLogger });
});

after(async () => {
  await Promise.all(logs.map((l) => l.stop()));
  await dataPlane.close();
});

/** A started log of `topic` and the records it has passed to onRecord. */
async function openLog(topic: string): Promise<{ log: TopicLog; seen: InternalLogRecord[] }> {
  const port = kafkajsRawClusterFactory(silentLogger).rawCluster({ brokers: [bootstrap], clientId: `topic-log-${logs.length}` });
  const log = new TopicLog({ topic, port, dataPlane, logger: silentLogger, fetchMaxWaitMs: 200 });
  logs.push(log);
  const seen: InternalLogRecord[] = [];
  await log.start((r) => seen.push(r));
  return { log, seen };
}

async function compactedTopic(partitions: number): Promise<string> {
  const name = uniqueTopic('internal');
  await ensureInternalTopic(dataPlane, { name, partitions, replicationFactor: 1, role: 'status' });
  return name;
}

const text = (records: readonly InternalLogRecord[]): string[] => records.map((r) => `${r.key?.toString() ?? 'null'}=${r.value?.toString() ?? 'null'}`);
const w = (key: string, value: string | null, partition?: number) => ({ key: Buffer.from(key), value: value === null ? null : Buffer.from(value), ...(partition === undefined ? {} : { partition }) });

test('start reads what is already there, from every partition, in offset order per partition', async () => {
  const topic = await compactedTopic(3);
  const { log: writer } = await openLog(topic);
  await writer.send([w('a', '1', 0), w('b', '1', 1), w('c', '1', 2), w('a', '2', 0), w('b', '2', 1)]);

  const { seen } = await openLog(topic);
  assert.equal(seen.length, 5);
  for (const p of [0, 1, 2]) {
    const offsets = seen.filter((r) => r.partition === p).map((r) => r.offset);
    assert.deepEqual(offsets, [...offsets].sort((x, y) => x - y));
  }
  assert.deepEqual(text(seen.filter((r) => r.partition === 0)), ['a=1', 'a=2']);
});

test('two logs on one topic see each other\'s records, in the background and by readToEnd', async () => {
  const topic = await compactedTopic(3);
  const a = await openLog(topic);
  const b = await openLog(topic);

  await a.log.send([w('from-a', 'x')]);
  await waitFor('b sees a\'s record in the background', () => b.seen.some((r) => r.key?.toString() === 'from-a'), 10_000);

  await b.log.send([w('from-b', 'y'), w('from-b2', 'z')]);
  await a.log.readToEnd(); // the write was acknowledged before: it must be there now
  assert.deepEqual(text(a.seen).sort(), ['from-a=x', 'from-b2=z', 'from-b=y']);
});

test('readToEnd after send has seen the record; keyed records land where murmur2 puts them', async () => {
  const topic = await compactedTopic(5);
  const { log, seen } = await openLog(topic);
  for (let i = 0; i < 5; i++) {
    await log.send([w(`connector-${i}`, `{"v":${i}}`)]);
    await log.readToEnd();
    assert.equal(seen.length, i + 1, `record ${i} seen right after readToEnd`);
  }
  // Kafka's partitioner: toPositive(murmur2("connector-0")) % 5; checked against the embedded log's partitioner.
  const { partitionForKey } = await import('../../../../src/runtime/log/partitioner.js');
  for (const r of seen) assert.equal(r.partition, partitionForKey(r.key!, 5));
});

test('tombstones come through with a null value', async () => {
  const topic = await compactedTopic(1);
  const { log, seen } = await openLog(topic);
  await log.send([w('connector-x', '{"properties":{}}'), w('connector-x', null)]);
  await log.readToEnd();
  assert.deepEqual(text(seen), ['connector-x={"properties":{}}', 'connector-x=null']);
  assert.equal(seen[1]!.value, null);
});

test('a missing topic is refused at start and not created by the read', async () => {
  const topic = uniqueTopic('missing');
  const port = kafkajsRawClusterFactory(silentLogger).rawCluster({ brokers: [bootstrap], clientId: 'missing', retry: { retries: 1 } });
  const log = new TopicLog({ topic, port, dataPlane, logger: silentLogger, missingTopicGraceMs: 1000 });
  await assert.rejects(log.start(() => undefined), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'PIPECTL_DISTRIBUTED_TOPIC_UNAVAILABLE');
    assert.match(e.message, new RegExp(`"${topic}"`));
    return true;
  });
  assert.equal(await dataPlane.describeTopic(topic), undefined);
  await assert.rejects(log.readToEnd(), { code: 'PIPECTL_DISTRIBUTED_STOPPED' });
});

test('after stop, readToEnd and send are refused', async () => {
  const topic = await compactedTopic(1);
  const { log } = await openLog(topic);
  await log.stop();
  await assert.rejects(log.readToEnd(), { code: 'PIPECTL_DISTRIBUTED_STOPPED' });
  await assert.rejects(log.send([w('k', 'v')]), { code: 'PIPECTL_DISTRIBUTED_STOPPED' });
});

test('ensureInternalTopic creates a missing topic compacted (the config topic with one partition), then accepts it', async () => {
  const offsets = uniqueTopic('offsets');
  assert.deepEqual(await ensureInternalTopic(dataPlane, { name: offsets, partitions: 4, replicationFactor: 1, configs: { 'retention.ms': '86400000' }, role: 'offset' }), { created: true });
  const described = await dataPlane.describeTopic(offsets);
  assert.equal(described?.partitions, 4);
  assert.equal(described?.config['cleanup.policy'], 'compact');
  assert.equal(described?.config['retention.ms'], '86400000');
  assert.deepEqual(await ensureInternalTopic(dataPlane, { name: offsets, partitions: 4, replicationFactor: 1, role: 'offset' }), { created: false });

  const configs = uniqueTopic('configs');
  await ensureInternalTopic(dataPlane, { name: configs, partitions: 25, replicationFactor: -1, role: 'config' });
  assert.equal((await dataPlane.describeTopic(configs))?.partitions, 1);
});

test('ensureInternalTopic refuses an existing topic that is not exactly compact, naming the topic and the fix', async () => {
  for (const config of [{}, { 'cleanup.policy': 'delete' }, { 'cleanup.policy': 'compact,delete' }] as Record<string, string>[]) {
    const name = uniqueTopic('not-compacted');
    await dataPlane.createTopic(name, { partitions: 1, config });
    await assert.rejects(ensureInternalTopic(dataPlane, { name, partitions: 1, replicationFactor: 1, role: 'status' }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'PIPECTL_DISTRIBUTED_TOPIC_NOT_COMPACTED');
      assert.match(e.message, new RegExp(`internal topic "${name}" \\(status\\.storage\\.topic\\)`));
      assert.match(e.message, /cleanup\.policy=compact/);
      if (config['cleanup.policy']) assert.match(e.message, new RegExp(`has cleanup\\.policy=${config['cleanup.policy']};`));
      return true;
    });
  }
});

test('ensureInternalTopic refuses a config topic with two partitions', async () => {
  const name = uniqueTopic('configs-2p');
  await dataPlane.createTopic(name, { partitions: 2, config: { 'cleanup.policy': 'compact' } });
  await assert.rejects(ensureInternalTopic(dataPlane, { name, partitions: 1, replicationFactor: 1, role: 'config' }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'PIPECTL_DISTRIBUTED_CONFIG_TOPIC_PARTITIONS');
    assert.match(e.message, new RegExp(`"${name}" \\(config\\.storage\\.topic\\) has 2 partitions; the config topic must have exactly 1`));
    return true;
  });
});
