/**
 * A FAILED task does not match a connector declared `running`: plan shows a restart of exactly the failed parts
 * (exit 2 with --detailed-exitcode), apply carries it out (Connect's restart?includeTasks=true&onlyFailed=true) and
 * waits for health. Real CLI, real standalone worker; the sink task fails because its file is a directory, and
 * recovers once the directory is gone.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeTree } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { http, startWorker, waitFor } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';

let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

before(async () => {
  tree = writeTree({
    'pipectl.yaml': 'project: restarts\n',
    'pipelines/p.yaml': `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  connectors:\n    - name: sink\n      class: FileStreamSink\n      config: {topics: t, file: out.txt}\n`,
  });
  worker = await startWorker({ dir: tree.dir });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

const cli = (...args: string[]) => runCli([...args, '--url', worker.url, '--no-color'], { cwd: tree.dir });

test('a failed task is planned as a restart of that task, and apply restarts it and waits until it runs', async () => {
  mkdirSync(join(tree.dir, 'out.txt')); // the sink cannot open a directory for appending: its task fails in start
  const first = cli('apply', '--auto-approve', '--wait-timeout', '20');
  assert.equal(first.code, 1, first.stdout + first.stderr);
  assert.match(first.stdout, /Connector sink task 0 is FAILED/);

  const plan = cli('plan', '--detailed-exitcode');
  assert.equal(plan.code, 2, `FAILED is a difference from "running":\n${plan.stdout}${plan.stderr}`);
  assert.match(plan.stdout, /↻ restart connector "sink" \(failed: task 0\)/);
  assert.match(plan.stdout, /Plan: 0 to create, 0 to update, 0 to delete, 0 state changes, 1 restart\./);
  const json = JSON.parse(cli('plan', '--json').stdout) as { operations: Record<string, unknown>[] };
  assert.deepEqual(json.operations, [{ op: 'restart', name: 'sink', pipeline: 'p', reason: 'failed', failed: { connector: false, tasks: [0] } }]);

  rmdirSync(join(tree.dir, 'out.txt'));
  const applied = cli('apply', '--auto-approve', '--wait-timeout', '20');
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.match(applied.stdout, /sink: Restart complete after [\d.]+s \[running, 1\/1 tasks\]/);
  assert.match(applied.stdout, /Apply complete! Resources: .*1 restarted/);
  const status = (await http('GET', `${worker.url}/connectors/sink/status`)).body as { tasks: { state: string }[] };
  assert.deepEqual(status.tasks.map((t) => t.state), ['RUNNING']);
  await waitFor('the plan to be clean', () => cli('plan', '--detailed-exitcode').code === 0, 10_000, 200);
});
