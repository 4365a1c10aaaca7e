/** Herder errors mapped to HTTP (404/409/400/500) with Connect's error body, and the request timeout. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AlreadyExistsError,
  BadRequestError,
  ConflictError,
  HerderError,
  HerderTimeoutError,
  NotFoundError,
} from '../../../src/herder/errors.js';
import { HttpError, errorBody, statusForError } from '../../../src/runtime/rest/http-error.js';
import { assertErrorBody, sinkConfig, sourceConfig, startHarness } from './rest-harness.js';
import type { Harness } from './rest-harness.js';

test('statusForError is the one mapping of errors to statuses', () => {
  const cases: [unknown, number][] = [
    [new NotFoundError('x'), 404],
    [new AlreadyExistsError('x'), 409],
    [new BadRequestError('x'), 400],
    [new ConflictError('x'), 409],
    [new HerderTimeoutError('x'), 500],
    [new HerderError('internal', 'x'), 500],
    [new HttpError(413, 'x'), 413],
    [new Error('x'), 500],
    ['a string', 500],
    [undefined, 500],
  ];
  for (const [err, status] of cases) assert.equal(statusForError(err), status, String(err));
  assert.deepEqual(errorBody(new NotFoundError('Connector a not found')), { error_code: 404, message: 'Connector a not found' });
  assert.deepEqual(errorBody('plain'), { error_code: 500, message: 'plain' });
});

describe('herder errors over HTTP', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    assert.equal((await h.request('POST', '/connectors', { name: 'src', config: sourceConfig() })).status, 201);
  });
  after(() => h.close());

  test('unknown connector → 404 on every connector route', async () => {
    const routes: [string, string][] = [
      ['GET', '/connectors/ghost'],
      ['DELETE', '/connectors/ghost'],
      ['GET', '/connectors/ghost/config'],
      ['PATCH', '/connectors/ghost/config'],
      ['GET', '/connectors/ghost/status'],
      ['GET', '/connectors/ghost/tasks'],
      ['GET', '/connectors/ghost/tasks-config'],
      ['GET', '/connectors/ghost/tasks/0/status'],
      ['POST', '/connectors/ghost/tasks/0/restart'],
      ['POST', '/connectors/ghost/restart'],
      ['POST', '/connectors/ghost/restart?includeTasks=true'],
      ['PUT', '/connectors/ghost/pause'],
      ['PUT', '/connectors/ghost/resume'],
      ['PUT', '/connectors/ghost/stop'],
      ['GET', '/connectors/ghost/offsets'],
      ['DELETE', '/connectors/ghost/offsets'],
      ['GET', '/connectors/ghost/topics'],
      ['PUT', '/connectors/ghost/topics/reset'],
      ['GET', '/connector-plugins/NoSuchPlugin/config'],
    ];
    for (const [method, path] of routes) {
      const body = method === 'PATCH' ? { a: 'b' } : undefined;
      assertErrorBody(await h.request(method, path, body), 404, `${method} ${path}`);
    }
    assert.equal(assertErrorBody(await h.request('GET', '/connectors/ghost'), 404), 'Connector ghost not found');
    assert.equal(assertErrorBody(await h.request('GET', '/connector-plugins/Nope/config'), 404), 'Unknown plugin Nope.');
  });

  test('unknown task → 404; a task id that is not an int → 404 with the error body', async () => {
    assert.equal(assertErrorBody(await h.request('GET', '/connectors/src/tasks/7/status'), 404), 'No status found for task src-7');
    assertErrorBody(await h.request('POST', '/connectors/src/tasks/7/restart'), 404);
    for (const t of ['abc', '-1', '1.5', '99999999999', '2147483648', '0x1']) {
      assertErrorBody(await h.request('GET', `/connectors/src/tasks/${t}/status`), 404, t);
      assertErrorBody(await h.request('POST', `/connectors/src/tasks/${t}/restart`), 404, t);
    }
  });

  test('create of an existing connector → 409', async () => {
    const r = await h.request('POST', '/connectors', { name: 'src', config: sourceConfig() });
    assert.equal(assertErrorBody(r, 409), 'Connector src already exists');
  });

  test('name mismatches → 400 with Connect\'s message', async () => {
    const post = await h.request('POST', '/connectors', { name: 'a', config: sourceConfig({ name: 'b' }) });
    assert.equal(assertErrorBody(post, 400), "Connector name configuration (b) doesn't match connector name in the URL (a)");
    const put = await h.request('PUT', '/connectors/a/config', sourceConfig({ name: 'b' }));
    assert.equal(assertErrorBody(put, 400), "Connector name configuration (b) doesn't match connector name in the URL (a)");
    const patch = await h.request('PATCH', '/connectors/src/config', { name: 'other' });
    assertErrorBody(patch, 400);
  });

  test('invalid config, initial_state and offsets requests → 400', async () => {
    const invalid = await h.request('POST', '/connectors', { name: 'bad', config: { 'connector.class': 'nope.Connector' } });
    assert.match(assertErrorBody(invalid, 400), /^Connector configuration is invalid and contains the following 1 error/);
    assertErrorBody(await h.request('POST', '/connectors', { config: sourceConfig() }), 400, 'missing name fails validation');
    const state = await h.request('POST', '/connectors', { name: 'x', config: sourceConfig(), initial_state: 'SLEEPING' });
    assert.match(assertErrorBody(state, 400), /initial_state/);
    const msg = 'Partitions / offsets need to be provided for an alter offsets request';
    for (const body of [{}, { offsets: [] }, { offsets: null }, '']) {
      assert.equal(assertErrorBody(await h.request('PATCH', '/connectors/src/offsets', body), 400, JSON.stringify(body)), msg);
    }
    const validate = await h.request('PUT', '/connector-plugins/MemorySink/config/validate', sourceConfig());
    assert.match(assertErrorBody(validate, 400), /^Included connector type .* does not match request type MemorySink$/);
  });

  test('ConflictError → 409, HerderTimeoutError and unknown errors → 500, with the message', async () => {
    const original = h.herder.connectors.bind(h.herder);
    const cases: [Error, number][] = [
      [new ConflictError('rebalance under way'), 409],
      [new HerderTimeoutError('Request timed out. busy'), 500],
      [new TypeError('something broke'), 500],
    ];
    try {
      for (const [err, status] of cases) {
        h.herder.connectors = () => Promise.reject(err);
        assert.equal(assertErrorBody(await h.request('GET', '/connectors'), status), err.message);
      }
      h.herder.connectors = () => {
        throw new Error('thrown synchronously');
      };
      assert.equal(assertErrorBody(await h.request('GET', '/connectors'), 500), 'thrown synchronously');
    } finally {
      h.herder.connectors = original;
    }
    assert.ok(h.logs.some((l) => l.level === 'error' && l.fields?.['status'] === 500));
  });

  test('PUT of a valid config for a new name after the errors still works', async () => {
    assert.equal((await h.request('PUT', '/connectors/late/config', sinkConfig())).status, 201);
  });
});

describe('request timeout', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ requestTimeoutMs: 150 });
  });
  after(() => h.close());

  test('a herder call that never settles → 500 "Request timed out", and the server keeps serving', async () => {
    h.herder.hang.add('connectorInfo');
    h.herder.hang.add('createConnector');
    const started = Date.now();
    const r = await h.request('GET', '/connectors/any');
    assert.match(assertErrorBody(r, 500), /^Request timed out/);
    assert.ok(Date.now() - started < 5000);
    assert.match(assertErrorBody(await h.request('POST', '/connectors', { name: 'x', config: sourceConfig() }), 500), /^Request timed out/);
    assert.equal((await h.request('GET', '/')).status, 200);
    h.herder.hang.clear();
    assert.equal((await h.request('GET', '/connectors')).status, 200);
  });

  test('a hung health check → 500 with the health body (unhealthy)', async () => {
    h.herder.hang.add('health');
    const r = await h.request('GET', '/health');
    assert.equal(r.status, 500);
    assert.equal((r.body as { status: string }).status, 'unhealthy');
    h.herder.hang.clear();
    assert.equal((await h.request('GET', '/health')).status, 200);
  });
});
