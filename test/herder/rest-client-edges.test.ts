/**
 * RestHerder at the edges a real worker does not produce on demand: retries (connection refused, rebalance 409s,
 * 503 while starting, a reset connection), what is never retried (already exists, 400, a timeout), error mapping of
 * Connect's answers, credentials, and the per-connector fallback of readLiveConnectors for an old Connect.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlreadyExistsError, BadRequestError, ConflictError, HerderError, HerderTimeoutError, NotFoundError } from '../../src/herder/errors.js';
import { readLiveConnectors, RestHerder, RuntimeUnreachableError } from '../../src/herder/rest-client.js';
import type { RestHerderOptions } from '../../src/herder/rest-client.js';
import { closedPort, startScriptedServer } from './scripted-server.js';
import type { Answer } from './scripted-server.js';

const INFO = { name: 'x', config: { 'connector.class': 'FileStreamSource', name: 'x' }, tasks: [], type: 'source' };
const NO_LEADER = 'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.';

function client(url: string, sleeps: number[], extra: Partial<RestHerderOptions> = {}): RestHerder {
  return new RestHerder({ url, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, ...extra });
}

const err = (status: number, message: string): Answer => ({ status, json: { error_code: status, message } });

test('nothing listening: fails after the configured attempts, naming the URL, with jittered exponential waits', async () => {
  const port = await closedPort();
  const sleeps: number[] = [];
  let attempts = 0;
  const herder = client(`http://127.0.0.1:${port}`, sleeps, { onRequest: () => attempts++ });
  const e = await herder.connectors().catch((x: unknown) => x);
  assert.ok(e instanceof RuntimeUnreachableError, String(e));
  assert.equal(e.message, `cannot reach the runtime at http://127.0.0.1:${port}: connection refused after 8 attempts`);
  assert.equal(attempts, 8);
  // base 500 ms doubling to the 10 s cap; random 0.5 puts each wait at 3/4 of its step.
  assert.deepEqual(sleeps, [375, 750, 1500, 3000, 6000, 7500, 7500]);
});

test('a rebalance 409 is retried until it succeeds; "already exists" and 400 are not retried', async () => {
  const server = await startScriptedServer((req, i) => {
    if (req.url === '/connectors' && req.method === 'POST') {
      const body = JSON.parse(req.body) as { name: string };
      if (body.name === 'dup') return err(409, 'Connector dup already exists');
      if (body.name === 'bad') return err(400, 'Connector configuration is invalid and contains the following 1 error(s):\nMissing required configuration "file"');
      return i < 2 ? err(409, NO_LEADER) : { status: 201, json: { ...INFO, name: body.name } };
    }
    return err(404, 'HTTP 404 Not Found');
  });
  try {
    const sleeps: number[] = [];
    const herder = client(server.url, sleeps);
    const info = await herder.createConnector('x', INFO.config, 'STOPPED');
    assert.equal(info.name, 'x');
    assert.equal(server.requests.length, 3);
    assert.equal(sleeps.length, 2);
    assert.deepEqual(JSON.parse(server.requests[2]!.body), { name: 'x', config: INFO.config, initial_state: 'STOPPED' });

    await assert.rejects(herder.createConnector('dup', {}), AlreadyExistsError);
    assert.equal(server.requests.length, 4);
    const bad = await herder.createConnector('bad', {}).catch((e: unknown) => e);
    assert.ok(bad instanceof BadRequestError);
    assert.match(bad.message, /Missing required configuration "file"/);
    assert.equal(server.requests.length, 5);
    assert.equal(sleeps.length, 2);
  } finally {
    await server.close();
  }
});

test('Connect\'s 500 "a rebalance is expected" (RebalanceNeededException) is retried like a rebalance 409', async () => {
  // Seen from a real Connect distributed worker on a loaded machine: apply's health wait read GET …/tasks right after a
  // create and failed the run, although the next read would have answered.
  const server = await startScriptedServer((_req, i) => (i < 2 ? err(500, 'Request cannot be completed because a rebalance is expected') : { status: 200, json: [] }));
  try {
    const sleeps: number[] = [];
    assert.deepEqual(await client(server.url, sleeps).taskConfigs('x'), []);
    assert.equal(sleeps.length, 2);
  } finally {
    await server.close();
  }
  const always = await startScriptedServer(() => err(500, 'Request cannot be completed because a rebalance is expected'));
  try {
    const e = await client(always.url, []).taskConfigs('x').catch((x: unknown) => x);
    assert.ok(e instanceof ConflictError, String(e));
  } finally {
    await always.close();
  }
});

test('a rebalance that outlasts the retries ends in a ConflictError saying so', async () => {
  const server = await startScriptedServer(() => err(409, 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)'));
  try {
    const herder = client(server.url, [], { retry: { attempts: 3 } });
    const e = await herder.deleteConnector('x').catch((x: unknown) => x);
    assert.ok(e instanceof ConflictError, String(e));
    assert.match(e.message, /conflicting operation .* \(still failing after 3 attempts\)$/);
    assert.equal(server.requests.length, 3);
  } finally {
    await server.close();
  }
});

test('503 while starting and a reset connection are retried', async () => {
  const server = await startScriptedServer((_, i) => (i === 0 ? err(503, 'Worker is still starting up.') : i === 1 ? { destroy: true } : { status: 200, json: ['b', 'a'] }));
  try {
    const sleeps: number[] = [];
    assert.deepEqual(await client(server.url, sleeps).connectors(), ['a', 'b']);
    assert.equal(server.requests.length, 3);
    assert.equal(sleeps.length, 2);
  } finally {
    await server.close();
  }
});

test('Connect\'s answers map to typed errors; a Jersey 404 is not "connector not found"', async () => {
  const server = await startScriptedServer((req) => {
    if (req.url === '/connectors/x/status') return err(404, 'No status found for connector x');
    if (req.url === '/connectors/x/config') return err(500, 'Request timed out. The worker is currently flushing updates to the status topic.');
    if (req.url === '/connectors/x/offsets') return { status: 502, text: '<html>Bad Gateway</html>' };
    if (req.url === '/connectors/x/stop') return err(404, 'HTTP 404 Not Found');
    if (req.url === '/connectors/x') return err(401, 'Unauthorized');
    return err(405, 'HTTP 405 Method Not Allowed');
  });
  try {
    const herder = client(server.url, [], { retry: { attempts: 2 } });
    await assert.rejects(herder.connectorStatus('x'), (e: unknown) => e instanceof NotFoundError && e.message === 'No status found for connector x');
    await assert.rejects(herder.connectorConfig('x'), HerderTimeoutError);
    await assert.rejects(herder.connectorOffsets('x'), (e: unknown) => e instanceof HerderError && e.kind === 'internal' && /HTTP 502: <html>Bad Gateway<\/html>/.test(e.message));
    await assert.rejects(herder.stopConnector('x'), (e: unknown) => e instanceof HerderError && !(e instanceof NotFoundError) && /does not serve PUT \/connectors\/x\/stop/.test(e.message));
    await assert.rejects(herder.connectorInfo('x'), (e: unknown) => e instanceof HerderError && /refused GET \/connectors\/x \(HTTP 401\)/.test(e.message));
    await assert.rejects(herder.patchConnectorConfig('y', {}), (e: unknown) => e instanceof HerderError && /does not support PATCH/.test(e.message));
  } finally {
    await server.close();
  }
});

test('a request that gets no answer times out once, without a retry', async () => {
  const server = await startScriptedServer(() => ({ hang: true }));
  try {
    const e = await client(server.url, [], { timeoutMs: 100 }).pauseConnector('x').catch((x: unknown) => x);
    assert.ok(e instanceof HerderTimeoutError, String(e));
    assert.match(e.message, /no answer from the runtime at http:\/\/127\.0\.0\.1:\d+ within 100 ms \(PUT \/connectors\/x\/pause\)/);
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
  }
});

test('headers and basic auth go with every request; names are URL-encoded; restart sends its options', async () => {
  const server = await startScriptedServer((req) =>
    req.url?.includes('/restart') ? { status: 202, json: { name: 'a/b c', connector: { state: 'RESTARTING', worker_id: 'w' }, tasks: [], type: 'sink' } } : { status: 200, json: { ...INFO, name: 'a/b c' } },
  );
  try {
    const herder = client(server.url, [], { headers: { 'X-Tenant': 'blue' }, basicAuth: { user: 'ann', password: 's3cret:x' } });
    await herder.connectorInfo('a/b c');
    const plan = await herder.restartConnectorAndTasks({ connector: 'a/b c', includeTasks: true, onlyFailed: true });
    assert.equal(plan.connector.state, 'RESTARTING');
    const [first, second] = server.requests;
    assert.equal(first!.url, '/connectors/a%2Fb%20c');
    assert.equal(first!.headers['x-tenant'], 'blue');
    assert.equal(first!.headers['authorization'], `Basic ${Buffer.from('ann:s3cret:x').toString('base64')}`);
    assert.equal(second!.method, 'POST');
    assert.equal(second!.url, '/connectors/a%2Fb%20c/restart?includeTasks=true&onlyFailed=true');
  } finally {
    await server.close();
  }
});

test('readLiveConnectors falls back to per-connector reads when the runtime ignores expand (old Connect)', async () => {
  const status = (name: string, state: string, tasks: string[]) => ({ name, connector: { state, worker_id: 'w' }, tasks: tasks.map((s, id) => ({ id, state: s, worker_id: 'w' })).reverse(), type: 'sink' });
  const server = await startScriptedServer((req) => {
    switch (req.url) {
      case '/connectors?expand=info&expand=status':
      case '/connectors':
        return { status: 200, json: ['b', 'a', 'gone'] };
      case '/connectors/a':
        return { status: 200, json: { ...INFO, name: 'a', type: 'sink' } };
      case '/connectors/a/status':
        return { status: 200, json: status('a', 'RUNNING', ['RUNNING', 'FAILED']) };
      case '/connectors/b':
        return { status: 200, json: { ...INFO, name: 'b', type: 'sink' } };
      case '/connectors/b/status':
        return err(404, 'No status found for connector b');
      default:
        return err(404, 'Connector gone not found');
    }
  });
  try {
    const live = await readLiveConnectors(client(server.url, []));
    assert.deepEqual(live, [
      { name: 'a', config: INFO.config, type: 'sink', state: 'RUNNING', taskStates: ['RUNNING', 'FAILED'] },
      { name: 'b', config: INFO.config, type: 'sink', state: 'UNASSIGNED', taskStates: [] },
    ]);
  } finally {
    await server.close();
  }
});

test('supportsLeases is false on a runtime that answers Jersey\'s 404 or a non-JSON 404; health falls back to GET /', async () => {
  const jersey = await startScriptedServer((req) => (req.url === '/' ? { status: 200, json: { version: '3.6.0', commit: 'c', kafka_cluster_id: 'k' } } : err(404, 'HTTP 404 Not Found')));
  const html = await startScriptedServer(() => ({ status: 404, text: 'No lease named "x" (but not JSON)' }));
  try {
    const connect = client(jersey.url, []);
    assert.equal(await connect.supportsLeases(), false);
    assert.equal((await connect.health()).status, 'healthy');
    await assert.rejects(connect.acquireLease('apply', 'me', 1000), (e: unknown) => e instanceof HerderError && /does not serve PUT \/pipectl\/v1\/leases\/apply/.test(e.message));
    assert.equal(await client(html.url, []).supportsLeases(), false);
  } finally {
    await jersey.close();
    await html.close();
  }
});
