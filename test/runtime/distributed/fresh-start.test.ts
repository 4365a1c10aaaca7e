/**
 * Issue 12, defect 1: a worker must come up on the first try with a new group and new internal topics — the broker's
 * metadata for a topic it has just created lags behind (UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this
 * topic-partition", no leader yet), and creation must wait that out instead of exiting. Two workers started at the same
 * moment on the same fresh topics (both try to create them) must both come up.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { kafkaBootstrap, uniqueGroup } from '../../support/kafka.js';
import { http, startWorker } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';
import { groupConfig } from './cluster-support.js';

const dir = mkdtempSync(join(tmpdir(), 'pipectl-fresh-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function config(bootstrap: string, id: string): Record<string, string> {
  return { 'bootstrap.servers': bootstrap, ...groupConfig(id, { offsets: 25, status: 5 }) };
}

let n = 0;
async function start(bootstrap: string, id: string): Promise<WorkerProcess> {
  const workerDir = join(dir, `w${++n}`);
  mkdirSync(workerDir);
  return startWorker({ dir: workerDir, mode: 'distributed', config: config(bootstrap, id), startTimeoutMs: 90_000 });
}

const STARTS = Number(process.env.PIPECTL_FRESH_STARTS ?? 5);

test(`${STARTS} workers, each on a new group with new internal topics, all start on the first try`, { timeout: 60_000 * STARTS }, async (t) => {
  const bootstrap = await kafkaBootstrap();
  const failures: string[] = [];
  let retried = 0;
  for (let i = 0; i < STARTS; i++) {
    try {
      const w = await start(bootstrap, uniqueGroup('fresh'));
      // Starts where the broker's metadata lagged and topic creation had to wait (the defect this guards against).
      if (/internal topic .* failed, retrying/.test(w.log())) retried++;
      await w.stop();
    } catch (e) {
      failures.push((e as Error).message.split('\n').filter((l) => /error|fail|exited/i.test(l)).slice(0, 3).join(' | '));
    }
  }
  t.diagnostic(`${STARTS - failures.length} of ${STARTS} started; ${retried} waited for the broker's metadata while creating internal topics`);
  assert.deepEqual(failures, [], `${failures.length} of ${STARTS} fresh starts failed`);
});

test('two workers started at the same moment on the same fresh topics both come up and form one group', { timeout: 180_000 }, async () => {
  const bootstrap = await kafkaBootstrap();
  const id = uniqueGroup('fresh-pair');
  const workers = await Promise.all([start(bootstrap, id), start(bootstrap, id)]);
  try {
    for (const w of workers) {
      assert.equal((await http('GET', `${w.url}/connectors`)).status, 200);
    }
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
  }
});
