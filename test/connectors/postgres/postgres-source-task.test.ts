/**
 * The task in-process against the real Postgres: the user's mistakes fail it with PIPECTL_PG_SETUP and a message that
 * says what to do; a slot held by another task is retried then refused; stop() ends a waiting poll at once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PostgresSourceTask } from '../../../src/connectors/postgres/index.js';
import { createTestDatabase, psql } from '../../support/postgres.js';
import { waitFor } from '../../support/worker-process.js';

function configFor(url: string, extra: Record<string, string> = {}): Record<string, string> {
  const u = new URL(url);
  return { 'database.hostname': u.hostname, 'database.port': u.port, 'database.user': u.username, 'database.dbname': u.pathname.slice(1), 'topic.prefix': 'unit', 'poll.interval.ms': '100', ...extra };
}

const noOffsets = { offsetStorageReader: { offset: () => null } };

/** Polls until the task throws; returns what it threw. */
async function failure(task: PostgresSourceTask): Promise<Error & { code?: string }> {
  for (let i = 0; i < 600; i++) {
    try {
      await task.poll();
    } catch (e) {
      return e as Error;
    }
  }
  throw new assert.AssertionError({ message: 'the task never failed' });
}

test('a publication missing with publication.autocreate.mode=disabled fails the task, saying what to do', { timeout: 60_000 }, async () => {
  const db = await createTestDatabase('pgcdc_task');
  const task = new PostgresSourceTask();
  task.start(configFor(db, { 'publication.autocreate.mode': 'disabled', 'publication.name': 'nope', 'slot.name': 'unit_disabled' }), noOffsets);
  try {
    const e = await failure(task);
    assert.equal(e.code, 'PIPECTL_PG_SETUP');
    assert.match(e.message, /publication nope does not exist .*Create it/);
  } finally {
    await task.stop();
  }
});

test('a user without REPLICATION fails the task with the GRANT to run', { timeout: 60_000 }, async () => {
  const db = await createTestDatabase('pgcdc_task');
  await psql(db, 'DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \'cdc_norepl\') THEN CREATE ROLE cdc_norepl LOGIN; END IF; END $$');
  const task = new PostgresSourceTask();
  task.start(configFor(db, { 'database.user': 'cdc_norepl', 'slot.name': 'unit_norepl' }), noOffsets);
  try {
    const e = await failure(task);
    assert.equal(e.code, 'PIPECTL_PG_SETUP');
    assert.match(e.message, /ALTER ROLE "cdc_norepl" REPLICATION/);
  } finally {
    await task.stop();
  }
});

test('a slot active for another task is retried slot.max.retries times, then refused; stop() ends a waiting poll', { timeout: 90_000 }, async () => {
  const db = await createTestDatabase('pgcdc_task');
  await psql(db, 'CREATE TABLE t (id int PRIMARY KEY)');
  const first = new PostgresSourceTask();
  first.start(configFor(db, { 'slot.name': 'unit_busy', 'snapshot.mode': 'no_data' }), noOffsets);
  const second = new PostgresSourceTask();
  try {
    await waitFor('the first task streaming', async () => (await psql(db, "SELECT active FROM pg_replication_slots WHERE slot_name = 'unit_busy'")) === 't' && (await first.poll(), true), 30_000, 100);
    second.start(configFor(db, { 'slot.name': 'unit_busy', 'snapshot.mode': 'no_data', 'slot.max.retries': '2', 'slot.retry.delay.ms': '100' }), noOffsets);
    const e = await failure(second);
    assert.equal(e.code, 'PIPECTL_PG_SLOT_IN_USE');
    assert.match(e.message, /after 3 attempts/);
    const waiting = first.poll();
    const t0 = Date.now();
    await first.stop();
    assert.equal(await waiting, null);
    assert.ok(Date.now() - t0 < 5000, 'stop() and the pending poll returned promptly');
  } finally {
    await second.stop();
    await first.stop();
    await psql(db, "SELECT pg_drop_replication_slot('unit_busy')").catch(() => {});
  }
});
