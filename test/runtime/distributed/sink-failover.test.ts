/**
 * Sink failover: a FileStreamSink's only task runs on one worker of a 3-worker cluster (default timing settings); that
 * worker is killed with `kill -9` while lines keep arriving on the topic. The task's new consumer on a survivor must
 * consume again soon: with the Java consumer's 45 s session timeout it waited for the dead consumer's session to
 * expire although the task was RUNNING elsewhere after ~6 s. The README promises 10 s on a quiet machine; the bound
 * here is looser for loaded CI machines but far below 45 s. Afterwards every line produced is in the file (nothing
 * lost; lines the dead task wrote but had not committed may be written again).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kafkaBootstrap, uniqueGroup, uniqueTopic } from '../../support/kafka.js';
import { http, waitFor } from '../../support/worker-process.js';
import { logTails, startCluster, statuses, workerIdOf } from './cluster-support.js';
import type { ConnectorStatus } from './cluster-support.js';
import { fileSinkConfig, seqsIn, startSeqFeed, timeSinkFailover } from './sink-failover-support.js';
import type { SeqFeed } from './sink-failover-support.js';

/** kill -9 → a line produced after the kill in the sink's file. */
const BOUND_MS = 25_000;

test('kill -9 of the worker running a sink task: the sink consumes again on a survivor within the bound', { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-sink-failover-'));
  const bootstrap = await kafkaBootstrap();
  const id = uniqueGroup('sink-failover');
  const topic = uniqueTopic('sink-failover');
  const output = join(dir, 'out.txt');
  const name = 'sink';
  const cluster = await startCluster({ dir, bootstrap, id, size: 3 });
  let feed: SeqFeed | undefined;
  const anyUrl = (): string => cluster.workers[0]!.url;
  const status = async (): Promise<ConnectorStatus> => (await http('GET', `${anyUrl()}/connectors/${name}/status`)).body;
  try {
    feed = await startSeqFeed(bootstrap, topic);
    const created = await waitFor('create the sink', async () => {
      const res = await http('POST', `${anyUrl()}/connectors`, { name, config: fileSinkConfig(name, topic, output) });
      return res.status === 409 ? undefined : res;
    }, 30_000, 200);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const running = await waitFor('the sink task RUNNING', async () => {
      const s = await status();
      return s.tasks.length === 1 && s.tasks[0]!.state === 'RUNNING' ? s : undefined;
    }, 60_000, 100);
    await waitFor('lines in the sink file', () => seqsIn(output).length >= 20, 60_000, 50);
    const victimId = running.tasks[0]!.worker_id;
    const victim = cluster.workers.find((w) => workerIdOf(w) === victimId);
    assert.ok(victim, `the task runs on ${victimId}, one of ${cluster.workers.map(workerIdOf).join(', ')}`);

    const consumingMs = await timeSinkFailover(feed, output, () => cluster.remove(victim, 'kill'), 120_000);
    const moved = await status();
    t.diagnostic(`sink failover: kill -9 of ${victimId} -> a line produced after the kill in the file in ${Math.round(consumingMs)} ms (task now on ${moved.tasks[0]?.worker_id} ${moved.tasks[0]?.state})`);
    assert.ok(consumingMs < BOUND_MS, `the sink consumed again ${Math.round(consumingMs)} ms after the kill (bound ${BOUND_MS} ms)`);

    const last = feed.next - 1;
    await feed.stop();
    await waitFor(`every line up to seq-${last} in the sink file`, () => {
      const seen = new Set(seqsIn(output));
      for (let s = 0; s <= last; s++) if (!seen.has(s)) return false;
      return true;
    }, 60_000, 100);
  } catch (e) {
    for (const tail of logTails(cluster)) t.diagnostic(tail);
    t.diagnostic(`statuses: ${JSON.stringify(await statuses(anyUrl()).catch((x: Error) => x.message))}`);
    throw e;
  } finally {
    await feed?.stop().catch(() => undefined);
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
