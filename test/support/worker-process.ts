/**
 * Starts a real `pipectl worker standalone` (or `distributed`) child process for integration tests, finds its REST URL from its log,
 * and kills it for real (SIGTERM for a clean stop, SIGKILL for a crash).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { CLI, CLI_NODE_FLAGS } from './paths.js';

export interface WorkerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the worker logged so far (stderr). */
  log(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash) and wait for exit. */
  kill(): Promise<void>;
}

export interface StartWorkerOptions {
  /** Folder for the worker config and (by default) data.dir. */
  dir: string;
  /** Extra worker keys; listeners defaults to an ephemeral loopback port. */
  config?: Record<string, string>;
  connectorFiles?: string[];
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
  /** `pipectl worker standalone` (default) or `pipectl worker distributed` (connector files are then not passed). */
  mode?: 'standalone' | 'distributed';
  /** More arguments after the worker config, e.g. ['--log-level', 'debug']. */
  extraArgs?: string[];
}

export async function startWorker(options: StartWorkerOptions): Promise<WorkerProcess> {
  const config = { listeners: 'http://127.0.0.1:0', 'data.dir': join(options.dir, 'data'), 'offset.flush.interval.ms': '1000', ...options.config };
  const configPath = join(options.dir, 'worker.properties');
  writeFileSync(configPath, Object.entries(config).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const args = [...(options.mode === 'distributed' ? ['distributed', configPath] : ['standalone', configPath, ...(options.connectorFiles ?? [])]), ...(options.extraArgs ?? [])];
  // PROF_DIR=<dir>: the worker writes a V8 CPU profile there when it exits (for profiling benches and tests).
  const profile = process.env['PROF_DIR'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['PROF_DIR']] : [];
  const child = spawn(process.execPath, [...CLI_NODE_FLAGS, ...profile, CLI, 'worker', ...args], {
    cwd: options.dir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave a half-started worker behind
      reject(new Error(`worker did not start within ${options.startTimeoutMs ?? 15000} ms:\n${stderr}`));
    }, options.startTimeoutMs ?? 15000);
    const check = (): void => {
      const m = /REST server listening url=(\S+)/.exec(stderr);
      if (m && /worker started/.test(stderr)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stderr!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before it started:\n${stderr}`));
    });
  });
  return {
    url,
    child,
    log: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls `fn` until it returns a truthy value or the timeout passes; returns the value or throws with `what`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * One HTTP request with a JSON body (when given), on a connection of its own: returns the status, the parsed body (or
 * the text when it is not JSON, null when empty) and the headers. No keep-alive on purpose — a pooled connection that
 * sat idle while the test blocked (e.g. in spawnSync) past the server's keep-alive timeout would be reused just as the
 * server closes it ("fetch failed … other side closed"). Rejects after 60 s or on a network error.
 */
export function http(method: string, url: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent: false, timeout: 60_000, headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = null;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          parsed = text;
        }
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ status: res.statusCode ?? 0, body: parsed, headers });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within 60 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}
