/**
 * The apply lease of a distributed cluster, with real `pipectl worker distributed` processes on the test broker: one
 * lease for the whole cluster whichever worker is asked; exactly one winner when workers are asked at once; a second
 * `pipectl apply` through another worker refused while the lease is held; the lease kept through `kill -9` of the
 * worker that granted it and of the group leader, released through another worker, and freed by expiry.
 *
 * Which worker leads: the first worker of a fresh group joins alone, so it leads, and Kafka's coordinator keeps a
 * leader that rejoins. To kill a leader for certain the test also shrinks the cluster to one worker (which then leads
 * by necessity), adds a worker, and kills the first.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openKafkaDataPlane } from '../../../src/runtime/kafka/kafka-data-plane.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { kafkaBootstrap, uniqueGroup, uniqueTopic } from '../../support/kafka.js';
import { runCli } from '../../support/run-cli.js';
import { http, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';
import { logTails, readWholeTopic, startCluster } from './cluster-support.js';

const lease = (w: WorkerProcess, name = 'apply'): string => `${w.url}/pipectl/v1/leases/${name}`;
const release = (w: WorkerProcess, holder: string, name = 'apply') => http('DELETE', `${lease(w, name)}?holder=${encodeURIComponent(holder)}`);

/** The lease as every given worker reports it: asserts they agree, returns the holder (undefined: none). */
async function holderSeenBy(workers: readonly WorkerProcess[], name = 'apply'): Promise<string | undefined> {
  const seen = await Promise.all(workers.map(async (w) => {
    const r = await http('GET', lease(w, name));
    assert.ok(r.status === 200 || r.status === 404, `GET ${lease(w, name)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.status === 200 ? (r.body.holder as string) : undefined;
  }));
  assert.equal(new Set(seen).size, 1, `workers disagree: ${JSON.stringify(seen)}`);
  return seen[0];
}

test('the apply lease is one for the whole cluster and survives kill -9 of its worker and of the leader', { timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-lease-cluster-'));
  const bootstrap = await kafkaBootstrap();
  const id = uniqueGroup('lease-cluster');
  const cluster = await startCluster({ dir, bootstrap, id, size: 3 });
  const [w1, w2, w3] = cluster.workers as [WorkerProcess, WorkerProcess, WorkerProcess];
  try {
    // The lease topic: created compacted with one partition, named after the config topic.
    const plane = await openKafkaDataPlane({ workerConfig: { 'bootstrap.servers': bootstrap }, logger: silentLogger });
    try {
      const topic = await plane.describeTopic(`${id}-configs-pipectl-leases`);
      assert.equal(topic?.partitions, 1);
      assert.equal(topic?.config['cleanup.policy'], 'compact');
    } finally {
      await plane.close();
    }

    // Taken through w2, refused through w3 (409 naming the holder, as a standalone worker answers).
    const taken = await http('PUT', lease(w2), { holder: 'alice@ci pid 1', ttl_ms: 600_000 });
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    const refused = await http('PUT', lease(w3), { holder: 'bob@ci pid 2', ttl_ms: 600_000 });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.holder, 'alice@ci pid 1');
    assert.match(refused.body.message, /^lease apply is held by alice@ci pid 1 until /);
    assert.equal(await holderSeenBy(cluster.workers), 'alice@ci pid 1');
    assert.equal((await release(w1, 'bob@ci pid 2')).status, 409, 'only the holder releases');

    // Concurrent acquires through the three workers: exactly one wins each round, the others are told who.
    const raceStarted = Date.now();
    for (let round = 0; round < 20; round++) {
      const name = `race-${round}`;
      const answers = await Promise.all(cluster.workers.map((w, i) => http('PUT', lease(w, name), { holder: `racer-${i}`, ttl_ms: 600_000 })));
      const won = answers.filter((a) => a.status === 200);
      assert.equal(won.length, 1, `round ${round}: ${JSON.stringify(answers.map((a) => [a.status, a.body]))}`);
      for (const a of answers) if (a.status !== 200) assert.deepEqual([a.status, a.body.holder], [409, won[0]!.body.holder]);
      assert.equal(await holderSeenBy(cluster.workers, name), won[0]!.body.holder);
    }
    const records = await readWholeTopic(bootstrap, `${id}-configs-pipectl-leases`);
    t.diagnostic(`20 rounds of 3 concurrent acquires in ${Date.now() - raceStarted} ms; ${records.length - 1} race records on the lease topic (a lost race writes its retry)`);

    // kill -9 the worker that granted the lease: the survivors still see it held and still refuse others.
    await cluster.remove(w2, 'kill');
    assert.equal(await holderSeenBy([w1, w3]), 'alice@ci pid 1');
    assert.equal((await http('PUT', lease(w1), { holder: 'bob@ci pid 2' })).status, 409);

    // kill -9 the leader (the group's first worker), then, for certain, the last worker after a new one joined.
    await cluster.remove(w1, 'kill');
    assert.equal(await holderSeenBy([w3]), 'alice@ci pid 1');
    const w4 = await cluster.add();
    assert.equal(await holderSeenBy([w3, w4]), 'alice@ci pid 1', 'a worker started later reads the lease from the topic');
    await cluster.remove(w3, 'kill');
    assert.equal(await holderSeenBy([w4]), 'alice@ci pid 1');
    assert.equal((await http('PUT', lease(w4), { holder: 'bob@ci pid 2' })).status, 409);

    // Released through another worker than the one that granted it; then an expiring lease frees itself.
    assert.equal((await release(w4, 'alice@ci pid 1')).status, 204);
    assert.equal(await holderSeenBy([w4]), undefined);
    const w5 = await cluster.add();
    const short = await http('PUT', lease(w5), { holder: 'bob@ci pid 2', ttl_ms: 3000 });
    assert.equal(short.status, 200);
    assert.equal((await http('PUT', lease(w4), { holder: 'carol@ci pid 3' })).status, 409);
    const expiresAt = Date.parse(short.body.expires_at as string);
    await waitFor('the 3 s lease to expire', async () => (await holderSeenBy([w4, w5])) === undefined, 60_000, 200);
    assert.ok(Date.now() >= expiresAt, 'not freed before its expiry');
    assert.equal((await http('PUT', lease(w4), { holder: 'carol@ci pid 3' })).status, 200);
    assert.equal((await release(w5, 'carol@ci pid 3')).status, 204);
  } catch (e) {
    for (const tail of logTails(cluster)) t.diagnostic(tail);
    throw e;
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pipectl apply through one worker is refused while the lease is held through another, and runs once it is released', { timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-lease-apply-'));
  const bootstrap = await kafkaBootstrap();
  const cluster = await startCluster({ dir, bootstrap, id: uniqueGroup('lease-apply'), size: 2 });
  const [w1, w2] = cluster.workers as [WorkerProcess, WorkerProcess];
  const pipeline = `apiVersion: pipectl.dev/v1
kind: Pipeline
metadata: {name: locked}
spec:
  connectors:
    - name: locked-gen
      class: Generator
      state: paused
      config: {topic: ${uniqueTopic('lease-apply')}, count: 10, seed: 1}
`;
  writeFileSync(join(dir, 'pipeline.yaml'), pipeline);
  const apply = (w: WorkerProcess) => runCli(['apply', '--auto-approve', 'pipeline.yaml', '--url', w.url], { cwd: dir });
  try {
    const holder = 'alice@ci pid 1';
    assert.equal((await http('PUT', lease(w1), { holder, ttl_ms: 600_000 })).status, 200);
    const blocked = apply(w2);
    assert.equal(blocked.code, 1, blocked.stdout + blocked.stderr);
    assert.match(blocked.stderr, /another apply is running: .*alice@ci pid 1/);
    assert.equal((await http('GET', `${w1.url}/connectors`)).body.length, 0, 'nothing was applied');

    assert.equal((await release(w2, holder)).status, 204);
    const applied = apply(w2);
    t.diagnostic(`apply:\n${applied.stdout}${applied.stderr}`);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.equal(await holderSeenBy([w1, w2]), undefined, 'apply released its lease');
  } catch (e) {
    for (const tail of logTails(cluster)) t.diagnostic(tail);
    throw e;
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
