/**
 * Benchmark: how a distributed cluster lives through a broker outage and a rebalance, pipectl side by side with
 * Apache Kafka Connect 4.1.1, in the same run, on the same broker (started here).
 *
 * Each side: a cluster of 2 workers (its own group and internal topics), one pipeline FileStreamSource → a
 * one-partition topic → FileStreamSink (the same connector classes on both sides, StringConverter), and a line
 * appended to the source's file every 100 ms. Connect runs as startKafkaConnect starts it (-Xmx512m, CDS archive,
 * `scheduled.rebalance.max.delay.ms=1000` instead of 5 min; its other timing settings are Connect's defaults);
 * pipectl with its defaults.
 *
 * 1. Broker outage: the broker's JVM is stopped for 30 s and started again on the same port and data. Measured from
 *    the moment the restarted broker answers: (a) until a line appended after that moment reaches the sink's file
 *    (data flows end to end again), and (b) until a create of a new connector is accepted (201; 409/500/503 answers
 *    are retried every 200 ms). Both sides are measured from the same moment.
 * 2. Create → RUNNING during a rebalance (--reps times): one worker leaves cleanly (SIGTERM, so the group rebalances
 *    at once) and, without waiting, a new FileStreamSink with tasks.max=2 is created through the other worker; timed
 *    from the create request until the connector and both tasks are RUNNING. A replacement worker then joins (not timed).
 *
 * Run: npm run bench:recovery  [-- --reps N] [--outage-s S]
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startKafkaBroker } from '../src/devtools/kafka-broker.js';
import type { KafkaBroker } from '../src/devtools/kafka-broker.js';
import { startKafkaConnect } from '../src/devtools/kafka-connect.js';
import type { KafkaConnectWorker } from '../src/devtools/kafka-connect.js';
import { startCluster } from '../test/runtime/distributed/cluster-support.js';
import type { Cluster } from '../test/runtime/distributed/cluster-support.js';
import { http, waitFor } from '../test/support/worker-process.js';
import { benchArg } from './support/bench-args.js';

const REPS = Number(benchArg('reps', '3'));
const OUTAGE_S = Number(benchArg('outage-s', '30'));
const RECOVERY_BOUND_MS = 180_000;
const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

/** One side of the comparison: a 2-worker cluster that can lose a worker and gain one. */
interface Side {
  name: string;
  dir: string;
  urls(): string[];
  /** SIGTERM of the first worker (a clean leave); resolves once it has exited. */
  leave(): Promise<void>;
  join(): Promise<void>;
  close(): Promise<void>;
  logs(): string;
}

async function pipectlSide(bootstrap: string, dir: string): Promise<Side> {
  const cluster: Cluster = await startCluster({ dir, bootstrap, id: `bench-recovery-pipectl-${process.pid}`, size: 2 });
  return {
    name: 'pipectl',
    dir,
    urls: () => cluster.workers.map((w) => w.url),
    leave: () => cluster.remove(cluster.workers[0]!, 'stop'),
    join: async () => void (await cluster.add()),
    close: () => cluster.close(),
    logs: () => cluster.workers.map((w) => `--- ${w.url}\n${w.log().slice(-3000)}`).join('\n'),
  };
}

async function connectSide(bootstrap: string, dir: string): Promise<Side> {
  const group = `bench-recovery-connect-${process.pid}`;
  let n = 0;
  const start = (): Promise<KafkaConnectWorker> =>
    startKafkaConnect({ mode: 'distributed', bootstrap, dataDir: join(dir, `worker-${++n}`), workerConfig: { 'group.id': group, 'key.converter': STRING, 'value.converter': STRING } });
  const workers = [await start(), await start()];
  return {
    name: 'Connect',
    dir,
    urls: () => workers.map((w) => w.url),
    leave: async () => workers.shift()!.stop(),
    join: async () => void workers.push(await start()),
    close: async () => void (await Promise.all(workers.splice(0).map((w) => w.kill()))),
    logs: () => workers.map((w) => `--- ${w.url}\n${readFileSync(w.logFile, 'utf8').slice(-3000)}`).join('\n'),
  };
}

