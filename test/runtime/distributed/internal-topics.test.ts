/**
 * `pipectl worker distributed` and its internal topics, as a user meets them: missing topics are created (the config
 * topic compacted with one partition); an existing config topic that is not compacted, or has more than one
 * partition, makes the worker refuse to start with a message that names the topic and the fix.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openKafkaDataPlane } from '../../../src/runtime/kafka/kafka-data-plane.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { kafkaBootstrap, uniqueGroup } from '../../support/kafka.js';
import { startWorker } from '../../support/worker-process.js';
import { groupConfig } from './cluster-support.js';

function config(bootstrap: string, id: string): Record<string, string> {
  return { 'bootstrap.servers': bootstrap, ...groupConfig(id, { offsets: 3, status: 2 }) };
}

test('missing internal topics are created compacted; a config topic that is not compacted or has 2 partitions stops the worker', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-internal-'));
  for (const d of ['ok', 'delete', 'wide']) mkdirSync(join(dir, d));
  const bootstrap = await kafkaBootstrap();
  const plane = await openKafkaDataPlane({ workerConfig: { 'bootstrap.servers': bootstrap }, logger: silentLogger });
  try {
    const fresh = uniqueGroup('internal-ok');
    const worker = await startWorker({ dir: join(dir, 'ok'), mode: 'distributed', config: config(bootstrap, fresh), startTimeoutMs: 30_000 }).catch((e: Error) => assert.fail(e.message));
    await worker.stop();
    const configs = await plane.describeTopic(`${fresh}-configs`);
    assert.equal(configs?.partitions, 1);
    assert.equal(configs?.config['cleanup.policy'], 'compact');
    assert.equal((await plane.describeTopic(`${fresh}-offsets`))?.partitions, 3);
    assert.equal((await plane.describeTopic(`${fresh}-status`))?.config['cleanup.policy'], 'compact');

    const deleting = uniqueGroup('internal-delete');
    await plane.createTopic(`${deleting}-configs`, { partitions: 1, replicationFactor: 1, config: { 'cleanup.policy': 'delete' } });
    await assert.rejects(startWorker({ dir: join(dir, 'delete'), mode: 'distributed', config: config(bootstrap, deleting), startTimeoutMs: 30_000 }), (e: Error) => {
      assert.match(e.message, /exited with 1/);
      assert.match(e.message, new RegExp(`${deleting}-configs`));
      assert.match(e.message, /compact/);
      return true;
    });

    const wide = uniqueGroup('internal-wide');
    await plane.createTopic(`${wide}-configs`, { partitions: 2, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } });
    await assert.rejects(startWorker({ dir: join(dir, 'wide'), mode: 'distributed', config: config(bootstrap, wide), startTimeoutMs: 30_000 }), (e: Error) => {
      assert.match(e.message, /exited with 1/);
      assert.match(e.message, new RegExp(`${wide}-configs`));
      assert.match(e.message, /partition/);
      return true;
    });
  } finally {
    await plane.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
