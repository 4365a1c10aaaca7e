/**
 * Starts a real `pipectl worker standalone` (or `distributed`) child process for integration tests, finds its REST URL from its log,
 * and kills it for real (SIGTERM for a clean stop, SIGKILL for a crash).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from './paths.js';

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
}

export async function startWorker(options: StartWorkerOptions): Promise<WorkerProcess> {
  const config = { listeners: 'http://127.0.0.1:0', 'data.dir': join(options.dir, 'data'), 'offset.flush.interval.ms': '1000', ...options.config };
  const configPath = join(options.dir, 'worker.properties');
  writeFileSync(configPath, Object.entries(config).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const args = options.mode === 'distributed' ? ['distributed', configPath] : ['standalone', configPath, ...(options.connectorFiles ?? [])];
  const child = spawn(process.execPath, [CLI, 'worker', ...args], {
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

/** fetch + JSON, returning status and parsed body (or null). */
export async function http(method: string, url: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, { method, signal: AbortSignal.timeout(60_000), ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
