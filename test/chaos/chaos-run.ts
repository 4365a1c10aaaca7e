/**
 * One chaos run: its own broker, a cluster of real workers, the seeded schedule of faults with REST writes and
 * `pipectl apply` runs in between, then convergence and the invariants. Returns the report as data; prints nothing
 * itself (every event goes to `log`).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ApplyRepo, VERSIONS } from './apply-repo.js';
import type { CliRun } from './apply-repo.js';
import { ChaosBroker } from './chaos-broker.js';
import { ChaosCluster } from './chaos-cluster.js';
import { connectorSet } from './connectors.js';
import type { ConnectorSet } from './connectors.js';
import { checkData } from './data-check.js';
import type { TaskData } from './data-check.js';
import { inject } from './faults.js';
import type { FaultRecord } from './faults.js';
import { checkViews, readViews } from './invariants.js';
import type { Violation } from './invariants.js';
import { HealthMonitor } from './monitor.js';
import type { Stretch } from './monitor.js';
import { buildSchedule } from './schedule.js';
import type { Schedule, ScheduleOptions, Write } from './schedule.js';
import { Writer } from './writes.js';
import type { WriteRecord } from './writes.js';
import { createTopicsAndAwaitLeaders } from '../../src/runtime/kafka/kafkajs/create-topics.js';

export interface ChaosOptions {
  seed: number;
  /** Most faults; the schedule also stops at durationMs. */
  faults: number;
  durationMs: number;
  dir: string;
  initialWorkers?: number;
  maxWorkers?: number;
  /** Worker session.timeout.ms (a zombie is frozen longer). Default 6000 (the product default). */
  sessionTimeoutMs?: number;
  writeEveryMs?: number;
  /** How long to wait for convergence once the faults have stopped. */
  convergeTimeoutMs?: number;
  /** Timeout of each REST write (long enough to see a 30 s hang end in a 500). */
  writeTimeoutMs?: number;
  /** Keep the run's folder (logs, data) even when nothing was violated. */
  keepDir?: boolean;
  log: (line: string) => void;
  signal?: AbortSignal;
}

export interface ApplyRecord {
  atMs: number;
  worker: number;
  version: number;
  code: number | null;
  ms: number;
  endMs: number;
  summary: string;
  settle: boolean;
}

