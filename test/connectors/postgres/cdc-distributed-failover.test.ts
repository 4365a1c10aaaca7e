/**
 * The Postgres CDC source in distributed mode: its one task runs on one worker of a 3-worker cluster while a writer
 * commits numbered rows; that worker is killed with `kill -9`; the task resumes on a survivor from the LSN stored in
 * the offsets topic. Every committed row must reach the topic (nothing lost); rows delivered twice (at-least-once:
 * what the killed worker had written after its last offset flush) are counted and bounded by what one flush interval
 * of writes can account for. Talks to the real Postgres and the real broker of the test run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { createDefaultRegistry } from '../../../src/runtime/bundled-plugins.js';
import { kafkaBootstrap, uniqueGroup, uniqueTopic } from '../../support/kafka.js';
import { createTestDatabase, psql } from '../../support/postgres.js';
import { http, waitFor } from '../../support/worker-process.js';
import { logTails, readWholeTopic, startCluster, statuses, workerIdOf } from '../../runtime/distributed/cluster-support.js';
import type { ConnectorStatus } from '../../runtime/distributed/cluster-support.js';
import { createTopicsAndAwaitLeaders } from '../../../src/runtime/kafka/kafkajs/create-topics.js';

const CLASS = 'io.pipectl.connect.postgresql.PostgresConnector';
const FLUSH_INTERVAL_MS = 1000;
/** Rows per committed batch, and the pause between batches (about 2,000 rows/s while the machine is idle). */
const BATCH = 100;
const PAUSE_MS = 50;

