/**
 * Upserts COPYed straight into the table (direct-copy.ts) against the real Postgres: taken only where a duplicate key
 * must fail the COPY, falling back to the staging table when a key exists, never writing what the staging way would
 * refuse; and the back-off after failed tries.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DirectCopyPolicy, MAX_SKIP } from '../../../src/connectors/postgres-sink/direct-copy.js';
import { createTestDatabase, psql } from '../../support/postgres.js';
import { row, sinkConfig, startTask } from './sink-support.js';

const UPSERT = { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'table.name.format': 'items' };

/** Rows `from`..`to` (enough for the COPY path: at least 64), named `${prefix}${id}`. */
const rows = (from: number, to: number, prefix: string) => Array.from({ length: to - from + 1 }, (_, i) => row('t', from + i, { name: `${prefix}${from + i}`, qty: from + i }));

/**
 * A login role that owns `items` (unique per database: roles are the server's), for row-level security, which a
 * superuser — the tests' own user — always bypasses; the sink then connects as it.
 */
async function tableOwner(db: string): Promise<string> {
  const role = `pgdirect_${Math.random().toString(36).slice(2, 10)}`;
  await psql(db, `CREATE ROLE ${role} LOGIN; ALTER TABLE items OWNER TO ${role}`);
  return role;
}

/** Staging tables of this database's sessions (temp tables are in pg_class for every session). */
const stagingTables = (db: string): Promise<string> => psql(db, "SELECT count(*) FROM pg_class WHERE relname LIKE 'pipectl_stage_%'");

test('new keys go straight into the table (no staging table); a chunk with existing keys falls back and updates them', async () => {
  const db = await createTestDatabase('pgdirect');
  await psql(db, 'CREATE TABLE items (id int PRIMARY KEY, name text, qty int)');
  const { task, errant } = await startTask(sinkConfig(db, UPSERT));
  try {
    await task.put(rows(1, 100, 'a'));
    assert.equal(await psql(db, 'SELECT count(*), min(name), sum(qty) FROM items'), `100|a1|${(100 * 101) / 2}`);
    assert.equal(await stagingTables(db), '0', 'no staging table for new keys');
    await task.put(rows(51, 150, 'b')); // 51..100 exist
    assert.equal(await psql(db, "SELECT count(*), count(*) FILTER (WHERE name LIKE 'b%') FROM items"), '150|100');
    assert.equal(await psql(db, 'SELECT name FROM items WHERE id = 75'), 'b75');
    assert.equal(await stagingTables(db), '1', 'the conflicting chunk went the staging way');
    assert.deepEqual(errant, []);
  } finally {
    await task.stop();
  }
});

test('re-delivered new keys after a crash meet themselves: the upsert stays idempotent', async () => {
  const db = await createTestDatabase('pgdirect');
  const { task } = await startTask(sinkConfig(db, { ...UPSERT, 'auto.create': 'true' })); // auto.create makes the primary key
  try {
    await task.put(rows(1, 200, 'a'));
    await task.put(rows(1, 200, 'a'));
    await task.put([...rows(150, 300, 'c')]);
    assert.equal(await psql(db, "SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE name LIKE 'c%') FROM items"), '300|300|151');
  } finally {
    await task.stop();
  }
});

for (const [what, ddl] of [
  ['no unique index', 'CREATE TABLE items (id int, name text, qty int)'],
  ['a unique index on more columns than the key', 'CREATE TABLE items (id int, name text, qty int, UNIQUE (id, name))'],
  ['a partial unique index on the key', 'CREATE TABLE items (id int, name text, qty int); CREATE UNIQUE INDEX ON items (id) WHERE qty > 0'],
  ['a deferrable unique key', 'CREATE TABLE items (id int, name text, qty int, UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)'],
  ['a unique index on an expression', 'CREATE TABLE items (id int, name text, qty int); CREATE UNIQUE INDEX ON items ((id + 0))'],
  // Keyed right, but COPY would write what INSERT refuses: the guard statement before the COPY refuses it first.
  ['a GENERATED ALWAYS identity key (COPY would write it; INSERT refuses: 428C9)', 'CREATE TABLE items (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text, qty int)'],
  ['an INSERT rule (COPY skips rules; ON CONFLICT refuses them: 0A000)', 'CREATE TABLE items (id int PRIMARY KEY, name text, qty int); CREATE TABLE seen (id int); CREATE RULE also_seen AS ON INSERT TO items DO ALSO INSERT INTO seen VALUES (NEW.id)'],
] as const) {
  test(`a table with ${what}: the upsert is refused as the staging way refuses it, and nothing is written`, async () => {
    const db = await createTestDatabase('pgdirect');
    await psql(db, ddl);
    const { task } = await startTask(sinkConfig(db, UPSERT));
    try {
      // ON CONFLICT (id) needs a unique index on exactly (id) that is immediate, and refuses rules and GENERATED
      // ALWAYS keys: a direct COPY would have written the rows (and, without the key index, doubled them on re-delivery).
      await assert.rejects(task.put(rows(1, 100, 'a')), (e: Error & { code?: string }) => e.code === 'PIPECTL_PGSINK_SCHEMA');
      assert.equal(await psql(db, 'SELECT count(*) FROM items'), '0');
    } finally {
      await task.stop();
    }
  });
}

