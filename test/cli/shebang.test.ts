/**
 * bin/pipectl.js run as a program (its shebang line, as `npx pipectl` and an installed `pipectl` run it): the node
 * flags there reach the process, and the tests' CLI_NODE_FLAGS are those flags.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { CLI, CLI_NODE_FLAGS } from '../support/paths.js';

test('the shebang gives the worker a larger young generation, and the tests spawn the CLI with the same flags', () => {
  assert.deepEqual(CLI_NODE_FLAGS, ['--max-semi-space-size=64']);
  // `env -S node …` finds node on PATH: put this node first, as a user's shell would have it.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1' };
  const out = execFileSync(CLI, ['--version'], { env, encoding: 'utf8' });
  assert.match(out, /^\d+\.\d+\.\d+/);
  // The flags really reach the process that way: the same first line on a script that prints its node flags.
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-shebang-'));
  try {
    const script = join(dir, 'flags.mjs');
    writeFileSync(script, `${readFileSync(CLI, 'utf8').split('\n', 1)[0]}\nconsole.log(JSON.stringify(process.execArgv));\n`, { mode: 0o755 });
    assert.deepEqual(JSON.parse(execFileSync(script, { env, encoding: 'utf8' })), CLI_NODE_FLAGS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
