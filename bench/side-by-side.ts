/**
 * Benchmark: real Apache Kafka Connect standalone vs pipectl's standalone worker, side by side, in ONE run on the same
 * machine, the same broker and the same input file (N records of ~200 B, default 1,000,000): file source → topic →
 * file sink. Columns: (a) Kafka Connect 4.1.1 standalone (org.apache.kafka.connect.file.FileStream{Source,Sink}Connector),
 * (b) pipectl standalone worker over Kafka (`bootstrap.servers`), (c) pipectl standalone worker on the embedded log.
 * (d) pipectl standalone worker over Kafka again, secured (issue 18): its clients over the same broker's SASL_SSL
 * (SCRAM-SHA-512) listener and `pipectl plan`/`apply` over an https listener with mutual TLS (--ca-file,
 * --client-cert, --client-key), beside (b)'s plaintext in the same run.
 * Rows: end-to-end records/s and MB/s, worker start → REST ready (ms), RSS idle and loaded (MiB), and `pipectl plan`
 * time with 1,000 live connectors. Ratio columns are pipectl / Connect, and secured / plaintext; every row where pipectl
 * is slower or heavier than Connect, or secured slower than plaintext, is listed after the table.
 *
 * Run: npm run bench:side-by-side  [-- --records N] [--runs K] [--plan-connectors N] [--heap-mb 512]
 * (--runs K, default 2: K measured runs per worker after the warm-up, the fastest reported with its CPU time, the
 * loaded RSS the peak of all; the default full run takes ~3 minutes on 2 cores.)
 *
 * Fairness — what is held equal, and how:
 * - Input: one file written once, read by all three; the sink output must reach the input's byte size (the same
 *   end-of-run test for all: the sink file's size, polled every 20 ms, clock started just before the connectors are
 *   POSTed, so the time includes connector/task start on each runtime).
 * - Connectors: created over REST on all three with identical configs: FileStreamSource {file, topic, batch.size=2000,
 *   tasks.max=1} and FileStreamSink {file, topics, tasks.max=1}. Connect resolves the alias to
 *   org.apache.kafka.connect.file.*; pipectl's built-in file connectors accept the same keys.
 * - Converters: StringConverter for key and value on all three workers (Connect's default would be JsonConverter).
 * - Offsets: offset.flush.interval.ms=1000 on all three.
 * - Broker: one Kafka broker with `pipectl dev kafka --secure`'s listeners; (a) and (b) use its PLAINTEXT listener,
 *   (d) its SASL_SSL listener with the client settings that command writes. (d)'s data-plane REST calls (creating the
 *   run's connectors) go to its plain http listener; only plan and apply use the https one.
 * - Topics: (a), (b) and (d) use topics created beforehand on the same broker with 1 partition, replication factor 1;
 *   (c) its embedded log's topic, auto-created with 1 partition.
 * - Producer: Connect's worker producer is acks=all, idempotent, max.in.flight=1 (Worker's defaults); pipectl's Kafka
 *   producer defaults are acks=all, idempotent, one request in flight (src/runtime/kafka/kafka-config.ts) — no
 *   producer override is given to either. The sink consumers start from the earliest offset on both.
 * - Warm-up: on every worker, one warm-up run (N/10 records, min 10,000, its own topic and files) before the measured
 *   run on the same process (warm JVM / warm V8); the warm-up connectors are deleted before the measured run.
 * - Heap: Connect runs with startKafkaConnect's default -Xmx512m (--heap-mb to change) and its class-data-sharing
 *   archive (what `pipectl dev connect` does); pipectl runs with Node's defaults.
 * - Start → REST ready: Connect's is startKafkaConnect's `startedMs` (JVM spawn → `GET /` and `GET /connectors`
 *   both 200, probed every 100 ms); pipectl's is measured the same way here (node spawn → the same two requests
 *   200, probed every 100 ms), so both are quantised alike.
 * - RSS: VmRSS of /proc/<pid>/status (the JVM's pid; the node worker's pid). Idle: 3 s after REST ready, nothing
 *   deployed. Loaded: peak of samples every 200 ms during the measured run.
 * - CPU: utime + stime of the same pid over the measured run (all JVM threads; the node worker). The broker's CPU is
 *   in neither (Kafka columns) — this row shows work per record independent of a busy machine's wall-clock noise.
 * - Plan: after the runs, 1,000 FileStreamSource connectors (state: stopped, tasks.max 1) are created on each worker
 *   by `pipectl apply` from one generated repository (100 files × 10), then `pipectl plan --detailed-exitcode` (must
 *   report no changes) is run 3 times against each worker as a CLI process; the best and the median are printed.
 * - Sequence: the three columns run one after the other (never concurrently); each worker is stopped before the
 *   next starts. The 1-minute load average is printed per phase, since a busy machine skews everything.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { startKafkaBroker } from '../src/devtools/kafka-broker.js';
import type { KafkaBroker } from '../src/devtools/kafka-broker.js';
import { startKafkaConnect } from '../src/devtools/kafka-connect.js';
import type { KafkaConnectWorker } from '../src/devtools/kafka-connect.js';
import { parseProperties } from '../src/runtime/config/properties.js';
import { makeTestCerts } from '../test/support/tls-certs.js';
import type { TestCerts } from '../test/support/tls-certs.js';
import { benchArg, CLI, CLI_NODE_FLAGS } from './support/bench-args.js';
import { cpuSeconds } from './support/proc-stat.js';
import { rssMiB, writeRecordLines } from './support/record-input.js';

const arg = benchArg;
const RECORDS = Number(arg('records', '1000000'));
const WARM_RECORDS = Math.max(10_000, Math.floor(RECORDS / 10));
const PLAN_CONNECTORS = Number(arg('plan-connectors', '1000'));
const HEAP_MB = Number(arg('heap-mb', '512'));
const RUNS = Math.max(1, Number(arg('runs', '2')));
const RECORD_BYTES = 200;
const BATCH_SIZE = '2000';
const FLUSH_MS = '1000';
const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';
const RUN_TIMEOUT_MS = 600_000;

type Column = 'connect' | 'kafka' | 'embedded' | 'secured';
const COLUMNS: Column[] = ['connect', 'kafka', 'embedded', 'secured'];
const TITLES: Record<Column, string> = { connect: 'Connect', kafka: 'pipectl (Kafka)', embedded: 'pipectl (embedded)', secured: 'pipectl (SASL_SSL, https)' };

interface Figures {
  recordsPerSec: number;
  mbPerSec: number;
  seconds: number;
  readyMs: number;
  idleRssMiB: number;
  loadedRssMiB: number;
  cpuSeconds: number;
  planBestMs: number;
  planMedianMs: number;
  applyMs: number;
  load: string;
  error?: string;
}

/** A running worker under test: its REST URL and the pid whose RSS is read. */
interface Worker {
  url: string;
  /** Where plan and apply reach it, and their TLS flags (default: `url`, none). */
  planUrl?: string;
  planFlags?: string[];
  pid: number;
  readyMs: number;
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const load1 = (): string => loadavg()[0]!.toFixed(2);

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

async function rest(method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method, signal: AbortSignal.timeout(60_000), ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function mustRest(method: string, url: string, body?: unknown): Promise<unknown> {
  const r = await rest(method, url, body);
  if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status}: ${JSON.stringify(r.body).slice(0, 1000)}`);
  return r.body;
}

/** The probe startKafkaConnect uses for Connect (GET / and GET /connectors both 200), for pipectl's workers too. */
async function restReady(url: string): Promise<boolean> {
  try {
    const root = await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) });
    await root.arrayBuffer();
    if (root.status !== 200) return false;
    const connectors = await fetch(`${url}/connectors`, { signal: AbortSignal.timeout(2000) });
    await connectors.arrayBuffer();
    return connectors.status === 200;
  } catch {
    return false;
  }
}

/** What makes column (d) secured: its Kafka client settings, and certificates for an https listener with mutual TLS. */
interface Secured {
  kafka: Record<string, string>;
  certs: TestCerts;
}

/** Spawns `pipectl worker standalone` and waits, probing every 100 ms like startKafkaConnect, until REST is ready. */
async function startPipectl(dir: string, bootstrap: string | null, secured?: Secured): Promise<Worker> {
  const port = 19000 + Math.floor(Math.random() * 900);
  const url = `http://127.0.0.1:${port}`;
  const httpsUrl = `https://127.0.0.1:${port + 1}`;
  const c = secured?.certs;
  const props = [
    c ? `listeners=${url},${httpsUrl}` : `listeners=${url}`,
    `data.dir=${join(dir, 'data')}`,
    ...(bootstrap ? [`bootstrap.servers=${bootstrap}`] : []),
    ...Object.entries(secured?.kafka ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(c
      ? [
          `listeners.https.ssl.keystore.location=${c.serverP12}`, 'listeners.https.ssl.keystore.type=PKCS12', `listeners.https.ssl.keystore.password=${c.keystorePassword}`,
          `listeners.https.ssl.truststore.location=${c.caPem}`, 'listeners.https.ssl.truststore.type=PEM', 'listeners.https.ssl.client.auth=required',
        ]
      : []),
    `offset.flush.interval.ms=${FLUSH_MS}`,
    `key.converter=${STRING_CONVERTER}`,
    `value.converter=${STRING_CONVERTER}`,
  ];
  writeFileSync(join(dir, 'worker.properties'), `${props.join('\n')}\n`);
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...CLI_NODE_FLAGS, CLI, 'worker', 'standalone', join(dir, 'worker.properties')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    for (;;) {
      if (await restReady(url)) break;
      if (child.exitCode !== null) throw new Error(`pipectl worker exited with ${child.exitCode}:\n${log}`);
      if (performance.now() - t0 > 60_000) throw new Error(`pipectl worker did not start:\n${log}`);
      await sleep(100);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const tls = c ? { planUrl: httpsUrl, planFlags: ['--ca-file', c.caPem, '--client-cert', c.clientCert, '--client-key', c.clientKey] } : {};
  return { url, pid: child.pid!, readyMs: performance.now() - t0, stop, ...tls };
}

/** One file source → topic → file sink run; resolves with its seconds and the peak RSS sampled every 200 ms. */
async function run(w: Worker, tag: string, input: string, bytes: number, output: string, topic: string): Promise<{ seconds: number; peakRss: number; cpu: number }> {
  const cpu0 = cpuSeconds(w.pid);
  let peakRss = rssMiB(w.pid);
  const sampler = setInterval(() => {
    const r = rssMiB(w.pid);
    if (r > peakRss) peakRss = r;
  }, 200);
  try {
    const start = performance.now();
    await mustRest('POST', `${w.url}/connectors`, { name: `${tag}-sink`, config: { 'connector.class': 'FileStreamSink', 'tasks.max': '1', file: output, topics: topic } });
    await mustRest('POST', `${w.url}/connectors`, { name: `${tag}-source`, config: { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: input, topic, 'batch.size': BATCH_SIZE } });
    for (;;) {
      if (sizeOf(output) >= bytes) break;
      if (performance.now() - start > RUN_TIMEOUT_MS) throw new Error(`${tag}: timed out after ${RUN_TIMEOUT_MS} ms (${sizeOf(output)} of ${bytes} bytes)`);
      await sleep(20);
    }
    const seconds = (performance.now() - start) / 1000;
    const r = rssMiB(w.pid);
    if (r > peakRss) peakRss = r;
    return { seconds, peakRss, cpu: cpuSeconds(w.pid) - cpu0 };
  } finally {
    clearInterval(sampler);
    // Free the worker for the next step (either order works; sources first stops new records).
    for (const name of [`${tag}-source`, `${tag}-sink`]) await rest('DELETE', `${w.url}/connectors/${name}`).catch(() => undefined);
  }
}

/** A repository of PLAN_CONNECTORS stopped FileStreamSource connectors (10 per file), accepted by both runtimes. */
function writePlanRepository(dir: string): void {
  const PER_FILE = 10;
  mkdirSync(join(dir, 'pipelines'), { recursive: true });
  writeFileSync(join(dir, 'pipectl.yaml'), 'project: side-by-side\n');
  for (let f = 0; f < Math.ceil(PLAN_CONNECTORS / PER_FILE); f++) {
    const lines = ['apiVersion: pipectl.dev/v1', 'kind: Pipeline', `metadata: {name: p${f}}`, 'spec:', '  connectors:'];
    for (let n = f * PER_FILE; n < Math.min(PLAN_CONNECTORS, (f + 1) * PER_FILE); n++) {
      lines.push(`    - name: plan-${n}`, '      class: FileStreamSource', '      tasksMax: 1', '      state: stopped', `      config: {topic: plan-topic-${n % 10}, file: /nonexistent/side-by-side/${n}.txt, batch.size: ${BATCH_SIZE}}`);
    }
    writeFileSync(join(dir, 'pipelines', `p${f}.yaml`), `${lines.join('\n')}\n`);
  }
}

function cli(repo: string, argv: string[], w: Worker): { ms: number; code: number | null; out: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...argv, ...(w.planFlags ?? []), '--url', w.planUrl ?? w.url], { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - t0, code: r.status, out: `${r.stdout}${r.stderr}` };
}

async function planTimes(w: Worker, repo: string): Promise<{ applyMs: number; bestMs: number; medianMs: number }> {
  const apply = cli(repo, ['apply', '--auto-approve', '--no-color', '--wait-timeout', '300'], w);
  if (apply.code !== 0) throw new Error(`apply of ${PLAN_CONNECTORS} connectors failed (exit ${apply.code}):\n${apply.out.slice(-3000)}`);
  const plans = [0, 1, 2].map(() => cli(repo, ['plan', '--detailed-exitcode', '--no-color'], w));
  for (const p of plans) if (p.code !== 0) throw new Error(`plan after apply is not empty (exit ${p.code}):\n${p.out.slice(0, 3000)}`);
  const ms = plans.map((p) => p.ms).sort((a, b) => a - b);
  return { applyMs: apply.ms, bestMs: ms[0]!, medianMs: ms[1]! };
}

async function createTopics(broker: KafkaBroker, topics: string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'side-by-side', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })) });
  } finally {
    await admin.disconnect();
  }
}

