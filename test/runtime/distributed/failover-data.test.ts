/**
 * No data lost across failover: a Generator source task runs on one worker of a 3-worker cluster; that worker is
 * killed with `kill -9` mid-stream; the task continues on a survivor from the last flushed source offset. Reading the
 * whole topic back afterwards, every sequence number from 0 to the highest one written must be present (nothing
 * acknowledged is lost), and the records written again (duplicates: at-least-once) must stay within what one offset
 * flush interval can account for.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaBootstrap, uniqueGroup, uniqueTopic } from '../../support/kafka.js';
import { waitFor, http } from '../../support/worker-process.js';
import { logTails, readWholeTopic, startCluster, statuses, workerIdOf } from './cluster-support.js';
import type { ConnectorStatus } from './cluster-support.js';
import { createTopicsAndAwaitLeaders } from '../../../src/runtime/kafka/kafkajs/create-topics.js';

/** Records per second of the single task. */
const RATE = 2000;
/** How often the workers flush source offsets (the config below). */
const FLUSH_INTERVAL_MS = 1000;
/**
 * Slack on top of the flush interval for the duplicate bound: a flush is not instantaneous (the producer must ack
 * the records, then the offset record must reach the offset topic), and the new task starts from the offset the
 * survivor reads back, so up to ~one interval plus this slack of records can be written again. The token bucket's
 * burst (≤ 0.1 s of records) is covered by it too.
 */
const FLUSH_MARGIN_MS = 1500;
const MAX_DUPLICATES = (RATE * (FLUSH_INTERVAL_MS + FLUSH_MARGIN_MS)) / 1000;

test('no data lost across failover: kill -9 of the worker running a source task loses no record', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-failover-data-'));
  const bootstrap = await kafkaBootstrap();
  const id = uniqueGroup('failover-data');
  const topic = uniqueTopic('failover-data');
  const name = 'gen';
  // One partition, so the topic is the task's output in order.
  const admin = new Kafka({ clientId: 'pipectl-failover-test', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await createTopicsAndAwaitLeaders(admin, [{ topic, numPartitions: 1 }]);
  } finally {
    await admin.disconnect();
  }
  const cluster = await startCluster({ dir, bootstrap, id, size: 3, config: { 'offset.flush.interval.ms': String(FLUSH_INTERVAL_MS) } });
  const anyUrl = (): string => cluster.workers[0]!.url;
  const status = async (): Promise<ConnectorStatus> => (await http('GET', `${anyUrl()}/connectors/${name}/status`)).body;
  const flushedSeq = async (): Promise<number> => {
    const r = await http('GET', `${anyUrl()}/connectors/${name}/offsets`);
    return Math.max(-1, ...(r.body.offsets ?? []).map((o: { offset: { seq: number } }) => o.offset.seq));
  };
  try {
    const config = {
      name,
      'connector.class': 'Generator',
      'tasks.max': '1',
      topic,
      rate: String(RATE),
      shape: 'flat',
      'key.cardinality': '0',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      // Plain JSON values: the flat shape's `id` field is the record's sequence number (its source offset is {seq}).
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    };
    const created = await waitFor('create gen', async () => {
      const res = await http('POST', `${cluster.workers[1]!.url}/connectors`, { name, config });
      return res.status === 409 ? undefined : res;
    }, 30_000, 200);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const running = await waitFor('the task RUNNING', async () => {
      const s = await status();
      return s.tasks.length === 1 && s.tasks[0]!.state === 'RUNNING' ? s : undefined;
    }, 60_000, 100);
    const victimId = running.tasks[0]!.worker_id;
    const victim = cluster.workers.find((w) => workerIdOf(w) === victimId);
    assert.ok(victim, `task runs on ${victimId}, one of ${cluster.workers.map(workerIdOf).join(', ')}`);

    // Mid-stream: offsets have been flushed a few times, records are in flight.
    await waitFor('a few flushes of source offsets', async () => (await flushedSeq()) >= RATE * 2, 30_000, 200);
    const killedAt = Date.now();
    await cluster.remove(victim, 'kill');
    const seqAtKill = await flushedSeq();

    // The task moves to a survivor and carries on past where the killed one had flushed.
    const moved = await waitFor('the task RUNNING on a survivor', async () => {
      const s = await status();
      const task = s.tasks[0];
      return task && task.state === 'RUNNING' && task.worker_id !== victimId && cluster.workers.some((w) => workerIdOf(w) === task.worker_id) ? task : undefined;
    }, 60_000, 100);
    const movedMs = Date.now() - killedAt;
    await waitFor('the moved task to produce more', async () => (await flushedSeq()) >= seqAtKill + RATE * 2, 30_000, 200);

    const stopped = await http('PUT', `${cluster.workers[1]!.url}/connectors/${name}/stop`);
    assert.ok(stopped.status === 202 || stopped.status === 204 || stopped.status === 200, `stop: ${stopped.status} ${JSON.stringify(stopped.body)}`);
    await waitFor('the connector STOPPED with no tasks', async () => {
      const s = await status();
      return s.connector.state === 'STOPPED' && s.tasks.length === 0;
    }, 30_000, 100);
    const lastFlushed = await flushedSeq();

    const values = await readWholeTopic(bootstrap, topic);
    const seen = new Map<number, number>();
    for (const v of values) {
      assert.ok(v !== null, 'no null values');
      const seq = (JSON.parse(v) as { id: number }).id;
      seen.set(seq, (seen.get(seq) ?? 0) + 1);
    }
    const highest = Math.max(...seen.keys());
    const missing: number[] = [];
    for (let s = 0; s <= highest; s++) if (!seen.has(s)) missing.push(s);
    const duplicates = values.length - seen.size;
    t.diagnostic(
      `failover: ${missing.length} lost, ${duplicates} duplicates (bound ${MAX_DUPLICATES}), highest seq ${highest}, ` +
        `${values.length} records, task moved ${victimId} → ${moved.worker_id} in ${movedMs} ms, flushed seq at kill ${seqAtKill}, last flushed ${lastFlushed}`,
    );
    assert.deepEqual(missing.slice(0, 20), [], `${missing.length} sequence numbers missing`);
    assert.ok(highest >= lastFlushed, `the topic holds every flushed record (highest ${highest}, last flushed offset ${lastFlushed})`);
    assert.ok(highest > seqAtKill + RATE, 'the moved task produced more');
    // Records written again after the failover: those after the last offset flush the killed worker completed.
    assert.ok(duplicates <= MAX_DUPLICATES, `${duplicates} duplicates ≤ ${MAX_DUPLICATES} (rate × (flush interval + margin))`);
  } catch (e) {
    for (const tail of logTails(cluster)) t.diagnostic(tail);
    t.diagnostic(`statuses: ${JSON.stringify(await statuses(anyUrl()).catch((x: Error) => x.message))}`);
    throw e;
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
