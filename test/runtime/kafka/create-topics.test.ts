/**
 * Topic creation that waits for leaders on the real broker: many topics created at once (as a worker's first start and
 * the test suite do) are each usable the moment the call returns; an existing topic is reported, not an error; a
 * request the broker refuses fails at once with the broker's error, not after the wait.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { createTopicsAndAwaitLeaders } from '../../../src/runtime/kafka/kafkajs/create-topics.js';
import { kafkaBootstrap, uniqueTopic } from '../../support/kafka.js';

test('topics created at once each have a leader for every partition when the call returns, and take a record at once', { timeout: 120_000 }, async () => {
  const kafka = new Kafka({ clientId: 'pipectl-create-topics-test', brokers: [await kafkaBootstrap()], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  try {
    const topics = Array.from({ length: 12 }, (_, i) => ({ topic: uniqueTopic(`ready-${i}`), numPartitions: 1 + (i % 3) }));
    const created = await Promise.all(topics.map((t) => createTopicsAndAwaitLeaders(admin, [t])));
    assert.deepEqual(created, topics.map(() => true));
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
    for (const t of topics) {
      const partitions = metadata.find((m) => m.name === t.topic)?.partitions ?? [];
      assert.equal(partitions.length, t.numPartitions, t.topic);
      assert.ok(partitions.every((p) => p.leader >= 0), `${t.topic} has a partition without a leader`);
    }
    await Promise.all(topics.map((t) => producer.send({ topic: t.topic, acks: -1, messages: [{ value: 'first' }] })));

    assert.equal(await createTopicsAndAwaitLeaders(admin, [topics[0]!]), false, 'an existing topic is reported as not created');

    const started = Date.now();
    await assert.rejects(createTopicsAndAwaitLeaders(admin, [{ topic: uniqueTopic('too-many-replicas'), replicationFactor: 5 }], 60_000), (e: Error & { type?: string }) => {
      assert.match(`${e.message} ${JSON.stringify((e as { errors?: unknown }).errors ?? '')}`, /replication/i);
      return true;
    });
    assert.ok(Date.now() - started < 60_000, 'a refused request fails before the wait would have ended');
  } finally {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }
});