/** Runs one column: start, idle RSS, warm-up, measured run, plan. Always stops its worker. */
async function measure(column: Column, start: () => Promise<Worker>, files: { dir: string; input: string; bytes: number; warmInput: string; warmBytes: number }, repo: string): Promise<Figures> {
  const loads = [load1()];
  const w = await start();
  try {
    await sleep(3000);
    const idleRssMiB = rssMiB(w.pid);
    await run(w, `${column}-warm`, files.warmInput, files.warmBytes, join(files.dir, `${column}-warm.out`), `${column}-warm`);
    rmSync(join(files.dir, `${column}-warm.out`), { force: true });
    loads.push(load1());
    let m = { seconds: Infinity, peakRss: 0, cpu: NaN };
    for (let i = 0; i < RUNS; i++) {
      const r = await run(w, `${column}-main${i}`, files.input, files.bytes, join(files.dir, `${column}-main${i}.out`), `${column}-main${i}`);
      rmSync(join(files.dir, `${column}-main${i}.out`), { force: true });
      if (r.seconds < m.seconds) m = { ...r, peakRss: Math.max(m.peakRss, r.peakRss) };
      else m.peakRss = Math.max(m.peakRss, r.peakRss);
      loads.push(load1());
    }
    const p = await planTimes(w, repo);
    loads.push(load1());
    return {
      recordsPerSec: RECORDS / m.seconds, mbPerSec: files.bytes / 1e6 / m.seconds, seconds: m.seconds, readyMs: w.readyMs,
      idleRssMiB, loadedRssMiB: m.peakRss, cpuSeconds: m.cpu, planBestMs: p.bestMs, planMedianMs: p.medianMs, applyMs: p.applyMs, load: loads.join('→'),
    };
  } finally {
    await w.stop();
  }
}

