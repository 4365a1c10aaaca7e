/**
 * `npm run quickstart` and the commands it prints (item 6 of issue 13: its closing hint started a worker on port 0 and
 * then ran `plan`, which looked on 8083 and failed after 28 s). The quickstart runs in a temporary folder; then its
 * closing lines are pasted as they are. The only change is the port: 8083 may be taken on a shared test machine, so
 * the test first checks that quickstart-run/worker.properties listens where plan and apply look by default (the bug),
 * then moves both to a free port (worker.properties and PIPECTL_URL).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_RUNTIME_URL } from '../../src/target-selection/resolve-target.js';
import { REPO_ROOT } from '../support/paths.js';
import { closedPort } from '../support/ports.js';
import { runPasted } from './pasted-commands.js';

/** The indented command lines after "To go on by hand" in the quickstart's output. */
export function closingCommands(stdout: string): string[] {
  const at = stdout.indexOf('To go on by hand');
  assert.ok(at >= 0, `the quickstart ends with how to go on by hand:\n${stdout.slice(-1500)}`);
  return stdout.slice(at).split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim());
}

test('npm run quickstart works, and the commands it closes with work when pasted as they are', { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-quickstart-'));
  try {
    // What `npm run quickstart` runs (npm would run it in the package root; INIT_CWD is where the user was).
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.quickstart, 'node scripts/quickstart.mjs');
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'quickstart.mjs')], { cwd: dir, encoding: 'utf8', timeout: 90_000, env: { ...process.env, INIT_CWD: dir, NO_COLOR: '1' } });
    t.diagnostic(`quickstart → ${run.status}\n${run.stdout}`);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /this line went file -> embedded log -> file/);
    assert.match(run.stdout, /No changes\. The live state matches the pipeline files\./);

    const commands = closingCommands(run.stdout);
    assert.deepEqual(commands, [
      'cd quickstart-run',
      'npx pipectl worker standalone worker.properties &',
      'npx pipectl plan pipeline.yaml',
      'npx pipectl apply pipeline.yaml',
      'kill %1',
    ]);
    const workerProps = join(dir, 'quickstart-run', 'worker.properties');
    const listeners = /^listeners=(.*)$/m.exec(readFileSync(workerProps, 'utf8'))?.[1];
    assert.equal(listeners, DEFAULT_RUNTIME_URL, 'the worker started by hand listens where plan and apply look by default');

    const port = await closedPort();
    writeFileSync(workerProps, readFileSync(workerProps, 'utf8').replace(/^listeners=.*$/m, `listeners=http://127.0.0.1:${port}`));
    const pasted = await runPasted(commands, { cwd: dir, env: { PIPECTL_URL: `http://127.0.0.1:${port}` }, terminal: true, input: 'yes\n' });
    t.diagnostic(`pasted → ${pasted.code}\n${pasted.output}`);
    assert.equal(pasted.code, 0, pasted.output);
    // The worker came back with the quickstart's connectors: nothing to plan, nothing to apply.
    assert.match(pasted.output, /No changes\. The live state matches the pipeline files\.[\s\S]*No changes/);
    assert.ok(existsSync(join(dir, 'quickstart-run', 'pipectl-data')), 'the hand-started worker shares the quickstart data.dir');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
