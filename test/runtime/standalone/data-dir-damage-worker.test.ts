/**
 * The damage suite through a real `pipectl worker standalone` process (no Kafka): a damaged data.dir refuses the
 * start naming the file and `pipectl worker repair`, the repair says what it drops, recovery is always logged, and
 * one bad offsets request cannot stop offset saving.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import { numbered } from '../log/helpers.js';
import { writeTree } from '../../support/paths.js';
import { runCli } from '../../support/run-cli.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';

function workerConfig(dir: string): string {
  const path = join(dir, 'worker.properties');
  writeFileSync(path, `listeners=http://127.0.0.1:0\ndata.dir=${join(dir, 'data')}\n`);
  return path;
}

async function fillLog(logDir: string): Promise<string> {
  const log = await openEmbeddedLog({ dir: logDir, retentionCheckIntervalMs: 0 });
  for (let b = 0; b < 20; b++) await log.produce(numbered('t', 1000, `b${b}`));
  await log.close();
  const dir = join(logDir, 'topics', 't', '0');
  return join(dir, readdirSync(dir).find((f) => f.endsWith('.log'))!);
}

test('worker: damage mid-segment refuses the start (file, byte, repair command); repair drops and counts; the next start logs recovery', { timeout: 120_000 }, async () => {
  const tree = writeTree({});
  try {
    const dataDir = join(tree.dir, 'data');
    const segment = await fillLog(join(dataDir, 'log'));
    const bytes = readFileSync(segment);
    Buffer.alloc(1024, 0x5a).copy(bytes, bytes.length >> 1);
    writeFileSync(segment, bytes);

    const refused = runCli(['worker', 'standalone', workerConfig(tree.dir)]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.ok(refused.stderr.includes(segment), refused.stderr);
    assert.match(refused.stderr, /PIPECTL_LOG_CORRUPT: .* is damaged at byte \d+/);
    assert.ok(refused.stderr.includes(`pipectl worker repair ${dataDir}`), refused.stderr);

    const repaired = runCli(['worker', 'repair', dataDir]);
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.match(repaired.stdout, /repaired: .* dropped 10000 record\(s\) \(offsets 10000–19999/);

    appendFileSync(segment, Buffer.from('a torn tail'));
    const worker = await startWorker({ dir: tree.dir });
    try {
      assert.match(worker.log(), /WARN embedded log: cut a torn tail of 11 byte\(s\) at byte \d+ of \S+00000000000000000000\.log/);
      assert.match(worker.log(), /INFO embedded log opened topics=1 partitions=1 torn_tails_cut=1/);
    } finally {
      assert.equal(await worker.stop(), 0);
    }
  } finally {
    tree.cleanup();
  }
});

test('worker: garbage in offsets.json or in a connector file refuses the start naming the file', { timeout: 60_000 }, async () => {
  const tree = writeTree({});
  try {
    const dataDir = join(tree.dir, 'data');
    const config = workerConfig(tree.dir);
    const worker = await startWorker({ dir: tree.dir });
    assert.equal((await http('POST', `${worker.url}/connectors`, { name: 'c1', initial_state: 'STOPPED', config: { 'connector.class': 'FileStreamSource', file: join(tree.dir, 'in.txt'), topic: 't' } })).status, 201);
    assert.equal(await worker.stop(), 0);

    writeFileSync(join(dataDir, 'offsets.json'), '\0\0\0\0');
    let r = runCli(['worker', 'standalone', config]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /PIPECTL_STATE_DAMAGED: the source offsets file \S+offsets\.json is damaged/);
    assert.match(r.stderr, /pipectl worker repair/);
    writeFileSync(join(dataDir, 'offsets.json'), '[]');

    const connectorFile = join(dataDir, 'connectors', 'c1.json');
    writeFileSync(connectorFile, '{"version":1,"name":"c1","con');
    r = runCli(['worker', 'standalone', config]);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`Connector file ${connectorFile} cannot be read as JSON`), r.stderr);
  } finally {
    tree.cleanup();
  }
});

test('worker: a 5,000-deep offsets request answers 400 and offsets of every connector keep being saved', { timeout: 60_000 }, async () => {
  const tree = writeTree({});
  try {
    const input = join(tree.dir, 'in.txt');
    writeFileSync(input, Array.from({ length: 1000 }, (_, i) => `line ${i}\n`).join(''));
    const worker = await startWorker({ dir: tree.dir });
    try {
      const create = (name: string, state: string, file: string): Promise<{ status: number }> =>
        http('POST', `${worker.url}/connectors`, { name, initial_state: state, config: { 'connector.class': 'FileStreamSource', file, topic: name } });
      assert.equal((await create('other', 'STOPPED', join(tree.dir, 'other.txt'))).status, 201);
      let deep = '{}';
      for (let i = 0; i < 5000; i++) deep = `{"a":${deep}}`;
      const patch = await http('PATCH', `${worker.url}/connectors/other/offsets`, `{"offsets":[{"partition":{"filename":"x"},"offset":{"position":5,"nested":${deep}}}]}`);
      assert.equal(patch.status, 400, JSON.stringify(patch.body));
      // The REST edge refuses the nesting before the offsets are looked at.
      assert.match(JSON.stringify(patch.body), /nested more than 64 levels/);
      // A shallow nested offset gets past the edge: the offsets validation refuses it.
      const shallow = await http('PATCH', `${worker.url}/connectors/other/offsets`, { offsets: [{ partition: { filename: 'x' }, offset: { position: 5, nested: { a: { b: 1 } } } }] });
      assert.equal(shallow.status, 400, JSON.stringify(shallow.body));
      assert.match(JSON.stringify(shallow.body), /PIPECTL_STATE_INVALID_OFFSET|may only hold string, number, boolean or null/);

      assert.equal((await create('src', 'RUNNING', input)).status, 201);
      const size = readFileSync(input).length;
      await waitFor('src offsets saved in offsets.json', () => readFileSync(join(tree.dir, 'data', 'offsets.json'), 'utf8').includes(`"position":${size}`), 20_000, 100);
    } finally {
      assert.equal(await worker.stop(), 0);
    }
  } finally {
    tree.cleanup();
  }
});