/** POSTs a connector until it is accepted: 409 (rebalance), 500 and 503 (broker away) and network errors are retried. */
async function createUntilAccepted(url: string, name: string, config: Record<string, string>, timeoutMs: number): Promise<void> {
  await waitFor(`create ${name}`, async () => {
    const r = await http('POST', `${url}/connectors`, { name, config });
    if (r.status === 201) return true;
    if ([409, 500, 503].includes(r.status)) return false;
    throw new Error(`create ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  }, timeoutMs, 200);
}

async function runningWithTasks(url: string, name: string, tasks: number): Promise<boolean> {
  const r = await http('GET', `${url}/connectors/${name}/status`);
  return r.status === 200 && r.body.connector.state === 'RUNNING' && r.body.tasks.length === tasks && r.body.tasks.every((t: { state: string }) => t.state === 'RUNNING');
}

function stats(values: readonly number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return `min ${Math.round(s[0]!)} / median ${Math.round(median)} / max ${Math.round(s[s.length - 1]!)} ms`;
}

const root = mkdtempSync(join(tmpdir(), 'pipectl-bench-recovery-'));
let broker: KafkaBroker | undefined = await startKafkaBroker({ port: 0, dataDir: join(root, 'kafka') });
const { bootstrap, port, controllerPort, dataDir } = broker;
const sides: Side[] = [];
const feeders: NodeJS.Timeout[] = [];
try {
  for (const make of [pipectlSide, connectSide]) {
    const dir = join(root, make === pipectlSide ? 'pipectl' : 'connect');
    mkdirSync(dir, { recursive: true });
    sides.push(await make(bootstrap, dir));
  }
  console.log(`recovery: 2 distributed workers per side, Kafka ${broker.version} on 127.0.0.1, FileStreamSource -> 1 partition -> FileStreamSink, a line every 100 ms`);
  for (const side of sides) {
    const topic = `bench-recovery-${side.name.toLowerCase()}-${process.pid}`;
    writeFileSync(join(side.dir, 'in.txt'), '');
    const common = { 'key.converter': STRING, 'value.converter': STRING };
    // Connector names differ per side: a sink's consumer group is connect-<name>, and both sides share the broker.
    await createUntilAccepted(side.urls()[1]!, `${side.name}-feed`, { ...common, 'connector.class': SOURCE, 'tasks.max': '1', file: join(side.dir, 'in.txt'), topic }, 60_000);
    await createUntilAccepted(side.urls()[1]!, `${side.name}-drain`, { ...common, 'connector.class': SINK, 'tasks.max': '1', file: join(side.dir, 'out.txt'), topics: topic }, 60_000);
    let line = 0;
    feeders.push(setInterval(() => appendFileSync(join(side.dir, 'in.txt'), `line-${++line}\n`), 100));
  }
  for (const side of sides) await waitFor(`${side.name}: data flowing`, () => readOut(side).includes('line-5\n'), 120_000, 100);

  // 1. Broker outage.
  await broker.stop();
  broker = undefined;
  const downAt = performance.now();
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_S * 1000));
  broker = await startKafkaBroker({ port, controllerPort, dataDir });
  const backAt = performance.now();
  const marker = `after-outage-${Date.now()}`;
  for (const side of sides) appendFileSync(join(side.dir, 'in.txt'), `${marker}\n`);
  console.log(`\n1. broker stopped for ${((backAt - downAt) / 1000).toFixed(1)} s (restart included); from the moment it answered again:`);
  const outage = await Promise.all(
    sides.map(async (side) => {
      // Bounded: a side that does not recover within the bound is reported as such, with its sink's status.
      const flowing = waitFor(`${side.name}: a line written after the outage in the sink`, () => readOut(side).includes(`${marker}\n`), RECOVERY_BOUND_MS, 50).then(
        () => `${Math.round(performance.now() - backAt)}`,
        async () => `not within ${RECOVERY_BOUND_MS / 1000} s (drain: ${JSON.stringify((await http('GET', `${side.urls()[0]!}/connectors/${side.name}-drain/status`)).body)})`,
      );
      const writable = createUntilAccepted(side.urls()[0]!, `${side.name}-after-outage`, { 'connector.class': SINK, 'tasks.max': '1', file: join(side.dir, 'after.txt'), topics: 'bench-recovery-unused' }, RECOVERY_BOUND_MS).then(
        () => `${Math.round(performance.now() - backAt)}`,
        () => `not within ${RECOVERY_BOUND_MS / 1000} s`,
      );
      return { side: side.name, flowing: await flowing, writable: await writable };
    }),
  );
  console.log('   | side | data flows end to end again, ms | a create accepted again, ms |');
  console.log('   |---|---|---|');
  for (const o of outage) console.log(`   | ${o.side} | ${o.flowing} | ${o.writable} |`);

  // 2. Create → RUNNING while the group rebalances after a clean leave.
  console.log(`\n2. create -> RUNNING (connector + 2 tasks) sent while the group rebalances after a worker left (SIGTERM), ${REPS} repetitions:`);
  const latencies = new Map<string, number[]>(sides.map((s) => [s.name, []]));
  for (let rep = 1; rep <= REPS; rep++) {
    for (const side of sides) {
      const name = `${side.name}-mid-rebalance-${rep}`;
      const leaving = side.leave();
      const target = side.urls()[0]!; // the remaining worker (leave() dropped the first one already)
      const sentAt = performance.now();
      await createUntilAccepted(target, name, { 'connector.class': SINK, 'tasks.max': '2', file: join(side.dir, `${name}.txt`), topics: 'bench-recovery-unused', 'key.converter': STRING, 'value.converter': STRING }, 120_000);
      await waitFor(`${side.name}: ${name} RUNNING`, () => runningWithTasks(target, name, 2), 300_000, 50);
      latencies.get(side.name)!.push(performance.now() - sentAt);
      await leaving;
      await side.join();
    }
  }
  console.log('   | side | create -> RUNNING | each repetition, ms |');
  console.log('   |---|---|---|');
  for (const [name, values] of latencies) console.log(`   | ${name} | ${stats(values)} | ${values.map((v) => Math.round(v)).join(', ')} |`);
} catch (e) {
  for (const side of sides) console.error(`=== ${side.name}\n${side.logs()}`);
  throw e;
} finally {
  for (const f of feeders) clearInterval(f);
  for (const side of sides) await side.close().catch(() => undefined);
  await broker?.stop();
  rmSync(root, { recursive: true, force: true });
}

function readOut(side: Side): string {
  try {
    return readFileSync(join(side.dir, 'out.txt'), 'utf8');
  } catch {
    return '';
  }
}
