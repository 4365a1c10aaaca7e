/**
 * Benchmark (issue 16): Postgres change data capture, Debezium's PostgresConnector 3.6.1.Final on Apache Kafka Connect
 * 4.1.1 and pipectl's PostgresConnector side by side, in ONE run, on one machine, one broker, one PostgreSQL server.
 *
 * Run: npm run bench:postgres-cdc  [-- --rows N] [--burst N] [--heap-mb M]
 *   --rows     rows of ~200 B in the table the snapshot reads (default 1,000,000)
 *   --burst    change events of the streaming burst, half inserts and half updates (default rows / 10, at least 1,000)
 *   --heap-mb  Connect's -Xmx (default 1024)
 *
 * Per column, against a fresh database loaded from the same CSV (COPY through psql's \copy):
 * - snapshot rows/s: rows / (last snapshot record's timestamp in the topic − the moment the connector is POSTed), so
 *   task start, slot creation and the snapshot are in it;
 * - streaming events/s: burst / (last burst record's timestamp − the moment the burst's first transaction is sent);
 *   the burst commits transactions of 5,000 rows, so the connector, not psql, is what the figure measures as long as
 *   the database writes faster than the connector reads (the time psql took is printed beside it);
 * - worker CPU s: utime + stime of the worker process (the JVM; pipectl's node worker) from the connector's creation to
 *   the burst's last record; peak RSS: VmRSS sampled every 200 ms over the same span.
 * Same settings for both: the connector config of test/support/debezium.ts (pgoutput, snapshot.mode=initial,
 * JsonConverter with schemas for key and value, one-partition topics created by the worker), acks=all producers,
 * offset.flush.interval.ms=1000. No warm-up: a snapshot happens once per connector, and the JVM's warm-up is part
 * of what a user waits for. Columns run one after the other, never at once.
 *
 * pipectl runs twice, each time a standalone worker: with the Kafka data plane (same broker; arrival read from the topic,
 * as for Debezium) and with its embedded log (arrival read from the connector's committed source offset over REST,
 * which can be up to one offset flush, 1 s, late — the embedded figures are a little pessimistic).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKafkaBroker } from '../src/devtools/kafka-broker.js';
import type { KafkaBroker } from '../src/devtools/kafka-broker.js';
import { startPostgres } from '../src/devtools/postgres-server.js';
import type { PostgresServer } from '../src/devtools/postgres-server.js';
import { createDefaultRegistry } from '../src/runtime/bundled-plugins.js';
import {
  connectorFailure, DEBEZIUM_VERSION, debeziumConnectorConfig, PIPECTL_POSTGRES_CONNECTOR, startCdcRun, startDebeziumConnect, uniqueCdcNames, waitForTopicCounts,
} from '../test/support/debezium.js';
import { KAFKA_BOOTSTRAP_ENV } from '../test/support/kafka.js';
import { createTestDatabase, POSTGRES_URL_ENV, psql } from '../test/support/postgres.js';
import { http, startWorker, waitFor } from '../test/support/worker-process.js';
import { benchArg } from './support/bench-args.js';
import { BENCH_TABLE, lastRecordTimestamp, loadBenchTable, runBurst, samplePeakRss, writeBenchCsv } from './support/cdc-bench.js';
import { cpuSeconds } from './support/proc-stat.js';

const ROWS = Number(benchArg('rows', '1000000'));
const BURST = Number(benchArg('burst', String(Math.max(1000, Math.floor(ROWS / 10)))));
const HEAP_MB = Number(benchArg('heap-mb', '1024'));
const DEADLINE_MS = 1_800_000;

type Column = 'debezium' | 'pipectl' | 'embedded';
const TITLES: Record<Column, string> = { debezium: `Debezium ${DEBEZIUM_VERSION} on Connect`, pipectl: 'pipectl (Kafka)', embedded: 'pipectl (embedded log)' };

/**
 * How a column sees its records arrive. On Kafka: the topic's record count, then the last record's timestamp. On the
 * embedded log (the worker's own files, locked while it runs): the connector's committed source offset, read over
 * REST every 100 ms — so the time is when the offset flush (every 1 s) made the records durable, up to one flush
 * interval late.
 */
interface Arrival {
  /** Resolves with the time (ms) the snapshot's last record was written. */
  snapshotDone(): Promise<number>;
  /** Resolves with the time (ms) the burst's last record was written (called once the burst is committed). */
  burstDone(databaseUrl: string): Promise<number>;
}

