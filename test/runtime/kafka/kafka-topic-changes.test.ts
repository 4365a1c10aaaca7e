/**
 * Topic changes through plan/apply against a real standalone worker process with `bootstrap.servers`: the changes are
 * made on the real broker (CreatePartitions, AlterConfigs) and read back through the worker.
 */
import { after, before, test } from 'node:test';
import { kafkaBootstrap, uniqueTopic } from '../../support/kafka.js';
import { writeTree } from '../../support/paths.js';
import { startWorker } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';
import { topicChangeScenario } from '../../cli/topic-changes-scenario.js';

let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

before(async () => {
  const bootstrap = await kafkaBootstrap();
  tree = writeTree({ 'pipectl.yaml': 'project: e2e\n' });
  worker = await startWorker({ dir: tree.dir, config: { 'bootstrap.servers': bootstrap }, startTimeoutMs: 60_000 });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

test('Kafka: partitions up and config changes are planned and applied; a decrease is a plan error', async () => {
  await topicChangeScenario({ dir: tree.dir, url: worker.url, topic: uniqueTopic('plan-topic') });
});
