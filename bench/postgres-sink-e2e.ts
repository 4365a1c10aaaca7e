/**
 * End to end through one standalone worker (embedded log, JsonConverter with schemas): a table of 100,000 rows
 * (int key, text, int, numeric(12,2), timestamp, 100-byte text) snapshotted by the CDC source, unwrapped by
 * ExtractNewRecordState, written by the Postgres sink (upsert, auto.create) into another database. Prints the time
 * from the connectors' start to the last row in the target (`node dist/bench/postgres-sink-e2e.js`, after a build).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSON_WORKER_CONFIG, sourceProperties } from '../test/connectors/postgres/cdc-support.js';
import { sinkProperties, UNWRAP } from '../test/connectors/postgres-sink/sink-support.js';
import { writeTree } from '../test/support/paths.js';
import { createTestDatabase, psql } from '../test/support/postgres.js';
import { startWorker, waitFor } from '../test/support/worker-process.js';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 100_000);
const a = await createTestDatabase('pgsink_e2e_a');
const b = await createTestDatabase('pgsink_e2e_b');
await psql(a, `CREATE TABLE items (id int PRIMARY KEY, name text, qty int, price numeric(12,2), at timestamp, note text);
  INSERT INTO items SELECT g, 'name ' || g, g % 1000, g / 100.0, '2024-01-01'::timestamp + g * interval '1 second', repeat('x', 100) FROM generate_series(1, ${ROWS}) g`, 120_000);
const tree = writeTree({});
writeFileSync(join(tree.dir, 'source.properties'), sourceProperties('sinkbench', a));
writeFileSync(join(tree.dir, 'sink.properties'), sinkProperties('sinkbench-sink', 'sinkbench.public.items', b, { 'table.name.format': 'items', ...UNWRAP }));
const t0 = Date.now();
const worker = await startWorker({ dir: tree.dir, config: JSON_WORKER_CONFIG, connectorFiles: ['source.properties', 'sink.properties'], startTimeoutMs: 60_000 });
try {
  await waitFor('every row in the target', async () => Number(await psql(b, 'SELECT count(*) FROM items').catch(() => '0')) >= ROWS, 600_000, 250);
  const seconds = (Date.now() - t0) / 1000;
  process.stdout.write(`${ROWS} rows, CDC snapshot → ExtractNewRecordState → Postgres sink: ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds)} rows/s end to end, worker start included)\n`);
} finally {
  await worker.stop();
  await psql(a, "SELECT pg_drop_replication_slot('sinkbench_slot')").catch(() => {});
  tree.cleanup();
}
process.exit(0);
