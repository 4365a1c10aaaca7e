/**
 * The Postgres source end to end on a real standalone worker and the embedded log: an initial snapshot, then inserts,
 * an update, a key-changing update and a delete streamed, written by JsonConverter with schemas and read back through
 * a FileStreamSink.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeTree } from '../../support/paths.js';
import { createTestDatabase, psql } from '../../support/postgres.js';
import { startWorker, waitFor } from '../../support/worker-process.js';
import { JSON_WORKER_CONFIG, payloads, readLines, sinkProperties, sourceProperties } from './cdc-support.js';

test('snapshot, then inserts, updates and deletes stream to the topic as Debezium envelopes', { timeout: 180_000 }, async (t) => {
  const db = await createTestDatabase('pgcdc_stream');
  await psql(db, "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2)); INSERT INTO items VALUES (1, 'one', 1.50), (2, 'two', 2.00), (3, 'three', NULL)");
  const tree = writeTree({});
  const out = join(tree.dir, 'out.txt');
  try {
    writeFileSync(join(tree.dir, 'source.properties'), sourceProperties('cdcstream', db, { 'slot.drop.on.stop': 'true' }));
    writeFileSync(join(tree.dir, 'sink.properties'), sinkProperties('cdcstream-sink', 'cdcstream.public.items', out));
    const worker = await startWorker({ dir: tree.dir, config: JSON_WORKER_CONFIG, connectorFiles: ['source.properties', 'sink.properties'], startTimeoutMs: 60_000 });
    try {
      await waitFor('the 3 snapshot records', () => readLines(out).length >= 3, 60_000, 100);
      const snap = payloads(readLines(out));
      assert.deepEqual(snap.map((p) => p!.op), ['r', 'r', 'r']);
      assert.deepEqual(snap.map((p) => p!.source.snapshot), ['first_in_data_collection', 'true', 'last'], 'as Debezium 3.6.1 writes them: never `first`');
      assert.deepEqual(snap.map((p) => String(p!.after.id)), ['1', '2', '3']);
      const first = JSON.parse(readLines(out)[0]!) as { schema: { name: string } };
      assert.equal(first.schema.name, 'cdcstream.public.items.Envelope');

      await psql(db, "INSERT INTO items VALUES (4, 'four', 4.25); UPDATE items SET name = 'TWO' WHERE id = 2; UPDATE items SET id = 30 WHERE id = 3; DELETE FROM items WHERE id = 1");
      // c, u, (d + tombstone + c) for the key change, d + tombstone
      await waitFor('the streamed changes', () => readLines(out).length >= 3 + 7, 60_000, 100);
      const streamed = payloads(readLines(out).slice(3));
      t.diagnostic(`streamed: ${streamed.map((p) => (p === null ? 'tombstone' : p.op)).join(' ')}`);
      assert.deepEqual(streamed.map((p) => (p === null ? null : p.op)), ['c', 'u', 'd', null, 'c', 'd', null]);
      assert.equal(streamed[0]!.after.name, 'four');
      assert.equal(streamed[1]!.after.name, 'TWO');
      assert.equal(streamed[1]!.before, null, 'REPLICA IDENTITY DEFAULT: no before on an update');
      assert.equal(String(streamed[2]!.before.id), '3', 'the key change deletes the old key');
      assert.equal(String(streamed[4]!.after.id), '30');
      assert.equal(String(streamed[5]!.before.id), '1');
      // DEFAULT identity: a delete has only the key columns; a NOT NULL column gets its type's zero value (Debezium's
      // fallback), a nullable one null.
      assert.equal(streamed[5]!.before.name, '', 'DEFAULT identity: NOT NULL name is the zero value');
      assert.equal(streamed[5]!.before.price, null, 'DEFAULT identity: nullable price is null');
      assert.equal(streamed[0]!.source.snapshot, 'false');
      assert.ok(Number(streamed[0]!.source.lsn) > 0);

      // REPLICA IDENTITY FULL: the whole old row in before.
      await psql(db, "ALTER TABLE items REPLICA IDENTITY FULL; UPDATE items SET name = 'FOUR' WHERE id = 4; DELETE FROM items WHERE id = 2");
      await waitFor('the FULL identity changes', () => readLines(out).length >= 10 + 3, 60_000, 100);
      const full = payloads(readLines(out).slice(10));
      assert.equal(full[0]!.op, 'u');
      assert.equal(full[0]!.before.name, 'four');
      assert.equal(full[1]!.op, 'd');
      assert.equal(full[1]!.before.name, 'TWO');
    } catch (e) {
      t.diagnostic(`worker log:\n${worker.log().slice(-5000)}`);
      throw e;
    } finally {
      await worker.stop();
    }
    assert.equal(await psql(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'cdcstream_slot'"), '0', 'slot.drop.on.stop dropped the slot');
  } finally {
    tree.cleanup();
  }
});
