/**
 * Side by side with Debezium (issue 16): the scripted CDC workload (test/support/cdc-workload.ts) replayed for
 * Debezium's PostgresConnector 3.6.1.Final on a real Apache Kafka Connect 4.1.1 worker (distributed, on the run's
 * broker) and for pipectl's PostgresConnector on a pipectl worker (standalone, Kafka data plane on the same broker),
 * each into a fresh database, with the same connector config except `connector.class`. The two runs must give the same
 * topics, keys, values (schemas included, field order included), headers and ops, in the same order per key; the
 * `source` fields that differ between any two runs are normalised (test/support/cdc-events.ts says why, field by field).
 *
 * The first test proves the harness on Debezium alone. The second skips until pipectl's connector is registered.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { createDefaultRegistry } from '../../../src/runtime/bundled-plugins.js';
import { cdcRecords, compareRuns, normaliseRecord } from '../../support/cdc-events.js';
import type { CdcRecord, NormalisedRecord } from '../../support/cdc-events.js';
import { EXPECTED_EVENTS, expectedTopics, setUpWorkload, streamWorkload, WORKLOAD_TABLES, BULK_ROWS } from '../../support/cdc-workload.js';
import {
  connectorFailure, databaseOf, DEBEZIUM_VERSION, debeziumConnectorConfig, PIPECTL_POSTGRES_CONNECTOR, readCdcTopics, startCdcRun,
  startDebeziumConnect, topicsWithPrefix, uniqueCdcNames, waitForTopicCounts,
} from '../../support/debezium.js';
import type { KafkaConnectWorker } from '../../support/kafka-connect.js';
import { kafkaBootstrap } from '../../support/kafka.js';
import { writeTree } from '../../support/paths.js';
import { createTestDatabase, postgresTestUrl, psql } from '../../support/postgres.js';
import { startWorker } from '../../support/worker-process.js';

/** Set to a file path to keep Debezium's raw records of the workload (JSON), e.g. for pipectl's connector work. */
const DUMP_ENV = 'PIPECTL_DEBEZIUM_DUMP';

interface WorkloadRun {
  /** As read, before normalisation (same order as records). */
  raw: CdcRecord[];
  prefix: string;
  dbname: string;
  records: NormalisedRecord[];
  /** Every topic the run created under its prefix. */
  topics: string[];
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  // Nothing of this file's runs is left on the shared server: no slot (it would hold WAL forever), no database.
  const left = await psql(await postgresTestUrl(), `SELECT string_agg(slot_name, ',') FROM pg_replication_slots WHERE slot_name ~ '^(dbz|dbz2|pcl)_${process.pid}_'`);
  assert.equal(left, '', 'replication slots left behind');
});

/**
 * Replays the workload for one connector on the worker at `workerUrl`: a fresh database with the schema and snapshot
 * rows, the connector (config from debeziumConnectorConfig, `connector.class` replaced when given), the snapshot read
 * to the end, the streaming steps, then every record of the workload's topics.
 */
async function replayWorkload(workerUrl: string, label: string, connectorClass?: string): Promise<WorkloadRun> {
  const bootstrap = await kafkaBootstrap();
  const databaseUrl = await createTestDatabase(label);
  await setUpWorkload(databaseUrl);
  const names = uniqueCdcNames(label);
  const config = debeziumConnectorConfig(databaseUrl, names, connectorClass ? { 'connector.class': connectorClass } : {});
  const run = await startCdcRun(workerUrl, databaseUrl, names, config);
  cleanups.push(() => run.cleanup((e) => console.error(`cleanup of ${names.connector}: ${(e as Error).message}`)));
  const failure = connectorFailure(workerUrl, names.connector);
  await waitForTopicCounts(bootstrap, expectedTopics(names.prefix, 'snapshot'), undefined, failure);
  await streamWorkload(databaseUrl);
  const topics = await readCdcTopics(bootstrap, expectedTopics(names.prefix), undefined, failure);
  const raw = cdcRecords(topics);
  const dbname = databaseOf(databaseUrl).dbname;
  return { prefix: names.prefix, dbname, raw, records: raw.map((r) => normaliseRecord(r, { prefix: names.prefix, dbname })), topics: await topicsWithPrefix(bootstrap, names.prefix) };
}

let connectWorker: Promise<KafkaConnectWorker> | null = null;
let debeziumRun: Promise<WorkloadRun> | null = null;

/** One Connect worker with the Debezium plugin for the file; stopped after the file, once its connectors are deleted. */
function debeziumConnect(): Promise<KafkaConnectWorker> {
  connectWorker ??= startDebeziumConnect({ mode: 'distributed' }).then((connect) => {
    cleanups.unshift(() => connect.stop()); // runs last: the cleanups run in reverse
    return connect;
  });
  return connectWorker;
}

