import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { FileStreamSinkConnector, FileStreamSinkTask, lineFor } from '../../src/connectors/file/index.js';
import type { SinkRecord } from '../../src/plugins/connect-data.js';

const dir = mkdtempSync(join(tmpdir(), 'pipectl-file-sink-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const record = (value: unknown, offset = 0): SinkRecord => ({ topic: 't', kafkaPartition: 0, kafkaOffset: offset, key: null, value });

test('put appends one line per record value, after what the file already holds', async () => {
  const file = join(dir, 'out.txt');
  writeFileSync(file, 'existing\n');
  const task = new FileStreamSinkTask();
  await task.start({ file });
  await task.put([record('a'), record('ü €')]);
  await task.put([]);
  await task.put([record(null), record(42), record(Buffer.from('bytes')), record({ id: 1, big: 2n })]);
  await task.flush();
  assert.equal(readFileSync(file, 'utf8'), 'existing\na\nü €\nnull\n42\nbytes\n{"id":1,"big":"2"}\n');
  await task.stop();
  await task.stop();
});

test('lineFor follows Java String.valueOf for simple values', () => {
  assert.deepEqual([lineFor('x'), lineFor(null), lineFor(undefined), lineFor(true), lineFor(1.5), lineFor([1, 'a'])], ['x', 'null', 'null', 'true', '1.5', '[1,"a"]']);
  assert.equal(lineFor(new Map([[1, 'a']])), '[[1,"a"]]', 'a map with non-string keys is written as pairs, not as {}');
});

test('with no file the lines go to stdout', async () => {
  const chunks: string[] = [];
  const stdout = new Writable({ write: (chunk: Buffer, _enc, done) => (chunks.push(chunk.toString()), done()) });
  const task = new FileStreamSinkTask({ stdout });
  await task.start({ file: '' });
  await task.put([record('to'), record('stdout')]);
  await task.flush();
  await task.stop();
  assert.deepEqual(chunks, ['to\nstdout\n'], 'one write per batch');
});

test('a file that cannot be created fails start with Connect\'s message', async () => {
  await assert.rejects(new FileStreamSinkTask().start({ file: join(dir, 'no-such-dir', 'out.txt') }), /Couldn't find or create file '.*out\.txt' for FileStreamSinkTask/);
});

test('the connector creates tasks.max identical task configs', () => {
  const connector = new FileStreamSinkConnector();
  const config = { name: 'sink', 'connector.class': 'FileStreamSink', topics: 't', file: '/tmp/out.txt', 'tasks.max': '3' };
  connector.start(config);
  assert.deepEqual(connector.taskConfigs(3), [config, config, config]);
  assert.equal(connector.alterOffsets(), true);
});

test('what flush() covered survives kill -9 of the process', async () => {
  const file = join(dir, 'killed.txt');
  const moduleUrl = new URL('../../src/connectors/file/file-stream-sink-task.js', import.meta.url).href;
  const script = `
    const { FileStreamSinkTask } = await import(${JSON.stringify(moduleUrl)});
    const task = new FileStreamSinkTask();
    await task.start({ file: ${JSON.stringify(file)} });
    for (let b = 0; b < 20; b++) {
      task.put(Array.from({ length: 1000 }, (_, i) => ({ topic: 't', kafkaPartition: 0, kafkaOffset: b * 1000 + i, key: null, value: 'line-' + (b * 1000 + i) })));
    }
    await task.flush();
    process.stdout.write('flushed\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('flushed') && resolve());
    child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const lines = readFileSync(file, 'utf8').split('\n');
  assert.equal(lines.length, 20_001);
  assert.equal(lines[19_999], 'line-19999');
});
