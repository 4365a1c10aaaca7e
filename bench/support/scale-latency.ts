/**
 * The latency-bound case of bench/scale.ts: sink tasks that wait `latency.ms` per batch (bench/plugins/latency-sink.ts,
 * loaded through `plugin.path`) and do almost no work, reading a 6-partition topic filled beforehand. Batches are kept
 * small (`consumer.override.max.poll.records`) so that the waiting, not the CPU, bounds a task: one task moves at most
 * batch / latency records per second. Two connector shapes per cluster size:
 * - tasks.max = 6 on 1, 2 and 3 workers: the same work spread thinner;
 * - tasks.max = 2 per worker (2, 4, 6): the cluster grows together with the connector's parallelism.
 * Timed from the moment every task is RUNNING (statuses polled every 100 ms) until the sink group's committed offsets
 * (kafkajs admin, polled every 100 ms) reach the topic's end, counting the records committed in between: the steady
 * state, without the connector's start and its rebalances (which grow with the number of workers). The workers commit
 * every 500 ms (offset.flush.interval.ms); both ends of the window see that lag, so it mostly cancels out.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type kafkajs from 'kafkajs';
import { startCluster } from '../../test/runtime/distributed/cluster-support.js';
import { http, waitFor } from '../../test/support/worker-process.js';

type Kafka = InstanceType<typeof kafkajs.Kafka>;

export interface LatencyCase {
  kafka: Kafka;
  bootstrap: string;
  dir: string;
  runId: string;
  sizes: readonly number[];
  /** Records per measurement. */
  records: number;
  latencyMs: number;
  batch: number;
  /** A progress or result line. */
  print: (line: string) => void;
}

const PARTITIONS = 6;
const PLUGIN_PATH = fileURLToPath(new URL('../plugins', import.meta.url));
const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';

/** Creates `topic` with PARTITIONS partitions and writes `n` ~100-byte records spread over them. */
async function fill(kafka: Kafka, topic: string, n: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer();
  await producer.connect();
  try {
    const body = 'x'.repeat(90);
    for (let i = 0; i < n; i += 1000) {
      const messages = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ partition: (i + j) % PARTITIONS, value: `${i + j} ${body}` }));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** The sum of a group's committed offsets on a topic (partitions without a commit count 0). */
async function committed(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (t?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Runs both shapes on 1, 2, 3 workers; prints one line per measurement and returns records/s per shape and size. */
export async function runLatencyCase(c: LatencyCase): Promise<Map<string, Map<number, number>>> {
  const shapes: { label: string; tasks: (size: number) => number }[] = [
    { label: 'tasks.max=6', tasks: () => 6 },
    { label: 'tasks.max=2 per worker', tasks: (size) => 2 * size },
  ];
  const out = new Map<string, Map<number, number>>(shapes.map((s) => [s.label, new Map()]));
  for (const size of c.sizes) {
    const id = `${c.runId}-lat-${size}w`;
    const cluster = await startCluster({ dir: join(c.dir, id), bootstrap: c.bootstrap, id, size, config: { 'plugin.path': PLUGIN_PATH, 'offset.flush.interval.ms': '500' } });
    try {
      for (const w of cluster.workers) await waitFor(`${w.url} ready`, async () => (await fetch(`${w.url}/connectors`)).ok, 60_000, 200);
      for (const [i, shape] of shapes.entries()) {
        const topic = `${id}-${i}`;
        const name = `lat-${i}`;
        const tasks = shape.tasks(size);
        await fill(c.kafka, topic, c.records);
        const config = {
          name,
          'connector.class': 'io.pipectl.bench.LatencySinkConnector',
          'tasks.max': String(tasks),
          topics: topic,
          'latency.ms': String(c.latencyMs),
          'consumer.override.max.poll.records': String(c.batch),
          'key.converter': STRING_CONVERTER,
          'value.converter': STRING_CONVERTER,
        };
        await waitFor(`create ${name}`, async () => {
          const r = await http('POST', `${cluster.workers[0]!.url}/connectors`, { name, config });
          if (r.status === 409) return undefined; // mid-rebalance: retry
          if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${JSON.stringify(r.body)}`);
          return r;
        }, 30_000, 100);
        await waitFor(`${tasks} tasks of ${name} RUNNING`, async () => {
          const st = (await http('GET', `${cluster.workers[0]!.url}/connectors/${name}/status`)).body as { tasks?: { state: string }[] };
          return st.tasks?.length === tasks && st.tasks.every((t) => t.state === 'RUNNING');
        }, 60_000, 100);
        const start = performance.now();
        const before = await committed(c.kafka, `connect-${name}`, topic);
        await waitFor(`${c.records} records committed by connect-${name}`, async () => (await committed(c.kafka, `connect-${name}`, topic)) >= c.records, 300_000, 100);
        const seconds = (performance.now() - start) / 1000;
        const rate = (c.records - before) / seconds;
        const rates = out.get(shape.label)!;
        rates.set(size, rate);
        const ceiling = (tasks * c.batch * 1000) / c.latencyMs;
        c.print(`  ${shape.label.padEnd(22)} ${size} worker${size === 1 ? ' ' : 's'} (${tasks} tasks): ${Math.round(rate).toLocaleString('en-US').padStart(7)} records/s (${seconds.toFixed(2)} s; ` +
          `ceiling ${Math.round(ceiling).toLocaleString('en-US')}/s), ratio to 1 worker ${(rate / rates.get(c.sizes[0]!)!).toFixed(2)}`);
        await http('DELETE', `${cluster.workers[0]!.url}/connectors/${name}`);
      }
    } catch (e) {
      for (const w of cluster.workers) c.print(`--- ${w.url}\n${w.log().slice(-4000)}`);
      throw e;
    } finally {
      await cluster.close();
    }
  }
  return out;
}
