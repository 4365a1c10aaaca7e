import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { FileStreamSourceConnector, FileStreamSourceTask } from '../../src/connectors/file/index.js';
import type { FileStreamSourceTaskOptions } from '../../src/connectors/file/index.js';
import type { SourceRecord } from '../../src/plugins/connect-data.js';
import { STRING_SCHEMA } from '../../src/plugins/connect-data.js';

const dir = mkdtempSync(join(tmpdir(), 'pipectl-file-source-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;
const newPath = (): string => join(dir, `in-${++fileCounter}.txt`);

interface Started {
  task: FileStreamSourceTask;
  /** Partitions the task asked the offset reader about. */
  asked: Record<string, unknown>[];
}

function startTask(config: Record<string, string>, options: FileStreamSourceTaskOptions = {}, stored: Record<string, unknown> | null = null): Started {
  const asked: Record<string, unknown>[] = [];
  const task = new FileStreamSourceTask({ idleWaitMs: 20, ...options });
  task.start({ topic: 'lines', ...config }, { offsetStorageReader: { offset: (p) => (asked.push(p), stored) } });
  return { task, asked };
}

/** Polls until `count` records arrived (or the attempts run out). */
async function pollLines(task: FileStreamSourceTask, count: number, attempts = 50): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (let i = 0; i < attempts && out.length < count; i++) out.push(...((await task.poll()) ?? []));
  return out;
}

const positions = (records: SourceRecord[]): unknown[] => records.map((r) => r.sourceOffset?.['position']);

test('each line becomes a STRING record with the byte position after it, for \\n, \\r\\n, \\r and multi-byte text', async () => {
  const file = newPath();
  writeFileSync(file, 'a\nñé\r\nb\rc\n€uro 💶\n');
  const { task, asked } = startTask({ file });
  const records = await pollLines(task, 5);
  assert.deepEqual(records.map((r) => r.value), ['a', 'ñé', 'b', 'c', '€uro 💶']);
  assert.deepEqual(positions(records), [2, 8, 10, 12, 12 + Buffer.byteLength('€uro 💶\n')]);
  assert.deepEqual(asked, [{ filename: file }]);
  const r = records[0]!;
  assert.deepEqual([r.topic, r.key, r.keySchema, r.valueSchema, r.sourcePartition], ['lines', null, null, STRING_SCHEMA, { filename: file }]);
  assert.equal(typeof r.timestamp, 'number');
  await task.stop();
});

test('lines longer than a read chunk, and lines cut between chunks, come out whole with exact positions', async () => {
  const file = newPath();
  const lines = ['x'.repeat(100), 'short', 'ü'.repeat(40), '', 'end'];
  writeFileSync(file, lines.join('\r\n') + '\r\n');
  const { task } = startTask({ file }, { chunkSize: 7 });
  const records = await pollLines(task, lines.length);
  assert.deepEqual(records.map((r) => r.value), lines);
  let position = 0;
  assert.deepEqual(positions(records), lines.map((l) => (position += Buffer.byteLength(l) + 2)));
  await task.stop();
});

test('a poll returns at most batch.size records', async () => {
  const file = newPath();
  writeFileSync(file, '1\n2\n3\n4\n5\n');
  const { task } = startTask({ file, 'batch.size': '2' });
  const sizes: number[] = [];
  for (let i = 0; i < 3; i++) sizes.push((await task.poll())?.length ?? 0);
  assert.deepEqual(sizes, [2, 2, 1]);
  await task.stop();
});

test('the task resumes after the stored offset', async () => {
  const file = newPath();
  writeFileSync(file, 'one\ntwo\nthree\n');
  const { task } = startTask({ file }, {}, { position: 8 });
  const records = await pollLines(task, 1);
  assert.deepEqual(records.map((r) => [r.value, r.sourceOffset]), [['three', { position: 14 }]]);
  await task.stop();

  const bad = startTask({ file }, {}, { position: 'eight' });
  await assert.rejects(bad.task.poll(), /Offset position is the incorrect type/);
  await bad.task.stop();
});

test('lines appended later are picked up, and a partial last line waits for its newline', async () => {
  const file = newPath();
  writeFileSync(file, 'one\n');
  const { task } = startTask({ file });
  assert.deepEqual((await task.poll())?.map((r) => r.value), ['one']);
  assert.equal(await task.poll(), null, 'nothing new');
  appendFileSync(file, 'two\nthr');
  assert.deepEqual((await task.poll())?.map((r) => r.value), ['two']);
  assert.equal(await task.poll(), null, '"thr" has no newline yet');
  appendFileSync(file, 'ee\nfour\r');
  const next = await task.poll();
  assert.deepEqual(next?.map((r) => [r.value, r.sourceOffset]), [['three', { position: 14 }]], 'a trailing \\r waits to see whether \\n follows');
  appendFileSync(file, '\n');
  assert.deepEqual((await task.poll())?.map((r) => [r.value, r.sourceOffset]), [['four', { position: 20 }]]);
  await task.stop();
});

test('a file that does not exist yet is read once it appears', async () => {
  const file = newPath();
  const { task } = startTask({ file });
  assert.equal(await task.poll(), null);
  writeFileSync(file, 'hello\n');
  assert.deepEqual((await pollLines(task, 1)).map((r) => r.value), ['hello']);
  await task.stop();
});

test('stop() makes a waiting poll return promptly', async () => {
  const file = newPath();
  writeFileSync(file, '');
  for (const existing of [true, false]) {
    const { task } = startTask({ file: existing ? file : newPath() }, { idleWaitMs: 5000 });
    const pending = task.poll();
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await task.stop();
    assert.equal(await pending, null);
    const ms = performance.now() - t0;
    assert.ok(ms < 200, `poll returned ${ms.toFixed(0)} ms after stop()`);
    assert.equal(await task.poll(), null, 'polls after stop return nothing');
  }
});

test('with no file the task reads stdin and tracks no offsets', async () => {
  const stdin = new PassThrough();
  const { task, asked } = startTask({ file: '' }, { stdin });
  stdin.write('x\ny');
  const records = await pollLines(task, 1);
  assert.deepEqual(records.map((r) => [r.value, r.sourcePartition, r.sourceOffset]), [['x', null, null]]);
  stdin.write('\n');
  assert.deepEqual((await pollLines(task, 1)).map((r) => r.value), ['y']);
  assert.deepEqual(asked, []);
  await task.stop();
});

test('the connector creates exactly one task whatever tasks.max says, and checks its config', () => {
  const connector = new FileStreamSourceConnector();
  const config = { name: 'src', 'connector.class': 'FileStreamSource', 'tasks.max': '5', file: '/tmp/in.txt', topic: 't' };
  connector.start(config);
  assert.deepEqual(connector.taskConfigs(5), [config]);
  assert.throws(() => new FileStreamSourceConnector().start({ file: '/tmp/in.txt' }), /Missing required configuration "topic"/);
  assert.throws(() => new FileStreamSourceTask().start({ topic: 't', 'batch.size': 'many' }, { offsetStorageReader: { offset: () => null } }), /Not a number of type INT/);
});

test('alterOffsets accepts resets and non-negative positions, and refuses everything else and stdin', () => {
  const connector = new FileStreamSourceConnector();
  const config = { file: '/tmp/in.txt', topic: 't' };
  const alter = (partition: Record<string, unknown>, offset: Record<string, unknown> | null, cfg: Record<string, string> = config): boolean =>
    connector.alterOffsets(cfg, new Map([[partition, offset]]));
  assert.equal(alter({ filename: '/tmp/in.txt' }, { position: 10 }), true);
  assert.equal(alter({ whatever: 1 }, null), true, 'tombstones are always accepted');
  assert.throws(() => alter({ filename: 'f' }, { position: -1 }), /should be a non-negative value/);
  assert.throws(() => alter({ filename: 'f' }, { position: '10' }), /expected to be a Long value/);
  assert.throws(() => alter({ filename: 'f' }, { offset: 10 }), /should either be null or contain the key 'position'/);
  assert.throws(() => alter({ file: 'f' }, { position: 1 }), /should contain the key 'filename'/);
  assert.throws(() => alter({ filename: 'f' }, null, { topic: 't' }), /stdin is used for input/);
});
