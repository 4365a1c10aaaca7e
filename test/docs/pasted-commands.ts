/**
 * Runs shell commands the way a user pastes them: lines into bash, in a folder of their own, with `npx pipectl`
 * answering from this checkout (a tiny `npx` on PATH; outside the repository npx would look on the registry), on a
 * terminal when asked (util-linux `script` gives bash a pty, and `input` is typed into it).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, CLI_NODE_FLAGS } from '../support/paths.js';

export interface PastedResult {
  code: number | null;
  /** stdout and stderr together (a pty merges them). */
  output: string;
}

/** A folder holding an `npx` that runs `npx pipectl …` with this checkout's CLI and refuses anything else. */
export function npxShim(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-npx-'));
  const npx = join(dir, 'npx');
  writeFileSync(npx, `#!/bin/sh\nif [ "$1" = "pipectl" ]; then shift; exec ${[process.execPath, ...CLI_NODE_FLAGS, CLI].map((a) => JSON.stringify(a)).join(' ')} "$@"; fi\necho "npx $1: not available in this test" >&2\nexit 127\n`);
  chmodSync(npx, 0o755);
  return dir;
}

/**
 * Runs `lines` as one bash script in `cwd` (`set -e`: the first failing command ends it). Everything bash starts is
 * in a process group of its own, killed when the script ends or after `timeoutMs`.
 */
export async function runPasted(lines: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; terminal?: boolean; input?: string; timeoutMs?: number }): Promise<PastedResult> {
  const scriptDir = mkdtempSync(join(tmpdir(), 'pipectl-paste-'));
  const script = join(scriptDir, 'pasted.sh');
  writeFileSync(script, ['set -e', ...lines, ''].join('\n'));
  const shimDir = npxShim();
  const env = { ...process.env, NO_COLOR: '1', PATH: `${shimDir}:${process.env.PATH ?? ''}`, ...options.env };
  const [cmd, args] = options.terminal ? ['script', ['-qec', `bash ${script}`, '/dev/null']] : ['bash', [script]];
  const child = spawn(cmd, args as string[], { cwd: options.cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  if (options.input !== undefined) child.stdin!.write(options.input);
  // Not closed at once on a terminal: `script` ends the session when its input ends.
  if (!options.terminal) child.stdin!.end();
  const killGroup = (): void => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(killGroup, options.timeoutMs ?? 90_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  killGroup(); // a background job the lines left running
  for (const dir of [scriptDir, shimDir]) rmSync(dir, { recursive: true, force: true });
  return { code, output };
}
