/**
 * End to end through a real worker: a table of every type the CDC source maps (table A) → PostgresConnector → topic →
 * ExtractNewRecordState (or no transform: the sink reads the envelope itself) → PostgresSink → table B in another
 * database, auto-created; B's values equal A's, compared as psql prints them. Then a poison record (a CHECK on a
 * pre-created B that A does not have) goes to the DLQ with its error headers while the other rows are written; with
 * errors.tolerance=none it fails the task instead, and a restart once B takes it loses nothing.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import { writeTree } from '../../support/paths.js';
import { createTestDatabase, psql } from '../../support/postgres.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';
import { JSON_WORKER_CONFIG, sourceProperties } from '../postgres/cdc-support.js';
import { sinkProperties, UNWRAP } from './sink-support.js';

const TABLE_A = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE alltypes (
  id int PRIMARY KEY, b boolean, bit1 bit(1), i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision,
  num numeric(12,3), vnum numeric, mon money, t text, vc varchar(20), ch char(5), d date, tm time, tm3 time(3),
  ts timestamp, ts3 timestamp(3), tstz timestamptz, ttz timetz, iv interval, u uuid, j jsonb, js json, x xml, by bytea,
  e mood, ip inet, cid cidr, mac macaddr, r int4range, ia int[], ta text[], na numeric(10,2)[], da date[],
  tsa timestamptz[], ua uuid[]
);
INSERT INTO alltypes VALUES
 (1, true, B'1', 7, 42, 1234567890123, 1.5, 0.1, 1234.5, 1.230, 12.34, 'hello', 'varchar', 'ab', '2024-01-02', '03:04:05.123456',
  '12:34:56.789', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123', '2024-01-02 03:04:05.123456+02', '01:04:05.5+03',
  '1 day 02:03:04.5', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"k": [1, 2, {"x": null}]}', '{"b": 1,  "a": [1, 2]}',
  '<a b="1">t</a>', '\\x00ff0a5c', 'happy', '10.1.2.3/8', '10.0.0.0/8', '08:00:2b:01:02:03', '[1,10)', '{1,NULL,-3}',
  '{"a,b","c\\"d",NULL,""}', '{1.50,NULL}', '{2024-01-02,NULL}', '{"2024-01-02 03:04:05.123456+00"}',
  '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'),
 (2, false, B'0', -32768, 2147483647, 9007199254740993, 3.4028235e38, 'NaN', -99999999.999, 12345678901234567890.0001230,
  '-1234.56', E'tab\\there\\nnew line \\\\ back "quote" ''single'' ünïcødé 🎉', '', 'x', '0100-01-01 BC', '24:00:00', '00:00:00',
  '0044-03-15 12:00:00 BC', '1970-01-01 00:00:00', 'infinity', '23:59:59.999999-11', '-3 days -04:05:06.789',
  '00000000-0000-0000-0000-000000000000', '[]', '"s"', '<r/>', '\\x', 'sad', '::1', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff',
  'empty', '{}', '{}', '{}', '{}', '{}', '{}'),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
`;

/** The columns as compared: A's expression and B's (where A's type prints differently from the type B got). */
const COLUMNS: [string, string][] = [
  ['id', 'id'], ['b', 'b'], ["bit1 = B'1'", 'bit1'], ['i2', 'i2'], ['i4', 'i4'], ['i8', 'i8'], ['f4', 'f4'], ['f8', 'f8'],
  ['num', 'num'], ['trim_scale(vnum)', 'trim_scale(vnum)'], ['mon::numeric', 'mon'], ['t', 't'], ['vc', 'vc'], ['ch', 'ch'],
  ['d', 'd'], ['tm', 'tm'], ['tm3', 'tm3'], ['ts', 'ts'], ['ts3', 'ts3'], ['tstz', 'tstz'], ["ttz AT TIME ZONE 'UTC'", 'ttz'],
  ['iv', 'iv'], ['u', 'u'], ['j', 'j'], ['js::jsonb', 'js'], ['x::text', 'x::text'], ['by', 'by'], ['e::text', 'e'],
  ['ip', 'ip'], ['cid', 'cid'], ['mac', 'mac'], ['r', 'r'], ['ia', 'ia'], ['ta', 'ta'], ['na', 'na'],
  ['da', 'da'], ['tsa', 'tsa'], ['ua', 'ua'],
];

const rowsOf = (db: string, side: 0 | 1): Promise<string> =>
  psql(db, `SELECT ${COLUMNS.map((c) => c[side]).join(', ')} FROM alltypes ORDER BY id`);

const sinkTopic = (prefix: string): string => `${prefix}.public.alltypes`;

for (const unwrap of [true, false]) {
  test(`every mapped type round-trips ${unwrap ? 'through ExtractNewRecordState' : 'from the envelopes (no transform)'}: table A → CDC source → topic → sink → table B (auto-created) holds equal values, through inserts, updates, deletes and a key change`, { timeout: 180_000 }, async () => {
    await roundTrip(unwrap, unwrap ? 'sinke2e' : 'sinkenv');
  });
}

