/**
 * kill -9 of the worker, three times, while a writer inserts, updates and deletes rows of table A: the worker runs
 * the CDC source (A → topic) and ExtractNewRecordState + the Postgres sink (topic → table B, upsert + delete). After the last restart and the
 * writer's stop, B equals A exactly: re-delivered changes (at-least-once, from the last committed offsets on either
 * side) are harmless because every change is an idempotent upsert or delete by key, applied in order per key.
 * Each kill comes once the source streams: a kill during a snapshot makes the next start snapshot again, and a row
 * deleted between the two snapshots then has no delete event (the connector's README says so) — seen under load,
 * when the first snapshot was still running at the first kill.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { writeTree } from '../../support/paths.js';
import { createTestDatabase, psql } from '../../support/postgres.js';
import { seededRng } from '../../support/prng.js';
import { startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';
import { JSON_WORKER_CONFIG, sourceProperties } from '../postgres/cdc-support.js';
import { sinkProperties, UNWRAP } from './sink-support.js';

const KILLS = 3;

/** Commits small transactions of inserts, updates and deletes on items(id, v, pad) until stopped; rides out nothing (A's server stays up). */
class ChangeWriter {
  private stopped = false;
  private done: Promise<void> | null = null;
  transactions = 0;

  constructor(private readonly url: string) {}

  start(): void {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private async loop(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    const rng = seededRng(7);
    let next = 0;
    try {
      while (!this.stopped) {
        const statements = [`INSERT INTO items SELECT g, 0, repeat('p', ${rng.between(1, 200)}) FROM generate_series(${next}, ${next + 2}) g`];
        next += 3;
        statements.push(`UPDATE items SET v = v + 1, pad = md5(pad) WHERE id IN (${rng.int(next)}, ${rng.int(next)})`);
        statements.push(`DELETE FROM items WHERE id = ${rng.int(next)}`);
        if (rng.int(4) === 0) statements.push(`UPDATE items SET v = v + 100 WHERE id = ${rng.int(next)}`);
        await client.query(`BEGIN; ${statements.join('; ')}; COMMIT`);
        this.transactions++;
        if (this.transactions % 20 === 0) await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      await client.end();
    }
  }
}

/** Waits until `worker`'s source task streams (its snapshot, if it made one, completed). */
const streaming = (worker: WorkerProcess): Promise<unknown> =>
  waitFor('the source streaming', () => /INFO streaming connector=sinkcrash /.test(worker.log()), 120_000, 100);

const fingerprint = (db: string): Promise<string> => psql(db, "SELECT count(*) || ':' || coalesce(md5(string_agg(id || '/' || v || '/' || pad, ',' ORDER BY id)), '') FROM items");

test('kill -9 of the worker while table A changes: at the end table B equals table A', { timeout: 600_000 }, async (t) => {
  const a = await createTestDatabase('pgsink_crash_a');
  const b = await createTestDatabase('pgsink_crash_b');
  await psql(a, 'CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL, pad text)');
  const tree = writeTree({});
  writeFileSync(join(tree.dir, 'source.properties'), sourceProperties('sinkcrash', a));
  writeFileSync(join(tree.dir, 'sink.properties'), sinkProperties('sinkcrash-sink', 'sinkcrash.public.items', b, { 'table.name.format': 'items', ...UNWRAP }));
  const writer = new ChangeWriter(a);
  let worker: WorkerProcess | null = null;
  const rowsInB = async (): Promise<number> => Number(await psql(b, 'SELECT coalesce(max(id), -1) FROM items').catch(() => '-1'));
  try {
    worker = await startWorker({ dir: tree.dir, config: JSON_WORKER_CONFIG, connectorFiles: ['source.properties', 'sink.properties'], startTimeoutMs: 60_000 });
    writer.start();
    for (let kill = 1; kill <= KILLS; kill++) {
      await streaming(worker);
      const before = await rowsInB();
      const started = Date.now();
      await waitFor(`changes reaching B before kill ${kill}`, async () => (await rowsInB()) >= before + 300 && Date.now() - started >= 3000, 120_000, 100);
      await worker.kill();
      worker = await startWorker({ dir: tree.dir, config: JSON_WORKER_CONFIG, startTimeoutMs: 60_000 });
    }
    const afterLast = await rowsInB();
    await waitFor('changes after the last restart', async () => (await rowsInB()) >= afterLast + 300, 120_000, 100);
    await writer.stop();
    const expected = await fingerprint(a);
    await waitFor('table B equal to table A', async () => (await fingerprint(b)) === expected, 360_000, 500).catch(async (e) => {
      const diff = await psql(a, 'SELECT count(*) FROM items');
      assert.fail(`${(e as Error).message}: A ${expected} (${diff} rows), B ${await fingerprint(b)}\n${worker!.log().slice(-2000)}`);
    });
    t.diagnostic(`transactions: ${writer.transactions}; rows in A and B: ${expected.split(':')[0]}; kills: ${KILLS}`);
  } finally {
    await writer.stop();
    if (worker) await worker.stop();
    await psql(a, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'sinkcrash_slot' AND NOT active").catch(() => {});
    tree.cleanup();
  }
});
