/**
 * Connector lifecycle across a 2-worker cluster, every request sent to the worker that does NOT run the item, so
 * each one is answered by forwarding (to the leader, or to the owner): tasks.max up (task reconfiguration), pause and
 * resume, restart of a task and of the connector with its tasks, stop, delete.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kafkaBootstrap, uniqueGroup } from '../../support/kafka.js';
import { waitFor, http } from '../../support/worker-process.js';
import { logTails, startCluster, workerIdOf } from './cluster-support.js';
import type { ConnectorStatus } from './cluster-support.js';

test('tasks.max, pause/resume, restarts, stop and delete work from any worker of the cluster', { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-lifecycle-'));
  const bootstrap = await kafkaBootstrap();
  const id = uniqueGroup('lifecycle');
  const cluster = await startCluster({ dir, bootstrap, id, size: 2 });
  const status = async (url: string): Promise<ConnectorStatus | undefined> => {
    const r = await http('GET', `${url}/connectors/gen/status`);
    return r.status === 200 ? r.body : undefined;
  };
  const allIn = (state: string, tasks: number) => async (): Promise<ConnectorStatus | false> => {
    const s = await status(cluster.workers[0]!.url);
    return s !== undefined && s.connector.state === state && s.tasks.length === tasks && s.tasks.every((x) => x.state === state) ? s : false;
  };
  /** A worker that does not run `workerId`'s item: the request must be forwarded. */
  const other = (workerId: string): string => cluster.workers.find((w) => workerIdOf(w) !== workerId)!.url;
  const retry409 = (method: string, path: string, body?: unknown) => (url: string) =>
    waitFor(`${method} ${path}`, async () => {
      const r = await http(method, `${url}${path}`, body);
      return r.status === 409 ? undefined : r;
    }, 30_000, 200);
  try {
    const config = { 'connector.class': 'Generator', 'tasks.max': '2', topic: `${id}-t`, rate: '10', shape: 'flat', name: 'gen' };
    assert.equal((await retry409('POST', '/connectors', { name: 'gen', config })(cluster.workers[1]!.url)).status, 201);
    await waitFor('2 tasks RUNNING', allIn('RUNNING', 2), 60_000, 100);

    // tasks.max 2 → 4: the connector's owner regenerates task configs; the new tasks are assigned across the cluster.
    const put = await retry409('PUT', '/connectors/gen/config', { ...config, 'tasks.max': '4' })(cluster.workers[0]!.url);
    assert.equal(put.status, 200);
    const four = await waitFor('4 tasks RUNNING', allIn('RUNNING', 4), 60_000, 100);
    assert.equal(new Set(four.tasks.map((x) => x.worker_id)).size, 2, 'the 4 tasks run on both workers');

    // Pause and resume from either worker.
    assert.equal((await http('PUT', `${cluster.workers[1]!.url}/connectors/gen/pause`)).status, 202);
    await waitFor('PAUSED', allIn('PAUSED', 4), 30_000, 100);
    assert.equal((await http('PUT', `${cluster.workers[0]!.url}/connectors/gen/resume`)).status, 202);
    await waitFor('RUNNING again', allIn('RUNNING', 4), 30_000, 100);

    // A task restart sent to the worker that does not run it is forwarded to the one that does.
    const task0 = four.tasks.find((x) => x.id === 0)!;
    const restartTask = await http('POST', `${other(task0.worker_id)}/connectors/gen/tasks/0/restart`);
    assert.equal(restartTask.status, 204, JSON.stringify(restartTask.body));
    // Connector and tasks restart (leader-only in Connect: forwarded when sent to a follower).
    const restartAll = await retry409('POST', '/connectors/gen/restart?includeTasks=true')(other(four.connector.worker_id));
    assert.equal(restartAll.status, 202, JSON.stringify(restartAll.body));
    await waitFor('RUNNING after the restarts', allIn('RUNNING', 4), 30_000, 100);

    // Stop (leader-only) from a follower: no tasks, STOPPED; then delete from the other worker.
    assert.equal((await retry409('PUT', '/connectors/gen/stop')(cluster.workers[1]!.url)).status, 204);
    await waitFor('STOPPED', allIn('STOPPED', 0), 30_000, 100);
    assert.equal((await retry409('DELETE', '/connectors/gen')(cluster.workers[0]!.url)).status, 204);
    for (const w of cluster.workers) {
      await waitFor(`gen gone on ${w.url}`, async () => (await http('GET', `${w.url}/connectors`)).body.length === 0, 15_000, 100);
      assert.equal((await http('GET', `${w.url}/connectors/gen/status`)).status, 404);
    }
  } catch (e) {
    for (const line of logTails(cluster)) t.diagnostic(line);
    throw e;
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
