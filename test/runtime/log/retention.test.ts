import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import { FakeClock, numbered, pollUntil, text, withTempDir } from './helpers.js';

const segmentFiles = async (dir: string, topic: string): Promise<string[]> =>
  (await readdir(join(dir, 'topics', topic, '0'))).filter((f) => f.endsWith('.log')).sort();

test('retention.ms deletes whole segments whose newest record is older than the limit (injected clock)', async () => {
  await withTempDir(async (dir) => {
    const clock = new FakeClock(1_000_000);
    const log = await openEmbeddedLog({ dir, clock, retentionCheckIntervalMs: 0 });
    try {
      await log.createTopic('t', { partitions: 1, config: { 'retention.ms': '60000', 'segment.bytes': '2048' } });
      for (let i = 0; i < 4; i++) await log.produce(numbered('t', 5, 'old')); // ~1.2 KB per call: a segment each
      clock.time += 30_000;
      for (let i = 0; i < 2; i++) await log.produce(numbered('t', 5, 'young'));
      const before = await segmentFiles(dir, 't');
      assert.equal(before.length, 6);

      clock.time += 20_000; // old records are 50 s old: nothing expires yet
      assert.deepEqual(await log.enforceRetention(), []);

      clock.time += 20_000; // old: 70 s, young: 40 s
      const deleted = await log.enforceRetention();
      assert.deepEqual(deleted.map((d) => [d.baseOffset, d.nextOffset, d.reason]), [
        [0, 5, 'retention.ms'],
        [5, 10, 'retention.ms'],
        [10, 15, 'retention.ms'],
        [15, 20, 'retention.ms'],
      ]);
      assert.deepEqual(await segmentFiles(dir, 't'), before.slice(4));
      assert.deepEqual(await log.listOffsets('t'), [{ partition: 0, startOffset: 20, endOffset: 30 }]);
      await assert.rejects(log.read({ topic: 't', partition: 0 }, 0, 1), { code: 'PIPECTL_LOG_OFFSET_OUT_OF_RANGE' });

      // A group whose committed offset was deleted restarts at the new log start.
      await log.alterCommittedOffsets('g', [{ topic: 't', partition: 0, offset: 2 }]);
      const c = await log.openConsumer({ groupId: 'g', clientId: 'c', subscription: { topics: ['t'] } });
      const records = await pollUntil(c, 10);
      assert.deepEqual(records.map((r) => r.offset), Array.from({ length: 10 }, (_, i) => 20 + i));
      assert.ok(records.every((r) => text(r.value)!.startsWith('young')));

      // When everything expired, the active segment is rolled and deleted too; the log is empty but keeps its offsets.
      clock.time += 120_000;
      assert.equal((await log.enforceRetention()).length, 2);
      assert.deepEqual(await log.listOffsets('t'), [{ partition: 0, startOffset: 30, endOffset: 30 }]);
      const [next] = await log.produce(numbered('t', 1, 'fresh'));
      assert.equal(next!.offset, 30);
      assert.deepEqual((await pollUntil(c, 1)).map((r) => r.offset), [30]);
    } finally {
      await log.close();
    }
  });
});

test('retention.bytes keeps the newest segments within the limit; compacted topics are never trimmed', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir, retentionCheckIntervalMs: 0 });
    try {
      await log.createTopic('sized', { partitions: 1, config: { 'retention.bytes': '5000', 'segment.bytes': '2048' } });
      await log.createTopic('compacted', { partitions: 1, config: { 'cleanup.policy': 'compact', 'retention.bytes': '1', 'segment.bytes': '2048' } });
      for (let i = 0; i < 10; i++) await log.produce([...numbered('sized', 5, `b${i}`), ...numbered('compacted', 5, `b${i}`)]);
      assert.equal((await segmentFiles(dir, 'sized')).length, 10); // one ~1.2 KB batch per segment
      const deleted = await log.enforceRetention();
      assert.ok(deleted.length > 0 && deleted.every((d) => d.topic === 'sized' && d.reason === 'retention.bytes'));
      assert.deepEqual(deleted.map((d) => d.baseOffset), Array.from({ length: deleted.length }, (_, i) => i * 5));
      const kept = await Promise.all((await segmentFiles(dir, 'sized')).map(async (f) => (await stat(join(dir, 'topics', 'sized', '0', f))).size));
      const keptBytes = kept.reduce((a, b) => a + b, 0);
      assert.ok(keptBytes >= 5000, `kept ${keptBytes} bytes, below retention.bytes`);
      assert.ok(keptBytes - kept[0]! < 5000, `kept ${keptBytes} bytes: the oldest segment could have gone too`);
      assert.deepEqual(await log.listOffsets('sized'), [{ partition: 0, startOffset: deleted.length * 5, endOffset: 50 }]);
      const newest = await log.read({ topic: 'sized', partition: 0 }, 49, 1);
      assert.ok(text(newest[0]!.value)!.startsWith('b9'));

      assert.equal((await segmentFiles(dir, 'compacted')).length, 10);
      assert.deepEqual(await log.listOffsets('compacted'), [{ partition: 0, startOffset: 0, endOffset: 50 }]);
    } finally {
      await log.close();
    }
  });
});
