/**
 * Benchmark: failover time of distributed mode. One broker (started here), a cluster of 3 real
 * `pipectl worker distributed` processes with the DEFAULT timing settings (session.timeout.ms, heartbeat.interval.ms and
 * scheduled.rebalance.max.delay.ms left unset), 4 Generator connectors × 3 tasks (rate=20, shape=flat, one topic each).
 * Each repetition: kill -9 the worker running the most tasks, time until every connector and task is RUNNING on the
 * live workers (statuses polled every 50 ms), then start a replacement worker and wait until the work is balanced again
 * (not timed). Prints min/median/max of kill -9 → all RUNNING elsewhere, and each repetition's value.
 * Run: npm run bench:failover  [-- --reps N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startKafkaBroker } from '../src/devtools/kafka-broker.js';
import { allRunningOn, load, startCluster, statuses, workerIdOf } from '../test/runtime/distributed/cluster-support.js';
import type { Cluster, ConnectorStatus } from '../test/runtime/distributed/cluster-support.js';
import { waitFor, http } from '../test/support/worker-process.js';

const args = process.argv.slice(2);
const REPS = Number(args[args.indexOf('--reps') + 1] ?? 0) || 5;
const WORKERS = 3;
const CONNECTORS = 4;
const TASKS = 3;

const dir = mkdtempSync(join(tmpdir(), 'pipectl-bench-failover-'));
const broker = await startKafkaBroker({ port: 0 });
let cluster: Cluster | undefined;

const ids = (): string[] => cluster!.workers.map(workerIdOf);
/** Statuses from the first live worker that answers. */
async function anyStatuses(): Promise<ConnectorStatus[]> {
  let last: unknown;
  for (const w of cluster!.workers) {
    try {
      return await statuses(w.url);
    } catch (e) {
      last = e;
    }
  }
  throw last;
}
/** All RUNNING on live workers and tasks spread evenly (per-worker counts differ by at most one). */
async function balanced(): Promise<boolean> {
  const all = await anyStatuses();
  if (!allRunningOn(all, CONNECTORS, TASKS, ids())) return false;
  const l = load(all);
  const tasks = ids().map((id) => l.get(id)?.tasks ?? 0);
  const conns = ids().map((id) => l.get(id)?.connectors ?? 0);
  return Math.max(...tasks) - Math.min(...tasks) <= 1 && Math.max(...conns) - Math.min(...conns) <= 1;
}

try {
  const id = `bench-failover-${process.pid}`;
  cluster = await startCluster({ dir, bootstrap: broker.bootstrap, id, size: WORKERS });
  for (let i = 0; i < CONNECTORS; i++) {
    const name = `gen-${i}`;
    const config = {
      name,
      'connector.class': 'Generator',
      'tasks.max': String(TASKS),
      topic: `${id}-t${i}`,
      rate: '20',
      shape: 'flat',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    };
    const w = cluster.workers[i % cluster.workers.length]!;
    await waitFor(`create ${name}`, async () => {
      const r = await http('POST', `${w.url}/connectors`, { name, config });
      if (r.status === 409) return undefined; // mid-rebalance: retry
      if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${JSON.stringify(r.body)}`);
      return r;
    }, 30_000, 200);
  }
  await waitFor('every connector and task RUNNING and balanced', balanced, 60_000, 200);

  const times: number[] = [];
  console.log(`failover: ${WORKERS} distributed workers, default timing settings, ${CONNECTORS} Generator connectors x ${TASKS} tasks, Kafka ${broker.version} on 127.0.0.1, ${REPS} repetitions`);
  for (let rep = 1; rep <= REPS; rep++) {
    const before = load(await anyStatuses());
    const victim = [...cluster.workers].sort((a, b) => (before.get(workerIdOf(b))?.tasks ?? 0) - (before.get(workerIdOf(a))?.tasks ?? 0))[0]!;
    const victimTasks = before.get(workerIdOf(victim))?.tasks ?? 0;
    const killedAt = performance.now();
    await cluster.remove(victim, 'kill');
    await waitFor('failover', async () => allRunningOn(await anyStatuses(), CONNECTORS, TASKS, ids()), 120_000, 50);
    const ms = performance.now() - killedAt;
    times.push(ms);
    console.log(`  rep ${rep}: kill -9 of a worker running ${victimTasks} tasks -> all ${CONNECTORS * TASKS} tasks RUNNING on the ${cluster.workers.length} survivors in ${Math.round(ms)} ms`);
    await cluster.add();
    await waitFor('balanced again after the replacement joined', balanced, 120_000, 200);
  }

  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  console.log(`  kill -9 -> every task and connector RUNNING elsewhere: min ${Math.round(sorted[0]!)} ms, median ${Math.round(median)} ms, max ${Math.round(sorted[sorted.length - 1]!)} ms`);
  console.log(`  each repetition (ms): ${times.map((t) => Math.round(t)).join(', ')}`);
} catch (e) {
  for (const w of cluster?.workers ?? []) console.error(`--- ${w.url}\n${w.log().slice(-4000)}`);
  throw e;
} finally {
  await cluster?.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}
