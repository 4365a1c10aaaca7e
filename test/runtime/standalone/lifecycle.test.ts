/**
 * The standalone worker as a real child process, driven only over HTTP: connector lifecycle, data flowing from a
 * source file to a sink file, and connectors coming back after a worker restart.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';

let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

before(async () => {
  tree = writeTree({ 'in.txt': '' });
  worker = await startWorker({ dir: tree.dir, config: { 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' } });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);

async function status(name: string): Promise<any> {
  return (await http('GET', `${worker.url}/connectors/${name}/status`)).body;
}

async function waitForState(name: string, connectorState: string, taskStates: string[]): Promise<any> {
  return waitFor(`${name} to be ${connectorState} with tasks ${taskStates.join(',')}`, async () => {
    const s = await status(name);
    return s?.connector?.state === connectorState && JSON.stringify(s.tasks.map((t: any) => t.state)) === JSON.stringify(taskStates) ? s : undefined;
  });
}

test('the worker logs its REST address once, and its worker id on the `worker started` line', () => {
  const log = worker.log();
  assert.equal(log.split('REST server listening').length - 1, 1, log);
  assert.match(log, /worker started .*worker_id=127\.0\.0\.1:\d+/);
});

test('a file source and a file sink move data; lifecycle changes show in the status', async () => {
  const input = join(tree.dir, 'in.txt');
  const output = join(tree.dir, 'out.txt');
  const src = await http('POST', `${worker.url}/connectors`, { name: 'src', config: { 'connector.class': 'FileStreamSource', file: input, topic: 'lines', 'tasks.max': '1' } });
  assert.equal(src.status, 201);
  assert.equal(src.headers.get('location'), '/connectors/src');
  assert.equal(src.body.type, 'source');
  const sink = await http('POST', `${worker.url}/connectors`, { name: 'sink', config: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', file: output, topics: 'lines', 'tasks.max': '2' } });
  assert.equal(sink.status, 201);
  await waitForState('src', 'RUNNING', ['RUNNING']);
  const sinkStatus = await waitForState('sink', 'RUNNING', ['RUNNING', 'RUNNING']);
  assert.match(sinkStatus.connector.worker_id, /^127\.0\.0\.1:\d+$/);

  appendFileSync(input, 'one\ntwo\nthree\n');
  await waitFor('three lines in the sink file', () => lines(output).length === 3);
  assert.deepEqual(lines(output), ['one', 'two', 'three']);

  // Duplicate create is a 409; unknown connector a 404, both with Connect's error body.
  const dup = await http('POST', `${worker.url}/connectors`, { name: 'src', config: { 'connector.class': 'FileStreamSource', topic: 'x' } });
  assert.equal(dup.status, 409);
  assert.deepEqual(Object.keys(dup.body).sort(), ['error_code', 'message']);
  assert.equal((await http('GET', `${worker.url}/connectors/nope`)).status, 404);

  // Pause: no more data flows; resume: it catches up.
  assert.equal((await http('PUT', `${worker.url}/connectors/src/pause`)).status, 202);
  await waitForState('src', 'PAUSED', ['PAUSED']);
  appendFileSync(input, 'four\n');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(lines(output).length, 3, 'a paused source does not read');
  assert.equal((await http('PUT', `${worker.url}/connectors/src/resume`)).status, 202);
  await waitForState('src', 'RUNNING', ['RUNNING']);
  await waitFor('four lines after resume', () => lines(output).length === 4);

  // Update: tasks.max of the sink goes from 2 to 1.
  const put = await http('PUT', `${worker.url}/connectors/sink/config`, { 'connector.class': 'FileStreamSink', file: output, topics: 'lines', 'tasks.max': '1' });
  assert.equal(put.status, 200);
  await waitForState('sink', 'RUNNING', ['RUNNING']);

  // Stop: no tasks; offsets can be read; resume brings the task back.
  assert.equal((await http('PUT', `${worker.url}/connectors/src/stop`)).status, 204);
  await waitForState('src', 'STOPPED', []);
  const offsets = await http('GET', `${worker.url}/connectors/src/offsets`);
  assert.equal(offsets.status, 200);
  assert.deepEqual(offsets.body.offsets[0].partition, { filename: input });
  assert.equal(offsets.body.offsets[0].offset.position, Buffer.byteLength('one\ntwo\nthree\nfour\n'));
  assert.equal((await http('PUT', `${worker.url}/connectors/src/resume`)).status, 202);
  await waitForState('src', 'RUNNING', ['RUNNING']);

  // Restart with includeTasks: 202 with a plan that marks what restarts.
  const restart = await http('POST', `${worker.url}/connectors/sink/restart?includeTasks=true`);
  assert.equal(restart.status, 202);
  assert.equal(restart.body.connector.state, 'RESTARTING');
  assert.deepEqual(restart.body.tasks.map((t: any) => t.state), ['RESTARTING']);
  await waitForState('sink', 'RUNNING', ['RUNNING']);
  assert.equal((await http('POST', `${worker.url}/connectors/sink/tasks/0/restart`)).status, 204);
  await waitForState('sink', 'RUNNING', ['RUNNING']);

  appendFileSync(input, 'five\n');
  await waitFor('five lines after the restarts', () => lines(output).length === 5);
  assert.deepEqual(lines(output), ['one', 'two', 'three', 'four', 'five'], 'restarts neither lose nor repeat committed data');

  // Delete.
  assert.equal((await http('DELETE', `${worker.url}/connectors/sink`)).status, 204);
  assert.equal((await http('GET', `${worker.url}/connectors/sink`)).status, 404);
  assert.deepEqual((await http('GET', `${worker.url}/connectors`)).body, ['src']);
});

test('a connector created PAUSED or STOPPED starts with no tasks (KIP-980) and a restarted worker keeps its connectors', async () => {
  const input = join(tree.dir, 'in2.txt');
  writeFileSync(input, 'a\nb\n');
  assert.equal((await http('POST', `${worker.url}/connectors`, { name: 'paused', initial_state: 'paused', config: { 'connector.class': 'FileStreamSource', file: input, topic: 't2' } })).status, 201);
  assert.equal((await http('POST', `${worker.url}/connectors`, { name: 'stopped', initial_state: 'STOPPED', config: { 'connector.class': 'FileStreamSource', file: input, topic: 't3' } })).status, 201);
  await waitForState('paused', 'PAUSED', []);
  await waitForState('stopped', 'STOPPED', []);

  assert.equal(await worker.stop(), 0, 'a clean shutdown exits 0');
  worker = await startWorker({ dir: tree.dir, config: { 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' } });
  assert.deepEqual((await http('GET', `${worker.url}/connectors`)).body, ['paused', 'src', 'stopped']);
  await waitForState('paused', 'PAUSED', []);
  await waitForState('stopped', 'STOPPED', []);
  await waitForState('src', 'RUNNING', ['RUNNING']);
  assert.equal((await http('PUT', `${worker.url}/connectors/paused/resume`)).status, 202);
  await waitForState('paused', 'RUNNING', ['RUNNING']);
  const expanded = await http('GET', `${worker.url}/connectors?expand=status&expand=info`);
  assert.equal(expanded.body.paused.status.connector.state, 'RUNNING');
  assert.equal(expanded.body.src.info.config['topic'], 'lines');
});
