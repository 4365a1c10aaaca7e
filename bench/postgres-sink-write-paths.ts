/**
 * The Postgres sink's two write paths on 100,000 rows (npm run bench:postgres-sink-write-paths): multi-row parameterised
 * `INSERT … VALUES … ON CONFLICT DO UPDATE` versus COPY into a staging table then `INSERT … SELECT … ON CONFLICT`,
 * each for new keys (inserts) and for the same keys again (every row a conflict → update). Records are shaped like
 * unwrapped CDC rows (int key; text, int, Decimal, MicroTimestamp, ~100-byte text), put() 3,000 at a time
 * (batch.size 3000: one transaction each). Uses the test Postgres (PIPECTL_TEST_POSTGRES_URL, else its own server).
 */
import { PostgresSinkTask } from '../src/connectors/postgres-sink/index.js';
import type { Schema, SinkRecord } from '../src/plugins/connect-data.js';
import { createTestDatabase, psql } from '../test/support/postgres.js';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 100_000);
const PUT = Number(process.env['BENCH_PUT'] ?? 3000);
const ROUNDS = 3;

const key: Schema = { type: 'struct', optional: false, fields: [{ field: 'id', type: 'int32', optional: false }] };
const value: Schema = {
  type: 'struct', optional: true, fields: [
    { field: 'id', type: 'int32', optional: false },
    { field: 'name', type: 'string', optional: true },
    { field: 'qty', type: 'int32', optional: true },
    { field: 'price', type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2' } },
    { field: 'ts', type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp', version: 1 },
    { field: 'note', type: 'string', optional: true },
  ],
};

function records(round: number): SinkRecord[] {
  return Array.from({ length: ROWS }, (_, i) => ({
    topic: 'bench', kafkaPartition: 0, kafkaOffset: i, keySchema: key, key: { id: i }, valueSchema: value,
    value: { id: i, name: `name ${i} r${round}`, qty: i % 1000, price: `${i}.${String(i % 100).padStart(2, '0')}`, ts: 1_704_164_645_123_456 + i, note: 'x'.repeat(100) },
  }));
}

async function timePuts(task: PostgresSinkTask, batch: SinkRecord[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < batch.length; i += PUT) await task.put(batch.slice(i, i + PUT));
  await task.flush();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const results: string[] = [];
for (const path of ['values', 'copy'] as const) {
  const ins: number[] = [];
  const ups: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const db = await createTestDatabase('pgsink_bench');
    const u = new URL(db);
    const task = new PostgresSinkTask(path);
    await task.start({ 'connection.url': `jdbc:postgresql://${u.host}${u.pathname}`, 'connection.user': u.username, 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'true', 'table.name.format': 'bench' }, { assignment: () => [] });
    ins.push(await timePuts(task, records(round)));
    ups.push(await timePuts(task, records(round + 1)));
    if ((await psql(db, 'SELECT count(*) FROM bench')) !== String(ROWS)) throw new TypeError('row count mismatch');
    await task.stop();
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  results.push(`${path.padEnd(6)}  new keys: ${median(ins).toFixed(2)} s (${Math.round(ROWS / median(ins))} rows/s)  existing keys: ${median(ups).toFixed(2)} s (${Math.round(ROWS / median(ups))} rows/s)  [median of ${ROUNDS}]`);
}
process.stdout.write(`${ROWS} rows, put() ${PUT} at a time, upsert mode\n${results.join('\n')}\n`);
process.exit(0);
