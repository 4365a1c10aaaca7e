/**
 * copyScript against the real dev Postgres: a transaction of COPYs and statements in one round trip commits all of
 * it; a failure anywhere rolls all of it back, and the CopyData sent ahead behind the failed statement is dropped by
 * the server (never read as a query), so the same connection goes on working.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { copyLine, copyScript } from '../../../src/connectors/postgres-sink/copy-in.js';
import { createTestDatabase, psql } from '../../support/postgres.js';

const lines = (from: number, to: number, name = (i: number) => `n${i}`): string[] => Array.from({ length: to - from + 1 }, (_, k) => copyLine([String(from + k)], [name(from + k)]));

async function withClient(db: string, body: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    await body(client);
  } finally {
    await client.end();
  }
}

test('one script: two COPYs and an upsert from the staging table commit together; 50,000 rows ahead of the answers keep their order', async () => {
  const db = await createTestDatabase('copyscript');
  await psql(db, 'CREATE TABLE a (id int PRIMARY KEY, name text NOT NULL); CREATE TABLE stage (id int, name text); INSERT INTO a VALUES (1, \'old\')');
  await withClient(db, async (client) => {
    await copyScript(client, 'BEGIN; COPY stage (id, name) FROM STDIN; INSERT INTO a SELECT id, name FROM stage ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name; COPY a (id, name) FROM STDIN; COMMIT', [lines(1, 10), lines(10_001, 60_000)]);
    assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1);
  });
  assert.equal(await psql(db, 'SELECT count(*), min(id), max(id) FROM a'), '50010|1|60000');
  assert.equal(await psql(db, 'SELECT name FROM a WHERE id = 1'), 'n1');
});

test('a refused row in the first COPY: the script rejects with the SQLSTATE, nothing is written, the rows sent behind are dropped, the connection works', async () => {
  const db = await createTestDatabase('copyscript');
  await psql(db, 'CREATE TABLE a (id int PRIMARY KEY, name text NOT NULL)');
  await withClient(db, async (client) => {
    // Row 5's id is not an integer; the second COPY's rows, if read as a query, would be a syntax error.
    const bad = lines(1, 10);
    bad[4] = copyLine(['five'], ['x']);
    await assert.rejects(copyScript(client, 'BEGIN; COPY a (id, name) FROM STDIN; COPY a (id, name) FROM STDIN; COMMIT', [bad, ['SELECT pg_sleep(100);\n', ...lines(100, 200)]]), (e: Error & { code?: string }) => e.code === '22P02');
    await client.query('ROLLBACK');
    assert.equal((await client.query('SELECT count(*)::int AS n FROM a')).rows[0].n, 0);
    await copyScript(client, 'BEGIN; COPY a (id, name) FROM STDIN; COMMIT', [lines(1, 3)]);
  });
  assert.equal(await psql(db, 'SELECT count(*) FROM a'), '3');
});

test('a failure after the COPYs (a duplicate key in the upsert\'s INSERT) rolls back the COPYs of the same script', async () => {
  const db = await createTestDatabase('copyscript');
  await psql(db, 'CREATE TABLE a (id int PRIMARY KEY, name text NOT NULL); CREATE TABLE b (id int PRIMARY KEY); CREATE TABLE stage (id int, name text)');
  await withClient(db, async (client) => {
    await assert.rejects(copyScript(client, 'BEGIN; COPY b (id) FROM STDIN; COPY stage (id, name) FROM STDIN; INSERT INTO a SELECT id, name FROM stage; COMMIT', [['1\n', '2\n'], [...lines(1, 3), ...lines(2, 2)]]), (e: Error & { code?: string }) => e.code === '23505');
    await client.query('ROLLBACK');
  });
  assert.equal(await psql(db, 'SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b) + (SELECT count(*) FROM stage)'), '0');
});