test('a unique key with INCLUDE columns counts as the key: new keys go straight in', async () => {
  const db = await createTestDatabase('pgdirect');
  await psql(db, 'CREATE TABLE items (id int, name text, qty int); CREATE UNIQUE INDEX ON items (id) INCLUDE (name)');
  const { task } = await startTask(sinkConfig(db, UPSERT));
  try {
    await task.put(rows(1, 100, 'a'));
    assert.equal(await stagingTables(db), '0');
    await task.put(rows(1, 100, 'b'));
    assert.equal(await psql(db, "SELECT count(*), count(*) FILTER (WHERE name LIKE 'b%') FROM items"), '100|100');
  } finally {
    await task.stop();
  }
});

test('a table under row-level security (COPY FROM refused there) is written the staging way', async () => {
  const db = await createTestDatabase('pgdirect');
  await psql(db, 'CREATE TABLE items (id int PRIMARY KEY, name text, qty int); ALTER TABLE items ENABLE ROW LEVEL SECURITY; ALTER TABLE items FORCE ROW LEVEL SECURITY; CREATE POLICY everything ON items USING (true) WITH CHECK (true)');
  const { task } = await startTask(sinkConfig(db, { ...UPSERT, 'connection.user': await tableOwner(db) }));
  try {
    await task.put(rows(1, 100, 'a'));
    await task.put(rows(51, 150, 'b'));
    assert.equal(await psql(db, "SELECT count(*), count(*) FILTER (WHERE name LIKE 'b%') FROM items"), '150|100');
  } finally {
    await task.stop();
  }
});

test('a duplicate in another unique column fails the direct try and the staging way alike: that record is errant, the rest written', async () => {
  const db = await createTestDatabase('pgdirect');
  await psql(db, "CREATE TABLE items (id int PRIMARY KEY, name text UNIQUE, qty int); INSERT INTO items VALUES (1000, 'a50', 0)");
  const { task, errant } = await startTask(sinkConfig(db, UPSERT));
  try {
    await task.put(rows(1, 100, 'a'));
    assert.deepEqual(errant.map((e) => e.record.key), [{ id: 50 }]);
    assert.match(errant[0]!.error.message, /SQLSTATE 23505/);
    assert.equal(await psql(db, 'SELECT count(*) FROM items'), '100');
  } finally {
    await task.stop();
  }
});

test('a key index dropped after the sink read the table: the guard refuses (42P10) as the staging way does, no second row per key', async () => {
  const db = await createTestDatabase('pgdirect');
  await psql(db, 'CREATE TABLE items (id int PRIMARY KEY, name text, qty int)');
  const { task } = await startTask(sinkConfig(db, UPSERT));
  try {
    await task.put(rows(1, 100, 'a')); // read the table (its primary key) and went straight in
    await psql(db, 'ALTER TABLE items DROP CONSTRAINT items_pkey');
    await assert.rejects(task.put(rows(51, 150, 'b')), (e: Error & { code?: string }) => e.code === 'PIPECTL_PGSINK_SCHEMA' && /42P10/.test(e.message));
    assert.equal(await psql(db, 'SELECT count(*), count(DISTINCT id) FROM items'), '100|100');
  } finally {
    await task.stop();
  }
});

test('row-level security turned on after the sink read the table: the refused COPY falls back, the rows are written', async () => {
  const db = await createTestDatabase('pgdirect');
  await psql(db, 'CREATE TABLE items (id int PRIMARY KEY, name text, qty int)');
  const { task, errant } = await startTask(sinkConfig(db, { ...UPSERT, 'connection.user': await tableOwner(db) }));
  try {
    await task.put(rows(1, 100, 'a'));
    await psql(db, 'ALTER TABLE items ENABLE ROW LEVEL SECURITY; ALTER TABLE items FORCE ROW LEVEL SECURITY; CREATE POLICY everything ON items USING (true) WITH CHECK (true)');
    await task.put(rows(101, 200, 'b'));
    await task.put(rows(201, 300, 'c'));
    assert.equal(await psql(db, 'SELECT count(*) FROM items'), '300');
    assert.deepEqual(errant, []);
  } finally {
    await task.stop();
  }
});

test('an exclusion constraint checked before the key (23P01 first) falls back like a key conflict, not record by record', async () => {
  const db = await createTestDatabase('pgdirect');
  // Made before the primary key, so its index is checked first: an existing key fails the COPY with 23P01.
  await psql(db, "CREATE TABLE items (id int NOT NULL, name text, qty int, EXCLUDE USING gist (int4range(id, id, '[]') WITH &&)); ALTER TABLE items ADD PRIMARY KEY (id)");
  const { task, errant } = await startTask(sinkConfig(db, UPSERT));
  try {
    await task.put(rows(1, 100, 'a'));
    await task.put(rows(51, 150, 'b'));
    assert.equal(await psql(db, "SELECT count(*), count(*) FILTER (WHERE name LIKE 'b%') FROM items"), '150|100');
    assert.equal(await stagingTables(db), '1', 'the staging way, not record by record (which never makes one)');
    assert.deepEqual(errant, []);
  } finally {
    await task.stop();
  }
});

test('after a failed try a table goes the staging way for 1, 2, 4 … up to MAX_SKIP chunks; a try that succeeds ends it', () => {
  const policy = new DirectCopyPolicy();
  const skipped = (): number => {
    let n = 0;
    while (!policy.shouldTry('t')) n++;
    return n;
  };
  assert.equal(skipped(), 0);
  const seen: number[] = [];
  for (let i = 0; i < 9; i++) {
    policy.failed('t');
    seen.push(skipped());
  }
  assert.deepEqual(seen, [1, 2, 4, 8, 16, 32, 64, 64, 64]);
  assert.equal(MAX_SKIP, 64);
  policy.succeeded('t');
  policy.failed('t');
  assert.equal(skipped(), 1, 'the back-off starts again from 1');
  assert.equal(policy.shouldTry('other'), true, 'per table');
});
