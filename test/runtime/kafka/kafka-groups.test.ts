/**
 * KafkaDataPlane consumer groups against a real broker: a group split across two members, commit and reopen,
 * altering a group's offsets while it is empty (and refused while it is not), seek, and back-pressure.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Consumer, StoredRecord } from '../../../src/runtime/data-plane/data-plane.js';
import { DataPlaneError } from '../../../src/runtime/data-plane/data-plane-error.js';
import { uniqueGroup, uniqueTopic } from '../../support/kafka.js';
import { names, pollUntil, rec, text, waitUntil, withPlane } from './helpers.js';

const values = (records: readonly StoredRecord[]): (string | null)[] => records.map((r) => text(r.value));

test('two members split the partitions of a group; when one leaves, the other takes them all', async () => {
  await withPlane(async (plane) => {
    const topic = uniqueTopic('grp-split');
    const groupId = uniqueGroup('grp-split');
    await plane.createTopic(topic, { partitions: 4 });
    const sub = { topics: [topic] };
    const a = await plane.openConsumer({ groupId, clientId: 'a', subscription: sub });
    let b: Consumer | undefined;
    try {
      await waitUntil('a to own all four partitions', () => a.assignment().length === 4);
      b = await plane.openConsumer({ groupId, clientId: 'b', subscription: sub });
      // Both poll meanwhile, as sink tasks do; kafkajs rebalances in the background.
      await waitUntil('a 2/2 split', async () => {
        await Promise.all([a.poll(10, 50), b!.poll(10, 50)]);
        return a.assignment().length === 2 && b!.assignment().length === 2;
      });
      const all = [...names(a.assignment()), ...names(b.assignment())].sort();
      assert.deepEqual(all, [0, 1, 2, 3].map((p) => `${topic}-${p}`));

      for (let p = 0; p < 4; p++) await plane.produce([rec(topic, null, `p${p}-0`, { partition: p }), rec(topic, null, `p${p}-1`, { partition: p })]);
      const [fromA, fromB] = await Promise.all([pollUntil(a, 4), pollUntil(b, 4)]);
      // Each member reads only its own partitions, each partition in order; together they read everything once.
      for (const [member, got] of [[a, fromA], [b, fromB]] as const) {
        const owned = new Set(names(member.assignment()));
        assert.ok(got.every((r) => owned.has(`${r.topic}-${r.partition}`)));
        for (const p of new Set(got.map((r) => r.partition))) assert.deepEqual(values(got.filter((r) => r.partition === p)), [`p${p}-0`, `p${p}-1`]);
      }
      assert.deepEqual([...values(fromA), ...values(fromB)].sort(), [0, 1, 2, 3].flatMap((p) => [`p${p}-0`, `p${p}-1`]));
      // a commits what it read before it leaves; b then gets a's partitions and starts at those commits.
      await a.commit(fromA.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.offset + 1 })));
      await a.close();
      await a.close();
      await assert.rejects(a.poll(1, 10), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_CLOSED');
      await waitUntil('b to own all four partitions', async () => {
        await b!.poll(10, 50);
        return b!.assignment().length === 4;
      });
      assert.deepEqual(await b.poll(10, 1000), [], "b does not re-read what a committed");
    } finally {
      await a.close();
      await b?.close();
    }
  });
});

test('commit, close and reopen: the group continues from the committed offsets; offsets are listed per partition', async () => {
  await withPlane(async (plane) => {
    const topic = uniqueTopic('grp-commit');
    const groupId = uniqueGroup('grp-commit');
    await plane.createTopic(topic, { partitions: 2 });
    await plane.produce(Array.from({ length: 10 }, (_, i) => rec(topic, null, `v${i}`, { partition: 0 })));
    await plane.produce([rec(topic, null, 'other', { partition: 1 })]);
    const first = await plane.openConsumer({ groupId, clientId: 'c', subscription: { topics: [topic] } });
    const got = await pollUntil(first, 11);
    assert.equal(got.length, 11);
    // A Map keyed "topic-partition" is accepted too (the embedded log's form); offsets are "next to read".
    await first.commit(new Map([[`${topic}-0`, 6]]));
    await first.commit([{ topic, partition: 1, offset: 1 }]);
    assert.deepEqual(await plane.committedOffsets(groupId), [
      { topic, partition: 0, offset: 6 },
      { topic, partition: 1, offset: 1 },
    ]);
    await first.close();

    const second = await plane.openConsumer({ groupId, clientId: 'c', subscription: { topics: [topic] } });
    try {
      assert.deepEqual(values(await pollUntil(second, 4)), ['v6', 'v7', 'v8', 'v9']);
      assert.deepEqual(await second.poll(10, 500), []);
    } finally {
      await second.close();
    }
    assert.deepEqual(await plane.committedOffsets(uniqueGroup('grp-none')), []);
  });
});

test('alterCommittedOffsets while the group is empty: set, then remove one partition; refused while a member is in it', async () => {
  await withPlane(async (plane) => {
    const topic = uniqueTopic('grp-alter');
    const groupId = uniqueGroup('grp-alter');
    await plane.createTopic(topic, { partitions: 2 });
    await plane.produce(Array.from({ length: 5 }, (_, i) => rec(topic, null, `v${i}`, { partition: 0 })));
    await plane.produce(Array.from({ length: 5 }, (_, i) => rec(topic, null, `w${i}`, { partition: 1 })));

    await plane.alterCommittedOffsets(groupId, [
      { topic, partition: 0, offset: 3 },
      { topic, partition: 1, offset: 4 },
    ]);
    assert.deepEqual(await plane.committedOffsets(groupId), [
      { topic, partition: 0, offset: 3 },
      { topic, partition: 1, offset: 4 },
    ]);
    await assert.rejects(plane.alterCommittedOffsets(groupId, [{ topic, partition: 7, offset: 1 }]), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_UNKNOWN_PARTITION');
    await assert.rejects(plane.alterCommittedOffsets(groupId, [{ topic: uniqueTopic('grp-nope'), partition: 0, offset: 1 }]), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_UNKNOWN_TOPIC');
    await assert.rejects(plane.alterCommittedOffsets(groupId, [{ topic, partition: 0, offset: -2 }]), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_INVALID_ARGUMENT');

    // A member starts at the altered offsets; while it is in the group, altering is refused.
    const member = await plane.openConsumer({ groupId, clientId: 'm', subscription: { topics: [topic] } });
    try {
      assert.deepEqual(values(await pollUntil(member, 3)).sort(), ['v3', 'v4', 'w4']);
      await assert.rejects(plane.alterCommittedOffsets(groupId, [{ topic, partition: 0, offset: 0 }]), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_GROUP_NOT_EMPTY');
    } finally {
      await member.close();
    }
    // Empty again: remove partition 1's offset (reset), move partition 0 back to 1.
    await plane.alterCommittedOffsets(groupId, [
      { topic, partition: 0, offset: 1 },
      { topic, partition: 1, offset: null },
    ]);
    assert.deepEqual(await plane.committedOffsets(groupId), [{ topic, partition: 0, offset: 1 }]);
    const again = await plane.openConsumer({ groupId, clientId: 'm', subscription: { topics: [topic] } });
    try {
      const got = await pollUntil(again, 9);
      assert.deepEqual(values(got.filter((r) => r.partition === 0)), ['v1', 'v2', 'v3', 'v4']);
      assert.deepEqual(values(got.filter((r) => r.partition === 1)), ['w0', 'w1', 'w2', 'w3', 'w4'], 'no committed offset: auto.offset.reset=earliest');
    } finally {
      await again.close();
    }
  });
});

test('seek re-delivers from an offset; a slow reader gets everything in order while full buffers hold the fetching', async () => {
  await withPlane(async (plane, log) => {
    const topic = uniqueTopic('grp-backpressure');
    await plane.createTopic(topic, { partitions: 1 });
    const total = 5000;
    for (let i = 0; i < total; i += 1000) await plane.produce(Array.from({ length: 1000 }, (_, j) => rec(topic, null, String(i + j))));
    // max.poll.records=500 → a partition with 500 buffered records holds kafkajs's next fetch.
    const consumer = await plane.openConsumer({ groupId: uniqueGroup('grp-backpressure'), clientId: 'slow', subscription: { topics: [topic] }, clientOverrides: { 'max.poll.records': '500' } });
    try {
      const first = await pollUntil(consumer, 10);
      assert.deepEqual(values(first), Array.from({ length: 10 }, (_, i) => String(i)));
      consumer.seek({ topic, partition: 0 }, 3);
      const seen: number[] = [];
      const deadline = Date.now() + 60_000;
      while (seen.length < total - 3 && Date.now() < deadline) {
        for (const r of await consumer.poll(97, 500)) seen.push(Number(text(r.value)));
        await new Promise((r) => setTimeout(r, 2)); // slower than kafkajs fetches
      }
      assert.equal(seen.length, total - 3);
      assert.ok(seen.every((v, i) => v === i + 3), 'every record once, in order, from the seek');
      assert.ok(log.some((l) => /partition buffer full: fetching waits/.test(l.message)), 'back-pressure engaged');
      assert.throws(() => consumer.seek({ topic: uniqueTopic('grp-other'), partition: 0 }, 0), (e: unknown) => e instanceof DataPlaneError && e.code === 'PIPECTL_LOG_NOT_OWNER');
    } finally {
      await consumer.close();
    }
  });
});

test('a pattern subscription (topics.regex) matches whole names and picks up a topic created later', async () => {
  const prefix = uniqueTopic('grp-pattern');
  await withPlane(
    async (plane) => {
      await plane.createTopic(`${prefix}-eu`, { partitions: 1 });
      await plane.createTopic(`x${prefix}-us`, { partitions: 1 }); // a substring match only
      const consumer = await plane.openConsumer({ groupId: uniqueGroup('grp-pattern'), clientId: 'p', subscription: { pattern: new RegExp(`${prefix}-.*`) } });
      try {
        await plane.produce([rec(`${prefix}-eu`, null, 'eu'), rec(`x${prefix}-us`, null, 'not me')]);
        assert.deepEqual(values(await pollUntil(consumer, 1)), ['eu']);
        await plane.createTopic(`${prefix}-us`, { partitions: 1 });
        await plane.produce([rec(`${prefix}-us`, null, 'us')]);
        assert.deepEqual(values(await pollUntil(consumer, 1)), ['us']);
        assert.deepEqual(names(consumer.assignment()), [`${prefix}-eu-0`, `${prefix}-us-0`]);
      } finally {
        await consumer.close();
      }
    },
    { 'consumer.metadata.max.age.ms': '1000' },
  );
});
