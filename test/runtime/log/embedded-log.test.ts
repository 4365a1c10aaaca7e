import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import type { EmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import { partitionForKey } from '../../../src/runtime/log/partitioner.js';
import type { StoredRecord } from '../../../src/runtime/data-plane/data-plane.js';
import { numbered, rec, text, withTempDir } from './helpers.js';

async function readAll(log: EmbeddedLog, topic: string, partition = 0): Promise<StoredRecord[]> {
  const [offsets] = (await log.listOffsets(topic)).filter((o) => o.partition === partition);
  const out: StoredRecord[] = [];
  let next = offsets!.startOffset;
  while (next < offsets!.endOffset) {
    const batch = await log.read({ topic, partition }, next, 1000);
    assert.ok(batch.length > 0, `read at ${next} returned nothing`);
    out.push(...batch);
    next = batch[batch.length - 1]!.offset + 1;
  }
  return out;
}

test('records round-trip with keys, values, headers, null keys, tombstones and timestamps', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir, clock: { now: () => 777 } });
    try {
      await log.createTopic('orders', { partitions: 1 });
      const meta = await log.produce([
        rec('orders', 'k1', 'v1', { headers: [{ key: 'trace', value: Buffer.from('abc') }, { key: 'empty', value: null }], timestamp: 123 }),
        rec('orders', null, 'no-key'),
        rec('orders', 'k1', null),
      ]);
      assert.deepEqual(meta, [0, 1, 2].map((offset) => ({ topic: 'orders', partition: 0, offset })));
      const got = await log.read({ topic: 'orders', partition: 0 }, 0, 10);
      assert.deepEqual(
        got.map((r) => ({ offset: r.offset, key: text(r.key), value: text(r.value), ts: r.timestamp, h: r.headers.map((h) => [h.key, text(h.value)]) })),
        [
          { offset: 0, key: 'k1', value: 'v1', ts: 123, h: [['trace', 'abc'], ['empty', null]] },
          { offset: 1, key: null, value: 'no-key', ts: 777, h: [] },
          { offset: 2, key: 'k1', value: null, ts: 777, h: [] },
        ],
      );
      assert.deepEqual(await log.read({ topic: 'orders', partition: 0 }, 1, 1).then((r) => r.map((x) => x.offset)), [1]);
      assert.deepEqual(await log.read({ topic: 'orders', partition: 0 }, 3, 10), []);
      await assert.rejects(log.read({ topic: 'orders', partition: 0 }, 4, 10), { code: 'PIPECTL_LOG_OFFSET_OUT_OF_RANGE' });
    } finally {
      await log.close();
    }
  });
});

test('offsets stay contiguous across segment rolls, and everything survives close and reopen', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir, segmentBytes: 1 << 30 });
    await log.createTopic('events', { partitions: 1, config: { 'segment.bytes': '4096', 'retention.ms': '-1' } });
    let expected = 0;
    for (let round = 0; round < 20; round++) {
      const meta = await log.produce(numbered('events', 7, `r${round}`));
      for (const m of meta) assert.equal(m.offset, expected++);
    }
    const segments = (await readdir(join(dir, 'topics', 'events', '0'))).filter((f) => f.endsWith('.log'));
    assert.ok(segments.length > 5, `expected several segments, got ${segments.length}`);
    const before = await readAll(log, 'events');
    assert.deepEqual(before.map((r) => r.offset), Array.from({ length: 140 }, (_, i) => i));
    assert.equal(text(before[139]!.value)!.slice(0, 6), 'r19-6-');
    await log.close();

    const reopened = await openEmbeddedLog({ dir });
    try {
      assert.deepEqual(reopened.recovery.truncated, []);
      assert.deepEqual(await reopened.describeTopic('events'), {
        name: 'events',
        partitions: 1,
        replicationFactor: 1,
        config: { 'segment.bytes': '4096', 'retention.ms': '-1' },
      });
      const after = await readAll(reopened, 'events');
      assert.deepEqual(after.map((r) => [r.offset, text(r.value)]), before.map((r) => [r.offset, text(r.value)]));
      const [next] = await reopened.produce(numbered('events', 1, 'late'));
      assert.equal(next!.offset, 140);
    } finally {
      await reopened.close();
    }
  });
});

