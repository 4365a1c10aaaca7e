/**
 * Benchmark (issue 17): pipectl's Postgres sink writing 1,000,000 records into a real PostgreSQL server, in insert mode
 * (into an empty table), in upsert mode into an empty table (new keys), and in upsert mode again (the same keys, other
 * amounts: every row conflicts and is updated), beside the physical limit of that server, in the same run: `COPY` of
 * the same rows from a CSV file (psql's \copy) into an empty table of the same shape (before pipectl's runs and again
 * after them: the ratios are to the two together), and Postgres's own upsert with
 * no sink at all — \copy into an unlogged staging table, then one `INSERT … SELECT … ON CONFLICT DO UPDATE` — into an
 * empty table and into a full one. The sink cannot beat the second: it is what the database does for an upsert.
 *
 * Run: npm run bench:postgres-sink  [-- --records N] [--batch-size N] [--poll-records N] [--tolerance none|all] [--no-debezium]
 *
 * `--tolerance all` runs pipectl's sink with errors.tolerance=all (a record Postgres refuses goes to the errant record
 * reporter, so the sink keeps each record until its row commits); the default is Connect's, none.
 *
 * The records are written into the worker's embedded log before it starts (JsonConverter with schemas: a struct key
 * {id} and a 6-field value of ~200 B of data: int64, string, Decimal → numeric, Timestamp → timestamp, boolean, string),
 * so the figure is the sink's: from the connector's POST to the last record's row visible in the table (polled every
 * 50 ms by key; all rows counted once after), with the worker's CPU seconds and peak RSS over that span, the CPU of
 * its main thread (the event loop that runs every task of the worker: its share of the wall time says whether it set
 * the rate), and the Postgres server's CPU per row (every backend, WAL writer and checkpointer; for every case, COPY
 * too: psql's own CPU is not in it). On a machine of two cores the worker and the server share them.
 *
 * Then Debezium's JDBC sink (io.debezium:debezium-connector-jdbc DEBEZIUM_JDBC_VERSION: 3.6.x does not resolve from
 * Maven Central here) on Apache Kafka Connect 4.1.1 standalone, upserting the same records (new keys) into an empty
 * table: they are produced first into a topic of a real broker (Connect reads Kafka only), and the JVM's CPU and RSS
 * are measured the same way (`--no-debezium` skips it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { startKafkaBroker } from '../src/devtools/kafka-broker.js';
import { startKafkaConnect } from '../src/devtools/kafka-connect.js';
import type { KafkaConnectWorker } from '../src/devtools/kafka-connect.js';
import { DEBEZIUM_JDBC_VERSION, ensureKafkaJars, KAFKA_VERSION } from '../src/devtools/kafka-jars.js';
import { startPostgres } from '../src/devtools/postgres-server.js';
import type { PostgresServer } from '../src/devtools/postgres-server.js';
import { openEmbeddedLog } from '../src/runtime/log/embedded-log.js';
import { POSTGRES_URL_ENV, createTestDatabase, psql } from '../test/support/postgres.js';
import { http, startWorker, waitFor } from '../test/support/worker-process.js';
import { benchArg } from './support/bench-args.js';
import { samplePeakRss } from './support/cdc-bench.js';
import { childrenOf, cpuSeconds, threadCpuSeconds, treeCpuSeconds } from './support/proc-stat.js';
import { recordOf, row } from './support/sink-records.js';

const RECORDS = Number(benchArg('records', '1000000'));
const BATCH_SIZE = benchArg('batch-size', '3000');
/** consumer.override.max.poll.records: how many records the worker converts and put()s at a time. */
const POLL_RECORDS = benchArg('poll-records', BATCH_SIZE);
/** errors.tolerance of pipectl's sink runs. */
const TOLERANCE = benchArg('tolerance', 'none');
const SINK_CLASS = 'io.pipectl.connect.jdbc.PostgresSinkConnector';
/** Round 0 of the rows (for insert mode), and round 1: the same keys with other amounts (for upsert mode). */
const TOPICS = ['bench_insert', 'bench_upsert'] as const;
/** Writes `RECORDS` records of round n into TOPICS[n] of the worker's embedded log (before the worker opens it). */
async function fillTopics(dataDir: string): Promise<void> {
  const log = await openEmbeddedLog({ dir: join(dataDir, 'log') });
  try {
    for (const [round, TOPIC] of TOPICS.entries()) {
      await log.createTopic(TOPIC, { partitions: 1 });
      for (let from = 0; from < RECORDS; from += 5000) {
        const batch = [];
        for (let i = from + 1; i <= Math.min(RECORDS, from + 5000); i++) batch.push({ topic: TOPIC, partition: 0, ...recordOf(i, round) });
        await log.produce(batch);
      }
    }
  } finally {
    await log.close();
  }
}

