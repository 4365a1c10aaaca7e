/**
 * When the worker gives up waiting for a sink task (task.shutdown.graceful.timeout.ms), the plugin's stop() comes at
 * the right moment and once: abandoned in put(), at once (so a sink in a long back-off stops sending beside its
 * successor), and nothing more is handed to it after; abandoned in start(), only once start() has returned (a stop()
 * before would leave what start() then opens running, for nobody to close). Real worker, a recording test plugin.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';

const PLUGINS = join(REPO_ROOT, 'dist', 'test', 'runtime', 'standalone', 'fixtures', 'plugins');
let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

before(async () => {
  tree = writeTree({});
  writeFileSync(join(tree.dir, 'in.txt'), Array.from({ length: 20 }, (_, i) => `line-${i}\n`).join(''));
  worker = await startWorker({
    dir: tree.dir,
    config: { 'plugin.path': PLUGINS, 'task.shutdown.graceful.timeout.ms': '1000', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' },
  });
  const src = await http('POST', `${worker.url}/connectors`, { name: 'src', config: { 'connector.class': 'FileStreamSource', file: join(tree.dir, 'in.txt'), topic: 'lines' } });
  assert.equal(src.status, 201);
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

const callsOf = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

async function recordingSink(name: string, extra: Record<string, string>): Promise<string> {
  const file = join(tree.dir, `${name}.calls`);
  const r = await http('POST', `${worker.url}/connectors`, { name, config: { 'connector.class': 'test.RecordingSinkConnector', topics: 'lines', 'calls.file': file, ...extra } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return file;
}

test('abandoned in put(): stop() at once, and neither put() nor flush() after it', async () => {
  const file = await recordingSink('slow-put', { 'put.ms': '4000' });
  await waitFor('a put() in progress', () => callsOf(file).includes('put'), 60_000, 20);
  assert.equal((await http('DELETE', `${worker.url}/connectors/slow-put`)).status, 204);
  await waitFor('the put() to return', () => callsOf(file).includes('put-done'), 60_000, 20);
  const doneAt = Date.now();
  // The loop goes on after put() returns; give it a while to do what it should not (watching for an absence).
  await waitFor('a second after put() returned', () => Date.now() >= doneAt + 1000, 10_000, 50);
  assert.deepEqual(callsOf(file).slice(callsOf(file).indexOf('put')), ['put', 'stop', 'put-done']);
});

test('abandoned in start(): stop() only once start() has returned', async () => {
  const file = await recordingSink('slow-start', { 'start.ms': '3000' });
  await waitFor('start() in progress', () => callsOf(file).includes('start'), 60_000, 20);
  assert.equal((await http('DELETE', `${worker.url}/connectors/slow-start`)).status, 204);
  await waitFor('stop()', () => callsOf(file).includes('stop'), 60_000, 20);
  assert.deepEqual(callsOf(file), ['start', 'start-done', 'stop']);
});
