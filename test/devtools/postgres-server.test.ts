import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDevPostgres } from '../../src/devtools/background-postgres.js';
import { DevToolsError } from '../../src/devtools/dev-errors.js';
import { MAX_REPLICATION, POSTGRES_USER } from '../../src/devtools/postgres-config.js';
import { startPostgres } from '../../src/devtools/postgres-server.js';
import { isProcessAlive } from '../../src/devtools/processes.js';
import { holdPort } from '../support/ports.js';
import { waitFor } from '../support/worker-process.js';
import { createTestDatabase, postgresTestUrl, psql, serverProcesses } from '../support/postgres.js';

/** A folder for a kept server; open to others, as a project folder is, since as root the server runs as postgres. */
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-pg-test-'));
  chmodSync(dir, 0o755);
  return dir;
}

test('the test run\'s server: logical decoding on, replication room, loopback only, a user with REPLICATION', async () => {
  const url = await postgresTestUrl();
  assert.match(url, /^postgresql:\/\/pipectl@127\.0\.0\.1:\d+\/postgres$/);
  assert.equal(await psql(url, 'SHOW wal_level'), 'logical');
  assert.equal(await psql(url, 'SHOW max_replication_slots'), String(MAX_REPLICATION));
  assert.equal(await psql(url, 'SHOW max_wal_senders'), String(MAX_REPLICATION));
  assert.equal(await psql(url, 'SHOW fsync'), 'off', 'the test server runs without fsync');
  assert.equal(await psql(url, 'SHOW listen_addresses'), '127.0.0.1');
  assert.equal(await psql(url, `SELECT rolreplication FROM pg_roles WHERE rolname = '${POSTGRES_USER}'`), 't');
});

test('a pgoutput logical replication slot can be created (SQL and the replication protocol) and decodes a committed insert', async () => {
  const db = await createTestDatabase('slots');
  await psql(db, 'CREATE TABLE t (id int PRIMARY KEY, v text); CREATE PUBLICATION p FOR TABLE t');
  assert.match(await psql(db, "SELECT slot_name FROM pg_create_logical_replication_slot('sql_slot', 'pgoutput')"), /^sql_slot$/);
  // The walsender path a CDC connector takes: a replication connection and CREATE_REPLICATION_SLOT.
  const replication = `${db}?replication=database`;
  assert.match(await psql(replication, 'CREATE_REPLICATION_SLOT wire_slot LOGICAL pgoutput'), /^wire_slot\|[0-9A-F]+\/[0-9A-F]+\|[^|]+\|pgoutput$/);
  await psql(db, "INSERT INTO t VALUES (1, 'hello')");
  // pgoutput's binary messages: Begin ('B'), Relation ('R'), Insert ('I'), Commit ('C').
  const kinds = await psql(db, "SELECT string_agg(chr(get_byte(data, 0)), '' ORDER BY lsn) FROM pg_logical_slot_peek_binary_changes('wire_slot', NULL, NULL, 'proto_version', '1', 'publication_names', 'p')");
  assert.equal(kinds, 'BRIC');
  const slots = await psql(db, "SELECT string_agg(slot_name || ':' || plugin || ':' || slot_type, ',' ORDER BY slot_name) FROM pg_replication_slots WHERE database = current_database()");
  assert.equal(slots, 'sql_slot:pgoutput:logical,wire_slot:pgoutput:logical');
  await psql(db, "SELECT pg_drop_replication_slot('sql_slot'), pg_drop_replication_slot('wire_slot')");
});

test('start and stop on a kept folder: a second start there is refused, a restart reuses the cluster, stop removes nothing', async (t) => {
  const dir = folder();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'pg');
  const first = await startPostgres({ dataDir, fsync: false });
  t.after(() => first.kill());
  assert.equal(first.initialized, true);
  assert.equal(first.socketDir, dataDir, 'the unix socket is in the server folder');
  assert.ok(isDevPostgres(first.pid));
  assert.equal(await psql(first.url, 'SHOW wal_level'), 'logical');
  assert.equal(await psql(`host=${dataDir} port=${first.port} user=${POSTGRES_USER} dbname=postgres`, 'SELECT 1'), '1', 'the socket answers');
  await psql(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('from the first start')");
  writeFileSync(join(dataDir, 'notes.txt'), 'a file of the user\n');

  await assert.rejects(startPostgres({ dataDir, fsync: false }), (e: DevToolsError) => {
    assert.equal(e.code, 'PIPECTL_DEV_ALREADY_RUNNING');
    assert.match(e.message, new RegExp(`already running in ${dataDir} \\(pid ${first.pid}, port ${first.port}\\)`));
    return true;
  });
  assert.equal(await psql(first.url, 'SELECT count(*) FROM kept'), '1', 'the refused start left the running server alone');

  assert.ok(serverProcesses(join(dataDir, 'pgdata')).length >= 4, 'the postmaster and its background processes');
  const before = readdirSync(join(dataDir, 'pgdata')).sort();
  await first.stop();
  assert.equal(isProcessAlive(first.pid), false);
  assert.deepEqual(serverProcesses(join(dataDir, 'pgdata')), [], 'no backend left');
  assert.equal(readFileSync(join(dataDir, 'notes.txt'), 'utf8'), 'a file of the user\n');
  assert.ok(existsSync(join(dataDir, 'postgres.log')));
  assert.deepEqual(readdirSync(join(dataDir, 'pgdata')).sort(), before.filter((f) => f !== 'postmaster.pid'), 'only the postmaster\'s own pid file went');

  const second = await startPostgres({ dataDir, fsync: false });
  t.after(() => second.kill());
  assert.equal(second.initialized, false, 'initdb does not run again');
  assert.equal(await psql(second.url, 'SELECT v FROM kept'), 'from the first start');
  await second.stop();
  assert.ok(existsSync(join(dataDir, 'pgdata', 'PG_VERSION')));
});

test('kill() is a crash of the whole server; the next start on the folder recovers what was committed', async (t) => {
  const dir = folder();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = await startPostgres({ dataDir: join(dir, 'pg'), fsync: false });
  t.after(() => first.kill());
  await psql(first.url, 'CREATE TABLE committed (n int); INSERT INTO committed SELECT generate_series(1, 100)');
  await first.kill();
  await waitFor('SIGKILL to reach the postmaster and every backend', () => serverProcesses(first.pgdata).length === 0, 5_000, 50);
  const second = await startPostgres({ dataDir: join(dir, 'pg'), fsync: false });
  t.after(() => second.kill());
  assert.equal(await psql(second.url, 'SELECT count(*) FROM committed'), '100');
  await second.stop();
});

test('a temporary server goes away with its folder; a taken port and a missing PostgreSQL are one-line errors', async () => {
  const server = await startPostgres({ fsync: false });
  assert.ok(existsSync(server.pgdata));
  await server.stop();
  assert.equal(existsSync(server.dataDir), false, 'the temporary folder is removed');

  const held = await holdPort();
  try {
    await assert.rejects(startPostgres({ port: held.port }), (e: DevToolsError) => e.code === 'PIPECTL_DEV_PORT_IN_USE' && e.message === `Postgres port 127.0.0.1:${held.port} is already in use (choose another port, or 0 for a free one)`);
  } finally {
    await held.close();
  }
  await assert.rejects(startPostgres({ binDir: '/nonexistent' }), (e: DevToolsError) => e.code === 'PIPECTL_DEV_POSTGRES_MISSING');
});