/** The same rows as CSV, for COPY. */
function writeCsv(path: string): void {
  const lines: string[] = [];
  for (let i = 1; i <= RECORDS; i++) {
    const r = row(i, 0);
    lines.push(`${r.id},${r.customer},${(r.cents / 100).toFixed(2)},${new Date(r.createdAt).toISOString().replace('T', ' ').replace('Z', '')},${r.paid},${r.payload}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

const TABLE_COLUMNS = 'id bigint PRIMARY KEY, customer text NOT NULL, amount numeric NOT NULL, created_at timestamp NOT NULL, paid boolean NOT NULL, payload text NOT NULL';

interface Figures {
  seconds: number;
  rowsPerSec: number;
  cpuSeconds: number | null;
  peakRssMiB: number | null;
  /** The CPU of pipectl's worker's main thread (its event loop, where every task of the worker runs). */
  mainThreadCpuSeconds?: number;
  /** The CPU of the Postgres server (every backend, the WAL writer, the checkpointer) over the run. */
  serverCpuSeconds?: number;
}

/** The postmaster's pid, set once the server runs: its CPU and its children's are the server's (serverCpu()). */
let postmasterPid = 0;
const serverCpu = (): number => treeCpuSeconds(postmasterPid);

/**
 * The server's CPU once the backends started since `before` (psql's) have exited and been reaped by the postmaster,
 * so that their CPU is in its cutime: read at once after psql returns, a backend still exiting was often missed.
 */
async function serverCpuOnceSettled(before: ReadonlySet<number>): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (childrenOf(postmasterPid).some((pid) => !before.has(pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return serverCpu();
}

/** The server's CPU now and its live processes, for serverCpuOnceSettled() after a run of psql. */
const serverMark = (): { cpu: number; children: Set<number> } => ({ cpu: serverCpu(), children: new Set(childrenOf(postmasterPid)) });

/** psql's \copy of the CSV into a new empty `table`. */
async function measureCopy(databaseUrl: string, csv: string, table: string): Promise<Figures> {
  await psql(databaseUrl, `CREATE TABLE ${table} (${TABLE_COLUMNS})`);
  const server0 = serverMark();
  const t0 = Date.now();
  await psql(databaseUrl, `\\copy ${table} FROM '${csv}' WITH (FORMAT csv)`, 1_800_000);
  const result = figures(t0);
  return { ...result, serverCpuSeconds: (await serverCpuOnceSettled(server0.children)) - server0.cpu };
}

/**
 * The anchor: COPY's rate over both of its runs, the one before pipectl's runs and the one right after them. The
 * machine's speed drifts from minute to minute (COPY alone ran at 242,000–404,000 rows/s in thirteen runs of 300,000
 * records on 2026-12-07), so one anchor on one side of the runs compared them with a speed they did not run at.
 */
function anchorOf(before: Figures, after: Figures): Figures {
  const seconds = (before.seconds + after.seconds) / 2;
  const serverCpuSeconds = (before.serverCpuSeconds! + after.serverCpuSeconds!) / 2;
  return { seconds, rowsPerSec: RECORDS / seconds, cpuSeconds: null, peakRssMiB: null, serverCpuSeconds };
}

const SET_ALL = 'customer = EXCLUDED.customer, amount = EXCLUDED.amount, created_at = EXCLUDED.created_at, paid = EXCLUDED.paid, payload = EXCLUDED.payload';

/**
 * Postgres's own upsert of the CSV's rows into `table` (created empty when `create`; after measureCopy, copy_target
 * holds every key): \copy into an unlogged staging table, then one INSERT … SELECT … ON CONFLICT DO UPDATE with
 * other amounts, so that every row really changes.
 */
async function measurePostgresUpsert(databaseUrl: string, csv: string, table: string, create: boolean): Promise<Figures> {
  if (create) await psql(databaseUrl, `CREATE TABLE ${table} (${TABLE_COLUMNS})`);
  await psql(databaseUrl, `DROP TABLE IF EXISTS stage; CREATE UNLOGGED TABLE stage (${TABLE_COLUMNS.replace(' PRIMARY KEY', '')})`);
  const server0 = serverMark();
  const t0 = Date.now();
  await psql(databaseUrl, `\\copy stage FROM '${csv}' WITH (FORMAT csv)`, 1_800_000);
  await psql(databaseUrl, `INSERT INTO ${table} SELECT id, customer, amount + 1, created_at, paid, payload FROM stage ON CONFLICT (id) DO UPDATE SET ${SET_ALL}`, 1_800_000);
  const result = { ...figures(t0), serverCpuSeconds: (await serverCpuOnceSettled(server0.children)) - server0.cpu };
  await psql(databaseUrl, 'DROP TABLE stage');
  return result;
}

function figures(t0: number, cpu: number | null = null, rss: number | null = null, doneAt = Date.now()): Figures {
  const seconds = (doneAt - t0) / 1000;
  return { seconds, rowsPerSec: RECORDS / seconds, cpuSeconds: cpu, peakRssMiB: rss };
}

/**
 * Polls (every 50 ms, on one connection: a primary-key lookup; at 250 ms the poll alone added up to 4 % to a 6 s run
 * that COPY's own timing does not have) until the last record's row is there as `lastRowWhere` describes it — the
 * sink commits chunks in order, so the last one visible means all are — or until `failed()` says why not; then counts
 * the rows that match `allWhere` once, outside the timing (a sink that wrote out of order is timed to its last row). Counting the whole table
 * at every poll (a psql process and a scan of up to 1M rows four times a second) took CPU from the server measured.
 */
async function waitForRows(databaseUrl: string, label: string, table: string, lastRowWhere: string, allWhere: string, failed: () => Promise<string | null>): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let askedAt = 0;
    const outcome = await waitFor(`${RECORDS} rows (${label})`, async () => {
      const last = await client.query(`SELECT 1 FROM ${table} WHERE id = $1 AND ${lastRowWhere}`, [RECORDS]).catch(() => ({ rows: [] }));
      if (last.rows.length > 0) return { failed: null };
      if (Date.now() - askedAt < 250) return false; // the task's status four times a second is enough
      askedAt = Date.now();
      const why = await failed();
      return why === null ? false : { failed: why };
    }, 1_800_000, 50);
    let doneAt = Date.now();
    if (outcome.failed !== null) throw new Error(`${label} FAILED: ${outcome.failed}`);
    const count = async (): Promise<number> => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${allWhere}`)).rows[0]!.n);
    if ((await count()) < RECORDS) {
      // A sink that does not commit in order: the time is when the last row of all came.
      await waitFor(`all ${RECORDS} rows (${label})`, async () => (await count()) >= RECORDS, 1_800_000, 250);
      doneAt = Date.now();
    }
    return doneAt;
  } finally {
    await client.end();
  }
}

