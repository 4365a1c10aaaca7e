/**
 * The restart policy on a 2-worker distributed cluster over a real Kafka: each task that fails on every start (the
 * misbehaving test plugin) is restarted by the worker that owns it, after the back-off, until the limit; the gave-up
 * trace and the restart count travel through the status topic, so any worker answers them; GET /metrics counts each
 * task's policy restarts on the worker that ran them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kafkaBootstrap, uniqueGroup } from '../../support/kafka.js';
import { REPO_ROOT } from '../../support/paths.js';
import { http, waitFor } from '../../support/worker-process.js';
import { startCluster } from './cluster-support.js';

const PLUGINS = join(REPO_ROOT, 'dist', 'test', 'runtime', 'standalone', 'fixtures', 'plugins');

interface TaskStatus {
  id: number;
  state: string;
  worker_id: string;
  trace?: string;
  restarts?: number;
}

test('a distributed worker restarts the failed tasks it owns after the back-off, then gives up; any worker reports it', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-restart-cluster-'));
  const bootstrap = await kafkaBootstrap();
  const cluster = await startCluster({ dir, bootstrap, id: uniqueGroup('restart'), size: 2, config: { 'plugin.path': PLUGINS, 'task.shutdown.graceful.timeout.ms': '1000' } });
  try {
    const config = {
      'connector.class': 'test.MisbehavingSourceConnector',
      'fail.in': 'poll',
      'tasks.max': '2',
      'pipectl.restart.enabled': 'true',
      'pipectl.restart.max.restarts': '2',
      'pipectl.restart.initial.delay.ms': '200',
    };
    const created = await waitFor('create the connector', async () => {
      const r = await http('POST', `${cluster.workers[0]!.url}/connectors`, { name: 'flaky', config });
      return r.status === 409 ? undefined : r;
    }, 60_000, 200);
    assert.equal(created.status, 201, JSON.stringify(created.body));

    for (const w of cluster.workers) {
      const tasks = await waitFor(`both tasks given up on, as read from ${w.url}`, async () => {
        const r = await http('GET', `${w.url}/connectors/flaky/status`);
        const ts = (r.status === 200 ? r.body.tasks : []) as TaskStatus[];
        return ts.length === 2 && ts.every((t) => t.state === 'FAILED' && /restart policy gave up/.test(t.trace ?? '')) ? ts : undefined;
      }, 120_000, 250);
      for (const t of tasks) {
        assert.equal(t.restarts, 2, JSON.stringify(t));
        assert.match(t.trace!, /boom in poll/);
        assert.match(t.trace!, /after 2 restarts \(pipectl\.restart\.max\.restarts=2\)/);
      }
    }

    // Each task's restarts were made by the worker that runs it: 2 per task across the cluster (more only if a
    // rebalance moved a task mid-series, which starts a fresh series on its new owner).
    const texts = await Promise.all(cluster.workers.map(async (w) => (await fetch(`${w.url}/metrics`)).text()));
    const restarts = texts.flatMap((t) => t.split('\n').filter((l) => l.startsWith('pipectl_task_policy_restarts_total{connector="flaky"')));
    const perTask = new Map<string, number>();
    for (const line of restarts) {
      const task = /task="(\d+)"/.exec(line)![1]!;
      perTask.set(task, (perTask.get(task) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
    }
    assert.deepEqual([...perTask.keys()].sort(), ['0', '1'], restarts.join('\n'));
    for (const n of perTask.values()) assert.ok(n >= 2, restarts.join('\n'));
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