function kafkaArrival(bootstrap: string, topic: string, failure: () => Promise<string | null>): Arrival {
  return {
    snapshotDone: async () => {
      await waitForTopicCounts(bootstrap, { [topic]: ROWS }, DEADLINE_MS, failure);
      return lastRecordTimestamp(bootstrap, topic);
    },
    burstDone: async () => {
      await waitForTopicCounts(bootstrap, { [topic]: ROWS + BURST }, DEADLINE_MS, failure);
      return lastRecordTimestamp(bootstrap, topic);
    },
  };
}

function offsetArrival(workerUrl: string, connector: string, failure: () => Promise<string | null>): Arrival {
  const until = async (what: string, done: (offset: Record<string, unknown>) => boolean): Promise<number> => {
    const outcome = await waitFor(what, async () => {
      const failed = await failure();
      if (failed) return { failed };
      const body = (await http('GET', `${workerUrl}/connectors/${connector}/offsets`)).body as { offsets?: { offset: Record<string, unknown> }[] };
      return (body.offsets ?? []).some((o) => done(o.offset)) && { failed: null };
    }, DEADLINE_MS, 100);
    if (outcome.failed !== null) throw new Error(`the connector FAILED: ${outcome.failed}`);
    return Date.now();
  };
  return {
    snapshotDone: () => until('the snapshot offset', (o) => o['snapshot_completed'] === true || (o['snapshot'] === undefined && o['lsn'] !== undefined)),
    // One more one-row transaction after the burst: an offset of it (or later) means every burst record is durable.
    burstDone: async (databaseUrl) => {
      const xid = Number(await psql(databaseUrl, `INSERT INTO ${BENCH_TABLE} (id, customer, amount, created_at, payload) VALUES (-1, 'marker', 0, now(), 'end of burst') RETURNING xmin::text::bigint`));
      return until(`the offset of transaction ${xid}`, (o) => Number(o['txId']) >= xid && o['snapshot'] === undefined);
    },
  };
}

interface Figures {
  snapshotSeconds: number;
  snapshotRowsPerSec: number;
  burstSeconds: number;
  burstEventsPerSec: number;
  burstWriteSeconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  load: string;
}

/** A worker that runs the connector: its REST URL, the pid measured, and how to stop it. */
interface Worker {
  url: string;
  pid: number;
  stop(): Promise<unknown>;
}

/** One column: a fresh database loaded from the CSV, the connector on `worker`, the snapshot, then the burst. */
async function measure(column: Column, worker: Worker, csv: string, bootstrap: string, connectorClass?: string): Promise<Figures> {
  const databaseUrl = await createTestDatabase(`bench_${column}`);
  await loadBenchTable(databaseUrl, csv);
  const names = uniqueCdcNames(column === 'debezium' ? 'bdbz' : column === 'pipectl' ? 'bpcl' : 'bemb');
  const topic = `${names.prefix}.public.${BENCH_TABLE}`;
  const config = debeziumConnectorConfig(databaseUrl, names, connectorClass ? { 'connector.class': connectorClass } : {});
  const cpu0 = cpuSeconds(worker.pid);
  const rss = samplePeakRss(worker.pid);
  const created = Date.now();
  const run = await startCdcRun(worker.url, databaseUrl, names, config);
  try {
    const failure = connectorFailure(worker.url, names.connector);
    const arrival = column === 'embedded' ? offsetArrival(worker.url, names.connector, failure) : kafkaArrival(bootstrap, topic, failure);
    const snapshotEnd = await arrival.snapshotDone();
    const burstStart = Date.now();
    await runBurst(databaseUrl, ROWS, BURST);
    const burstWriteSeconds = (Date.now() - burstStart) / 1000;
    const burstEnd = await arrival.burstDone(databaseUrl);
    const figures: Figures = {
      snapshotSeconds: (snapshotEnd - created) / 1000,
      snapshotRowsPerSec: ROWS / ((snapshotEnd - created) / 1000),
      burstSeconds: (burstEnd - burstStart) / 1000,
      burstEventsPerSec: BURST / ((burstEnd - burstStart) / 1000),
      burstWriteSeconds,
      cpuSeconds: cpuSeconds(worker.pid) - cpu0,
      peakRssMiB: rss.stop(),
      load: loadavg()[0]!.toFixed(2),
    };
    return figures;
  } finally {
    rss.stop();
    await run.cleanup((e) => console.error(`cleanup of ${names.connector}: ${(e as Error).message}`));
  }
}

