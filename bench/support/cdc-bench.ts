/**
 * What bench/postgres-cdc.ts needs beside the shared Debezium helpers: the table of ~200-byte rows loaded with COPY
 * (psql's `\copy` from a generated CSV file), the streaming burst, the timestamp of a topic's last record, and CPU/RSS
 * sampling of a worker process.
 */
import { createWriteStream, statSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { psql } from '../../test/support/postgres.js';
import { rssMiB } from './record-input.js';

/** The bench table; its rows are about 200 bytes of column data. */
export const BENCH_TABLE = 'bench_rows';

const TABLE_SQL = `CREATE TABLE ${BENCH_TABLE} (
  id bigint PRIMARY KEY,
  customer text NOT NULL,
  amount numeric(12,2) NOT NULL,
  created_at timestamptz NOT NULL,
  payload text NOT NULL
)`;

const FILLER = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(8);

/** One CSV line of row `id` (deterministic): together ~200 bytes. */
function csvLine(id: number): string {
  const created = new Date(Date.UTC(2024, 0, 1) + id * 1000).toISOString();
  return `${id},c-${id % 9973},${(id % 100_000) / 100},${created},${FILLER.slice(0, 158 - (id % 7))}\n`;
}

/** Writes the CSV of rows 1..rows; resolves with its size in bytes. */
export async function writeBenchCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  for (let i = 1; i <= rows; i += 5000) {
    let chunk = '';
    for (let id = i; id < Math.min(rows + 1, i + 5000); id++) chunk += csvLine(id);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return statSync(path).size;
}

/** Creates the bench table in `databaseUrl` and loads the CSV into it with psql's `\copy`; VACUUM ANALYZE after. */
export async function loadBenchTable(databaseUrl: string, csvPath: string): Promise<void> {
  await psql(databaseUrl, TABLE_SQL);
  await psql(databaseUrl, `\\copy ${BENCH_TABLE} FROM '${csvPath.replace(/'/g, "''")}' WITH (FORMAT csv)`, 1_800_000);
  await psql(databaseUrl, `VACUUM ANALYZE ${BENCH_TABLE}`, 1_800_000);
}

/**
 * The streaming burst: `events` changes to the bench table after its `rows` loaded rows, half inserts of new ids and
 * half updates of loaded rows, committed in transactions of `perTransaction` rows (one psql command each).
 */
export async function runBurst(databaseUrl: string, rows: number, events: number, perTransaction = 5000): Promise<void> {
  const inserts = Math.ceil(events / 2);
  const updates = events - inserts;
  for (let done = 0; done < inserts; done += perTransaction) {
    const from = rows + done + 1;
    const to = rows + Math.min(inserts, done + perTransaction);
    await psql(databaseUrl, `INSERT INTO ${BENCH_TABLE} (id, customer, amount, created_at, payload)
      SELECT i, 'c-' || (i % 9973), (i % 100000) / 100.0, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second', left('${FILLER}', 158 - (i % 7)::int)
      FROM generate_series(${from}::bigint, ${to}::bigint) AS i`, 600_000);
  }
  for (let done = 0; done < updates; done += perTransaction) {
    await psql(databaseUrl, `UPDATE ${BENCH_TABLE} SET amount = amount + 1 WHERE id BETWEEN ${done + 1} AND ${Math.min(updates, done + perTransaction)}`, 600_000);
  }
}

/** The timestamp (ms, the producer's CreateTime) of the last record of a one-partition topic. */
export async function lastRecordTimestamp(bootstrap: string, topic: string, timeoutMs = 60_000): Promise<number> {
  const kafka = new Kafka({ clientId: 'pipectl-bench-last', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let high: number;
  try {
    high = Number((await admin.fetchTopicOffsets(topic)).find((p) => p.partition === 0)!.high);
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `${topic}-last-${Date.now()}` });
  await consumer.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.subscribe({ topic, fromBeginning: false });
    let resolveTs!: (ts: number) => void;
    const found = new Promise<number>((r) => (resolveTs = r));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const last = batch.messages.find((m) => Number(m.offset) === high - 1);
        if (last) resolveTs(Number(last.timestamp));
      },
    });
    consumer.seek({ topic, partition: 0, offset: String(high - 1) });
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no record at offset ${high - 1} of ${topic} within ${timeoutMs} ms`)), timeoutMs)));
    return await Promise.race([found, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}

/** Samples a process's RSS every `intervalMs` until stopped; stop() resolves the peak in MiB. */
export function samplePeakRss(pid: number, intervalMs = 200): { stop(): number } {
  let peak = rssMiB(pid);
  const timer = setInterval(() => {
    const now = rssMiB(pid);
    if (now > peak || Number.isNaN(peak)) peak = now;
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, rssMiB(pid) || 0);
    },
  };
}
