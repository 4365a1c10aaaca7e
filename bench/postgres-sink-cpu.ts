/**
 * Diagnostic for the Postgres sink's per-record path, in one process with no database and no log: the CPU per record
 * of each stage the worker runs for bench/postgres-sink's records — JsonConverter for key and value (→ SinkRecord),
 * RecordMapper.map, planWrites (upsert), COPY text (rowLine, sendRows into a connection that drops the bytes) — beside
 * Node's JSON.parse of the same key and value bytes, the cheapest generic reading of them. The full bench's worker
 * CPU per record also holds the log, the socket and its garbage collection, and varies with the machine's load; this
 * one takes the fastest of `--rounds` rounds, so that a change to one stage shows. It runs under the worker's own Node
 * flags (bin/pipectl.js's first line: the young generation's size changes this figure by a third), re-running itself
 * with them when started without.
 *
 * Run: npm run bench:postgres-sink-cpu  [-- --records N] [--rounds N] [--batch-size N]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rowLine } from '../src/connectors/postgres-sink/batch-writer.js';
import { sendRows } from '../src/connectors/postgres-sink/copy-in.js';
import { RecordMapper } from '../src/connectors/postgres-sink/record-mapper.js';
import { parseSinkSettings } from '../src/connectors/postgres-sink/sink-settings.js';
import { planWrites } from '../src/connectors/postgres-sink/write-plan.js';
import { JsonConverter } from '../src/converters/json-converter.js';
import type { SinkRecord } from '../src/plugins/connect-data.js';
import { benchArg, CLI_NODE_FLAGS } from './support/bench-args.js';
import { recordOf } from './support/sink-records.js';

// The worker runs with bin/pipectl.js's flags (--max-semi-space-size=64): without them this process collected
// garbage in a young generation a quarter as large, and measured 3.68 µs per record where they give 2.59.
if (!CLI_NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) {
  const run = spawnSync(process.execPath, [...process.execArgv, ...CLI_NODE_FLAGS, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

const RECORDS = Number(benchArg('records', '300000'));
const ROUNDS = Number(benchArg('rounds', '12'));
const BATCH = Number(benchArg('batch-size', '3000'));
const TOPIC = 'bench_upsert';

type Stage = 'JSON.parse (anchor)' | 'convert' | 'map' | 'plan' | 'COPY text';
const STAGES: Stage[] = ['JSON.parse (anchor)', 'convert', 'map', 'plan', 'COPY text'];

const records = Array.from({ length: RECORDS }, (_, i) => recordOf(i + 1, 0));
const keyConverter = new JsonConverter();
keyConverter.configure({}, true);
const valueConverter = new JsonConverter();
valueConverter.configure({}, false);
const mapper = new RecordMapper(parseSinkSettings({ 'connection.url': 'jdbc:postgresql://localhost:5432/bench', 'connection.user': 'bench', 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'id', 'table.name.format': 'bench' }));
const discard = { sendCopyFromChunk: (): void => {}, endCopyFrom: (): void => {} };

/** Nanoseconds per stage over all records, in chunks of BATCH as the worker hands them over. */
function round(): Record<Stage, number> {
  const ns: Record<Stage, number> = { 'JSON.parse (anchor)': 0, convert: 0, map: 0, plan: 0, 'COPY text': 0 };
  const now = (): number => Number(process.hrtime.bigint());
  let parsed = 0;
  for (let from = 0; from < RECORDS; from += BATCH) {
    const to = Math.min(RECORDS, from + BATCH);
    let t = now();
    for (let i = from; i < to; i++) parsed += (JSON.parse(records[i]!.key.toString()) as object) && (JSON.parse(records[i]!.value.toString()) as object) ? 1 : 0;
    ns['JSON.parse (anchor)'] += now() - t;
    t = now();
    const batch: SinkRecord[] = [];
    for (let i = from; i < to; i++) {
      const key = keyConverter.toConnectData(TOPIC, records[i]!.key);
      const value = valueConverter.toConnectData(TOPIC, records[i]!.value);
      batch.push({ topic: TOPIC, kafkaPartition: 0, kafkaOffset: i, keySchema: key.schema, key: key.value, valueSchema: value.schema, value: value.value, timestamp: 0, headers: [] });
    }
    ns.convert += now() - t;
    t = now();
    const ops = batch.map((r) => mapper.map(r)!);
    for (const op of ops) op.record = null; // as with errors.tolerance=none
    ns.map += now() - t;
    t = now();
    const steps = planWrites(ops, 'upsert');
    ns.plan += now() - t;
    t = now();
    for (const step of steps) sendRows(discard, step.ops.map(rowLine));
    ns['COPY text'] += now() - t;
  }
  if (parsed !== RECORDS) throw new Error('JSON.parse read nothing');
  return ns;
}

const best = Object.fromEntries(STAGES.map((s) => [s, Infinity])) as Record<Stage, number>;
let bestTotal = Infinity;
for (let r = 0; r < ROUNDS; r++) {
  const ns = round();
  for (const s of STAGES) best[s] = Math.min(best[s], ns[s]);
  bestTotal = Math.min(bestTotal, ns.convert + ns.map + ns.plan + ns['COPY text']);
}
const us = (ns: number): string => (ns / 1000 / RECORDS).toFixed(2).padStart(6);
console.log(`postgres-sink-cpu: ${RECORDS.toLocaleString('en-US')} records of bench/postgres-sink, chunks of ${BATCH}, fastest of ${ROUNDS} rounds per stage (µs of CPU per record, one thread)`);
for (const s of STAGES) console.log(`${s.padEnd(34)} ${us(best[s])}`);
console.log(`${'sink path (fastest whole round)'.padEnd(34)} ${us(bestTotal)}`);