test('CDC source in distributed mode: kill -9 of the worker running it loses no committed row', { timeout: 240_000 }, async (t) => {
  if (!createDefaultRegistry().findConnector(CLASS)) {
    t.skip(`${CLASS} is not registered`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-cdc-failover-'));
  const bootstrap = await kafkaBootstrap();
  const db = await createTestDatabase('cdc_failover');
  const dbUrl = new URL(db);
  const prefix = uniqueTopic('cdc').replace(/[^A-Za-z0-9_]/g, '_');
  const slot = `slot_${prefix}`.toLowerCase().slice(0, 63);
  const topic = `${prefix}.public.numbers`;
  await psql(db, 'CREATE TABLE numbers (id integer PRIMARY KEY, note text NOT NULL)');
  await psql(db, `INSERT INTO numbers SELECT g, 'before the connector' FROM generate_series(1, 500) g`);
  const admin = new Kafka({ clientId: 'pipectl-cdc-failover-test', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await createTopicsAndAwaitLeaders(admin, [{ topic, numPartitions: 1 }]);
  } finally {
    await admin.disconnect();
  }

  const cluster = await startCluster({ dir, bootstrap, id: uniqueGroup('cdc-failover'), size: 3, config: { 'offset.flush.interval.ms': String(FLUSH_INTERVAL_MS) } });
  const anyUrl = (): string => cluster.workers[0]!.url;
  const name = 'cdc';
  const status = async (): Promise<ConnectorStatus> => (await http('GET', `${anyUrl()}/connectors/${name}/status`)).body;
  const storedLsn = async (): Promise<number> => {
    const r = await http('GET', `${anyUrl()}/connectors/${name}/offsets`);
    return Math.max(-1, ...(r.body.offsets ?? []).map((o: { offset: { lsn?: number } }) => Number(o.offset.lsn ?? -1)));
  };

  // The writer: numbered rows in committed batches, from 501 on, until told to stop.
  let next = 501;
  let writing = true;
  const writerStarted = Date.now();
  let writeError: unknown;
  const writer = (async () => {
    while (writing) {
      const from = next;
      await psql(db, `INSERT INTO numbers SELECT g, 'streamed' FROM generate_series(${from}, ${from + BATCH - 1}) g`);
      next = from + BATCH; // committed: psql returned
      await new Promise((r) => setTimeout(r, PAUSE_MS));
    }
  })().catch((e: unknown) => {
    writeError = e;
  });

  try {
    const config = {
      name,
      'connector.class': CLASS,
      'tasks.max': '1',
      'database.hostname': dbUrl.hostname,
      'database.port': dbUrl.port,
      'database.user': decodeURIComponent(dbUrl.username),
      'database.dbname': dbUrl.pathname.slice(1),
      'topic.prefix': prefix,
      'plugin.name': 'pgoutput',
      'slot.name': slot,
      'publication.name': `pub_${slot}`.slice(0, 63),
      'publication.autocreate.mode': 'filtered',
      'table.include.list': 'public.numbers',
      'snapshot.mode': 'initial',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    };
    const created = await waitFor('create the CDC connector', async () => {
      const res = await http('POST', `${cluster.workers[1]!.url}/connectors`, { name, config });
      return res.status === 409 ? undefined : res;
    }, 30_000, 200);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const running = await waitFor('the task RUNNING', async () => {
      const s = await status();
      return s.tasks.length === 1 && s.tasks[0]!.state === 'RUNNING' ? s : undefined;
    }, 90_000, 200);
    const victimId = running.tasks[0]!.worker_id;
    const victim = cluster.workers.find((w) => workerIdOf(w) === victimId);
    assert.ok(victim, `task runs on ${victimId}`);

    // Mid-stream: the snapshot is done and streamed changes have been flushed a few times.
    const lsnBefore = await waitFor('a streamed LSN stored', async () => {
      const lsn = await storedLsn();
      return lsn > 0 && next > 2000 ? lsn : undefined;
    }, 90_000, 200);
    const killedAt = Date.now();
    const writtenAtKill = next - 1;
    await cluster.remove(victim, 'kill');

    const moved = await waitFor('the task RUNNING on a survivor', async () => {
      const s = await status();
      const task = s.tasks[0];
      return task && task.state === 'RUNNING' && task.worker_id !== victimId && cluster.workers.some((w) => workerIdOf(w) === task.worker_id) ? task : undefined;
    }, 90_000, 200);
    const movedMs = Date.now() - killedAt;
    await waitFor('more rows written after the move', async () => (next - 1 >= writtenAtKill + 2000 ? true : undefined), 60_000, 100);
    writing = false;
    await writer;
    assert.equal(writeError, undefined, `the writer failed: ${String(writeError)}`);
    const last = next - 1;
    const rowsPerSecond = ((last - 500) * 1000) / Math.max(1, Date.now() - writerStarted);

    // Every committed row reaches the topic (the survivor streams from the stored LSN).
    let values: (string | null)[] = [];
    const ids = new Map<number, number>();
    await waitFor(`all ${last} rows in ${topic}`, async () => {
      values = await readWholeTopic(bootstrap, topic);
      ids.clear();
      for (const v of values) {
        if (v === null) continue;
        const event = JSON.parse(v) as { op: string; after: { id: number } | null };
        if (event.after) ids.set(event.after.id, (ids.get(event.after.id) ?? 0) + 1);
      }
      return ids.size >= last ? true : undefined;
    }, 120_000, 1000).catch(() => undefined);
    const missing: number[] = [];
    for (let id = 1; id <= last; id++) if (!ids.has(id)) missing.push(id);
    const duplicates = [...ids.values()].reduce((sum, n) => sum + n - 1, 0);
    // Re-delivered: what the victim wrote after its last completed flush — about one flush interval of writes at the
    // writer's measured rate (the machine may be busy), plus the flush's own latency (3 s of margin).
    const bound = Math.max(BATCH * 4, Math.ceil((rowsPerSecond * (FLUSH_INTERVAL_MS + 3000)) / 1000));
    t.diagnostic(
      `cdc failover: ${last} rows committed, ${missing.length} lost, ${duplicates} delivered twice, task moved ${victimId} → ${moved.worker_id} in ${movedMs} ms, stored LSN before the kill ${lsnBefore}, writer ≈ ${rowsPerSecond.toFixed(0)} rows/s, bound ${bound}`,
    );
    assert.deepEqual(missing.slice(0, 20), [], `${missing.length} committed rows missing`);
    assert.ok(duplicates <= bound, `${duplicates} rows delivered twice > ${bound} (about one flush interval of writes plus margin)`);
  } catch (e) {
    writing = false;
    for (const tail of logTails(cluster)) t.diagnostic(tail);
    t.diagnostic(`statuses: ${JSON.stringify(await statuses(anyUrl()).catch((x: Error) => x.message))}`);
    throw e;
  } finally {
    writing = false;
    await writer;
    await http('DELETE', `${anyUrl()}/connectors/${name}`).catch(() => undefined);
    await cluster.close();
    // The slot outlives the connector (as Debezium's does); drop it so the test server does not keep its WAL.
    await waitFor('the slot inactive and dropped', async () => {
      const out = await psql(db, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${slot}' AND NOT active`).catch(() => 'retry');
      const left = await psql(db, `SELECT count(*) FROM pg_replication_slots WHERE slot_name = '${slot}'`);
      return out !== 'retry' && left === '0' ? true : undefined;
    }, 30_000, 500).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
