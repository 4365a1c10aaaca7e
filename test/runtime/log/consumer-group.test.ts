import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import type { TopicPartition } from '../../../src/runtime/data-plane/data-plane.js';
import { pollUntil, rec, text, withTempDir } from './helpers.js';

const names = (tps: TopicPartition[]): string[] => tps.map((tp) => `${tp.topic}-${tp.partition}`).sort();

test('two consumers of a group split four partitions 2/2; when one closes the other gets all four', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir });
    try {
      await log.createTopic('orders', { partitions: 4 });
      for (let p = 0; p < 4; p++) await log.produce([rec('orders', null, `p${p}`, { partition: p })]);
      const sub = { topics: ['orders'] };
      const b = await log.openConsumer({ groupId: 'g', clientId: 'b', subscription: sub });
      assert.deepEqual(names(b.assignment()), ['orders-0', 'orders-1', 'orders-2', 'orders-3']);
      const a = await log.openConsumer({ groupId: 'g', clientId: 'a', subscription: sub });
      assert.deepEqual(names(a.assignment()), ['orders-0', 'orders-2']);
      assert.deepEqual(names(b.assignment()), ['orders-1', 'orders-3']);

      // Each reads only its own partitions.
      assert.deepEqual((await pollUntil(a, 2)).map((r) => text(r.value)).sort(), ['p0', 'p2']);
      assert.deepEqual((await pollUntil(b, 2)).map((r) => text(r.value)).sort(), ['p1', 'p3']);
      await a.commit([{ topic: 'orders', partition: 0, offset: 1 }]);

      // A consumer of another group is independent.
      const other = await log.openConsumer({ groupId: 'other', clientId: 'a', subscription: sub });
      assert.equal(other.assignment().length, 4);

      await a.close();
      await a.close();
      assert.deepEqual(names(b.assignment()), ['orders-0', 'orders-1', 'orders-2', 'orders-3']);
      // b keeps its position on 1 and 3, starts 0 at a's commit (nothing new) and 2 from the earliest (re-delivery).
      assert.deepEqual((await pollUntil(b, 1)).map((r) => text(r.value)), ['p2']);
      assert.deepEqual(await b.poll(10, 50), []);
      await assert.rejects(a.poll(1, 10), { code: 'PIPECTL_LOG_CLOSED' });
      await assert.rejects(log.openConsumer({ groupId: 'g', clientId: 'b', subscription: sub }), { code: 'PIPECTL_LOG_DUPLICATE_MEMBER' });
    } finally {
      await log.close();
    }
  });
});

test('a pattern subscription picks up matching topics when they are created, including by produce', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir, defaultPartitions: 2 });
    try {
      await log.createTopic('orders-eu', { partitions: 1 });
      const c = await log.openConsumer({ groupId: 'g', clientId: 'c', subscription: { pattern: /orders-.*/ } });
      assert.deepEqual(names(c.assignment()), ['orders-eu-0']);
      await log.createTopic('xorders-us', { partitions: 1 }); // matches only as a substring: not a whole-name match
      await log.produce([rec('orders-us', 'k', 'hello')]);
      assert.deepEqual(names(c.assignment()), ['orders-eu-0', 'orders-us-0', 'orders-us-1']);
      assert.deepEqual((await pollUntil(c, 1)).map((r) => [r.topic, text(r.value)]), [['orders-us', 'hello']]);
    } finally {
      await log.close();
    }
  });
});

test('poll wakes up as soon as a record is appended, and returns [] after its timeout when none is', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir });
    try {
      await log.createTopic('t', { partitions: 2 });
      const c = await log.openConsumer({ groupId: 'g', clientId: 'c', subscription: { topics: ['t'] } });
      let started = performance.now();
      assert.deepEqual(await c.poll(10, 150), []);
      const waited = performance.now() - started;
      assert.ok(waited >= 140 && waited < 1000, `empty poll took ${waited} ms`);

      started = performance.now();
      const polled = c.poll(10, 10_000);
      setTimeout(() => void log.produce([rec('t', null, 'ping', { partition: 1 })]), 30);
      const records = await polled;
      const elapsed = performance.now() - started;
      assert.deepEqual(records.map((r) => text(r.value)), ['ping']);
      assert.ok(elapsed < 1000, `poll took ${elapsed} ms to see the append`);

      // close() ends a pending poll with [].
      started = performance.now();
      const pending = c.poll(10, 10_000);
      await assert.rejects(c.poll(1, 10), { code: 'PIPECTL_LOG_POLL_IN_PROGRESS' });
      await c.close();
      assert.deepEqual(await pending, []);
      assert.ok(performance.now() - started < 1000);
    } finally {
      await log.close();
    }
  });
});

