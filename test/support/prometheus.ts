/**
 * Prometheus's own tools for the metrics tests (Debian's prometheus package; .ci/run installs it): `promtool check
 * metrics` over an exposition, and a real Prometheus server in a temporary folder scraping given targets every second,
 * queried through its HTTP API.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../../src/devtools/executables.js';
import { holdPort } from './ports.js';
import { waitFor } from './worker-process.js';

function binary(name: 'promtool' | 'prometheus'): string {
  const path = findOnPath(name);
  if (!path) throw new Error(`${name} not found: install Debian's prometheus package (apt-get install prometheus; .ci/run does it as root)`);
  return path;
}

/** promtool check metrics over `text`: its exit code and what it printed (lint findings, or a parse error). */
export function promtoolCheckMetrics(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(binary('promtool'), ['check', 'metrics'], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
    child.stdin!.end(text);
  });
}

export interface PrometheusServer {
  url: string;
  /** An instant query; the result vector's samples. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: number }[]>;
  stop(): Promise<void>;
}

/** A Prometheus server scraping `targets` (host:port) at /metrics every second. */
export async function startPrometheus(targets: string[]): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: pipectl\n    static_configs:\n      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]\n`);
  const held = await holdPort();
  const port = held.port;
  await held.close();
  const child: ChildProcess = spawn(binary('prometheus'), [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-8000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(`Prometheus ready at ${url}`, async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}):\n${log}`);
      return (await fetch(`${url}/-/ready`).catch(() => null))?.ok;
    }, 60_000, 200);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    query: async (promql) => {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await res.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (body.status !== 'success') throw new Error(`query ${promql}: ${body.error ?? res.status}`);
      return body.data!.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    stop,
  };
}