/** The first line of a FAILED task's trace, or null while none has failed. */
async function failedTask(statusUrl: string): Promise<string | null> {
  const status = (await http('GET', statusUrl)).body as { tasks?: { state: string; trace?: string }[] };
  const failed = status.tasks?.find((t) => t.state === 'FAILED');
  return failed ? (failed.trace?.split('\n')[0] ?? 'FAILED') : null;
}

/** One sink run: `mode` from its topic into `table`, done when every row is there as `where` describes it. */
async function measureSink(workerUrl: string, pid: number, databaseUrl: string, mode: 'insert' | 'upsert', round: 0 | 1, table: string, where: string): Promise<Figures> {
  const TOPIC = TOPICS[round];
  const u = new URL(databaseUrl);
  const config = {
    'connector.class': SINK_CLASS, topics: TOPIC, 'tasks.max': '1',
    'connection.url': `jdbc:postgresql://${u.hostname}:${u.port}${u.pathname}`, 'connection.username': decodeURIComponent(u.username),
    'insert.mode': mode, 'pk.mode': 'record_key', 'pk.fields': 'id', 'auto.create': 'true', 'table.name.format': table,
    'batch.size': BATCH_SIZE, 'consumer.override.max.poll.records': POLL_RECORDS, 'errors.tolerance': TOLERANCE,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  };
  const name = `bench-sink-${mode}-${table}`;
  const cpu0 = cpuSeconds(pid);
  const main0 = threadCpuSeconds(pid, pid);
  const server0 = serverCpu();
  const rss = samplePeakRss(pid);
  const t0 = Date.now();
  const res = await http('POST', `${workerUrl}/connectors`, { name, config });
  if (res.status !== 201) throw new Error(`POST ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  try {
    const doneAt = await waitForRows(databaseUrl, name, table, where, where, () => failedTask(`${workerUrl}/connectors/${name}/status`));
    return { ...figures(t0, cpuSeconds(pid) - cpu0, rss.stop(), doneAt), mainThreadCpuSeconds: threadCpuSeconds(pid, pid) - main0, serverCpuSeconds: serverCpu() - server0 };
  } finally {
    rss.stop();
    await http('DELETE', `${workerUrl}/connectors/${name}`);
  }
}

type Outcome = Figures | string;

/** Debezium's JDBC sink on Connect standalone: round 0 produced into a broker's topic, upserted into dbz_new. */
async function measureDebezium(dir: string, databaseUrl: string): Promise<Outcome> {
  const broker = await startKafkaBroker({ port: 0 });
  let connect: KafkaConnectWorker | undefined;
  try {
    const kafka = new Kafka({ clientId: 'bench-postgres-sink', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'dbz_bench', numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    // 500 records (~0.5 MB with their schemas) per request: under the broker's 1 MB message.max.bytes.
    for (let from = 0; from < RECORDS; from += 500) {
      const messages = [];
      for (let i = from + 1; i <= Math.min(RECORDS, from + 500); i++) messages.push(recordOf(i, 0));
      await producer.send({ topic: 'dbz_bench', messages: messages.map((m) => ({ key: m.key, value: m.value })) });
    }
    await producer.disconnect();
    const plugin = await ensureKafkaJars({ jarSet: 'debezium-jdbc' });
    connect = await startKafkaConnect({ mode: 'standalone', bootstrap: broker.bootstrap, dataDir: join(dir, 'connect'), heapMb: 1024, workerConfig: { 'plugin.path': plugin.pluginPath!, 'offset.flush.interval.ms': '1000' } });
    const u = new URL(databaseUrl);
    const config = {
      'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector', topics: 'dbz_bench', 'tasks.max': '1',
      'connection.url': `jdbc:postgresql://${u.hostname}:${u.port}${u.pathname}`, 'connection.username': decodeURIComponent(u.username),
      ...(u.password ? { 'connection.password': decodeURIComponent(u.password) } : {}),
      'insert.mode': 'upsert', 'primary.key.mode': 'record_key', 'primary.key.fields': 'id', 'schema.evolution': 'basic',
      'collection.name.format': 'dbz_new', 'batch.size': BATCH_SIZE, 'consumer.override.max.poll.records': POLL_RECORDS,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    };
    const pid = connect.pid;
    const cpu0 = cpuSeconds(pid);
    const server0 = serverCpu();
    const rss = samplePeakRss(pid);
    const t0 = Date.now();
    const res = await http('POST', `${connect.url}/connectors`, { name: 'bench-dbz-jdbc', config });
    if (res.status !== 201) throw new Error(`POST bench-dbz-jdbc: ${res.status} ${JSON.stringify(res.body)}`);
    const doneAt = await waitForRows(databaseUrl, 'Debezium JDBC sink', 'dbz_new', 'true', 'true', () => failedTask(`${connect!.url}/connectors/bench-dbz-jdbc/status`));
    return { ...figures(t0, cpuSeconds(pid) - cpu0, rss.stop(), doneAt), serverCpuSeconds: serverCpu() - server0 };
  } finally {
    await connect?.stop();
    await broker.stop();
  }
}

