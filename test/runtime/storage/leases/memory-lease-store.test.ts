/**
 * Leases (the apply lock): the MemoryLeaseStore with an injected clock, the /pipectl/v1/leases routes in-process
 * (expiry without sleeping), and the same routes on a real standalone worker process.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startRestServer } from '../../../../src/runtime/rest/rest-server.js';
import type { RestServer } from '../../../../src/runtime/rest/rest-server.js';
import { MemoryLeaseStore } from '../../../../src/runtime/storage/leases/memory-lease-store.js';
import { StoreError } from '../../../../src/runtime/storage/kafka-topics/store-error.js';
import type { LeaseStore } from '../../../../src/runtime/storage/leases/lease-store.js';
import { MemoryHerder } from '../../../support/memory-herder.js';
import { writeTree } from '../../../support/paths.js';
import { http, startWorker } from '../../../support/worker-process.js';
import type { WorkerProcess } from '../../../support/worker-process.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');

test('MemoryLeaseStore: acquire, renew by the holder, conflict, expiry and release', async () => {
  let now = T0;
  const store = new MemoryLeaseStore({ now: () => now });
  assert.deepEqual(await store.acquire('apply', 'alice', 1000), { ok: true, lease: { name: 'apply', holder: 'alice', expiresAt: T0 + 1000 } });
  now += 500;
  assert.deepEqual(await store.acquire('apply', 'bob', 1000), { ok: false, heldBy: { name: 'apply', holder: 'alice', expiresAt: T0 + 1000 } });
  assert.deepEqual(await store.acquire('apply', 'alice', 1000), { ok: true, lease: { name: 'apply', holder: 'alice', expiresAt: T0 + 1500 } }, 'renewal');
  assert.deepEqual(await store.release('apply', 'bob'), { ok: false, reason: 'held', heldBy: { name: 'apply', holder: 'alice', expiresAt: T0 + 1500 } });
  now = T0 + 1500; // expiresAt is exclusive
  assert.equal(await store.get('apply'), undefined);
  assert.deepEqual(await store.release('apply', 'alice'), { ok: false, reason: 'none' });
  assert.equal((await store.acquire('apply', 'bob', 1000)).ok, true, 'an expired lease is free');
  assert.deepEqual(await store.release('apply', 'bob'), { ok: true });
  assert.equal(await store.get('apply'), undefined);
  assert.equal((await store.acquire('other', 'carol', 10)).ok, true, 'leases are independent by name');
});

let now = T0;
let server: RestServer;
let plain: RestServer;

before(async () => {
  server = await startRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0', leases: new MemoryLeaseStore({ now: () => now }) });
  plain = await startRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0' });
});

after(async () => {
  await server?.close();
  await plain?.close();
});

test('lease routes in-process: acquire, renew, conflict, expiry with an injected clock, release', async () => {
  const url = `${server.url}/pipectl/v1/leases/apply`;
  now = T0;
  assert.deepEqual(await http('GET', url).then((r) => [r.status, r.body]), [404, { error_code: 404, message: 'No lease named "apply"' }]);

  const taken = await http('PUT', url, { holder: 'alice@h 1', ttl_ms: 60_000 });
  assert.equal(taken.status, 200);
  assert.deepEqual(taken.body, { name: 'apply', holder: 'alice@h 1', expires_at: '2030-01-01T00:01:00.000Z' });

  now = T0 + 30_000;
  const conflict = await http('PUT', url, { holder: 'bob@h 2', ttl_ms: 60_000 });
  assert.equal(conflict.status, 409);
  assert.deepEqual(conflict.body, {
    error_code: 409,
    message: 'lease apply is held by alice@h 1 until 2030-01-01T00:01:00.000Z',
    holder: 'alice@h 1',
    expires_at: '2030-01-01T00:01:00.000Z',
  });

  const renewed = await http('PUT', url, { holder: 'alice@h 1', ttl_ms: 60_000 });
  assert.equal(renewed.body.expires_at, '2030-01-01T00:01:30.000Z');
  assert.equal((await http('GET', url)).body.holder, 'alice@h 1');
  assert.equal((await http('DELETE', `${url}?holder=${encodeURIComponent('bob@h 2')}`)).status, 409);

  now = T0 + 90_000; // expired
  assert.equal((await http('GET', url)).status, 404);
  const bob = await http('PUT', url, { holder: 'bob@h 2' });
  assert.equal(bob.status, 200);
  assert.equal(bob.body.expires_at, '2030-01-01T00:02:30.000Z', 'ttl_ms defaults to 60 s');
  assert.equal((await http('DELETE', `${url}?holder=${encodeURIComponent('alice@h 1')}`)).status, 409);
  const released = await http('DELETE', `${url}?holder=${encodeURIComponent('bob@h 2')}`);
  assert.equal(released.status, 204);
  assert.equal((await http('DELETE', `${url}?holder=${encodeURIComponent('bob@h 2')}`)).status, 404);
});

test('lease routes reject bad requests with 400 and the error body', async () => {
  const url = `${server.url}/pipectl/v1/leases/apply`;
  for (const body of [undefined, [], { ttl_ms: 1000 }, { holder: '' }, { holder: 'a', ttl_ms: 0 }, { holder: 'a', ttl_ms: 1.5 }, { holder: 'a', ttl_ms: '100' }, { holder: 'a', extra: 1 }]) {
    const r = await http('PUT', url, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.deepEqual(Object.keys(r.body).sort(), ['error_code', 'message']);
  }
  assert.equal((await http('DELETE', url)).status, 400, 'holder is required to release');
  assert.equal((await http('POST', url)).status, 405);
});

test('without a lease store the routes do not exist (as on Kafka Connect)', async () => {
  const r = await http('GET', `${plain.url}/pipectl/v1/leases/apply`);
  assert.deepEqual([r.status, r.body], [404, { error_code: 404, message: 'HTTP 404 Not Found' }]);
});

test('a real standalone worker serves the lease routes', async () => {
  const tree = writeTree({});
  let worker: WorkerProcess | undefined;
  try {
    worker = await startWorker({ dir: tree.dir });
    const url = `${worker.url}/pipectl/v1/leases/apply`;
    assert.equal((await http('PUT', url, { holder: 'alice', ttl_ms: 60_000 })).status, 200);
    const held = await http('PUT', url, { holder: 'bob', ttl_ms: 60_000 });
    assert.equal(held.status, 409);
    assert.match(held.body.message, /^lease apply is held by alice until /);
    assert.equal((await http('GET', url)).body.holder, 'alice');
    assert.equal((await http('DELETE', `${url}?holder=alice`)).status, 204);
    assert.equal((await http('GET', url)).status, 404);
  } finally {
    await worker?.stop();
    tree.cleanup();
  }
});

test('a registry that rejects (a lease topic that cannot be written) is answered 500 with its message; the server goes on', async () => {
  const failing = new StoreError('PIPECTL_STORE_WRITE_FAILED', 'acquiring lease "apply": writing to the lease topic failed: broker down');
  const registry: LeaseStore = { acquire: () => Promise.reject(failing), release: () => Promise.reject(failing), get: () => Promise.reject(failing) };
  const broken = await startRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0', leases: registry });
  try {
    const url = `${broken.url}/pipectl/v1/leases/apply`;
    for (const r of [await http('PUT', url, { holder: 'alice' }), await http('DELETE', `${url}?holder=alice`), await http('GET', url)]) {
      assert.deepEqual([r.status, r.body], [500, { error_code: 500, message: failing.message }]);
    }
    assert.equal((await http('GET', `${broken.url}/`)).status, 200, 'the worker still answers');
  } finally {
    await broken.close();
  }
});
