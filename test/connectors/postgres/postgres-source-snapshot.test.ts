/**
 * The initial snapshot meets the stream exactly: rows committed while the snapshot reads the table arrive once — as
 * a read if the exported snapshot saw them, else as a create — and none is lost.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeTree } from '../../support/paths.js';
import { createTestDatabase, psql } from '../../support/postgres.js';
import { startWorker, waitFor } from '../../support/worker-process.js';
import { JSON_WORKER_CONFIG, readLines, sinkProperties, sourceProperties } from './cdc-support.js';

/** Schemaless JSON: with schemas, 200,000 envelopes are over 500 MB of output, more than one string can hold to read it back. */
const SCHEMALESS = { ...JSON_WORKER_CONFIG, 'key.converter.schemas.enable': 'false', 'value.converter.schemas.enable': 'false' };
import { NumberedWriter } from './numbered-writer.js';

const TABLE_ROWS = 200_000;

test('rows written during the snapshot arrive exactly once', { timeout: 240_000 }, async (t) => {
  const db = await createTestDatabase('pgcdc_snap');
  await psql(db, `CREATE TABLE numbers (n int PRIMARY KEY, pad text); INSERT INTO numbers SELECT g, repeat('x', 100) FROM generate_series(-${TABLE_ROWS}, -1) g`);
  const tree = writeTree({});
  const out = join(tree.dir, 'out.txt');
  // Small fetches and a small queue make the snapshot slow enough for the writer to commit during it.
  writeFileSync(join(tree.dir, 'source.properties'), sourceProperties('cdcsnap', db, { 'snapshot.fetch.size': '500', 'max.batch.size': '500', 'max.queue.size': '1000', 'slot.drop.on.stop': 'true' }));
  writeFileSync(join(tree.dir, 'sink.properties'), sinkProperties('cdcsnap-sink', 'cdcsnap.public.numbers', out));
  const writer = new NumberedWriter(db);
  const worker = await startWorker({ dir: tree.dir, config: SCHEMALESS, connectorFiles: ['source.properties', 'sink.properties'], startTimeoutMs: 60_000 });
  try {
    await waitFor('the snapshot under way', () => readLines(out).length > 0, 60_000, 20);
    writer.start();
    await waitFor('the snapshot done', () => readLines(out).some((l) => l.includes('"snapshot":"last"')), 180_000, 200);
    const duringSnapshot = writer.committed;
    await writer.stop();
    const rows = Number(await psql(db, 'SELECT count(*) FROM numbers'));
    await waitFor('every row', () => readLines(out).length >= rows, 120_000, 200);
    const seen = new Map<number, string[]>();
    for (const p of readLines(out).map((l) => (l === 'null' ? null : (JSON.parse(l) as Record<string, any>)))) {
      const n = Number(p!.after.n);
      seen.set(n, [...(seen.get(n) ?? []), p!.op]);
    }
    const twice = [...seen.values()].filter((ops) => ops.length > 1).length;
    const created = [...seen.values()].filter((ops) => ops[0] === 'c').length;
    const read = [...seen.values()].filter((ops) => ops[0] === 'r').length;
    t.diagnostic(`table rows: ${rows}; committed by the writer while the snapshot ran: ${duringSnapshot}; arrived as r: ${read}, as c: ${created}; more than once: ${twice}`);
    assert.equal(seen.size, rows, 'every row arrived');
    assert.equal(twice, 0, 'no row arrived twice');
    assert.ok(duringSnapshot > 0, 'the writer committed during the snapshot');
    assert.ok(created >= duringSnapshot, 'rows committed during the snapshot arrive as creates');
  } finally {
    await writer.stop();
    await worker.stop();
    tree.cleanup();
  }
});