function printTable(results: Partial<Record<Column, Figures | string>>, csvBytes: number, postgresVersion: string): void {
  const cols: Column[] = ['debezium', 'pipectl', 'embedded'];
  const cell = (c: Column, f: (x: Figures) => string): string => {
    const r = results[c];
    return r === undefined ? '-' : typeof r === 'string' ? r : f(r);
  };
  const num = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const ratio = (f: (x: Figures) => number, column: Column): string => {
    const [a, b] = [results.debezium, results[column]];
    return typeof a === 'object' && typeof b === 'object' ? `${(f(b) / f(a)).toFixed(2)}x` : '-';
  };
  const rows: [string, (x: Figures) => number, number][] = [
    ['snapshot rows/s', (x) => x.snapshotRowsPerSec, 0],
    ['snapshot s (POST → last record)', (x) => x.snapshotSeconds, 1],
    ['streaming events/s', (x) => x.burstEventsPerSec, 0],
    ['streaming s (first commit sent → last record)', (x) => x.burstSeconds, 1],
    ['  of which psql writing the burst s', (x) => x.burstWriteSeconds, 1],
    ['worker CPU s', (x) => x.cpuSeconds, 1],
    ['worker peak RSS MiB', (x) => x.peakRssMiB, 0],
  ];
  const body = rows.map(([label, f, digits]) => [label, ...cols.map((c) => cell(c, (x) => num(f(x), digits))), ratio(f, 'pipectl'), ratio(f, 'embedded')]);
  body.push(['load average (1 min) at the end', ...cols.map((c) => cell(c, (x) => x.load)), '', '']);
  const header = ['', ...cols.map((c) => TITLES[c]), 'Kafka / Debezium', 'embedded / Debezium'];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  console.log(`postgres-cdc: ${ROWS.toLocaleString('en-US')} rows of ~${Math.round(csvBytes / ROWS)} B (CSV ${(csvBytes / 1e6).toFixed(1)} MB) snapshotted, then a burst of ${BURST.toLocaleString('en-US')} changes (half inserts, half updates, 5,000 per transaction)`);
  console.log(`  PostgreSQL ${postgresVersion} (fsync off), Kafka 4.1.1 broker, Connect 4.1.1 standalone -Xmx${HEAP_MB}m, pipectl on Node ${process.version}; pgoutput, JsonConverter with schemas, 1-partition topics`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const b of body) console.log(line(b));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-bench-postgres-cdc-'));
  let broker: KafkaBroker | undefined;
  let postgres: PostgresServer | undefined;
  const results: Partial<Record<Column, Figures | string>> = {};
  try {
    const csv = join(dir, 'rows.csv');
    const csvBytes = await writeBenchCsv(csv, ROWS);
    [broker, postgres] = await Promise.all([startKafkaBroker({ port: 0 }), startPostgres({ fsync: false })]);
    // The shared helpers of test/support find the broker and the server the way tests do (the test runner's variables).
    process.env[KAFKA_BOOTSTRAP_ENV] = broker.bootstrap;
    process.env[POSTGRES_URL_ENV] = postgres.url;

    const connect = await startDebeziumConnect({ mode: 'standalone', heapMb: HEAP_MB, dataDir: join(dir, 'connect'), workerConfig: { 'offset.flush.interval.ms': '1000' } });
    try {
      results.debezium = await measure('debezium', { url: connect.url, pid: connect.pid, stop: connect.stop }, csv, broker.bootstrap);
    } catch (e) {
      results.debezium = 'FAILED';
      console.error(`Debezium failed: ${(e as Error).stack}\n(log: ${connect.logFile})`);
    } finally {
      await connect.stop();
    }

    for (const column of ['pipectl', 'embedded'] as const) {
      if (!createDefaultRegistry().findConnector(PIPECTL_POSTGRES_CONNECTOR)) {
        results[column] = 'not registered yet';
        continue;
      }
      // The same worker config but the data plane: the broker, or the worker's own embedded log.
      const workerDir = mkdtempSync(join(dir, `${column}-`));
      const config = { 'offset.flush.interval.ms': '1000', ...(column === 'pipectl' ? { 'bootstrap.servers': broker.bootstrap } : {}) };
      const worker = await startWorker({ dir: workerDir, config, startTimeoutMs: 60_000 });
      try {
        results[column] = await measure(column, { url: worker.url, pid: worker.child.pid!, stop: worker.stop }, csv, broker.bootstrap, PIPECTL_POSTGRES_CONNECTOR);
      } catch (e) {
        results[column] = 'FAILED';
        console.error(`${TITLES[column]} failed: ${(e as Error).stack}\n--- worker log ---\n${worker.log().split('\n').slice(-40).join('\n')}`);
      } finally {
        await worker.stop();
      }
    }
    printTable(results, csvBytes, postgres.version);
    if (Object.values(results).includes('FAILED')) process.exitCode = 1;
  } finally {
    await broker?.stop();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
