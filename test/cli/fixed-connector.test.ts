/**
 * Issue 14 item 10: after a FAILED connector's config is fixed, apply waits on the task generation the fix started,
 * not on the FAILED status of the one it replaced. Real CLI, real standalone worker; the sink task fails because its
 * file is a directory, and the fix points it at a writable file. Many rounds, because the old status lingers for a
 * moment that depends on the machine's load (before the fix, 16 of 18 rounds exited 1 with the old task's trace).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeTree } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { http, startWorker } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';

let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;
const ROUNDS = Number(process.env['PIPECTL_FIXED_ROUNDS'] ?? 12);

const pipeline = (file: string): string =>
  `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  connectors:\n    - name: sink\n      class: FileStreamSink\n      config: {topics: t, file: ${file}}\n`;

before(async () => {
  tree = writeTree({ 'pipectl.yaml': 'project: fixes\n', 'pipelines/p.yaml': pipeline('ok-0.txt') });
  worker = await startWorker({ dir: tree.dir });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

const cli = (...args: string[]) => runCli([...args, '--url', worker.url, '--no-color'], { cwd: tree.dir });

test(`apply after a config change reports the new task generation, not the one it replaced (${ROUNDS} rounds: broken, then fixed)`, async () => {
  const failures: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    mkdirSync(join(tree.dir, `bad-${round}`));
    writeFileSync(join(tree.dir, 'pipelines/p.yaml'), pipeline(`bad-${round}`));
    const broken = cli('apply', '--auto-approve', '--wait-timeout', '20');
    // The mirror image of the bug: the RUNNING status of the generation being replaced must not pass for the new one.
    if (broken.code !== 1) failures.push(`round ${round}: the broken config was reported as applied (exit ${broken.code}): ${broken.stdout.split('\n').filter((l) => l.includes('sink:')).join(' | ')}`);

    writeFileSync(join(tree.dir, 'pipelines/p.yaml'), pipeline(`ok-${round}.txt`));
    const fixed = cli('apply', '--auto-approve', '--wait-timeout', '20');
    if (fixed.code !== 0) failures.push(`round ${round}: the fixed config was reported as failed (exit ${fixed.code}): ${fixed.stdout.split('\n').filter((l) => l.includes('sink:') || l.startsWith('Error')).join(' | ')}`);
    const status = (await http('GET', `${worker.url}/connectors/sink/status`)).body as { connector: { state: string }; tasks: { state: string }[] };
    if (fixed.code === 0) assert.deepEqual([status.connector.state, ...status.tasks.map((t) => t.state)], ['RUNNING', 'RUNNING'], `round ${round}`);
  }
  assert.deepEqual(failures, [], `${failures.length} of ${2 * ROUNDS} applies reported the status of the replaced task generation`);
});