/** Debezium's run of the workload, once per file (the tests share it). */
function debeziumEvents(): Promise<WorkloadRun> {
  debeziumRun ??= (async () => {
    const run = await replayWorkload((await debeziumConnect()).url, 'dbz');
    if (process.env[DUMP_ENV]) writeFileSync(process.env[DUMP_ENV]!, JSON.stringify(run.raw, null, 2) + '\n');
    return run;
  })();
  return debeziumRun;
}

/** pipectl's run of the same workload: a pipectl standalone worker whose data plane is the same broker. */
async function pipectlEvents(): Promise<WorkloadRun> {
  const tree = writeTree({});
  const bootstrap = await kafkaBootstrap();
  const worker = await startWorker({ dir: tree.dir, config: { 'bootstrap.servers': bootstrap }, startTimeoutMs: 60_000 });
  cleanups.push(async () => {
    await worker.stop();
    tree.cleanup();
  });
  return replayWorkload(worker.url, 'pcl', PIPECTL_POSTGRES_CONNECTOR);
}

type Value = { schema: { name?: string; version?: string; fields: { field: string; name?: string; parameters?: Record<string, string> }[] }; payload: Record<string, unknown> };
const valueOf = (r: NormalisedRecord): Value => r.value as Value;
const table = (r: NormalisedRecord): string => r.topic.split('.').pop()!;

test(`Debezium ${DEBEZIUM_VERSION} on Apache Kafka Connect: the workload gives the expected topics, ops, keys and envelopes`, { timeout: 600_000 }, async () => {
  const run = await debeziumEvents();
  assert.deepEqual(run.topics, WORKLOAD_TABLES.map((t) => `${run.prefix}.public.${t}`).sort(), 'one topic per table, nothing else');

  for (const t of WORKLOAD_TABLES) {
    const records = run.records.filter((r) => table(r) === t);
    const count = (op: string): number => records.filter((r) => r.op === op).length;
    const e = EXPECTED_EVENTS[t];
    assert.deepEqual({ r: count('r'), c: count('c'), u: count('u'), d: count('d'), tombstones: count('tombstone') }, e, `events of ${t}`);
    for (const r of records) {
      if (t === 'cdc_nopk') {
        assert.equal(r.key, null, 'no primary key: a null key');
      } else {
        const key = r.key as { schema: { name: string; fields: { field: string; type: string }[] } };
        assert.equal(key.schema.name, `<prefix>.public.${t}.Key`);
        assert.deepEqual(key.schema.fields.map((f) => [f.field, f.type]), [['id', 'int32']]);
      }
      if (r.op === 'tombstone') continue;
      const v = valueOf(r);
      assert.equal(v.schema.name, `<prefix>.public.${t}.Envelope`);
      assert.equal(v.schema.version, '#2');
      assert.deepEqual(Object.keys(v.payload), ['before', 'after', 'source', 'transaction', 'op', 'ts_ms', 'ts_us', 'ts_ns']);
      const source = v.payload.source as Record<string, unknown>;
      assert.deepEqual([source.connector, source.name, source.db, source.schema, source.table], ['postgresql', '<prefix>', '<db>', 'public', t]);
      assert.equal(source.snapshot === 'false', r.op !== 'r', `snapshot marker of an ${r.op} event: ${String(source.snapshot)}`);
    }
  }

  // The record timestamp is the producer's send time (Connect stamps records the connector leaves without one), never
  // the commit time: bench/postgres-cdc.ts times the snapshot and the burst by it.
  run.raw.forEach((r, i) => {
    const envelopeTs = run.records[i]!.op === 'tombstone' ? null : Number(/"ts_ms":(\d+),"ts_us":\d+,"ts_ns":\d+}}$/.exec(r.value!)?.[1]);
    if (envelopeTs !== null) assert.ok(r.timestamp! >= envelopeTs, `record ${i}: timestamp ${r.timestamp} before the envelope's ts_ms ${envelopeTs}`);
  });

  // Per key, in order: the snapshot row, then its changes; a primary-key change is d + tombstone (old key), c (new key).
  const types = run.records.filter((r) => table(r) === 'cdc_types');
  const opsOf = (id: number): string => types.filter((r) => JSON.stringify((r.key as { payload: unknown }).payload) === JSON.stringify({ id: `#${id}` })).map((r) => r.op).join(',');
  assert.deepEqual([1, 2, 3, 4, 5, 20].map(opsOf), ['r,u', 'r,d,tombstone', 'r,d,tombstone', 'c', 'c', 'c']);
  // REPLICA IDENTITY DEFAULT: an update's `before` is null; FULL: it is the whole old row.
  assert.equal(valueOf(types.find((r) => r.op === 'u')!).payload.before, null);
  const fullUpdate = valueOf(run.records.find((r) => table(r) === 'cdc_full' && r.op === 'u')!);
  assert.deepEqual(fullUpdate.payload.before, { id: '#1', name: 'first', qty: '#10' });
  // The bulk transaction arrives whole and in commit order.
  const bulkIds = run.records.filter((r) => table(r) === 'cdc_bulk').map((r) => (valueOf(r).payload.after as { id: string }).id);
  assert.deepEqual(bulkIds, Array.from({ length: BULK_ROWS }, (_, i) => `#${i + 1}`));

  // A few of the type mappings (reference §3), read from the snapshot of row 1.
  const row1 = valueOf(types.find((r) => r.op === 'r' && (r.key as { payload: { id: string } }).payload.id === '#1')!);
  const after = row1.payload.after as Record<string, unknown>;
  const afterSchema = (row1.schema.fields.find((f) => f.field === 'after') as unknown as { fields: { field: string; name?: string; parameters?: Record<string, string> }[] }).fields;
  const logical = (field: string): string | undefined => afterSchema.find((f) => f.field === field)?.name;
  assert.deepEqual(
    ['c_numeric', 'c_numeric_any', 'c_date', 'c_time', 'c_timestamp', 'c_timestamptz', 'c_uuid', 'c_json', 'c_jsonb', 'c_enum'].map(logical),
    ['org.apache.kafka.connect.data.Decimal', 'io.debezium.data.VariableScaleDecimal', 'io.debezium.time.Date', 'io.debezium.time.MicroTime', 'io.debezium.time.MicroTimestamp',
      'io.debezium.time.ZonedTimestamp', 'io.debezium.data.Uuid', 'io.debezium.data.Json', 'io.debezium.data.Json', 'io.debezium.data.Enum'],
  );
  assert.equal(afterSchema.find((f) => f.field === 'c_enum')?.parameters?.allowed, 'sad,ok,happy');
  assert.deepEqual(
    [after.c_int8, after.c_date, after.c_time, after.c_timestamp, after.c_timestamptz, after.c_bytea, after.c_int_array],
    ['#9007199254740993', '#19724', '#11045123456', '#1704164645123456', '2024-01-02T01:04:05.123456Z', '3q2+7w==', ['#1', '#2', '#3']],
  );
});

