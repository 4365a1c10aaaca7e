/**
 * The small pipeline repository the chaos run applies with the real CLI (`pipectl apply`, `pipectl plan
 * --detailed-exitcode`): a Generator source into a topic and a FileStreamSink out of it. Versions differ in the
 * source's tasksMax and rate, so successive applies change something. The CLI runs as an async child process (the
 * run's event loop keeps going) with a bounded time.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from '../support/paths.js';

export const APPLY_CONNECTORS = ['app-gen', 'app-sink'] as const;
export const VERSIONS = 3;
const fileOf = (v: number): string => `pipeline-v${v}.yaml`;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

export function runCliAsync(args: readonly string[], cwd: string, timeoutMs: number): Promise<CliRun> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0, timedOut });
    });
  });
}

export class ApplyRepo {
  readonly dir: string;
  private readonly output: string;

  constructor(root: string, private readonly topic: string) {
    this.dir = join(root, 'repo');
    mkdirSync(this.dir, { recursive: true });
    this.output = join(root, 'app-sink.out');
  }

  /** Writes version `v` (0 … VERSIONS-1) as pipeline-v<v>.yaml (one file per version: applies may overlap). */
  write(v: number): void {
    writeFileSync(join(this.dir, fileOf(v)), this.pipeline(v));
  }

  async apply(url: string, version: number, timeoutMs: number): Promise<CliRun> {
    return runCliAsync(['apply', '--auto-approve', '--wait-timeout', '60', '--url', url, fileOf(version)], this.dir, timeoutMs);
  }

  async plan(url: string, version: number, timeoutMs: number): Promise<CliRun> {
    return runCliAsync(['plan', '--detailed-exitcode', '--url', url, fileOf(version)], this.dir, timeoutMs);
  }

  private pipeline(v: number): string {
    return [
      'apiVersion: pipectl.dev/v1',
      'kind: Pipeline',
      'metadata:',
      '  name: chaos',
      'spec:',
      '  topics:',
      `    - name: ${this.topic}`,
      '      partitions: 1',
      '  connectors:',
      '    - name: app-gen',
      '      type: source',
      '      class: Generator',
      `      tasksMax: ${1 + (v % 2)}`,
      '      config:',
      `        topic: ${this.topic}`,
      `        rate: "${5 * (v + 1)}"`,
      '        shape: flat',
      '        key.converter: org.apache.kafka.connect.storage.StringConverter',
      '        value.converter: org.apache.kafka.connect.json.JsonConverter',
      '        value.converter.schemas.enable: "false"',
      '    - name: app-sink',
      '      type: sink',
      '      class: FileStreamSink',
      '      tasksMax: 1',
      '      config:',
      `        file: ${JSON.stringify(this.output)}`,
      `        topics: ${this.topic}`,
      '        key.converter: org.apache.kafka.connect.storage.StringConverter',
      '        value.converter: org.apache.kafka.connect.json.JsonConverter',
      '        value.converter.schemas.enable: "false"',
      '',
    ].join('\n');
  }
}
