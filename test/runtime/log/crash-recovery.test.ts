import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import type { EmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import { numbered, text, withTempDir } from './helpers.js';

const writer = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'writer.js');

/** Starts the writer, waits until it acknowledged at least `acks` batches, kills it with SIGKILL; returns the last ack. */
async function runAndKill(dir: string, fsync: string, acks: number): Promise<number> {
  const child = spawn(process.execPath, [writer, dir, fsync, '2000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let lastAck = -1;
  let seen = 0;
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        lastAck = Number(line);
        if (++seen === acks) {
          process.kill(child.pid!, 'SIGKILL');
          resolve();
        }
      }
    });
    child.on('exit', () => (seen < acks ? reject(new Error(`writer exited early: ${stderr}`)) : resolve()));
  });
  assert.equal(await exited, 'SIGKILL');
  return lastAck;
}

async function assertSequence(log: EmbeddedLog, through: number): Promise<void> {
  for (let next = 0; next <= through; ) {
    const records = await log.read({ topic: 'crash', partition: 0 }, next, 5000);
    assert.ok(records.length > 0, `offset ${next} is not readable`);
    for (const r of records) {
      assert.equal(r.offset, next);
      assert.equal(text(r.value)!.split('-').slice(0, 2).join('-'), `seq-${next}`);
      next++;
    }
  }
}

test('every acknowledged record survives a kill -9 of the writing process', async () => {
  await withTempDir(async (dir) => {
    for (const [round, fsync] of (['never', 'interval'] as const).entries()) {
      const lastAck = await runAndKill(join(dir, fsync), fsync, 15 + round * 10);
      const log = await openEmbeddedLog({ dir: join(dir, fsync) });
      try {
        const { endOffset } = (await log.listOffsets('crash'))[0]!;
        assert.ok(endOffset > lastAck, `end ${endOffset} lost acknowledged offset ${lastAck}`);
        await assertSequence(log, lastAck);
        const [next] = await log.produce(numbered('crash', 1));
        assert.equal(next!.offset, endOffset);
        assert.equal(text((await log.read({ topic: 'crash', partition: 0 }, endOffset, 1))[0]!.value)!.slice(0, 4), 'v-0-');
      } finally {
        await log.close();
      }
    }
  });
});

async function lastSegment(dir: string, topic: string): Promise<string> {
  const partitionDir = join(dir, 'topics', topic, '0');
  const files = (await readdir(partitionDir)).filter((f) => f.endsWith('.log')).sort();
  return join(partitionDir, files[files.length - 1]!);
}

test('a torn tail (garbage or a half-written batch) is truncated on open and appends continue after it', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir });
    await log.produce(numbered('t', 10));
    await log.produce(numbered('t', 10, 'second'));
    await log.close();
    const segment = await lastSegment(dir, 't');
    const goodSize = (await stat(segment)).size;

    // 1. Garbage appended after the last batch.
    await appendFile(segment, Buffer.from('this is not a batch at all'));
    let reopened = await openEmbeddedLog({ dir });
    assert.equal(reopened.recovery.truncated.length, 1);
    assert.equal(reopened.recovery.truncated[0]!.position, goodSize);
    assert.equal(reopened.recovery.truncated[0]!.bytes, 26);
    assert.equal((await stat(segment)).size, goodSize);
    assert.deepEqual(await reopened.listOffsets('t'), [{ partition: 0, startOffset: 0, endOffset: 20 }]);
    await reopened.close();

    // 2. A batch cut short, as a kill -9 in the middle of write(2) would leave it: the whole second batch is dropped
    //    from the file copy we build, keeping only its first half.
    const bytes = await readFile(segment);
    const firstBatchLength = bytes.readUInt32LE(0);
    await writeFile(segment, bytes.subarray(0, firstBatchLength + Math.floor((goodSize - firstBatchLength) / 2)));
    reopened = await openEmbeddedLog({ dir });
    assert.match(reopened.recovery.truncated[0]!.reason, /runs past the end/);
    assert.deepEqual(await reopened.listOffsets('t'), [{ partition: 0, startOffset: 0, endOffset: 10 }]);
    const [appended] = await reopened.produce(numbered('t', 1, 'after'));
    assert.equal(appended!.offset, 10);
    await reopened.close();

    // The new append went where the torn batch was, so a further reopen finds a clean log.
    reopened = await openEmbeddedLog({ dir });
    try {
      assert.deepEqual(reopened.recovery.truncated, []);
      const records = await reopened.read({ topic: 't', partition: 0 }, 0, 100);
      assert.deepEqual(records.map((r) => text(r.value)!.split('-')[0]), [...Array(10).fill('v'), 'after']);
    } finally {
      await reopened.close();
    }
  });
});

test('damage in a closed segment refuses to open instead of dropping the records after it', async () => {
  await withTempDir(async (dir) => {
    const log = await openEmbeddedLog({ dir });
    await log.createTopic('t', { partitions: 1, config: { 'segment.bytes': '2048' } });
    for (let i = 0; i < 10; i++) await log.produce(numbered('t', 5));
    await log.close();
    const partitionDir = join(dir, 'topics', 't', '0');
    const first = join(partitionDir, (await readdir(partitionDir)).sort()[0]!);
    const bytes = await readFile(first);
    bytes[100]! ^= 0xff;
    await writeFile(first, bytes);
    await assert.rejects(openEmbeddedLog({ dir }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'PIPECTL_LOG_CORRUPT');
      assert.match(err.message, /CRC mismatch/);
      return true;
    });
    // The refused open released the directory.
    bytes[100]! ^= 0xff;
    await writeFile(first, bytes);
    const repaired = await openEmbeddedLog({ dir });
    assert.deepEqual(await repaired.listOffsets('t'), [{ partition: 0, startOffset: 0, endOffset: 50 }]);
    await repaired.close();
  });
});