test('the comparison itself: a second Debezium run compares equal to the first, and planted differences are found', { timeout: 600_000 }, async () => {
  const first = await debeziumEvents();
  const second = await replayWorkload((await debeziumConnect()).url, 'dbz2');
  assert.notEqual(second.prefix, first.prefix);
  assert.deepEqual(compareRuns(first.records, second.records), [], 'everything that differs between two runs of one connector is normalised');

  const planted = structuredClone(second.records);
  const u = planted.find((r) => r.op === 'u' && r.topic.endsWith('.cdc_types'))!;
  ((u.value as Value).payload.after as Record<string, unknown>).c_text = 'changed';
  const types = planted.filter((r) => r.topic.endsWith('.cdc_types'));
  const [snap2, del2] = [types.findIndex((r) => r.op === 'r' && JSON.stringify(r.key).includes('"id":"#2"')), types.findIndex((r) => r.op === 'd' && JSON.stringify(r.key).includes('"id":"#2"'))];
  const swapped = planted.map((r) => (r === types[snap2] ? types[del2]! : r === types[del2] ? types[snap2]! : r));
  const diffs = compareRuns(first.records, swapped);
  assert.ok(diffs.some((d) => d.includes('$.value.payload.after.c_text') && d.includes('"changed"')), diffs.join('\n'));
  assert.ok(diffs.some((d) => d.includes('ops [r,d,tombstone] vs [d,r,tombstone]')), diffs.join('\n'));
});

test('pipectl PostgresConnector gives the same events as Debezium for the same workload and config', { timeout: 900_000 }, async (t) => {
  if (!createDefaultRegistry().findConnector(PIPECTL_POSTGRES_CONNECTOR)) {
    t.skip('pipectl PostgresConnector not registered yet');
    return;
  }
  const [theirs, ours] = [await debeziumEvents(), await pipectlEvents()];
  assert.deepEqual(ours.topics.map((x) => x.replace(ours.prefix, '<prefix>')), theirs.topics.map((x) => x.replace(theirs.prefix, '<prefix>')));
  const diffs = compareRuns(theirs.records, ours.records);
  assert.deepEqual(diffs, [], `pipectl's events differ from Debezium's (first ${diffs.length}):\n${diffs.join('\n')}`);
  assert.equal(ours.records.length, theirs.records.length);
});
