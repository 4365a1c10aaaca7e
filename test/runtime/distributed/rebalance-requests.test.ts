/**
 * Requests that arrive while the group is rebalancing (issue 12, defects 2 and 3), against real worker processes:
 * - back-to-back writes are queued until the rebalance completes, as Connect's herder thread does, instead of
 *   answering 409 "no known leader URL" — on a one-worker cluster and through a follower (forwarded to the leader);
 * - a connector created while a rebalance is under way is still assigned (the leader notices that the set of work
 *   changed during its round and runs another one).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kafkaBootstrap, uniqueGroup } from '../../support/kafka.js';
import { http, waitFor } from '../../support/worker-process.js';
import { logTails, startCluster, statuses } from './cluster-support.js';
import type { Cluster } from './cluster-support.js';

async function withCluster(size: number, prefix: string, body: (cluster: Cluster, id: string, dir: string) => Promise<void>, t: { diagnostic(m: string): void }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `pipectl-${prefix}-`));
  const id = uniqueGroup(prefix);
  const cluster = await startCluster({ dir, bootstrap: await kafkaBootstrap(), id, size });
  try {
    await body(cluster, id, dir);
  } catch (e) {
    t.diagnostic(logTails(cluster).join("\n"));
    throw e;
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 100 PUTs of one connector's config in a tight loop, each awaited; every answer must be 200/201 and the last wins. */
async function putLoop(url: string, id: string, count: number): Promise<Map<number, number>> {
  const codes = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    // tasks.max alternates so that some PUTs change the task set (a task reconfiguration and a rebalance).
    const config = { 'connector.class': 'Generator', 'tasks.max': String(1 + (i % 2)), topic: `${id}-t`, rate: '5', shape: 'flat', 'pipectl.loop': String(i) };
    const r = await http('PUT', `${url}/connectors/loop/config`, config);
    codes.set(r.status, (codes.get(r.status) ?? 0) + 1);
  }
  return codes;
}

test('100 back-to-back PUTs of one connector on a one-worker cluster: no 409, the last config wins', { timeout: 300_000 }, async (t) => {
  await withCluster(1, 'putloop', async (cluster, id) => {
    const url = cluster.workers[0]!.url;
    const codes = await putLoop(url, id, 100);
    assert.deepEqual([...codes.keys()].filter((c) => c !== 200 && c !== 201), [], `answers: ${JSON.stringify([...codes])}`);
    assert.equal((await http('GET', `${url}/connectors/loop/config`)).body['pipectl.loop'], '99');
  }, t);
});

test('back-to-back PUTs through a follower are forwarded once the rebalance completes: no 409', { timeout: 300_000 }, async (t) => {
  await withCluster(2, 'putfwd', async (cluster, id) => {
    const codes = new Map<number, number>();
    for (const [status, n] of await putLoop(cluster.workers[1]!.url, id, 30)) codes.set(status, n);
    for (const [status, n] of await putLoop(cluster.workers[0]!.url, id, 30)) codes.set(status, (codes.get(status) ?? 0) + n);
    assert.deepEqual([...codes.keys()].filter((c) => c !== 200 && c !== 201), [], `answers: ${JSON.stringify([...codes])}`);
    for (const w of cluster.workers) assert.equal((await http('GET', `${w.url}/connectors/loop/config`)).body['pipectl.loop'], '29');
  }, t);
});

test('connectors created back to back, while the group rebalances, are all assigned and run all their tasks', { timeout: 300_000 }, async (t) => {
  await withCluster(2, 'midrebalance', async (cluster, id, dir) => {
    const pairs = 6;
    for (let i = 0; i < pairs; i++) {
      const input = join(dir, `in-${i}.txt`);
      writeFileSync(input, 'a\nb\n');
      const source = { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: input, topic: `${id}-t${i}` };
      const sink = { 'connector.class': 'FileStreamSink', 'tasks.max': '2', file: join(dir, `out-${i}.txt`), topics: `${id}-t${i}` };
      // Sent to alternate workers, without waiting for anything in between.
      const a = await http('POST', `${cluster.workers[i % 2]!.url}/connectors`, { name: `src-${i}`, config: source });
      const b = await http('POST', `${cluster.workers[(i + 1) % 2]!.url}/connectors`, { name: `sink-${i}`, config: sink });
      assert.deepEqual([a.status, b.status], [201, 201], JSON.stringify([a.body, b.body]));
    }
    const expected = (name: string): number => (name.startsWith('sink') ? 2 : 1);
    await waitFor('every connector RUNNING with all its tasks RUNNING', async () => {
      const all = await statuses(cluster.workers[0]!.url);
      return all.length === pairs * 2 && all.every((s) => s.connector.state === 'RUNNING' && s.connector.worker_id !== '' && s.tasks.length === expected(s.name) && s.tasks.every((x) => x.state === 'RUNNING'));
    }, 120_000, 200).catch(async (e: Error) => {
      const stuck = (await statuses(cluster.workers[0]!.url)).filter((s) => s.connector.state !== 'RUNNING' || s.tasks.length !== expected(s.name) || s.tasks.some((x) => x.state !== 'RUNNING'));
      throw new Error(`${e.message}; not running: ${JSON.stringify(stuck)}`);
    });
  }, t);
});
