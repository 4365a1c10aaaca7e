/**
 * Benchmark: records/s from a file source through a real Kafka broker to a file sink, on one standalone worker with
 * `bootstrap.servers` — beside the limit measured in the same run: the same records produced by pipectl's Kafka data
 * plane alone (kafkajs, acks=all, batches of 2,000) to the same broker. Starts its own broker (jars from the cache).
 * The broker also has its development SASL_SSL (SCRAM-SHA-512) and SSL (client certificate) listeners (`pipectl dev
 * kafka --secure`): the data plane's limit is measured over each, and the end-to-end run over SASL_SSL, beside
 * plaintext (issue 18). Then the cost of the worker's metrics (issue 19): the end-to-end run with `metrics.prometheus.enable=false` and with
 * metrics on and GET /metrics scraped every second, interleaved `--rounds` times (default 1).
 * Run: npm run bench:kafka  [-- --records N --rounds N]
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startKafkaBroker } from '../src/devtools/kafka-broker.js';
import { openKafkaDataPlane } from '../src/runtime/kafka/kafka-data-plane.js';
import { silentLogger } from '../src/runtime/logger.js';
import { parseProperties } from '../src/runtime/config/properties.js';
import { CLI, CLI_NODE_FLAGS } from './support/bench-args.js';
import { cpuSeconds } from './support/proc-stat.js';
import { printOverhead, scrapeEvery } from './support/metrics-overhead.js';
import type { OverheadRun } from './support/metrics-overhead.js';

const args = process.argv.slice(2);
const RECORDS = Number(args[args.indexOf('--records') + 1] ?? 0) || 1_000_000;
const BATCH = 2000;
const ROUNDS = Number(args.includes('--rounds') ? args[args.indexOf('--rounds') + 1] : 1) || 1;
const dir = mkdtempSync(join(tmpdir(), 'pipectl-bench-kafka-'));
const broker = await startKafkaBroker({ port: 0, secure: true });
const secure = broker.secure!;
const readSettings = (file: string): Record<string, string> => parseProperties(readFileSync(file, 'utf8'));
/** Worker keys per listener: bootstrap.servers and its security settings (as `dev kafka --secure` wrote them). */
const LISTENERS: Record<string, Record<string, string>> = {
  PLAINTEXT: { 'bootstrap.servers': broker.bootstrap },
  SASL_SSL: { ...readSettings(secure.clientSettingsFiles.saslSsl), 'bootstrap.servers': secure.saslSslBootstrap },
  SSL: { ...readSettings(secure.clientSettingsFiles.ssl), 'bootstrap.servers': secure.sslBootstrap },
};
const line = (i: number): string => `{"id":${i},"payload":"${'x'.repeat(180)}"}`;