test('committed offsets survive reopen and a new consumer resumes from them', async () => {
  await withTempDir(async (dir) => {
    let log = await openEmbeddedLog({ dir });
    await log.produce(Array.from({ length: 10 }, (_, i) => rec('t', null, `m${i}`)));
    const c = await log.openConsumer({ groupId: 'connect-sink', clientId: 'sink-0', subscription: { topics: ['t'] } });
    assert.equal((await pollUntil(c, 10)).length, 10);
    await c.commit(new Map([['t-0', 7]]));
    await assert.rejects(c.commit([{ topic: 't', partition: 1, offset: 1 }]), { code: 'PIPECTL_LOG_NOT_OWNER' });
    await log.close();

    log = await openEmbeddedLog({ dir });
    try {
      assert.deepEqual(await log.committedOffsets('connect-sink'), [{ topic: 't', partition: 0, offset: 7 }]);
      const resumed = await log.openConsumer({ groupId: 'connect-sink', clientId: 'sink-0', subscription: { topics: ['t'] } });
      assert.deepEqual((await pollUntil(resumed, 3)).map((r) => text(r.value)), ['m7', 'm8', 'm9']);
      // seek re-delivers from an earlier offset (after a failed put).
      resumed.seek({ topic: 't', partition: 0 }, 8);
      assert.deepEqual((await pollUntil(resumed, 2)).map((r) => r.offset), [8, 9]);
      assert.throws(() => resumed.seek({ topic: 't', partition: 3 }, 0), { code: 'PIPECTL_LOG_NOT_OWNER' });
    } finally {
      await log.close();
    }
  });
});

test('alterCommittedOffsets sets and removes offsets of a stopped group, and refuses while it has consumers', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir });
    try {
      await log.createTopic('t', { partitions: 2 });
      for (let p = 0; p < 2; p++) await log.produce(Array.from({ length: 5 }, (_, i) => rec('t', null, `p${p}-${i}`, { partition: p })));
      await log.alterCommittedOffsets('g', [
        { topic: 't', partition: 0, offset: 3 },
        { topic: 't', partition: 1, offset: 4 },
      ]);
      assert.deepEqual(await log.committedOffsets('g'), [
        { topic: 't', partition: 0, offset: 3 },
        { topic: 't', partition: 1, offset: 4 },
      ]);
      await log.alterCommittedOffsets('g', [{ topic: 't', partition: 1, offset: null }]);
      assert.deepEqual(await log.committedOffsets('g'), [{ topic: 't', partition: 0, offset: 3 }]);
      await assert.rejects(log.alterCommittedOffsets('g', [{ topic: 'nope', partition: 0, offset: 1 }]), { code: 'PIPECTL_LOG_UNKNOWN_TOPIC' });
      await assert.rejects(log.alterCommittedOffsets('g', [{ topic: 't', partition: 2, offset: 1 }]), { code: 'PIPECTL_LOG_UNKNOWN_PARTITION' });

      // Partition 0 starts at the altered offset; partition 1 (removed) starts from the earliest record.
      const c = await log.openConsumer({ groupId: 'g', clientId: 'c', subscription: { topics: ['t'] } });
      const got = (await pollUntil(c, 7)).map((r) => text(r.value)).sort();
      assert.deepEqual(got, ['p0-3', 'p0-4', 'p1-0', 'p1-1', 'p1-2', 'p1-3', 'p1-4']);
      await assert.rejects(log.alterCommittedOffsets('g', [{ topic: 't', partition: 0, offset: 0 }]), { code: 'PIPECTL_LOG_GROUP_NOT_EMPTY' });
      await c.close();
      await log.alterCommittedOffsets('g', [{ topic: 't', partition: 0, offset: 0 }]);
      assert.deepEqual(await log.committedOffsets('g'), [{ topic: 't', partition: 0, offset: 0 }]);
    } finally {
      await log.close();
    }
  });
});

test("autoOffsetReset 'latest' starts a group without commits at the log end", async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir });
    try {
      await log.produce([rec('t', null, 'old')]);
      const c = await log.openConsumer({ groupId: 'g', clientId: 'c', subscription: { topics: ['t'] }, autoOffsetReset: 'latest' });
      assert.deepEqual(await c.poll(10, 50), []);
      await log.produce([rec('t', null, 'new')]);
      assert.deepEqual((await pollUntil(c, 1)).map((r) => text(r.value)), ['new']);
    } finally {
      await log.close();
    }
  });
});
