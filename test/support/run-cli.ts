/** Runs the real CLI as a child process, the way a user or CI would. */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { CLI, CLI_NODE_FLAGS } from './paths.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [...CLI_NODE_FLAGS, CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Resolves with `match`'s first non-undefined answer as the output grows; rejects when the CLI exits first. */
  waitForOutput<T>(match: (stdout: string, stderr: string) => T | undefined): Promise<T>;
}

/** Starts the real CLI as a long-running child process (e.g. `pipectl dev kafka` in the foreground). */
export function spawnCli(args: readonly string[], options: { cwd?: string } = {}): CliProcess {
  const child = spawn(process.execPath, [...CLI_NODE_FLAGS, CLI, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitForOutput = <T>(match: (out: string, err: string) => T | undefined): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const found = match(stdout, stderr);
        if (found !== undefined) resolve(found);
      };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      check();
      void exited.then((code) => reject(new Error(`exited with ${code} before the expected output: ${stderr}`)));
    });
  return { child, stdout: () => stdout, stderr: () => stderr, exited, waitForOutput };
}