export interface ChaosReport {
  seed: number;
  schedule: Schedule;
  faults: FaultRecord[];
  writes: WriteRecord[];
  applies: ApplyRecord[];
  startFailures: { slot: number; atMs: number; message: string }[];
  /** ms from the end of the faults until every status invariant held; null: never within the deadline. */
  convergedMs: number | null;
  violations: Violation[];
  modelSurprises: string[];
  data: TaskData[];
  /** Stretches of 15 s or more during which a connector was unhealthy (from the faults' start to convergence). */
  unhealthy: Stretch[];
  plans: { worker: number; code: number | null; summary: string }[];
  /** Distinct ERROR/WARN log lines of all workers (message only), with counts. */
  logMessages: { line: string; count: number }[];
  dir: string;
  kept: boolean;
  wallMs: number;
}

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const now = (): number => Date.now() - started;
  const sleep = (ms: number): Promise<void> => new Promise((r) => {
    const done = (): void => {
      clearTimeout(t);
      o.signal?.removeEventListener('abort', done);
      r();
    };
    const t = setTimeout(done, Math.max(0, ms));
    o.signal?.addEventListener('abort', done, { once: true });
  });
  const stamp = (line: string): void => o.log(`[+${(now() / 1000).toFixed(1).padStart(6)}s] ${line}`);
  mkdirSync(o.dir, { recursive: true });
  const groupId = `chaos-${o.seed}`;
  const connectors = connectorSet(groupId);
  const scheduleOptions: ScheduleOptions = {
    faults: o.faults, durationMs: o.durationMs, initialWorkers: o.initialWorkers ?? 3, maxWorkers: o.maxWorkers ?? 4,
    sessionTimeoutMs: o.sessionTimeoutMs ?? 6000, churnConnectors: connectors.churn, dataConnectors: connectors.data, writeEveryMs: o.writeEveryMs ?? 1200,
  };
  const schedule = buildSchedule(o.seed, scheduleOptions);
  stamp(`seed ${o.seed}: ${schedule.faults.length} faults (${schedule.faults.map((f) => f.kind).join(', ')}), ${schedule.writes.length} writes over ${(schedule.endMs / 1000).toFixed(0)} s`);

  const broker = new ChaosBroker(o.dir);
  stamp(`broker started in ${await broker.start()} ms at ${broker.bootstrap}`);
  const cluster = new ChaosCluster({
    dir: o.dir, bootstrap: broker.bootstrap, groupId, startAttempts: 3, now,
    config: { 'offset.flush.interval.ms': '1000', 'session.timeout.ms': String(scheduleOptions.sessionTimeoutMs), 'heartbeat.interval.ms': String(Math.floor(scheduleOptions.sessionTimeoutMs / 3)) },
  });
  const writer = new Writer(cluster, connectors, { timeoutMs: o.writeTimeoutMs ?? 40_000, now, log: stamp });
  const repo = new ApplyRepo(o.dir, `${groupId}-app`);
  for (let v = 0; v < VERSIONS; v++) repo.write(v);
  const applies: ApplyRecord[] = [];
  const faults: FaultRecord[] = [];
  let report: Omit<ChaosReport, 'logMessages' | 'kept' | 'wallMs' | 'startFailures' | 'writes' | 'applies' | 'faults'> | undefined;
  try {
    await createTopics(broker.bootstrap, connectors.topics());
    for (let i = 0; i < scheduleOptions.initialWorkers; i++) stamp(`worker w${(await cluster.addSlot()).index} started`);
    await setUp(writer, connectors, stamp);
    await runApply(cluster, repo, applies, 0, 0.5, false, now, stamp);

    const base = await converge(cluster, writer, 120_000, sleep, now);
    stamp(base.convergedMs === null ? `NOT converged before the faults: ${base.violations.length} violations` : `converged before the faults in ${base.convergedMs} ms`);

    const monitor = new HealthMonitor(cluster, writer.models, { everyMs: 3000, now, sleep });
    monitor.start();
    const t0 = now();
    stamp('--- faults start');
    const inFlight: Promise<unknown>[] = [];
    const faultLoop = (async () => {
      for (const f of schedule.faults) {
        if (o.signal?.aborted) return;
        await sleep(t0 + f.atMs - now());
        stamp(`fault  ${f.kind} …`);
        const rec = await inject(f, { cluster, broker, now, sleep });
        faults.push(rec);
        stamp(`fault  ${rec.kind} w${rec.slot}${rec.wasLeader ? ' (leader)' : rec.wasLeader === null ? ' (leader unknown)' : ''}: ${rec.detail} (${rec.ms} ms)`);
      }
    })();
    let faultsDone = false;
    void faultLoop.finally(() => (faultsDone = true));
    for (const w of schedule.writes) {
      await sleep(t0 + w.atMs - now());
      if (faultsDone || o.signal?.aborted) break;
      if (w.kind !== 'apply') inFlight.push(writer.send(w));
      else {
        inFlight.push(runApply(cluster, repo, applies, w.n % VERSIONS, w.pick, false, now, stamp));
        // Every other apply has a twin of another version through another worker, at once: does a lock keep them apart?
        if (w.n % 2 === 0) inFlight.push(runApply(cluster, repo, applies, (w.n + 1) % VERSIONS, (w.pick + 0.5) % 1, false, now, stamp));
      }
    }
    await faultLoop;
    stamp('--- faults over; waiting for writes in flight');
    await Promise.all(inFlight);
    await writer.drain();

    const end = await converge(cluster, writer, o.convergeTimeoutMs ?? 180_000, sleep, now);
    stamp(end.convergedMs === null ? `NOT converged within ${(o.convergeTimeoutMs ?? 180_000) / 1000} s: ${end.violations.length} violations` : `converged in ${end.convergedMs} ms`);
    await monitor.stop();
    const unhealthy = monitor.stretches.filter((x) => x.toMs - x.fromMs >= 15_000).sort((a, b) => b.toMs - b.fromMs - (a.toMs - a.fromMs));
    for (const x of unhealthy) stamp(`unhealthy ${x.connector} for ${((x.toMs - x.fromMs) / 1000).toFixed(0)} s from +${(x.fromMs / 1000).toFixed(1)}s${x.open ? ' (still at the end)' : ''}: ${x.lastSeen}`);
    const plans = await checkPlans(cluster, repo, applies, now, stamp);
    const data: TaskData[] = [];
    const dataViolations: Violation[] = [];
    for (const name of connectors.data) {
      const r = await checkData(broker.bootstrap, cluster.up()[0]!.url, name, connectors.topicOf(name), started);
      data.push(...r.tasks);
      dataViolations.push(...r.violations);
    }
    const planViolations: Violation[] = plans.filter((p) => p.code !== 0).map((p) => ({ invariant: 5 as const, connector: 'app-*', what: `plan --detailed-exitcode via w${p.worker}`, expected: 'exit 0 (no changes)', seen: `exit ${p.code}: ${p.summary}` }));
    report = {
      seed: o.seed, schedule, convergedMs: end.convergedMs, violations: [...end.violations, ...dataViolations, ...planViolations],
      modelSurprises: [...writer.models.values()].flatMap((m) => m.surprises), data, unhealthy, plans, dir: o.dir,
    };
  } finally {
    const logs = cluster.slots.map((s) => ({ slot: s.index, text: cluster.logOf(s) }));
    await cluster.close();
    await broker.stop().catch(() => undefined);
    const failed = !report || report.violations.length > 0;
    const kept = failed || o.keepDir === true;
    if (kept) {
      mkdirSync(join(o.dir, 'logs'), { recursive: true });
      for (const l of logs) writeFileSync(join(o.dir, 'logs', `worker-${l.slot}.log`), l.text);
      rmSync(join(o.dir, 'kafka', 'kraft'), { recursive: true, force: true });
    } else {
      rmSync(o.dir, { recursive: true, force: true });
    }
    if (report) {
      Object.assign(report, { logMessages: logMessages(logs.map((l) => l.text)), kept, wallMs: Date.now() - started });
    }
  }
  return { ...report!, faults, writes: writer.records, applies, startFailures: cluster.startFailures } as ChaosReport;
}