async function roundTrip(unwrap: boolean, prefix: string): Promise<void> {
  const a = await createTestDatabase('pgsink_a');
  const b = await createTestDatabase('pgsink_b');
  await psql(a, TABLE_A);
  const tree = writeTree({});
  writeFileSync(join(tree.dir, 'source.properties'), sourceProperties(prefix, a));
  writeFileSync(join(tree.dir, 'sink.properties'), sinkProperties(`${prefix}-sink`, sinkTopic(prefix), b, { 'table.name.format': 'alltypes', ...(unwrap ? UNWRAP : {}) }));
  let worker: WorkerProcess | null = null;
  try {
    worker = await startWorker({ dir: tree.dir, config: JSON_WORKER_CONFIG, connectorFiles: ['source.properties', 'sink.properties'], startTimeoutMs: 60_000 });
    const expected = await rowsOf(a, 0);
    await waitFor('the snapshot in table B', async () => (await rowsOf(b, 1).catch(() => '')) === expected, 90_000, 200).catch(async (e) => {
      assert.equal(await rowsOf(b, 1).catch((x: Error) => x.message), expected, `${(e as Error).message}\n${worker!.log().slice(-3000)}`);
    });
    await psql(a, `INSERT INTO alltypes SELECT 4, b, bit1, i2, i4, i8, f4, f8, num, vnum, mon, t, vc, ch, d, tm, tm3, ts, ts3, tstz, ttz, iv, u, j, js, x, by, e, ip, cid, mac, r, ia, ta, na, da, tsa, ua FROM alltypes WHERE id = 1;
      UPDATE alltypes SET t = 'changed', i8 = -1, na = '{2.25}', tstz = '1999-12-31 23:59:59.5+00' WHERE id = 1;
      DELETE FROM alltypes WHERE id = 3;
      UPDATE alltypes SET id = 20 WHERE id = 2;`);
    const after = await rowsOf(a, 0);
    await waitFor('the changes in table B', async () => (await rowsOf(b, 1)) === after, 60_000, 200).catch(async (e) => {
      assert.equal(await rowsOf(b, 1), after, (e as Error).message);
    });
    assert.equal(await psql(b, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'alltypes'::regclass AND attname IN ('vnum', 'tm', 'ts', 'tstz', 'ttz', 'iv', 'u', 'j', 'by', 'ia', 'na') ORDER BY attnum"),
      ['numeric', 'time without time zone', 'timestamp without time zone', 'timestamp with time zone', 'time with time zone', 'interval', 'uuid', 'jsonb', 'bytea', 'integer[]', 'numeric[]'].join('\n'));
  } finally {
    if (worker) await worker.stop();
    await psql(a, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${prefix}_slot' AND NOT active`).catch(() => {});
    tree.cleanup();
  }
}

/**
 * Table A of 200 items (item 77 with qty -5) streamed by a CDC source `<prefix>` to a sink `<prefix>-sink` (upsert,
 * unwrapped) into a pre-created table B whose CHECK qty_positive refuses item 77.
 */
async function poisonPipeline(prefix: string, sinkExtra: Record<string, string>): Promise<{ a: string; b: string; tree: ReturnType<typeof writeTree> }> {
  const a = await createTestDatabase('pgsink_a');
  const b = await createTestDatabase('pgsink_b');
  await psql(a, 'CREATE TABLE items (id int PRIMARY KEY, name text, qty int); INSERT INTO items SELECT g, \'n\' || g, g FROM generate_series(1, 200) g; UPDATE items SET qty = -5 WHERE id = 77');
  await psql(b, 'CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int CONSTRAINT qty_positive CHECK (qty >= 0))');
  const tree = writeTree({});
  writeFileSync(join(tree.dir, 'source.properties'), sourceProperties(prefix, a));
  writeFileSync(join(tree.dir, 'sink.properties'), sinkProperties(`${prefix}-sink`, `${prefix}.public.items`, b, { 'table.name.format': 'items', 'auto.create': 'false', ...UNWRAP, ...sinkExtra }));
  return { a, b, tree };
}

test('a poison record (a CHECK of the pre-created table B) goes to the DLQ with its error headers; the rest is written', { timeout: 180_000 }, async () => {
  const { a, b, tree } = await poisonPipeline('sinkdlq', { 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq', 'errors.deadletterqueue.context.headers.enable': 'true' });
  let worker: WorkerProcess | null = null;
  try {
    worker = await startWorker({ dir: tree.dir, config: JSON_WORKER_CONFIG, connectorFiles: ['source.properties', 'sink.properties'], startTimeoutMs: 60_000 });
    await psql(a, 'INSERT INTO items VALUES (201, \'late\', 201)');
    await waitFor('199 + 1 rows in table B', async () => (await psql(b, 'SELECT count(*) FROM items')) === '200', 90_000, 200);
    assert.equal(await psql(b, 'SELECT count(*) FROM items WHERE id = 77'), '0');
    assert.equal((await http('GET', `${worker.url}/connectors/sinkdlq-sink/status`)).body.tasks[0].state, 'RUNNING');
    // The sink's offsets committed past the 201 records (an event awaited, not a fixed sleep that a busy machine outruns).
    await waitFor('the sink to commit past the last record', async () => Number((await http('GET', `${worker!.url}/connectors/sinkdlq-sink/offsets`)).body.offsets?.[0]?.offset?.kafka_offset ?? 0) >= 201, 60_000, 200);
  } finally {
    if (worker) await worker.stop();
    await psql(a, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'sinkdlq_slot' AND NOT active").catch(() => {});
  }
  const log = await openEmbeddedLog({ dir: join(tree.dir, 'data', 'log') });
  try {
    const dlq = await log.read({ topic: 'dlq', partition: 0 }, 0, 10);
    assert.equal(dlq.length, 1, 'exactly the poison record is in the DLQ');
    const header = (k: string): string | undefined => dlq[0]!.headers.find((h) => h.key === `__connect.errors.${k}`)?.value?.toString();
    assert.equal(header('topic'), 'sinkdlq.public.items');
    assert.equal(header('stage'), 'TASK_PUT');
    assert.match(header('exception.message') ?? '', /violates check constraint "qty_positive".*SQLSTATE 23514/);
    assert.match(dlq[0]!.value!.toString(), /"id":77/);
  } finally {
    await log.close();
    tree.cleanup();
  }
});

test('errors.tolerance=none: the poison record fails the task, its trace names it, nothing goes to a DLQ; once the table takes it, a task restart re-delivers it and loses nothing', { timeout: 300_000 }, async () => {
  const { a, b, tree } = await poisonPipeline('sinknone', { 'errors.deadletterqueue.topic.name': 'dlq' });
  let worker: WorkerProcess | null = null;
  try {
    worker = await startWorker({ dir: tree.dir, config: JSON_WORKER_CONFIG, connectorFiles: ['source.properties', 'sink.properties'], startTimeoutMs: 60_000 });
    const status = `${worker.url}/connectors/sinknone-sink/status`;
    const failed = await waitFor('the sink task FAILED', async () => {
      const task = (await http('GET', status)).body.tasks?.[0];
      return task?.state === 'FAILED' ? (task.trace as string) : undefined;
    }, 90_000, 200);
    assert.match(failed, /Postgres refused the record at sinknone\.public\.items-0@\d+ for "items": .*violates check constraint "qty_positive"/);
    assert.equal(await psql(b, 'SELECT count(*) FROM items WHERE id = 77'), '0');
    // The table is mended; the task, restarted, reads again from its last commit: the poison record and whatever
    // else was not committed come again (upsert makes the re-delivery harmless), and nothing is lost.
    await psql(b, 'ALTER TABLE items DROP CONSTRAINT qty_positive');
    const restart = await http('POST', `${worker.url}/connectors/sinknone-sink/tasks/0/restart`);
    assert.ok(restart.status === 204 || restart.status === 200, `restart: ${restart.status}`);
    await psql(a, 'INSERT INTO items VALUES (201, \'late\', 201)');
    await waitFor('all 201 rows in table B', async () => (await psql(b, 'SELECT count(*) FROM items')) === '201', 90_000, 200);
    assert.equal(await psql(b, 'SELECT name, qty FROM items WHERE id = 77'), 'n77|-5');
    assert.equal((await http('GET', status)).body.tasks[0].state, 'RUNNING');
  } finally {
    if (worker) await worker.stop();
    await psql(a, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'sinknone_slot' AND NOT active").catch(() => {});
  }
  const log = await openEmbeddedLog({ dir: join(tree.dir, 'data', 'log') });
  try {
    await assert.rejects(log.read({ topic: 'dlq', partition: 0 }, 0, 10), /does not exist/, 'no DLQ with errors.tolerance=none');
  } finally {
    await log.close();
    tree.cleanup();
  }
});

test('a password in connection.url or connection.password never reaches the worker log or the FAILED task trace', { timeout: 60_000 }, async () => {
  const tree = writeTree({});
  writeFileSync(join(tree.dir, 'sink.properties'), [
    'name=leaky', 'connector.class=PostgresSink', 'topics=t', 'connection.url=jdbc:postgresql://127.0.0.1:1/db?user=u&password=UrlSecret123',
    'connection.password=KeySecret456', 'connection.attempts=1',
  ].join('\n') + '\n');
  let worker: WorkerProcess | null = null;
  try {
    worker = await startWorker({ dir: tree.dir, config: JSON_WORKER_CONFIG, connectorFiles: ['sink.properties'], startTimeoutMs: 60_000 });
    const status = await waitFor('the task FAILED', async () => {
      const s = (await http('GET', `${worker!.url}/connectors/leaky/status`)).body;
      return s.tasks?.[0]?.state === 'FAILED' ? s : undefined;
    }, 30_000, 100);
    assert.match(status.tasks[0].trace, /PIPECTL_PGSINK_CONNECTION|Cannot connect to Postgres at 127\.0\.0\.1:1\/db/);
    for (const text of [JSON.stringify(status), worker.log()]) {
      assert.ok(!text.includes('UrlSecret123') && !text.includes('KeySecret456'), text.slice(-2000));
    }
  } finally {
    if (worker) await worker.stop();
    tree.cleanup();
  }
});
