/**
 * Benchmark: records/s of a source connector on a distributed cluster of 1, 2 and 3 real `pipectl worker distributed`
 * processes, same broker (started here), same run. Workload: one Generator connector, tasks.max=6, rate=0 (as fast as
 * possible), count=N per task, shape=flat, writing to its own 6-partition topic. Timed from the create request until
 * the topic's end offsets (kafkajs admin) sum to 6 × N. Each size gets a fresh cluster (new group id, internal topics
 * and data topic), so the measurements are independent; the cluster is up and idle before the clock starts.
 *
 * Read the figures honestly: on a 2-core machine with the Kafka broker on the same cores, more workers cannot add CPU —
 * the broker and the workers all share the same two cores. So the ratio to 1 worker is not real scale-out (that needs
 * workers on cores or machines of their own): it shows coordination overhead (group rebalances, tasks spread over
 * processes, more producers and connections), plus whatever part of the second core one worker leaves idle — a worker
 * is one Node.js process whose JavaScript runs on one thread, so a second process can pick up that slack, and a third
 * has nothing left to pick up. The clock includes the create request, the rebalance and the task start.
 *
 * Then a latency-bound case (bench/support/scale-latency.ts): sink tasks that wait 20 ms per batch of at most 50 records
 * (bench/plugins/latency-sink.ts through `plugin.path`), as a sink writing to a remote system would, on the same 1, 2 and
 * 3 worker sizes, once with tasks.max=6 and once with 2 tasks per worker. There the CPU is not what limits a task.
 * Run: npm run bench:scale  [-- --count N] [--latency-records N] [--latency-ms N] [--batch N] [--skip-cpu]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import kafkajs from 'kafkajs';
import { startKafkaBroker } from '../src/devtools/kafka-broker.js';
import { startCluster } from '../test/runtime/distributed/cluster-support.js';
import type { Cluster } from '../test/runtime/distributed/cluster-support.js';
import { waitFor, http } from '../test/support/worker-process.js';
import { benchArg } from './support/bench-args.js';
import { runLatencyCase } from './support/scale-latency.js';

const { Kafka, logLevel } = kafkajs;
const COUNT = Number(benchArg('count', '100000')) || 100_000;
const LATENCY_RECORDS = Number(benchArg('latency-records', '120000'));
const LATENCY_MS = Number(benchArg('latency-ms', '20'));
const BATCH = Number(benchArg('batch', '50'));
const SKIP_CPU = process.argv.includes('--skip-cpu');
const TASKS = 6;
const PARTITIONS = 6;
const SIZES = [1, 2, 3];

const dir = mkdtempSync(join(tmpdir(), 'pipectl-bench-scale-'));
const broker = await startKafkaBroker({ port: 0 });
const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'bench-scale', logLevel: logLevel.NOTHING });
const admin = kafka.admin();
let cluster: Cluster | undefined;

async function endOffsets(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

try {
  await admin.connect();
  const total = COUNT * TASKS;
  console.log(`scale: one Generator connector, tasks.max=${TASKS}, rate=0, count=${COUNT.toLocaleString('en-US')} per task (${total.toLocaleString('en-US')} records, shape=flat), ` +
    `${PARTITIONS}-partition topic, Kafka ${broker.version} on 127.0.0.1, ${cpus().length} cores shared by broker and workers`);
  const rates = new Map<number, number>();
  for (const size of SKIP_CPU ? [] : SIZES) {
    const id = `bench-scale-${process.pid}-${size}w`;
    const topic = `${id}-data`;
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
    cluster = await startCluster({ dir: join(dir, id), bootstrap: broker.bootstrap, id, size });
    try {
      // Wait until the group has settled (every worker answers GET /connectors) before starting the clock.
      for (const w of cluster.workers) await waitFor(`${w.url} ready`, async () => (await fetch(`${w.url}/connectors`)).ok, 60_000, 200);
      const name = 'gen';
      const config = {
        name,
        'connector.class': 'Generator',
        'tasks.max': String(TASKS),
        topic,
        rate: '0',
        count: String(COUNT),
        shape: 'flat',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      };
      const start = performance.now();
      await waitFor(`create ${name}`, async () => {
        const r = await http('POST', `${cluster!.workers[0]!.url}/connectors`, { name, config });
        if (r.status === 409) return undefined; // mid-rebalance: retry
        if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${JSON.stringify(r.body)}`);
        return r;
      }, 30_000, 100);
      await waitFor(`${total} records in ${topic}`, async () => (await endOffsets(topic)) >= total, 170_000, 100);
      const seconds = (performance.now() - start) / 1000;
      const rate = total / seconds;
      rates.set(size, rate);
      const one = rates.get(1)!;
      console.log(`  ${size} worker${size === 1 ? ' ' : 's'}: ${Math.round(rate).toLocaleString('en-US').padStart(8)} records/s (${seconds.toFixed(2)} s), ratio to 1 worker ${(rate / one).toFixed(2)}`);
    } catch (e) {
      for (const w of cluster.workers) console.error(`--- ${w.url}\n${w.log().slice(-4000)}`);
      throw e;
    } finally {
      await cluster.close();
      cluster = undefined;
    }
  }
  console.log(`scale, latency-bound: sink tasks waiting ${LATENCY_MS} ms per batch of at most ${BATCH} records (ceiling per task ${Math.round((BATCH * 1000) / LATENCY_MS).toLocaleString('en-US')} records/s), ` +
    `${LATENCY_RECORDS.toLocaleString('en-US')} records of ~100 B in a 6-partition topic filled beforehand, per measurement`);
  await runLatencyCase({ kafka, bootstrap: broker.bootstrap, dir, runId: `bench-scale-${process.pid}`, sizes: SIZES, records: LATENCY_RECORDS, latencyMs: LATENCY_MS, batch: BATCH, print: (l) => console.log(l) });
} finally {
  await cluster?.close();
  await admin.disconnect().catch(() => undefined);
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}
