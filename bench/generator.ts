/**
 * Benchmark: the generator source task alone (no worker, converters or data plane), as fast as possible (`rate`
 * unset), polling batches of 1000 records of ~200-byte values. Prints records/s and MB/s of JSON payload for each
 * shape, after a warm-up.
 * Run: npm run build && node dist/bench/generator.js [records-per-shape] [value.size]
 */
import { performance } from 'node:perf_hooks';
import { GeneratorSourceTask, SHAPE_NAMES } from '../src/connectors/generator/index.js';

const RECORDS = Number(process.argv[2] ?? 2_000_000);
const VALUE_SIZE = process.argv[3] ?? '200';

async function run(shape: string, records: number): Promise<{ ms: number; bytes: number }> {
  const task = new GeneratorSourceTask();
  task.start({ topic: 'bench', shape, 'value.size': VALUE_SIZE, count: String(records) }, { offsetStorageReader: { offset: () => null } });
  let produced = 0;
  let bytes = 0;
  const t0 = performance.now();
  while (produced < records) {
    const batch = await task.poll();
    if (!batch) continue;
    produced += batch.length;
    // Measure the size of one value per batch only: serialising every value would benchmark JSON.stringify instead.
    bytes += JSON.stringify(batch[0]!.value).length * batch.length;
  }
  const ms = performance.now() - t0;
  task.stop();
  return { ms, bytes };
}

for (const shape of SHAPE_NAMES) {
  await run(shape, Math.min(RECORDS, 200_000)); // warm-up
  const { ms, bytes } = await run(shape, RECORDS);
  const perSecond = Math.round(RECORDS / (ms / 1000));
  console.log(`generator ${shape.padEnd(6)}: ${RECORDS} records, value.size=${VALUE_SIZE} in ${ms.toFixed(0)} ms -> ${perSecond.toLocaleString('en-US')} records/s, ~${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s of JSON payload`);
}