test('produce creates missing topics, partitions by key like Kafka and keeps null keys of one call together', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir, defaultPartitions: 3 });
    try {
      const keys = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
      const meta = await log.produce(keys.map((k) => rec('users', k, 'x')));
      assert.equal((await log.describeTopic('users'))?.partitions, 3);
      assert.deepEqual(meta.map((m) => m.partition), keys.map((k) => partitionForKey(Buffer.from(k), 3)));
      // The same key goes to the same partition on later calls.
      const again = await log.produce([rec('users', 'carol', 'y')]);
      assert.equal(again[0]!.partition, meta[2]!.partition);

      const first = await log.produce([rec('users', null, 'a'), rec('users', null, 'b')]);
      const second = await log.produce([rec('users', null, 'c')]);
      assert.equal(first[0]!.partition, first[1]!.partition);
      assert.notEqual(second[0]!.partition, first[0]!.partition);
      const explicit = await log.produce([rec('users', 'alice', 'z', { partition: 2 })]);
      assert.equal(explicit[0]!.partition, 2);
    } finally {
      await log.close();
    }
  });
});

test('a produce with an invalid partition or record writes nothing', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir });
    try {
      await log.createTopic('t', { partitions: 2 });
      await assert.rejects(log.produce([rec('t', null, 'ok', { partition: 0 }), rec('t', null, 'bad', { partition: 5 })]), {
        code: 'PIPECTL_LOG_UNKNOWN_PARTITION',
      });
      await assert.rejects(log.produce([rec('t', null, 'ok', { partition: 0 }), rec('t', null, 'bad', { partition: 0, timestamp: Infinity })]), {
        code: 'PIPECTL_LOG_INVALID_RECORD',
      });
      assert.deepEqual(await log.listOffsets('t'), [
        { partition: 0, startOffset: 0, endOffset: 0 },
        { partition: 1, startOffset: 0, endOffset: 0 },
      ]);
      await assert.rejects(log.createTopic('bad/name', { partitions: 1 }), { code: 'PIPECTL_LOG_INVALID_TOPIC' });
      await assert.rejects(log.createTopic('t2', { partitions: 1, config: { 'retention.ms': 'soon' } }), { code: 'PIPECTL_LOG_INVALID_ARGUMENT' });
      assert.equal(await log.createTopic('t', { partitions: 9 }), false);
      assert.deepEqual((await log.listTopics()).map((t) => [t.name, t.partitions]), [['t', 2]]);
    } finally {
      await log.close();
    }
  });
});

test('concurrent produces to one partition get distinct, contiguous offsets', async () => {
  await withTempDir(async (dir) => {
    for (const fsync of ['always', 'interval', 'never'] as const) {
      const log = await openEmbeddedLog({ dir: join(dir, fsync), fsync });
      try {
        const calls = await Promise.all(Array.from({ length: 20 }, (_, i) => log.produce(numbered('t', 5, `c${i}`))));
        const offsets = calls.flat().map((m) => m.offset).sort((a, b) => a - b);
        assert.deepEqual(offsets, Array.from({ length: 100 }, (_, i) => i), fsync);
        // Each call's records are consecutive, and stored with the call's values.
        for (const [i, metas] of calls.entries()) {
          const records = await log.read({ topic: 't', partition: 0 }, metas[0]!.offset, 5);
          assert.deepEqual(records.map((r) => text(r.value)!.split('-')[0]), Array(5).fill(`c${i}`));
        }
      } finally {
        await log.close();
      }
    }
  });
});

test('one directory serves one open log; close is idempotent and later calls are refused', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir });
    await assert.rejects(openEmbeddedLog({ dir }), { code: 'PIPECTL_LOG_LOCKED' });
    await log.close();
    await log.close();
    await assert.rejects(log.produce([rec('t', null, 'x')]), { code: 'PIPECTL_LOG_CLOSED' });
    const again = await openEmbeddedLog({ dir });
    await again.close();
  });
});
