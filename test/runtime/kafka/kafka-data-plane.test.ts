/**
 * KafkaDataPlane against a real broker: topics through the admin client, and records through a producer and a group
 * consumer — keys, headers, tombstones, explicit partitions and per-partition order survive the round trip.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataPlaneError } from '../../../src/runtime/data-plane/data-plane-error.js';
import { partitionForKey } from '../../../src/runtime/log/partitioner.js';
import { uniqueGroup, uniqueTopic } from '../../support/kafka.js';
import { pollUntil, rec, text, withPlane } from './helpers.js';

test('topics: create with configs, describe, list; creating an existing topic resolves false; bad names and settings are DataPlaneErrors', async () => {
  await withPlane(async (plane) => {
    const topic = uniqueTopic('dp-topics');
    assert.equal(await plane.createTopic(topic, { partitions: 3, config: { 'cleanup.policy': 'compact', 'retention.ms': '3600000' } }), true);
    assert.equal(await plane.createTopic(topic, { partitions: 3 }), false);
    // Only configs set on the topic are reported, not the broker's defaults; the replication factor is the broker's.
    assert.deepEqual(await plane.describeTopic(topic), { name: topic, partitions: 3, replicationFactor: 1, config: { 'cleanup.policy': 'compact', 'retention.ms': '3600000' } });
    assert.equal(await plane.describeTopic(uniqueTopic('dp-missing')), undefined);
    const listed = await plane.listTopics();
    assert.deepEqual(listed.find((t) => t.name === topic)?.partitions, 3);
    assert.deepEqual(listed.map((t) => t.name), [...listed.map((t) => t.name)].sort());

    await assert.rejects(plane.createTopic('bad name!', { partitions: 1 }), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_INVALID_TOPIC');
    await assert.rejects(plane.createTopic(uniqueTopic('dp-bad-rf'), { partitions: 1, replicationFactor: 3 }), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_INVALID_ARGUMENT');
    await assert.rejects(plane.createTopic(uniqueTopic('dp-bad-config'), { partitions: 1, config: { 'cleanup.policy': 'sideways' } }), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_INVALID_ARGUMENT');
    await assert.rejects(plane.createTopic(uniqueTopic('dp-bad-p'), { partitions: 0 }), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_INVALID_ARGUMENT');
  });
});

test('alterTopic: configs as a merge patch (AlterConfigs), partitions up (CreatePartitions), visible at once; refusals are DataPlaneErrors that change nothing', async () => {
  await withPlane(async (plane) => {
    const topic = uniqueTopic('dp-alter');
    await plane.createTopic(topic, { partitions: 2, config: { 'cleanup.policy': 'delete', 'max.message.bytes': '2000000' } });
    await plane.alterTopic(topic, { partitions: 4, config: { 'retention.ms': '3600000', 'max.message.bytes': null } });
    assert.deepEqual(await plane.describeTopic(topic), { name: topic, partitions: 4, replicationFactor: 1, config: { 'cleanup.policy': 'delete', 'retention.ms': '3600000' } });
    await plane.alterTopic(topic, { partitions: 4 }); // the current count: no change, no error
    const refused = (code: string, message: RegExp) => (e: unknown) => e instanceof DataPlaneError && e.code === code && message.test(e.message);
    await assert.rejects(plane.alterTopic(topic, { partitions: 3 }), refused('PIPECTL_LOG_INVALID_ARGUMENT', /has 4 partitions; the count can only grow/));
    // A rejected config adds no partitions: configs go first.
    await assert.rejects(plane.alterTopic(topic, { partitions: 6, config: { 'retention.ms': 'soon' } }), refused('PIPECTL_LOG_INVALID_ARGUMENT', /configs retention\.ms/));
    await assert.rejects(plane.alterTopic(uniqueTopic('dp-alter-missing'), { partitions: 2 }), refused('PIPECTL_LOG_UNKNOWN_TOPIC', /does not exist/));
    assert.deepEqual(await plane.describeTopic(topic), { name: topic, partitions: 4, replicationFactor: 1, config: { 'cleanup.policy': 'delete', 'retention.ms': '3600000' } });
  });
});

test('round trip: keys, headers, tombstones, timestamps and explicit partitions; per-partition order and offsets match the acknowledgements', async () => {
  await withPlane(async (plane) => {
    const topic = uniqueTopic('dp-roundtrip');
    await plane.createTopic(topic, { partitions: 3 });
    const records = [
      rec(topic, 'alpha', 'a1', { headers: [{ key: 'trace', value: Buffer.from('t1') }, { key: 'trace', value: Buffer.from('t2') }, { key: 'empty', value: Buffer.alloc(0) }] }),
      rec(topic, 'beta', 'b1', { timestamp: 1_700_000_000_000 }),
      rec(topic, 'alpha', null), // a tombstone
      rec(topic, null, 'no-key-1'),
      rec(topic, null, 'no-key-2'),
      rec(topic, 'beta', 'pinned', { partition: 0 }),
      rec(topic, 'alpha', 'a2'),
    ];
    const acked = await plane.produce(records);
    assert.equal(acked.length, records.length);
    // Keys land where Kafka's default partitioner puts them; null keys of one call share one partition.
    assert.equal(acked[0]!.partition, partitionForKey(Buffer.from('alpha'), 3));
    assert.equal(acked[1]!.partition, partitionForKey(Buffer.from('beta'), 3));
    assert.equal(acked[3]!.partition, acked[4]!.partition);
    assert.equal(acked[5]!.partition, 0);
    // Offsets are consecutive per partition, in input order.
    const perPartition = new Map<number, number[]>();
    for (const a of acked) perPartition.set(a.partition, [...(perPartition.get(a.partition) ?? []), a.offset]);
    for (const offsets of perPartition.values()) assert.deepEqual(offsets, offsets.map((_, i) => offsets[0]! + i));
    // A second call continues after the first.
    const more = await plane.produce([rec(topic, 'alpha', 'a3')]);
    assert.equal(more[0]!.offset, Math.max(...(perPartition.get(more[0]!.partition) ?? [-1])) + 1);

    const consumer = await plane.openConsumer({ groupId: uniqueGroup('dp-roundtrip'), clientId: 'c1', subscription: { topics: [topic] } });
    try {
      const got = await pollUntil(consumer, records.length + 1);
      assert.equal(got.length, records.length + 1);
      const find = (value: string | null, key: string): (typeof got)[number] => got.find((r) => text(r.value) === value && text(r.key) === key)!;
      const a1 = find('a1', 'alpha');
      assert.deepEqual(a1.headers.map((h) => [h.key, text(h.value)]), [['trace', 't1'], ['trace', 't2'], ['empty', '']]);
      assert.equal(find('b1', 'beta').timestamp, 1_700_000_000_000);
      const tombstone = find(null, 'alpha');
      assert.equal(tombstone.value, null);
      assert.deepEqual({ partition: tombstone.partition, offset: tombstone.offset }, { partition: acked[2]!.partition, offset: acked[2]!.offset });
      assert.ok(Math.abs(find('a2', 'alpha').timestamp - Date.now()) < 60_000, 'a record without a timestamp gets the send time');
      // Per partition: in offset order, the values in the order they were produced.
      for (const [partition, offsets] of perPartition) {
        const seen = got.filter((r) => r.partition === partition && r.offset <= offsets[offsets.length - 1]!).map((r) => r.offset);
        assert.deepEqual(seen, offsets, `partition ${partition}`);
      }
      assert.deepEqual(got.filter((r) => text(r.key) === 'alpha').map((r) => text(r.value)), ['a1', null, 'a2', 'a3']);
    } finally {
      await consumer.close();
    }
  });
});

test('produce rejects an explicit partition the topic does not have, and after close', async () => {
  let closedPlane: Awaited<Parameters<Parameters<typeof withPlane>[0]>[0]> | undefined;
  await withPlane(async (plane) => {
    const topic = uniqueTopic('dp-partition');
    await plane.createTopic(topic, { partitions: 2 });
    await assert.rejects(plane.produce([rec(topic, null, 'x', { partition: 5 })]), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_UNKNOWN_PARTITION');
    assert.deepEqual(await plane.produce([]), []);
    closedPlane = plane;
  });
  await assert.rejects(closedPlane!.produce([rec('x', null, 'y')]), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_CLOSED');
});

test('produce creates a missing topic with the broker defaults (auto-creation), as Connect relies on', async () => {
  await withPlane(async (plane) => {
    const topic = uniqueTopic('dp-autocreate');
    const [meta] = await plane.produce([rec(topic, 'k', 'v')]);
    assert.deepEqual(meta, { topic, partition: 0, offset: 0 });
    assert.equal((await plane.describeTopic(topic))?.partitions, 1);
  });
});

test('one produce larger than a request may be (max.request.size, 1 MiB) goes as several requests, in order; one record over it is refused', async () => {
  await withPlane(async (plane) => {
    // Found by the Debezium parity test: a 500-row transaction with its schemas (~1.5 MB) in one produce was refused
    // by the broker (MESSAGE_TOO_LARGE) and failed the task. 3 MB here, over two partitions.
    const topic = uniqueTopic('dp-large-send');
    await plane.createTopic(topic, { partitions: 2 });
    const payload = (i: number): string => `${i}:`.padEnd(3000, 'x');
    const records = Array.from({ length: 1000 }, (_, i) => rec(topic, null, payload(i), { partition: i % 2 }));
    const acked = await plane.produce(records);
    assert.deepEqual(acked.map((m) => [m.partition, m.offset]), records.map((_, i) => [i % 2, Math.floor(i / 2)]), 'offsets in input order, per partition');
    const consumer = await plane.openConsumer({ groupId: uniqueGroup('dp-large-send'), clientId: 'c1', subscription: { topics: [topic] } });
    try {
      const got = await pollUntil(consumer, records.length, 60_000);
      for (const p of [0, 1]) {
        assert.deepEqual(got.filter((r) => r.partition === p).map((r) => text(r.value)), records.filter((_, i) => i % 2 === p).map((r) => text(r.value)));
      }
    } finally {
      await consumer.close();
    }
    await assert.rejects(plane.produce([rec(topic, null, 'y'.repeat(1_100_000))]), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_INVALID_RECORD' && /max\.request\.size=1048576/.test(e.message));
  });
});

test('producer.max.request.size raises the limit (up to what the broker takes)', async () => {
  await withPlane(async (plane) => {
    const topic = uniqueTopic('dp-request-size');
    await plane.createTopic(topic, { partitions: 1 });
    // 20 records of 2 KB with a 16 KB limit: at least 3 requests, all written in order.
    const records = Array.from({ length: 20 }, (_, i) => rec(topic, String(i), `${i}`.padEnd(2000, '.')));
    assert.deepEqual((await plane.produce(records)).map((m) => m.offset), records.map((_, i) => i));
    await assert.rejects(plane.produce([rec(topic, null, 'z'.repeat(20_000))]), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_INVALID_RECORD');
  }, { 'producer.max.request.size': '16384' });
});
