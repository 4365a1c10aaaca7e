/**
 * A task stopped while its writer is between retries (the connection lost, the table locked) neither reconnects nor
 * writes once stopped: its successor re-delivers those rows from the last commit, and two tasks do not interleave
 * writes of the same rows. Real Postgres: the table locked by another session, the sink's backend terminated.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, psql } from '../../support/postgres.js';
import { waitFor } from '../../support/worker-process.js';
import { PostgresSinkTask } from '../../../src/connectors/postgres-sink/index.js';
import { CommittingTask, row, sinkConfig } from './sink-support.js';

test('stopped during a retry back-off: no reconnection, no write after stop(), no connection left', { timeout: 120_000 }, async () => {
  const db = await createTestDatabase('pgsink');
  const app = `pipectl-stop-test-${process.pid}`;
  const config = sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'true', 'max.retries': '100', 'retry.backoff.ms': '1500' });
  config['connection.url'] += `?ApplicationName=${app}`;
  const warnings: string[] = [];
  const logger = { info: () => undefined, warn: (m: string) => void warnings.push(m), error: () => undefined };
  const inner = new PostgresSinkTask();
  await inner.start(config, { assignment: () => [], logger } as Parameters<PostgresSinkTask['start']>[1]);
  const task = new CommittingTask(inner);
  const locker = new pg.Client({ connectionString: db });
  await locker.connect();
  let stopped = false;
  try {
    await task.put([row('stop.items', 1, { name: 'committed', qty: 1 })]); // makes the table, commits
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE stop_items IN ACCESS EXCLUSIVE MODE');
    await task.inner.put([row('stop.items', 2, { name: 'after stop?', qty: 2 })]); // queued; the writer blocks on the lock
    const pid = await waitFor('the sink writer waiting for the lock', async () => {
      const r = await locker.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [app]);
      return r.rows[0]?.pid;
    }, 60_000, 20);
    await locker.query('SELECT pg_terminate_backend($1)', [pid]); // the write fails as a lost connection: back-off, then retry
    await waitFor('the writer in its back-off', () => warnings.some((w) => /retry 1 of 100 in 1500 ms/.test(w)), 60_000, 5);
    const stopping = task.stop();
    await locker.query('COMMIT'); // the table free again: a retry now would write
    await stopping;
    stopped = true;
    assert.equal(await psql(db, 'SELECT string_agg(id::text, \',\' ORDER BY id) FROM stop_items'), '1', 'nothing written after stop()');
    assert.equal(await psql(db, `SELECT count(*) FROM pg_stat_activity WHERE application_name = '${app}'`), '0', 'no connection left');
  } finally {
    await locker.end().catch(() => undefined);
    if (!stopped) await task.stop();
  }
});
