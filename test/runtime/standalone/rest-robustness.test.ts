/**
 * Bad input against a real worker process: malformed bodies, wrong types, oversized bodies, unknown paths and wrong
 * methods on every endpoint that takes a body. Each answer is 4xx with Connect's error body, and the worker keeps
 * serving (same process, connectors still running).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';

let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

before(async () => {
  tree = writeTree({ 'in.txt': '' });
  worker = await startWorker({ dir: tree.dir });
  const r = await http('POST', `${worker.url}/connectors`, { name: 'c', config: { 'connector.class': 'FileStreamSource', file: `${tree.dir}/in.txt`, topic: 't' } });
  assert.equal(r.status, 201);
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

const BODY_ROUTES: [string, string][] = [
  ['POST', '/connectors'],
  ['PUT', '/connectors/c/config'],
  ['PUT', '/connectors/new-one/config'],
  ['PATCH', '/connectors/c/config'],
  ['PATCH', '/connectors/c/offsets'],
  ['PUT', '/connector-plugins/FileStreamSource/config/validate'],
];
const MALFORMED = ['{', '{"name": ', '{"a":"b",}', "{'a':'b'}", 'not json', '[1, 2', '{"a":"b"} trailing'];
const WRONG_TYPES: unknown[] = [[], 'a string', 42, true, null, { a: { b: 'c' } }, { a: ['b'] }, { name: 7, config: {} }, { name: 'x', config: [] }, { name: 'x', config: { a: {} } }, { offsets: 'all' }];

function assertError(r: { status: number; body: any }, what: string): void {
  assert.ok(r.status >= 400 && r.status < 500, `${what}: expected 4xx, got ${r.status} ${JSON.stringify(r.body)}`);
  assert.deepEqual(Object.keys(r.body).sort(), ['error_code', 'message'], what);
  assert.equal(r.body.error_code, r.status, what);
  assert.equal(typeof r.body.message, 'string', what);
}

test('malformed and wrongly typed bodies get 4xx with the error body on every body endpoint', async () => {
  for (const [method, path] of BODY_ROUTES) {
    for (const body of MALFORMED) assertError(await http(method, `${worker.url}${path}`, body), `${method} ${path} ${body}`);
    for (const body of WRONG_TYPES) {
      const r = await http(method, `${worker.url}${path}`, JSON.stringify(body));
      // A wrong type may be valid for some route (e.g. {"a":…} is a config map); what matters is: never a 5xx.
      if (r.status >= 400) assertError(r, `${method} ${path} ${JSON.stringify(body)}`);
      else assert.ok(r.status < 300, `${method} ${path} ${JSON.stringify(body)} → ${r.status}`);
    }
    assertError(await http(method, `${worker.url}${path}`, JSON.stringify({ big: 'x'.repeat(2 * 1024 * 1024) })), `${method} ${path} oversized`);
  }
});

test('unknown paths, wrong methods and bad ids get 4xx with the error body', async () => {
  const cases: [string, string][] = [
    ['GET', '/nope'],
    ['GET', '/connectors/c/nope'],
    ['GET', '/connectors/missing'],
    ['GET', '/connectors/missing/status'],
    ['DELETE', '/connectors/missing'],
    ['PUT', '/connectors/missing/pause'],
    ['POST', '/connectors/missing/restart'],
    ['GET', '/connectors/c/tasks/abc/status'],
    ['GET', '/connectors/c/tasks/99/status'],
    ['POST', '/connectors/c/tasks/99/restart'],
    ['DELETE', '/'],
    ['POST', '/connectors/c'],
    ['PATCH', '/connectors'],
    ['GET', '/connector-plugins/NoSuchPlugin/config'],
    ['PUT', '/connector-plugins/FileStreamSink/config/validate'],
  ];
  for (const [method, path] of cases) {
    const body = path.endsWith('/validate') ? JSON.stringify({ 'connector.class': 'FileStreamSource' }) : undefined;
    assertError(await http(method, `${worker.url}${path}`, body), `${method} ${path}`);
  }
});

test('after all that the worker still serves and its connector still runs', async () => {
  assert.equal(worker.child.exitCode, null, 'the worker process is alive');
  assert.equal((await http('GET', `${worker.url}/`)).status, 200);
  await waitFor('connector c RUNNING', async () => (await http('GET', `${worker.url}/connectors/c/status`)).body.connector.state === 'RUNNING');
  assert.doesNotMatch(worker.log(), /ERROR/, 'bad requests are not worker errors');
});