function printTable(copy: Figures, cases: [string, Outcome][], version: string): void {
  const num = (n: number | null, d = 0): string => (n === null ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
  const perRecord = (seconds: number | null | undefined): string => (seconds === null || seconds === undefined ? '-' : num((seconds * 1e6) / RECORDS, 1));
  // The main thread's share of the run's wall time: near 100 % it, not Postgres, sets the rate.
  const mainThread = (f: Figures): string => (f.mainThreadCpuSeconds === undefined ? '-' : `${perRecord(f.mainThreadCpuSeconds)} (${Math.round((100 * f.mainThreadCpuSeconds) / f.seconds)} %)`);
  const rows = [['', 'rows/s', 'seconds', 'rate / COPY', 'worker CPU s', 'worker CPU µs/record', 'main thread µs/record (busy)', 'worker peak RSS MiB', 'Postgres CPU µs/row']];
  for (const [label, f] of cases) {
    if (typeof f === 'string') rows.push([label, f, '-', '-', '-', '-', '-', '-', '-']);
    else rows.push([label, num(f.rowsPerSec), num(f.seconds, 1), `${(f.rowsPerSec / copy.rowsPerSec).toFixed(2)}x`, num(f.cpuSeconds, 1), perRecord(f.cpuSeconds), mainThread(f), num(f.peakRssMiB), perRecord(f.serverCpuSeconds)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`postgres-sink: ${RECORDS.toLocaleString('en-US')} records (~200 B of row data; JsonConverter with schemas) from the embedded log into PostgreSQL ${version}, batch.size=${BATCH_SIZE}, max.poll.records=${POLL_RECORDS}, errors.tolerance=${TOLERANCE}; load average ${loadavg()[0]!.toFixed(2)}`);
  rows.forEach((r, n) => {
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  });
  console.log(`Debezium JDBC sink: ${DEBEZIUM_JDBC_VERSION} (3.6.x does not resolve from Maven Central here) on Apache Kafka Connect ${KAFKA_VERSION} standalone, -Xmx1024m, reading the same records from a Kafka topic; its CPU and RSS are the JVM's`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-bench-postgres-sink-'));
  let postgres: PostgresServer | undefined;
  try {
    postgres = await startPostgres();
    postmasterPid = postgres.pid;
    process.env[POSTGRES_URL_ENV] = postgres.url;
    const databaseUrl = await createTestDatabase('bench_sink');
    const csv = join(dir, 'rows.csv');
    writeCsv(csv);
    const copy = await measureCopy(databaseUrl, csv, 'copy_target');
    const pgNew = await measurePostgresUpsert(databaseUrl, csv, 'upsert_target', true);
    const pgConflict = await measurePostgresUpsert(databaseUrl, csv, 'copy_target', false);

    const workerDir = join(dir, 'worker');
    await fillTopics(join(workerDir, 'data'));
    const worker = await startWorker({ dir: workerDir, config: { 'offset.flush.interval.ms': '1000' }, startTimeoutMs: 60_000 });
    const sink = (mode: 'insert' | 'upsert', round: 0 | 1, table: string, where: string): Promise<Outcome> =>
      measureSink(worker.url, worker.child.pid!, databaseUrl, mode, round, table, where).catch((e: Error) => `FAILED: ${e.message}`);
    const cases: [string, Outcome][] = [['COPY (psql \\copy), before', copy], ['Postgres alone: \\copy + ON CONFLICT, new keys', pgNew], ['Postgres alone: \\copy + ON CONFLICT, all conflict', pgConflict]];
    try {
      cases.push(['pipectl insert', await sink('insert', 0, 'sink_target', 'true')]);
      cases.push(['pipectl upsert, new keys', await sink('upsert', 0, 'sink_new', 'true')]);
      // Round 1 in upsert mode: every key exists already and every amount changes; done when all have round 1's amount.
      cases.push(['pipectl upsert, all conflict', await sink('upsert', 1, 'sink_target', 'amount >= ((id % 100000) + 100) / 100.0')]);
    } finally {
      await worker.stop();
    }
    const copyAfter = await measureCopy(databaseUrl, csv, 'copy_again');
    cases.push(['COPY (psql \\copy), after', copyAfter]);
    const anchor = anchorOf(copy, copyAfter);
    cases.push(['COPY, the anchor: both runs', anchor]);
    if (!process.argv.includes('--no-debezium')) {
      cases.push([`Debezium JDBC sink ${DEBEZIUM_JDBC_VERSION}, upsert, new keys`, await measureDebezium(dir, databaseUrl).catch((e: Error) => `FAILED: ${e.message.slice(0, 300)}`)]);
    }
    printTable(anchor, cases, postgres.version);
    if (cases.some(([, f]) => typeof f === 'string')) process.exitCode = 1;
  } finally {
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
