/** alterTopic on the embedded log: partitions up (new, empty partition directories), configs as a merge patch. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import { FakeClock, numbered, pollUntil, rec, text, withTempDir } from './helpers.js';

test('added partitions are new and empty, take records, join the group assignment, and survive reopen', async () => {
  await withTempDir(async (dir) => {
    let log = await openEmbeddedLog({ dir });
    try {
      await log.createTopic('orders', { partitions: 2, config: { 'retention.ms': '3600000' } });
      await log.produce([rec('orders', 'k', 'before', { partition: 1 })]);
      const consumer = await log.openConsumer({ groupId: 'g', clientId: 'c', subscription: { topics: ['orders'] } });
      assert.equal(consumer.assignment().length, 2);
      assert.deepEqual((await pollUntil(consumer, 1)).map((r) => text(r.value)), ['before']);

      await log.alterTopic('orders', { partitions: 4 });
      assert.deepEqual(await log.describeTopic('orders'), { name: 'orders', partitions: 4, replicationFactor: 1, config: { 'retention.ms': '3600000' } });
      assert.deepEqual(await log.listOffsets('orders'), [0, 1, 2, 3].map((p) => ({ partition: p, startOffset: 0, endOffset: p === 1 ? 1 : 0 })));
      assert.deepEqual(consumer.assignment().map((tp) => tp.partition).sort(), [0, 1, 2, 3], 'the group rebalanced onto the new partitions');
      const [meta] = await log.produce([rec('orders', null, 'after', { partition: 3 })]);
      assert.deepEqual(meta, { topic: 'orders', partition: 3, offset: 0 });
      assert.deepEqual((await pollUntil(consumer, 1)).map((r) => [r.partition, text(r.value)]), [[3, 'after']]);

      // The same count again is no change; fewer is refused, and so is a count beyond the limit.
      await log.alterTopic('orders', { partitions: 4 });
      await assert.rejects(log.alterTopic('orders', { partitions: 3 }), { code: 'PIPECTL_LOG_INVALID_ARGUMENT', message: /has 4 partitions; the count can only grow/ });
      await assert.rejects(log.alterTopic('orders', { partitions: 1e6 }), { code: 'PIPECTL_LOG_INVALID_ARGUMENT' });
      await assert.rejects(log.alterTopic('missing', { partitions: 3 }), { code: 'PIPECTL_LOG_UNKNOWN_TOPIC' });
    } finally {
      await log.close();
    }
    assert.deepEqual((await readdir(join(dir, 'topics', 'orders'))).filter((f) => /^\d+$/.test(f)).sort(), ['0', '1', '2', '3']);
    log = await openEmbeddedLog({ dir });
    try {
      assert.equal((await log.describeTopic('orders'))!.partitions, 4);
      assert.deepEqual(text((await log.read({ topic: 'orders', partition: 3 }, 0, 1))[0]!.value), 'after');
    } finally {
      await log.close();
    }
  });
});

test('configs change as a merge patch, retention follows at its next run, and a rejected value changes nothing', async () => {
  await withTempDir(async (dir) => {
    const clock = new FakeClock(1_000_000);
    let log = await openEmbeddedLog({ dir, clock, retentionCheckIntervalMs: 0 });
    try {
      await log.createTopic('t', { partitions: 1, config: { 'retention.ms': '-1', 'segment.bytes': '2048', 'cleanup.policy': 'delete' } });
      for (let i = 0; i < 3; i++) await log.produce(numbered('t', 5, 'old')); // a segment each
      clock.time += 120_000;
      assert.deepEqual(await log.enforceRetention(), [], 'retention.ms=-1 keeps everything');

      await log.alterTopic('t', { config: { 'retention.ms': '60000', 'cleanup.policy': null } });
      assert.deepEqual((await log.describeTopic('t'))!.config, { 'retention.ms': '60000', 'segment.bytes': '2048' });
      assert.equal((await log.enforceRetention()).length, 3, 'the new retention.ms applies at the next run');

      await assert.rejects(log.alterTopic('t', { partitions: 2, config: { 'retention.ms': 'soon' } }), { code: 'PIPECTL_LOG_INVALID_ARGUMENT', message: /retention\.ms="soon"/ });
      assert.deepEqual(await log.describeTopic('t'), { name: 't', partitions: 1, replicationFactor: 1, config: { 'retention.ms': '60000', 'segment.bytes': '2048' } }, 'nothing was changed');
    } finally {
      await log.close();
    }
    const file = JSON.parse(await readFile(join(dir, 'topics', 't', 'topic.json'), 'utf8')) as { config: Record<string, string> };
    assert.deepEqual(file.config, { 'retention.ms': '60000', 'segment.bytes': '2048' });
    log = await openEmbeddedLog({ dir, clock, retentionCheckIntervalMs: 0 });
    await log.close();
  });
});

test('concurrent changes of one topic are applied one after the other', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir });
    try {
      await log.createTopic('t', { partitions: 1 });
      await Promise.all([log.alterTopic('t', { partitions: 3 }), log.alterTopic('t', { config: { 'retention.ms': '1000' } }), log.alterTopic('t', { partitions: 5 })]);
      assert.deepEqual(await log.describeTopic('t'), { name: 't', partitions: 5, replicationFactor: 1, config: { 'retention.ms': '1000' } });
      assert.equal((await log.listOffsets('t')).length, 5);
    } finally {
      await log.close();
    }
  });
});
