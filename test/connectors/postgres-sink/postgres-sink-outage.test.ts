/**
 * The sink's database gone for minutes mid-stream: a TCP gate in front of table B's server is closed (every connection
 * cut, new ones refused) while a writer keeps changing table A and the CDC source keeps reading it. The sink task must
 * ride it out — retrying, never FAILED, nothing skipped — and once the gate opens, B catches up and equals A.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { writeTree } from '../../support/paths.js';
import { createTestDatabase, psql } from '../../support/postgres.js';
import { startTcpGate } from '../../support/tcp-gate.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';
import { JSON_WORKER_CONFIG, sourceProperties } from '../postgres/cdc-support.js';
import { sinkProperties, UNWRAP } from './sink-support.js';

/** How long B stays unreachable: past the task's own retries (max.retries × retry.backoff.ms = 30 s by default). */
const OUTAGE_MS = Number(process.env.PIPECTL_TEST_OUTAGE_MS ?? 120_000);

const fingerprint = (db: string): Promise<string> => psql(db, "SELECT count(*) || ':' || coalesce(md5(string_agg(id || '/' || v, ',' ORDER BY id)), '') FROM items");

test('the sink database unreachable for minutes mid-stream: the task retries, never fails, and B catches up to equal A', { timeout: OUTAGE_MS + 600_000 }, async (t) => {
  const a = await createTestDatabase('pgsink_outage_a');
  const b = await createTestDatabase('pgsink_outage_b');
  await psql(a, 'CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL)');
  const bUrl = new URL(b);
  const gate = await startTcpGate(bUrl.hostname, Number(bUrl.port));
  bUrl.port = String(gate.port);
  const tree = writeTree({});
  writeFileSync(join(tree.dir, 'source.properties'), sourceProperties('sinkoutage', a));
  writeFileSync(join(tree.dir, 'sink.properties'), sinkProperties('sinkoutage-sink', 'sinkoutage.public.items', bUrl.toString(), { 'table.name.format': 'items', ...UNWRAP }));
  let stopped = false;
  let transactions = 0;
  const writer = (async () => {
    const client = new pg.Client({ connectionString: a });
    await client.connect();
    try {
      for (let next = 0; !stopped; next += 5) {
        await client.query(`BEGIN; INSERT INTO items SELECT g, 0 FROM generate_series(${next}, ${next + 4}) g; UPDATE items SET v = v + 1 WHERE id = ${Math.floor(next / 2)}; COMMIT`);
        transactions++;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await client.end();
    }
  })();
  let worker: WorkerProcess | null = null;
  const rowsInB = async (): Promise<number> => Number(await psql(b, 'SELECT count(*) FROM items').catch(() => '0'));
  const sinkTaskState = async (): Promise<string> => {
    const res = await http('GET', `${worker!.url}/connectors/sinkoutage-sink/status`);
    return (res.body as { tasks?: { state: string }[] }).tasks?.[0]?.state ?? 'none';
  };
  try {
    worker = await startWorker({ dir: tree.dir, config: JSON_WORKER_CONFIG, connectorFiles: ['source.properties', 'sink.properties'], startTimeoutMs: 60_000 });
    await waitFor('rows reaching B before the outage', async () => (await rowsInB()) >= 200, 120_000, 100);
    gate.close();
    const closedAt = Date.now();
    const inB = await rowsInB();
    const states = new Set<string>();
    while (Date.now() - closedAt < OUTAGE_MS) {
      states.add(await sinkTaskState());
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.deepEqual([...states], ['RUNNING'], 'the sink task stays RUNNING through the outage');
    assert.ok((await rowsInB()) <= inB + 5 * 3000, 'nothing reached B while it was unreachable (beyond a chunk in flight at the cut)');
    const retries = worker.log().match(/Postgres write failed|retriable error from (put|flush)/g)?.length ?? 0;
    assert.ok(retries > 0, `the retries are in the log:\n${worker.log().slice(-2000)}`);
    gate.open();
    await waitFor('rows reaching B after the outage', async () => (await rowsInB()) >= inB + 200, 300_000, 200);
    stopped = true;
    await writer;
    const expected = await fingerprint(a);
    await waitFor('table B equal to table A', async () => (await fingerprint(b)) === expected, 300_000, 500).catch(async (e) => {
      assert.fail(`${(e as Error).message}: A ${expected}, B ${await fingerprint(b)}\n${worker!.log().slice(-2000)}`);
    });
    assert.equal(await sinkTaskState(), 'RUNNING');
    t.diagnostic(`outage ${OUTAGE_MS} ms; transactions ${transactions}; rows ${expected.split(':')[0]}; retry lines in the log ${retries}; connections through the gate ${gate.connections()}`);
  } finally {
    stopped = true;
    await writer.catch(() => {});
    if (worker) await worker.stop();
    await gate.stop();
    await psql(a, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'sinkoutage_slot' AND NOT active").catch(() => {});
    tree.cleanup();
  }
});
