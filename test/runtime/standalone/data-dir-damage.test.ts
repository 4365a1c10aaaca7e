/**
 * The damage suite of a standalone data.dir (issue 14, "nothing lost"; no Kafka). Each kind of damage is either
 * recovered with 0 acknowledged records lost, or refused with a message naming the file and the repair — never a
 * silent loss or replay. Records are counted to prove it.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, stat, truncate, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import type { EmbeddedLog, OffsetReset } from '../../../src/runtime/log/embedded-log.js';
import { FileOffsetStore } from '../../../src/runtime/storage/offsets/file-offset-store.js';
import { repairDataDir } from '../../../src/runtime/standalone/data-dir-repair.js';
import { withRepairHint } from '../../../src/runtime/standalone/data-dir-state.js';
import { numbered, pollUntil, text, withTempDir } from '../log/helpers.js';

const BATCHES = 20;
const PER_BATCH = 1000;
const TOTAL = BATCHES * PER_BATCH;

/** Produces `TOTAL` acknowledged records (20 batches of 1,000) into topic t, one segment. */
async function fill(logDir: string, config: Record<string, string> = {}): Promise<void> {
  const log = await openEmbeddedLog({ dir: logDir, retentionCheckIntervalMs: 0 });
  await log.createTopic('t', { partitions: 1, config });
  for (let b = 0; b < BATCHES; b++) await log.produce(numbered('t', PER_BATCH, `b${b}`));
  await log.close();
}

/** Every record of t-0 from the log start, checked to be contiguous. */
async function readAll(log: EmbeddedLog): Promise<number> {
  const { startOffset, endOffset } = (await log.listOffsets('t'))[0]!;
  let next = startOffset;
  while (next < endOffset) {
    const records = await log.read({ topic: 't', partition: 0 }, next, 5000);
    for (const r of records) assert.equal(r.offset, next++);
  }
  return next - startOffset;
}

async function segments(logDir: string): Promise<string[]> {
  const dir = join(logDir, 'topics', 't', '0');
  return (await readdir(dir)).filter((f) => f.endsWith('.log')).sort().map((f) => join(dir, f));
}

async function rejectsWith(promise: Promise<unknown>, code: string, ...patterns: (string | RegExp)[]): Promise<string> {
  let message = '';
  await assert.rejects(promise, (err: Error & { code?: string }) => {
    assert.equal(err.code, code);
    message = err.message;
    return true;
  });
  for (const p of patterns) typeof p === 'string' ? assert.ok(message.includes(p), `"${p}" not in: ${message}`) : assert.match(message, p);
  return message;
}

test('torn tail: a half-written last batch is cut, logged in the report, and all 20,000 acknowledged records stay', async () => {
  await withTempDir(async (dataDir) => {
    const logDir = join(dataDir, 'log');
    await fill(logDir);
    const [segment] = await segments(logDir);
    const size = (await stat(segment!)).size;
    const batch = (await readFile(segment!)).subarray(0, 600); // the start of a batch, as a kill -9 mid-write leaves it
    await appendFile(segment!, batch);
    const log = await openEmbeddedLog({ dir: logDir, retentionCheckIntervalMs: 0 });
    try {
      assert.equal(log.recovery.truncated.length, 1);
      assert.equal(log.recovery.truncated[0]!.file, segment);
      assert.equal(log.recovery.truncated[0]!.position, size);
      assert.equal(log.recovery.truncated[0]!.bytes, 600);
      assert.equal(await readAll(log), TOTAL, '0 of 20,000 acknowledged records lost');
    } finally {
      await log.close();
    }
  });
});

test('damage mid-segment: 1 KB of garbage with intact records after it refuses to open (file, byte, repair); repair cuts and counts', async () => {
  await withTempDir(async (dataDir) => {
    const logDir = join(dataDir, 'log');
    await fill(logDir);
    const [segment] = await segments(logDir);
    const bytes = await readFile(segment!);
    const middle = Math.floor(bytes.length / 2);
    const garbage = Buffer.alloc(1024, 0x5a);
    garbage.copy(bytes, middle);
    await writeFile(segment!, bytes);

    const err = await openEmbeddedLog({ dir: logDir }).then(
      () => assert.fail('a damaged log must not open'),
      (e: unknown) => e as Error & { code?: string; damage?: { position: number; records: number; intactAfter: number; fromOffset: number } },
    );
    assert.equal(err.code, 'PIPECTL_LOG_CORRUPT');
    assert.ok(err.message.includes(segment!), err.message);
    assert.match(err.message, /damaged at byte \d+/);
    assert.match(err.message, /not a torn tail/);
    const damage = err.damage!;
    assert.ok(damage.position <= middle && damage.position > middle - 300_000, `damage at ${damage.position}`);
    assert.ok(damage.intactAfter >= TOTAL / 2 - PER_BATCH, `intact after: ${damage.intactAfter}`);
    assert.equal(damage.fromOffset + damage.records, TOTAL);
    // The worker's message adds the way out.
    const hinted = withRepairHint(err, dataDir) as Error;
    assert.ok(hinted.message.includes(`pipectl worker repair ${dataDir}`), hinted.message);
    // Refusing changed nothing.
    assert.equal((await stat(segment!)).size, bytes.length);

    const report = await repairDataDir(dataDir);
    assert.deepEqual(report.problems, []);
    assert.equal(report.changed.length, 1);
    assert.ok(report.changed[0]!.includes(`dropped ${damage.records} record(s)`), report.changed[0]);
    const log = await openEmbeddedLog({ dir: logDir, retentionCheckIntervalMs: 0 });
    try {
      const kept = await readAll(log);
      assert.equal(kept, damage.fromOffset);
      assert.equal(kept + damage.records, TOTAL, 'every record is either kept or counted as dropped by the repair');
    } finally {
      await log.close();
    }
  });
});