async function createTopics(bootstrap: string, topics: string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'pipectl-chaos', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await createTopicsAndAwaitLeaders(admin, topics.map((topic) => ({ topic, numPartitions: 1, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] })));
  } finally {
    await admin.disconnect();
  }
}

/** Creates the data connectors (2 tasks each), retrying until each create is acknowledged. */
async function setUp(writer: Writer, connectors: ConnectorSet, log: (l: string) => void): Promise<void> {
  for (const name of connectors.data) {
    for (let attempt = 1; ; attempt++) {
      const w: Write = { kind: 'create', atMs: 0, connector: name, pick: attempt / 7, n: 1 };
      await writer.send(w);
      if (writer.model(name).possible().every((s) => s.exists)) break;
      if (attempt >= 10) throw new Error(`could not create ${name}: ${writer.records.at(-1)?.final} ${writer.records.at(-1)?.message}`);
    }
    log(`data connector ${name} created`);
  }
}

/** Runs `pipectl apply` of a version through the worker `pick` chooses, and records it. */
async function runApply(cluster: ChaosCluster, repo: ApplyRepo, applies: ApplyRecord[], version: number, pick: number, settle: boolean, now: () => number, log: (l: string) => void): Promise<CliRun | null> {
  const targets = cluster.members().filter((s) => s.state !== 'down');
  const slot = targets[Math.floor(pick * targets.length)];
  if (!slot) return null;
  const atMs = now();
  const r = await repo.apply(slot.url, version, 180_000);
  const out = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.trim());
  const summary = r.timedOut ? 'timed out' : ((r.code === 0 ? out.find((l) => /Apply complete/.test(l)) : out.find((l) => /Error|error/.test(l))) ?? out.at(-1) ?? '').slice(0, 240);
  applies.push({ atMs, worker: slot.index, version, code: r.code, ms: r.ms, endMs: now(), summary, settle });
  log(`apply  v${version}${settle ? ' (settle)' : ''} → w${slot.index}: exit ${r.code} in ${r.ms} ms: ${summary}`);
  return r;
}

/** Polls the status invariants until they all hold (twice in a row, 2 s apart) or the deadline passes. */
async function converge(cluster: ChaosCluster, writer: Writer, timeoutMs: number, sleep: (ms: number) => Promise<void>, now: () => number): Promise<{ convergedMs: number | null; violations: Violation[] }> {
  const t0 = now();
  let violations: Violation[] = [];
  let clean = 0;
  while (now() - t0 < timeoutMs) {
    const views = await readViews(cluster, 10_000);
    const live = new Set(cluster.up().map((s) => s.workerId));
    violations = checkViews(views, writer.models, live, (i) => `w${i}`);
    clean = violations.length === 0 ? clean + 1 : 0;
    if (clean >= 2) return { convergedMs: now() - t0, violations: [] };
    await sleep(2000);
  }
  return { convergedMs: null, violations };
}

/** Invariant 5: apply the last applied version once more (settle), then plan from every live worker. */
async function checkPlans(cluster: ChaosCluster, repo: ApplyRepo, applies: ApplyRecord[], now: () => number, log: (l: string) => void): Promise<{ worker: number; code: number | null; summary: string }[]> {
  const version = [...applies].sort((a, b) => a.endMs - b.endMs).filter((a) => a.code === 0).at(-1)?.version ?? 0;
  for (let i = 0; i < 3; i++) {
    const r = await runApply(cluster, repo, applies, version, i / 3, true, now, log);
    if (r?.code === 0) break;
  }
  const plans = [];
  for (const slot of cluster.up()) {
    const r = await repo.plan(slot.url, version, 120_000);
    const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.trim());
    const summary = (r.code === 0 ? lines.at(-1) : lines.filter((l) => /[~+-] |Plan:|Error/.test(l)).slice(0, 6).join(' / ')) ?? '';
    plans.push({ worker: slot.index, code: r.code, summary });
    log(`plan   v${version} via w${slot.index}: exit ${r.code} ${summary.slice(0, 200)}`);
  }
  return plans;
}

/** Distinct ERROR and WARN messages of the workers' logs (timestamps and key=value fields dropped), most frequent first. */
function logMessages(logs: string[]): { line: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const text of logs) {
    for (const m of text.matchAll(/^\S+ (ERROR|WARN) (.*)$/gm)) {
      const line = `${m[1]} ${m[2]!.replace(/ \w[\w.]*=("[^"]*"|\S+)/g, '').slice(0, 200)}`;
      counts.set(line, (counts.get(line) ?? 0) + 1);
    }
  }
  return [...counts.entries()].map(([line, count]) => ({ line, count })).sort((a, b) => b.count - a.count);
}