function printTable(results: Partial<Record<Column, Figures>>, bytes: number, brokerVersion: string, connectVersion: string): void {
  type Row = { label: string; key: keyof Figures; digits: number; higherIsBetter: boolean };
  const rows: Row[] = [
    { label: 'end to end, records/s', key: 'recordsPerSec', digits: 0, higherIsBetter: true },
    { label: 'end to end, MB/s', key: 'mbPerSec', digits: 1, higherIsBetter: true },
    { label: 'end to end, s', key: 'seconds', digits: 2, higherIsBetter: false },
    { label: 'worker CPU during run, s', key: 'cpuSeconds', digits: 1, higherIsBetter: false },
    { label: 'start -> REST ready, ms', key: 'readyMs', digits: 0, higherIsBetter: false },
    { label: 'RSS idle, MiB', key: 'idleRssMiB', digits: 0, higherIsBetter: false },
    { label: 'RSS loaded (peak), MiB', key: 'loadedRssMiB', digits: 0, higherIsBetter: false },
    { label: `plan, ${PLAN_CONNECTORS} live, best ms`, key: 'planBestMs', digits: 0, higherIsBetter: false },
    { label: `plan, ${PLAN_CONNECTORS} live, median ms`, key: 'planMedianMs', digits: 0, higherIsBetter: false },
    { label: `apply ${PLAN_CONNECTORS} (stopped), ms`, key: 'applyMs', digits: 0, higherIsBetter: false },
  ];
  const fmt = (v: number | undefined, d: number): string => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
  const header = ['', ...COLUMNS.map((col) => TITLES[col]), 'Kafka/Connect', 'embedded/Connect', 'secured/Kafka'];
  /** Each ratio column: the column measured, and the one it is measured against. */
  const ratios: [Column, Column][] = [['kafka', 'connect'], ['embedded', 'connect'], ['secured', 'kafka']];
  const body: string[][] = [];
  const worse: string[] = [];
  for (const r of rows) {
    const cells = [r.label, ...COLUMNS.map((col) => fmt(results[col]?.[r.key] as number | undefined, r.digits))];
    for (const [col, base] of ratios) {
      const c = results[base]?.[r.key] as number | undefined;
      const v = results[col]?.[r.key] as number | undefined;
      if (c === undefined || v === undefined || !Number.isFinite(c) || !Number.isFinite(v) || c === 0) {
        cells.push('n/a');
        continue;
      }
      const ratio = v / c;
      cells.push(`${ratio.toFixed(2)}x`);
      const slower = r.higherIsBetter ? ratio < 1 : ratio > 1;
      if (slower && r.key !== 'seconds' && r.key !== 'mbPerSec') {
        worse.push(`  ${TITLES[col]} is ${r.higherIsBetter ? 'slower' : r.key.includes('Rss') ? 'heavier' : r.key === 'cpuSeconds' ? 'costlier (more CPU)' : 'slower'} than ${TITLES[base]} on "${r.label}": ${fmt(v, r.digits)} vs ${fmt(c, r.digits)} (${ratio.toFixed(2)}x)${Math.abs(ratio - 1) < 0.05 ? ', within 5%: may be noise' : ''}`);
      }
    }
    body.push(cells);
  }
  body.push(['load avg (1 min) per phase', ...COLUMNS.map((col) => results[col]?.load ?? 'n/a'), ...ratios.map(() => '')]);
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ');
  console.log(`side by side: ${RECORDS.toLocaleString('en-US')} records of ~${Math.round(bytes / RECORDS)} B (${(bytes / 1e6).toFixed(0)} MB), file source -> topic (1 partition) -> file sink`);
  console.log(`  Kafka ${brokerVersion} broker on 127.0.0.1; Kafka Connect ${connectVersion} standalone, -Xmx${HEAP_MB}m; pipectl on Node ${process.version}; StringConverter, batch.size=${BATCH_SIZE}, offset.flush.interval.ms=${FLUSH_MS}, acks=all; warm-up ${WARM_RECORDS.toLocaleString('en-US')} records first on each; ${RUNS === 1 ? '1 measured run' : `best of ${RUNS} measured runs`}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const b of body) console.log(line(b));
  for (const col of COLUMNS) if (results[col]?.error) console.log(`${TITLES[col]}: FAILED: ${results[col]!.error}`);
  console.log(worse.length ? `where pipectl is slower or heavier than Connect, or secured than plaintext (ratio = the first / the second):\n${worse.join('\n')}` : 'pipectl is not slower or heavier than Connect on any figure, nor secured than plaintext');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-bench-side-by-side-'));
  let broker: KafkaBroker | undefined;
  const results: Partial<Record<Column, Figures>> = {};
  let connectVersion = '?';
  let bytes = 0;
  try {
    const input = join(dir, 'in.jsonl');
    const warmInput = join(dir, 'warm.jsonl');
    bytes = await writeRecordLines(input, RECORDS, RECORD_BYTES);
    const warmBytes = await writeRecordLines(warmInput, WARM_RECORDS, RECORD_BYTES);
    const repo = join(dir, 'repo');
    writePlanRepository(repo);
    broker = await startKafkaBroker({ port: 0, secure: true });
    await createTopics(broker, ['connect-warm', 'kafka-warm', 'secured-warm', ...Array.from({ length: RUNS }, (_, i) => [`connect-main${i}`, `kafka-main${i}`, `secured-main${i}`]).flat()]);
    const files = { dir, input, bytes, warmInput, warmBytes };
    const bootstrap = broker.bootstrap;
    const fail = (col: Column, e: unknown): void => {
      results[col] = { ...(results[col] ?? ({} as Figures)), error: e instanceof Error ? e.message.slice(0, 2000) : String(e) };
      console.error(`${TITLES[col]} failed: ${e instanceof Error ? e.stack : String(e)}`);
    };

    // (a) Kafka Connect standalone.
    try {
      results.connect = await measure('connect', async () => {
        const cw: KafkaConnectWorker = await startKafkaConnect({
          mode: 'standalone', bootstrap, dataDir: join(dir, 'connect'), heapMb: HEAP_MB,
          workerConfig: { 'key.converter': STRING_CONVERTER, 'value.converter': STRING_CONVERTER, 'offset.flush.interval.ms': FLUSH_MS },
        });
        connectVersion = cw.version;
        return { url: cw.url, pid: cw.pid, readyMs: cw.startedMs, stop: cw.stop };
      }, files, repo);
    } catch (e) {
      fail('connect', e);
    }
    // (b) pipectl over Kafka.
    try {
      mkdirSync(join(dir, 'pipectl-kafka'));
      results.kafka = await measure('kafka', () => startPipectl(join(dir, 'pipectl-kafka'), bootstrap), files, repo);
    } catch (e) {
      fail('kafka', e);
    }
    // (c) pipectl on the embedded log.
    try {
      mkdirSync(join(dir, 'pipectl-embedded'));
      results.embedded = await measure('embedded', () => startPipectl(join(dir, 'pipectl-embedded'), null), files, repo);
    } catch (e) {
      fail('embedded', e);
    }
    // (d) pipectl over Kafka, secured: SASL_SSL to the broker, plan and apply over https with mutual TLS.
    try {
      mkdirSync(join(dir, 'pipectl-secured'));
      const tls = broker.secure!;
      const secured: Secured = { kafka: parseProperties(readFileSync(tls.clientSettingsFiles.saslSsl, 'utf8')), certs: makeTestCerts(mkdtempSync(join(dir, 'certs-'))) };
      results.secured = await measure('secured', () => startPipectl(join(dir, 'pipectl-secured'), tls.saslSslBootstrap, secured), files, repo);
    } catch (e) {
      fail('secured', e);
    }
    printTable(results, bytes, broker.version, connectVersion);
    if (COLUMNS.some((c) => results[c]?.error)) process.exitCode = 1;
  } finally {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