try {
  // The limit: the data plane alone, producing the same records, over each listener.
  let limitRuns = 0;
  const limitOver = async (listener: string): Promise<number> => {
    const plane = await openKafkaDataPlane({ workerConfig: LISTENERS[listener]!, logger: silentLogger });
    const topic = `limit-${listener.toLowerCase()}-${++limitRuns}`;
    await plane.createTopic(topic, { partitions: 1 });
    const t0 = performance.now();
    for (let i = 0; i < RECORDS; i += BATCH) {
      const batch = [];
      for (let j = i; j < Math.min(RECORDS, i + BATCH); j++) batch.push({ topic, key: null, value: Buffer.from(line(j)) });
      await plane.produce(batch);
    }
    const rate = RECORDS / ((performance.now() - t0) / 1000);
    await plane.close();
    return rate;
  };
  await limitOver('PLAINTEXT'); // warms the broker up (the first run was the slowest whatever its listener); not counted
  const limit = await limitOver('PLAINTEXT');
  const limitSaslSsl = await limitOver('SASL_SSL');
  const limitSsl = await limitOver('SSL');

  // End to end: file source → Kafka → file sink on a standalone worker.
  const input = join(dir, 'in.jsonl');
  const out = createWriteStream(input);
  for (let i = 0; i < RECORDS; i += 10_000) {
    let chunk = '';
    for (let j = i; j < Math.min(RECORDS, i + 10_000); j++) chunk += `${line(j)}\n`;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  const bytes = statSync(input).size;
  let run = 0;
  /** file source → Kafka → file sink on a fresh standalone worker (its own topic); records/s. */
  const endToEnd = async (metrics: boolean, scrape: boolean, listener = 'PLAINTEXT'): Promise<OverheadRun> => {
    const runDir = join(dir, `run-${++run}`);
    mkdirSync(runDir);
    const output = join(runDir, 'out.jsonl');
    const port = 19500 + Math.floor(Math.random() * 400);
    const url = `http://127.0.0.1:${port}`;
    writeFileSync(join(runDir, 'worker.properties'), [`listeners=${url}`, `data.dir=${join(runDir, 'data')}`, ...Object.entries(LISTENERS[listener]!).map(([k, v]) => `${k}=${v}`), 'offset.flush.interval.ms=1000', 'key.converter=org.apache.kafka.connect.storage.StringConverter', 'value.converter=org.apache.kafka.connect.storage.StringConverter', `metrics.prometheus.enable=${metrics}`].join('\n'));
    writeFileSync(join(runDir, 'sink.properties'), `name=sink\nconnector.class=FileStreamSink\nfile=${output}\ntopics=e2e-${run}\n`);
    writeFileSync(join(runDir, 'source.properties'), `name=source\nconnector.class=FileStreamSource\nfile=${input}\ntopic=e2e-${run}\nbatch.size=2000\n`);
    const worker = spawn(process.execPath, [...CLI_NODE_FLAGS, CLI, 'worker', 'standalone', join(runDir, 'worker.properties'), join(runDir, 'sink.properties'), join(runDir, 'source.properties')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    worker.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const scraper = scrape ? scrapeEvery(url) : null;
    try {
      const cpu0 = cpuSeconds(worker.pid!);
      const start = performance.now();
      for (;;) {
        let size = 0;
        try {
          size = statSync(output).size;
        } catch {
          // not yet
        }
        if (size >= bytes) break;
        if (worker.exitCode !== null) throw new Error(`worker exited:\n${log.slice(-2000)}`);
        if (performance.now() - start > 900_000) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 50));
      }
      return { recordsPerSec: RECORDS / ((performance.now() - start) / 1000), cpuSeconds: cpuSeconds(worker.pid!) - cpu0 };
    } finally {
      await scraper?.stop();
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
    }
  };
  const e2e = (await endToEnd(true, false)).recordsPerSec;
  console.log(`kafka throughput: ${RECORDS.toLocaleString('en-US')} records of ~${Math.round(bytes / RECORDS)} B, Kafka ${broker.version} on 127.0.0.1, 1 partition, acks=all`);
  console.log(`  limit (data plane producing alone): ${Math.round(limit).toLocaleString('en-US')} records/s`);
  console.log(`  file source -> Kafka -> file sink:  ${Math.round(e2e).toLocaleString('en-US')} records/s, ${(bytes / 1e6 / (RECORDS / e2e)).toFixed(1)} MB/s`);
  console.log(`  ratio (end to end / limit):         ${(e2e / limit).toFixed(2)}`);
  const e2eSaslSsl = (await endToEnd(true, false, 'SASL_SSL')).recordsPerSec;
  const vs = (x: number, base: number): string => `${Math.round(x).toLocaleString('en-US')} records/s (${(((x - base) / base) * 100).toFixed(1)} % vs plaintext)`;
  console.log('  secured listeners of the same broker (issue 18):');
  console.log(`    limit over SASL_SSL (SCRAM-SHA-512):   ${vs(limitSaslSsl, limit)}`);
  console.log(`    limit over SSL (client certificate):   ${vs(limitSsl, limit)}`);
  console.log(`    end to end over SASL_SSL:              ${vs(e2eSaslSsl, e2e)}`);
  const off: OverheadRun[] = [];
  const on: OverheadRun[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    off.push(await endToEnd(false, false));
    on.push(await endToEnd(true, true));
  }
  printOverhead('file source -> Kafka -> file sink', off, on);
} finally {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}
