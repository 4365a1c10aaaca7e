/**
 * Benchmark: 1,000,000 records of ~200 bytes from a file source through the embedded log to a file sink, on a
 * standalone worker started as a real process. Prints end-to-end records/s and MB/s, worker start → REST ready (ms),
 * and the worker's RSS idle and under load (peak). Then the cost of the worker's metrics (issue 19): the same run with
 * `metrics.prometheus.enable=false` and with metrics on and GET /metrics scraped every second, interleaved `--rounds`
 * times (default 2). Run: npm run bench:standalone  [-- --records N --converter json|string --rounds N]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchArg, CLI, CLI_NODE_FLAGS } from './support/bench-args.js';
import { cpuSeconds } from './support/proc-stat.js';
import { printOverhead, scrapeEvery } from './support/metrics-overhead.js';
import type { OverheadRun } from './support/metrics-overhead.js';
import { rssMiB, writeRecordLines } from './support/record-input.js';

const arg = benchArg;
const RECORDS = Number(arg('records', '1000000'));
const CONVERTER = arg('converter', 'string') === 'json' ? 'org.apache.kafka.connect.json.JsonConverter' : 'org.apache.kafka.connect.storage.StringConverter';
const RECORD_BYTES = 200;
const ROUNDS = Number(arg('rounds', '2'));

async function json(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method, ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

interface RunFigures {
  recordsPerSec: number;
  cpuSeconds: number;
  seconds: number;
  bytes: number;
  readyMs: number;
  idleRss: number;
  peakRss: number;
}

async function main(): Promise<void> {
  const first = await runOnce(true, false);
  console.log(`standalone throughput (${CONVERTER.split('.').pop()}, embedded log, fsync=interval):`);
  console.log(`  records:            ${RECORDS.toLocaleString('en-US')} x ~${RECORD_BYTES} B = ${(first.bytes / 1e6).toFixed(0)} MB`);
  console.log(`  end to end:         ${Math.round(first.recordsPerSec).toLocaleString('en-US')} records/s, ${(first.bytes / 1e6 / first.seconds).toFixed(1)} MB/s (${first.seconds.toFixed(2)} s)`);
  console.log(`  start -> REST ready: ${first.readyMs.toFixed(0)} ms`);
  console.log(`  RSS idle:           ${first.idleRss.toFixed(0)} MiB`);
  console.log(`  RSS under load:     ${first.peakRss.toFixed(0)} MiB (peak)`);
  const off: OverheadRun[] = [];
  const on: OverheadRun[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    off.push(await runOnce(false, false));
    on.push(await runOnce(true, true));
  }
  printOverhead('standalone throughput', off, on);
}

/** One worker, one run of RECORDS records; `metrics` turns the worker's metrics on, `scrape` reads them every second. */
async function runOnce(metrics: boolean, scrape: boolean): Promise<RunFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-bench-standalone-'));
  const port = 18000 + Math.floor(Math.random() * 1000);
  const url = `http://127.0.0.1:${port}`;
  const input = join(dir, 'in.jsonl');
  const output = join(dir, 'out.jsonl');
  const bytes = await writeRecordLines(input, RECORDS, RECORD_BYTES);
  writeFileSync(join(dir, 'worker.properties'), [`listeners=${url}`, `data.dir=${join(dir, 'data')}`, 'offset.flush.interval.ms=1000', `key.converter=${CONVERTER}`, `value.converter=${CONVERTER}`, `metrics.prometheus.enable=${metrics}`].join('\n'));

  const t0 = performance.now();
  const child = spawn(process.execPath, [...CLI_NODE_FLAGS, CLI, 'worker', 'standalone', join(dir, 'worker.properties')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    let readyMs = NaN;
    for (;;) {
      try {
        if ((await fetch(`${url}/health`)).status === 200) {
          readyMs = performance.now() - t0;
          break;
        }
      } catch {
        // not listening yet
      }
      if (performance.now() - t0 > 30_000) throw new Error(`worker did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const idleRss = rssMiB(child.pid!);

    const scraper = scrape ? scrapeEvery(url) : null;
    const cpu0 = cpuSeconds(child.pid!);
    const start = performance.now();
    await json('POST', `${url}/connectors`, { name: 'bench-sink', config: { 'connector.class': 'FileStreamSink', file: output, topics: 'bench' } });
    await json('POST', `${url}/connectors`, { name: 'bench-source', config: { 'connector.class': 'FileStreamSource', file: input, topic: 'bench', 'batch.size': '2000' } });
    let peakRss = idleRss;
    for (;;) {
      peakRss = Math.max(peakRss, rssMiB(child.pid!));
      let size = 0;
      try {
        size = statSync(output).size;
      } catch {
        // not created yet
      }
      if (size >= bytes) break;
      if (performance.now() - start > 600_000) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - start) / 1000;
    await scraper?.stop();
    return { recordsPerSec: RECORDS / seconds, cpuSeconds: cpuSeconds(child.pid!) - cpu0, seconds, bytes, readyMs, idleRss, peakRss };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
