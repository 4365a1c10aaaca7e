/**
 * The Postgres CDC source in distributed mode: its one task runs on one worker of a 3-worker cluster while a writer
 * commits numbered rows; that worker is killed with `kill -9`; the task resumes on a survivor from the LSN stored in
 * the offsets topic. Every committed row must reach the topic (nothing lost); rows delivered twice (at-least-once:
 * what the killed worker had written after its last offset flush) are checked against the offsets topic: the survivor
 * resumes exactly after the victim's last stored offset (nothing at or before it comes twice), and that offset was
 * stored at most a flush interval (plus slack for a busy machine) before the kill. Talks to the real Postgres and the
 * real broker of the test run.
 *
 * The bound is in time, read from the offsets topic, not in rows at the writer's average rate: under load the survivor
 * catches up faster than rows were written and the flush timer fires late, so a row count could not tell a late flush
 * from a wrong resume point (at load 17: 1,200 re-delivered against a rate bound of 994, all after the stored offset).
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
import { readTopicRecords } from '../../support/topic-reader.js';

const CLASS = 'io.pipectl.connect.postgresql.PostgresConnector';
const FLUSH_INTERVAL_MS = 1000;
/** Rows per committed batch, and the pause between batches (about 2,000 rows/s while the machine is idle). */
const BATCH = 100;
const PAUSE_MS = 50;
/** How much later than the flush interval the victim's last offset may have been stored before the kill (busy machine). */
const FLUSH_SLACK_MS = 10_000;

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

  const groupId = uniqueGroup('cdc-failover');
  const cluster = await startCluster({ dir, bootstrap, id: groupId, size: 3, config: { 'offset.flush.interval.ms': String(FLUSH_INTERVAL_MS) } });
  const anyUrl = (): string => cluster.workers[0]!.url;
  const name = 'cdc';
  const status = async (): Promise<ConnectorStatus> => (await http('GET', `${anyUrl()}/connectors/${name}/status`)).body;
  /** The LSN of the stored offset when it is a streamed change's (not the snapshot's), else null. */
  const storedStreamedLsn = async (): Promise<number | null> => {
    const r = await http('GET', `${anyUrl()}/connectors/${name}/offsets`);
    const offset = (r.body.offsets ?? [])[0]?.offset as { lsn?: number; messageType?: string } | undefined;
    return offset?.messageType === 'INSERT' && typeof offset.lsn === 'number' ? offset.lsn : null;
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

    // Mid-stream: the snapshot is done and streamed changes have been flushed at least twice (so the kill lands
    // between two flushes of the stream, not right after the first flush that may still hold the snapshot's offset).
    const streamedLsns = new Set<number>();
    await waitFor('streamed offsets stored twice', async () => {
      const lsn = await storedStreamedLsn();
      if (lsn !== null) streamedLsns.add(lsn);
      return streamedLsns.size >= 2 && next > 2000 ? true : undefined;
    }, 90_000, 200);
    // The kill lands anywhere in the flush interval, not always just after the flush the wait saw.
    const killDelayMs = Math.floor(Math.random() * FLUSH_INTERVAL_MS);
    await new Promise((r) => setTimeout(r, killDelayMs));
    const killedAt = Date.now();
    const writtenAtKill = next - 1;
    await cluster.remove(victim, 'kill');
    // The victim is dead: every offset record stored up to now is its own (the survivor's first flush comes after it
    // takes the task over, well after this).
    const victimDeadAt = Date.now();

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

    // Every committed row reaches the topic (the survivor streams from the stored LSN).
    let events: { id: number; lsn: number }[] = [];
    const ids = new Map<number, number>();
    await waitFor(`all ${last} rows in ${topic}`, async () => {
      events = [];
      ids.clear();
      for (const v of await readWholeTopic(bootstrap, topic)) {
        if (v === null) continue;
        const event = JSON.parse(v) as { after: { id: number } | null; source: { lsn?: number | null } };
        if (!event.after) continue;
        events.push({ id: event.after.id, lsn: Number(event.source.lsn ?? -1) });
        ids.set(event.after.id, (ids.get(event.after.id) ?? 0) + 1);
      }
      return ids.size >= last ? true : undefined;
    }, 120_000, 1000).catch(() => undefined);
    const missing: number[] = [];
    for (let id = 1; id <= last; id++) if (!ids.has(id)) missing.push(id);
    const duplicated = [...ids].filter(([, n]) => n > 1).map(([id]) => id);
    const duplicates = [...ids.values()].reduce((sum, n) => sum + n - 1, 0);

    // The victim's last stored offset: the survivor resumed from it.
    const stored = (await readTopicRecords(bootstrap, `${groupId}-offsets`))
      .filter((r) => r.key !== null && r.value !== null && r.key.includes(`"server":"${prefix}"`) && r.timestamp <= victimDeadAt)
      .sort((a, b) => a.offset - b.offset);
    const resume = stored.at(-1);
    assert.ok(resume, 'the victim stored an offset before the kill');
    const resumeOffset = JSON.parse(resume.value!) as { lsn?: number; messageType?: string };
    const storedBeforeKillMs = killedAt - resume.timestamp;
    // The event the stored offset belongs to (a change: the writer never stops, so a streamed change is stored last).
    const resumeEvent = events.find((e) => e.lsn === Number(resumeOffset.lsn));
    const rowsPerSecond = ((last - 500) * 1000) / Math.max(1, Date.now() - writerStarted);
    t.diagnostic(
      `cdc failover: ${last} rows committed, ${missing.length} lost, ${duplicates} delivered twice (ids ${duplicated[0] ?? '-'}…${duplicated.at(-1) ?? '-'}), ` +
        `task moved ${victimId} → ${moved.worker_id} in ${movedMs} ms, the victim's last offset (${resumeOffset.messageType} at row ${resumeEvent?.id ?? '?'}, lsn ${resumeOffset.lsn}) ` +
        `stored ${storedBeforeKillMs} ms before the kill (killed ${killDelayMs} ms after the wait), writer ≈ ${rowsPerSecond.toFixed(0)} rows/s`,
    );
    assert.deepEqual(missing.slice(0, 20), [], `${missing.length} committed rows missing`);
    for (const r of stored.slice(-3)) t.diagnostic(`a stored offset of the victim, ${killedAt - r.timestamp} ms before the kill: ${r.value}`);
    assert.ok(resumeEvent, `the stored offset ${resume.value} belongs to a streamed change in ${topic}`);
    // Nothing at or before the stored offset comes twice: the survivor resumed where the victim's last flush said.
    const early = duplicated.filter((id) => id <= resumeEvent.id);
    assert.deepEqual(early.slice(0, 20), [], `${early.length} rows at or before the stored offset (row ${resumeEvent.id}) delivered twice`);
    // And that flush was recent: re-delivery is bounded by one flush interval (plus a busy machine's lateness).
    assert.ok(storedBeforeKillMs <= FLUSH_INTERVAL_MS + FLUSH_SLACK_MS, `the victim's last offset was stored ${storedBeforeKillMs} ms before the kill (flush interval ${FLUSH_INTERVAL_MS} ms)`);
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
