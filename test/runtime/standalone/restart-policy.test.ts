/**
 * The restart policy in a real standalone worker process: a task that fails on every start (the misbehaving test
 * plugin, `fail.in=poll`) is restarted by the worker itself after each back-off — with nobody calling the REST API —
 * until the limit; then it stays FAILED with a trace that says the policy gave up. The worker's pipectl.restart.* keys
 * are the default; a connector's own keys win; a connector that turns the policy off stays FAILED untouched.
 * Waits on statuses with generous deadlines, never on fixed sleeps.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';

const PLUGINS = join(REPO_ROOT, 'dist', 'test', 'runtime', 'standalone', 'fixtures', 'plugins');
let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

before(async () => {
  tree = writeTree({});
  worker = await startWorker({
    dir: tree.dir,
    config: {
      'plugin.path': PLUGINS,
      'task.shutdown.graceful.timeout.ms': '1000',
      // The worker default: on, 2 restarts, 100 ms then 200 ms.
      'pipectl.restart.enabled': 'true',
      'pipectl.restart.max.restarts': '2',
      'pipectl.restart.initial.delay.ms': '100',
    },
  });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

interface TaskStatus {
  state: string;
  trace?: string;
  restarts?: number;
}

async function task0(name: string): Promise<TaskStatus | undefined> {
  const r = await http('GET', `${worker.url}/connectors/${name}/status`);
  return r.status === 200 ? (r.body.tasks[0] as TaskStatus | undefined) : undefined;
}

/** Waits until the policy has given up on the task (generous: three back-offs plus task starts on a loaded machine). */
function gaveUp(name: string): Promise<TaskStatus> {
  return waitFor(`the restart policy to give up on ${name}`, async () => {
    const t = await task0(name);
    return t?.state === 'FAILED' && /restart policy gave up/.test(t.trace ?? '') ? t : undefined;
  }, 60_000);
}

test('a failing task is restarted by the worker after each back-off, then left FAILED once the policy gives up', async () => {
  const failing = { 'connector.class': 'test.MisbehavingSourceConnector', 'fail.in': 'poll' };
  for (const [name, extra] of [
    ['uses-worker-default', {}],
    ['own-policy', { 'pipectl.restart.max.restarts': '3', 'pipectl.restart.initial.delay.ms': '200', 'pipectl.restart.backoff.multiplier': '1.5' }],
    ['policy-off', { 'pipectl.restart.enabled': 'false' }],
  ] as const) {
    const r = await http('POST', `${worker.url}/connectors`, { name, config: { ...failing, ...extra } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }

  const byDefault = await gaveUp('uses-worker-default');
  assert.equal(byDefault.restarts, 2);
  assert.match(byDefault.trace!, /boom in poll/);
  assert.match(byDefault.trace!, /gave up: the task failed again after 2 restarts \(pipectl\.restart\.max\.restarts=2\); it stays FAILED until restarted by hand/);
  const own = await gaveUp('own-policy');
  assert.equal(own.restarts, 3);
  assert.match(own.trace!, /after 3 restarts/);
  // The worker's log: each failure scheduled the next restart with the connector's own back-off (200 × 1.5^n ms).
  const delays = worker.log().split('\n').filter((l) => l.includes('the restart policy restarts it after a back-off') && l.includes('connector=own-policy')).map((l) => /delay_ms=(\d+)/.exec(l)?.[1]);
  assert.deepEqual(delays, ['200', '300', '450']);

  // Both gave up after back-offs longer than the 100 ms policy-off would have waited: it was never restarted.
  const off = await task0('policy-off');
  assert.equal(off?.state, 'FAILED');
  assert.equal(off?.restarts, undefined);
  assert.doesNotMatch(off?.trace ?? '', /restart policy/);

  const metrics = await http('GET', `${worker.url}/metrics`);
  const text = String(metrics.body);
  assert.match(text, /^pipectl_task_policy_restarts_total\{connector="uses-worker-default",task="0"\} 2$/m);
  assert.match(text, /^pipectl_task_policy_restarts_total\{connector="own-policy",task="0"\} 3$/m);
  assert.doesNotMatch(text, /pipectl_task_policy_restarts_total\{connector="policy-off"/);

  // A restart by hand gives a fresh series: the task fails again and the policy restarts it again.
  assert.equal((await http('POST', `${worker.url}/connectors/uses-worker-default/tasks/0/restart`)).status, 204);
  await waitFor('the policy to restart it again after the restart by hand', async () => {
    const t = await task0('uses-worker-default');
    return t?.restarts === 1 ? t : undefined;
  }, 30_000);
  const again = await gaveUp('uses-worker-default');
  assert.equal(again.restarts, 2);
});

test('a malformed pipectl.restart.* key is refused with 400, naming the key', async () => {
  const r = await http('POST', `${worker.url}/connectors`, { name: 'bad-policy', config: { 'connector.class': 'test.MisbehavingSourceConnector', 'pipectl.restart.max.restarts': 'many' } });
  assert.equal(r.status, 400);
  assert.match(JSON.stringify(r.body), /pipectl\.restart\.max\.restarts=many must be an integer >= 0/);
});
