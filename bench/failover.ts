/**
 * Benchmark: failover time of distributed mode, one broker (started here), in one run:
 * 1. Sources: a cluster of 3 real `pipectl worker distributed` processes with the DEFAULT timing settings
 *    (session.timeout.ms, heartbeat.interval.ms and scheduled.rebalance.max.delay.ms left unset), 4 Generator
 *    connectors × 3 tasks (rate=20, shape=flat, one topic each). Each repetition: kill -9 the worker running the most
 *    tasks, time until every connector and task is RUNNING on the live workers (statuses polled every 50 ms), then start
 *    a replacement worker and wait until the work is balanced again (not timed).
 * 2. Sinks: a fresh 3-worker pipectl cluster (default settings again), one FileStreamSink task on a one-partition topic
 *    that the bench's own producer feeds with a numbered line every 50 ms. Each repetition: kill -9 the worker running
 *    the sink task, time until a line produced after the kill is in the sink's file (checked every 50 ms), then start
 *    a replacement (not timed). See bench/support/sink-failover.ts.
 * 3. The same sink scenario on 3 Apache Kafka Connect 4.1.1 distributed workers (src/devtools/kafka-connect.ts), twice:
 *    with Connect's own timing defaults (session.timeout.ms 10000, heartbeat.interval.ms 3000,
 *    scheduled.rebalance.max.delay.ms 300000 — the dev tool's 1000 is overridden back —, sink consumer
 *    session.timeout.ms 45000 / heartbeat.interval.ms 3000), and tuned to pipectl's defaults (6000 / 1000 / 0 and the
 *    sink consumer 6000 / 1000). Both use StringConverter and the dev tool's offset.flush.interval.ms=1000, as pipectl's
 *    cluster here; neither touches failover timing. Skipped with --connect-reps 0.
 * Prints min/median/max per scenario and each repetition's value.
 * Run: npm run bench:failover  [-- --reps N] [--connect-reps N] [--connect-default-reps N]
 * (defaults 5, 3 and 1: one repetition with Connect's defaults takes over 5 minutes.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startKafkaBroker } from '../src/devtools/kafka-broker.js';
import { allRunningOn, load, startCluster, statuses, workerIdOf } from '../test/runtime/distributed/cluster-support.js';
import type { Cluster, ConnectorStatus } from '../test/runtime/distributed/cluster-support.js';
import { waitFor, http } from '../test/support/worker-process.js';
import { benchArg } from './support/bench-args.js';
import { connectCluster, pipectlCluster } from './support/failover-clusters.js';
import { runSinkFailover, spread } from './support/sink-failover.js';
import type { BenchCluster } from './support/sink-failover.js';

const REPS = Number(benchArg('reps', '5')) || 5;
const CONNECT_REPS = Number(benchArg('connect-reps', '3'));
const CONNECT_DEFAULT_REPS = Number(benchArg('connect-default-reps', '1'));
const WORKERS = 3;
const CONNECTORS = 4;
const TASKS = 3;

const dir = mkdtempSync(join(tmpdir(), 'pipectl-bench-failover-'));
const broker = await startKafkaBroker({ port: 0 });
let cluster: Cluster | undefined;
let sinkCluster: BenchCluster | undefined;

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

const id = `bench-failover-${process.pid}`;
try {
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

  const src = spread(times);
  console.log(`  kill -9 -> every task and connector RUNNING elsewhere: min ${src.min} ms, median ${src.median} ms, max ${src.max} ms`);
  console.log(`  each repetition (ms): ${times.map((t) => Math.round(t)).join(', ')}`);
  await cluster.close();
  cluster = undefined;

  const rows: { title: string; times: number[] }[] = [];
  const sinkRun = async (title: string, c: BenchCluster, runId: string, reps: number, timeoutMs: number): Promise<void> => {
    sinkCluster = c;
    console.log(`${title}: kill -9 of the worker running the FileStreamSink task -> a line produced after the kill in its file, ${reps} repetition(s)`);
    const t = await runSinkFailover({
      cluster: c, bootstrap: broker.bootstrap, id: runId, dir, reps, timeoutMs,
      onRep: (rep, ms, victim) => console.log(`  rep ${rep}: kill -9 of ${victim} -> the sink consuming again in ${Math.round(ms)} ms`),
    });
    rows.push({ title, times: t });
    await c.close();
    sinkCluster = undefined;
  };
  await sinkRun('pipectl sink failover (3 workers, default settings)', await pipectlCluster({ dir: join(dir, 'sink'), bootstrap: broker.bootstrap, id: `${id}-sink`, size: WORKERS }), `${id}-sink`, REPS, 120_000);
  if (CONNECT_REPS > 0) {
    const tuned = {
      'session.timeout.ms': '6000', 'heartbeat.interval.ms': '1000', 'scheduled.rebalance.max.delay.ms': '0',
      'consumer.session.timeout.ms': '6000', 'consumer.heartbeat.interval.ms': '1000',
    };
    await sinkRun('Kafka Connect 4.1.1 sink failover (3 workers, TUNED to pipectl\'s defaults: worker session 6000 / heartbeat 1000 / scheduled.rebalance.max.delay.ms 0, sink consumer session 6000 / heartbeat 1000)',
      await connectCluster({ dir: join(dir, 'connect-tuned'), bootstrap: broker.bootstrap, id: `${id}-ct`, size: WORKERS, config: tuned }), `${id}-ct`, CONNECT_REPS, 120_000);
  }
  if (CONNECT_DEFAULT_REPS > 0) {
    await sinkRun('Kafka Connect 4.1.1 sink failover (3 workers, Connect\'s DEFAULT timing: session 10000, heartbeat 3000, scheduled.rebalance.max.delay.ms 300000, sink consumer session 45000 / heartbeat 3000)',
      await connectCluster({ dir: join(dir, 'connect-defaults'), bootstrap: broker.bootstrap, id: `${id}-cd`, size: WORKERS, config: { 'scheduled.rebalance.max.delay.ms': '300000' } }), `${id}-cd`, CONNECT_DEFAULT_REPS, 600_000);
  }
  console.log('sink failover, kill -9 -> the sink consuming again (same broker, same run, same machine):');
  for (const r of rows) {
    const f = spread(r.times);
    console.log(`  ${r.title}\n    min ${f.min} ms, median ${f.median} ms, max ${f.max} ms; each repetition (ms): ${r.times.map((t) => Math.round(t)).join(', ')}`);
  }
} catch (e) {
  for (const w of cluster?.workers ?? []) console.error(`--- ${w.url}\n${w.log().slice(-4000)}`);
  throw e;
} finally {
  await cluster?.close();
  await sinkCluster?.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}
