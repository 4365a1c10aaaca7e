/** Topic changes through plan/apply against a real standalone worker process over the embedded log. */
import { after, before, test } from 'node:test';
import { writeTree } from '../support/paths.js';
import { startWorker } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';
import { topicChangeScenario } from './topic-changes-scenario.js';

let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

before(async () => {
  tree = writeTree({ 'pipectl.yaml': 'project: e2e\n' });
  worker = await startWorker({ dir: tree.dir });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

test('embedded log: partitions up and config changes are planned and applied; a decrease is a plan error', async () => {
  await topicChangeScenario({ dir: tree.dir, url: worker.url, topic: 'orders' });
});
