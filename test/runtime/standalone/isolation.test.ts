/**
 * One bad plugin fails alone: a task that throws is FAILED with a trace naming the stage; a plugin that hangs in
 * start, poll, put or stop never wedges the REST API, and the healthy pipeline beside them keeps moving data.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';

const PLUGINS = join(REPO_ROOT, 'dist', 'test', 'runtime', 'standalone', 'fixtures', 'plugins');
let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

before(async () => {
  tree = writeTree({ 'in.txt': '' });
  worker = await startWorker({
    dir: tree.dir,
    config: { 'plugin.path': PLUGINS, 'task.shutdown.graceful.timeout.ms': '1000', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' },
  });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

async function create(name: string, config: Record<string, string>): Promise<void> {
  const r = await http('POST', `${worker.url}/connectors`, { name, config });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

async function timedGet(path: string): Promise<{ status: number; ms: number }> {
  const t0 = Date.now();
  const r = await http('GET', `${worker.url}${path}`);
  return { status: r.status, ms: Date.now() - t0 };
}

test('failures and hangs stay inside their own connector', async () => {
  const input = join(tree.dir, 'in.txt');
  const output = join(tree.dir, 'out.txt');
  await create('healthy-src', { 'connector.class': 'FileStreamSource', file: input, topic: 'healthy' });
  await create('healthy-sink', { 'connector.class': 'FileStreamSink', file: output, topics: 'healthy' });

  await create('fails-in-poll', { 'connector.class': 'test.MisbehavingSourceConnector', 'fail.in': 'poll' });
  await create('fails-to-start', { 'connector.class': 'test.MisbehavingSourceConnector', 'fail.in': 'connector-start' });
  await create('hangs-in-start', { 'connector.class': 'test.MisbehavingSourceConnector', 'block.in': 'start' });
  await create('hangs-in-poll', { 'connector.class': 'test.MisbehavingSourceConnector', 'block.in': 'poll,stop' });
  await create('hangs-in-put', { 'connector.class': 'test.MisbehavingSinkConnector', topics: 'healthy', 'block.in': 'put,stop' });

  const failed = await waitFor('the failing task to be FAILED', async () => {
    const s = (await http('GET', `${worker.url}/connectors/fails-in-poll/status`)).body;
    return s.tasks[0]?.state === 'FAILED' ? s : undefined;
  });
  assert.equal(failed.connector.state, 'RUNNING', 'the connector itself is fine');
  assert.match(failed.tasks[0].trace, /stage "task poll"/);
  assert.match(failed.tasks[0].trace, /boom in poll/);

  const notStarted = await waitFor('the connector whose start throws to be FAILED', async () => {
    const s = (await http('GET', `${worker.url}/connectors/fails-to-start/status`)).body;
    return s.connector.state === 'FAILED' ? s : undefined;
  });
  assert.match(notStarted.connector.trace, /boom in connector-start/);

  // The healthy pipeline still moves data while the others fail or hang.
  appendFileSync(input, 'alpha\nbeta\n');
  await waitFor('data through the healthy pipeline', () => existsSync(output) && readFileSync(output, 'utf8') === 'alpha\nbeta\n');

  // The REST API answers promptly, including for the hanging connectors.
  for (const path of ['/', '/connectors', '/connectors/hangs-in-start/status', '/connectors/hangs-in-poll/status', '/connectors/hangs-in-put/status']) {
    const r = await timedGet(path);
    assert.equal(r.status, 200, path);
    assert.ok(r.ms < 1000, `${path} answered in ${r.ms} ms`);
  }

  // FAILED is sticky until a restart; a restart re-runs the task (which fails again, in the same stage).
  assert.equal((await http('POST', `${worker.url}/connectors/fails-in-poll/tasks/0/restart`)).status, 204);
  await waitFor('the restarted task to fail again', async () => (await http('GET', `${worker.url}/connectors/fails-in-poll/tasks/0/status`)).body.state === 'FAILED');

  // Deleting hanging connectors is bounded by the graceful timeout (1 s here), not by the plugin.
  for (const name of ['hangs-in-start', 'hangs-in-poll', 'hangs-in-put']) {
    const t0 = Date.now();
    assert.equal((await http('DELETE', `${worker.url}/connectors/${name}`)).status, 204);
    assert.ok(Date.now() - t0 < 4000, `delete of ${name} took ${Date.now() - t0} ms`);
  }
  assert.deepEqual((await http('GET', `${worker.url}/connectors`)).body, ['fails-in-poll', 'fails-to-start', 'healthy-sink', 'healthy-src']);
  appendFileSync(input, 'gamma\n');
  await waitFor('data still flows after the deletes', () => readFileSync(output, 'utf8') === 'alpha\nbeta\ngamma\n');
});

test('a connector that generates more tasks than tasks.max fails, unless tasks.max.enforce=false (as in Connect)', async () => {
  await create('too-many-tasks', { 'connector.class': 'test.MisbehavingSourceConnector', 'tasks.max': '1', 'extra.tasks': '1' });
  await create('too-many-allowed', { 'connector.class': 'test.MisbehavingSourceConnector', 'tasks.max': '1', 'extra.tasks': '1', 'tasks.max.enforce': 'false' });
  const allowed = await waitFor('two tasks RUNNING', async () => {
    const s = (await http('GET', `${worker.url}/connectors/too-many-allowed/status`)).body;
    return s.tasks.length === 2 && s.tasks.every((t: { state: string }) => t.state === 'RUNNING') ? s : undefined;
  });
  assert.equal(allowed.connector.state, 'RUNNING');
  const enforced = await waitFor('the enforced one to be FAILED', async () => {
    const s = (await http('GET', `${worker.url}/connectors/too-many-tasks/status`)).body;
    return s.connector.state === 'FAILED' ? s : undefined;
  });
  assert.match(enforced.connector.trace, /generated 2 task configs, more than tasks.max=1/);
  assert.deepEqual(enforced.tasks, []);
});