test('damage in an older segment refuses to open naming the file; repair cuts there and deletes the later segments, counting them', async () => {
  await withTempDir(async (dataDir) => {
    const logDir = join(dataDir, 'log');
    await fill(logDir, { 'segment.bytes': String(1024 * 1024) });
    const files = await segments(logDir);
    assert.ok(files.length >= 3, `${files.length} segments`);
    const bytes = await readFile(files[0]!);
    bytes[5000]! ^= 0xff;
    await writeFile(files[0]!, bytes);
    await rejectsWith(openEmbeddedLog({ dir: logDir }), 'PIPECTL_LOG_CORRUPT', files[0]!, /damaged at byte \d+: CRC mismatch/);
    const report = await repairDataDir(dataDir);
    assert.deepEqual(report.problems, []);
    assert.match(report.changed[0]!, new RegExp(`deleted ${files.length - 1} later segment file\\(s\\); dropped \\d+ record`));
    const dropped = Number(/dropped (\d+) record/.exec(report.changed[0]!)![1]);
    const log = await openEmbeddedLog({ dir: logDir, retentionCheckIntervalMs: 0 });
    try {
      assert.equal((await readAll(log)) + dropped, TOTAL);
      assert.equal((await segments(logDir)).length, 1);
    } finally {
      await log.close();
    }
  });
});

/**
 * The power-loss shape under fsync=interval: the group file (synced) says 1,000 consumed, the segment lost its
 * unsynced second half. Returns the committed offset the log started with and the reset it reported.
 */
async function powerLoss(logDir: string): Promise<void> {
  const log = await openEmbeddedLog({ dir: logDir, retentionCheckIntervalMs: 0 });
  for (let b = 0; b < 10; b++) await log.produce(numbered('p', 100, `old${b}`));
  const consumer = await log.openConsumer({ groupId: 'sink', clientId: 'c', subscription: { topics: ['p'] } });
  assert.equal((await pollUntil(consumer, 1000)).length, 1000);
  await consumer.commit([{ topic: 'p', partition: 0, offset: 1000 }]);
  await consumer.close();
  await log.close();
  const dir = join(logDir, 'topics', 'p', '0');
  const [segment] = (await readdir(dir)).filter((f) => f.endsWith('.log'));
  const size = (await stat(join(dir, segment!))).size;
  await truncate(join(dir, segment!), size / 2); // 5 of 10 equal batches: offsets 500..999 are gone
}

test('truncated tail with a committed offset past it: the group resumes at the new log end, warned; 0 of 1,000 new records skipped', async () => {
  await withTempDir(async (logDir) => {
    await powerLoss(logDir);
    const log = await openEmbeddedLog({ dir: logDir, retentionCheckIntervalMs: 0 });
    try {
      assert.deepEqual(log.recovery.offsetsReset, [{ groupId: 'sink', topic: 'p', partition: 0, from: 1000, to: 500, reason: 'past-log-end', at: 'open' }]);
      // The sink is not running while new records arrive (they reuse offsets 500..999 and more).
      await log.produce(numbered('p', 1000, 'new'));
      const consumer = await log.openConsumer({ groupId: 'sink', clientId: 'c', subscription: { topics: ['p'] } });
      const got = await pollUntil(consumer, 1500, 1500);
      await consumer.close();
      assert.equal(got.filter((r) => text(r.value)!.startsWith('new-')).length, 1000, '0 of 1,000 new records skipped');
      assert.equal(got.length, 1000, 'no old record replayed');
    } finally {
      await log.close();
    }
  });
});

test('truncated tail with the sink running at restart: no replay of the topic, every new record once', async () => {
  await withTempDir(async (logDir) => {
    await powerLoss(logDir);
    const log = await openEmbeddedLog({ dir: logDir, retentionCheckIntervalMs: 0 });
    try {
      const consumer = await log.openConsumer({ groupId: 'sink', clientId: 'c', subscription: { topics: ['p'] } });
      assert.deepEqual(await consumer.poll(10, 50), [], 'nothing replayed');
      await log.produce(numbered('p', 1000, 'new'));
      const got = await pollUntil(consumer, 2000, 1500);
      await consumer.close();
      assert.equal(got.length, 1000);
      assert.ok(got.every((r) => text(r.value)!.startsWith('new-')));
    } finally {
      await log.close();
    }
  });
});

test('a position past the log end at a fetch resumes at the end and is reported, not reset to the start', async () => {
  await withTempDir(async (logDir) => {
    const resets: OffsetReset[] = [];
    const log = await openEmbeddedLog({ dir: logDir, retentionCheckIntervalMs: 0, onOffsetReset: (r) => resets.push(r) });
    try {
      await log.produce(numbered('f', 100));
      const consumer = await log.openConsumer({ groupId: 'g', clientId: 'c', subscription: { topics: ['f'] } });
      assert.equal((await pollUntil(consumer, 100)).length, 100);
      consumer.seek({ topic: 'f', partition: 0 }, 5000);
      assert.deepEqual(await consumer.poll(10, 20), []);
      assert.deepEqual(resets, [{ groupId: 'g', topic: 'f', partition: 0, from: 5000, to: 100, reason: 'past-log-end', at: 'fetch' }]);
      await log.produce(numbered('f', 10, 'later'));
      assert.equal((await pollUntil(consumer, 10)).length, 10);
      await consumer.close();
    } finally {
      await log.close();
    }
  });
});

test('garbage in offsets.json refuses naming the file; its intact .bak is restored by repair (the state before the last save)', async () => {
  await withTempDir(async (dataDir) => {
    const store = new FileOffsetStore(dataDir);
    store.set('src', { file: 'in.txt' }, { position: 100 });
    await store.flush();
    store.set('src', { file: 'in.txt' }, { position: 200 });
    await store.flush();
    const path = join(dataDir, 'offsets.json');
    await writeFile(path, Buffer.alloc(200, 0x00)); // what a bad disk or a torn write leaves
    const message = (() => {
      try {
        new FileOffsetStore(dataDir);
      } catch (e) {
        assert.equal((e as { code?: string }).code, 'PIPECTL_STATE_DAMAGED');
        return (withRepairHint(e, dataDir) as Error).message;
      }
      return assert.fail('a damaged offsets.json must refuse the start');
    })();
    assert.ok(message.includes(path) && message.includes('.bak is intact') && message.includes('pipectl worker repair'), message);

    const report = await repairDataDir(dataDir);
    assert.deepEqual(report.problems, []);
    assert.match(report.changed[0]!, /restored from .*offsets\.json\.bak/);
    assert.deepEqual(new FileOffsetStore(dataDir).get('src', { file: 'in.txt' }), { position: 100 });
  });
});

test('garbage in offsets.json without a good copy refuses, and repair says it cannot restore it', async () => {
  await withTempDir(async (dataDir) => {
    await writeFile(join(dataDir, 'offsets.json'), 'garbage{');
    assert.throws(() => new FileOffsetStore(dataDir), (e: Error & { code?: string }) => e.code === 'PIPECTL_STATE_DAMAGED' && /no intact previous copy/.test(e.message));
    const report = await repairDataDir(dataDir);
    assert.equal(report.problems.length, 1);
    assert.match(report.problems[0]!, /offsets\.json is damaged .*nothing to restore/);
  });
});

test('garbage in a group offsets file refuses to open the log naming the file; repair restores it from .bak', async () => {
  await withTempDir(async (dataDir) => {
    const logDir = join(dataDir, 'log');
    let log = await openEmbeddedLog({ dir: logDir, retentionCheckIntervalMs: 0 });
    await log.produce(numbered('g', 100));
    const consumer = await log.openConsumer({ groupId: 'sink', clientId: 'c', subscription: { topics: ['g'] } });
    await pollUntil(consumer, 100);
    await consumer.commit([{ topic: 'g', partition: 0, offset: 50 }]);
    await consumer.commit([{ topic: 'g', partition: 0, offset: 100 }]);
    await consumer.close();
    await log.close();
    const file = join(logDir, 'groups', 'sink.json');
    await writeFile(file, '{"version":1,"groupId":"sink","offs');
    await rejectsWith(openEmbeddedLog({ dir: logDir }), 'PIPECTL_LOG_CORRUPT', file, '.bak is intact');
    const report = await repairDataDir(dataDir);
    assert.deepEqual(report.problems, []);
    log = await openEmbeddedLog({ dir: logDir, retentionCheckIntervalMs: 0 });
    try {
      assert.deepEqual(await log.committedOffsets('sink'), [{ topic: 'g', partition: 0, offset: 50 }]);
    } finally {
      await log.close();
    }
  });
});

test('garbage in topic.json refuses to open naming the file', async () => {
  await withTempDir(async (dataDir) => {
    const logDir = join(dataDir, 'log');
    await fill(logDir);
    const file = join(logDir, 'topics', 't', 'topic.json');
    await writeFile(file, 'not json');
    await rejectsWith(openEmbeddedLog({ dir: logDir }), 'PIPECTL_LOG_CORRUPT', file, 'not valid JSON');
  });
});
