/**
 * KIP-507 between real worker processes on the test broker (connect.protocol=sessioned, the default): the leader
 * writes a session key; a connector that runs on the follower gets its tasks through the follower's signed
 * `POST /connectors/{n}/tasks` to the leader; a forged request to the leader is refused (no signature 400, a wrong one
 * 403) and leaves the task configs as they were. A worker with connect.protocol=compatible downgrades the group
 * (warning, verification off) until it leaves (back to sessioned).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kafkaBootstrap, uniqueGroup } from '../../support/kafka.js';
import { http, waitFor } from '../../support/worker-process.js';
import { logTails, readWholeTopic, startCluster, statuses, workerIdOf } from './cluster-support.js';

/** A POST with exactly these body bytes and headers. */
function post(url: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: { error_code?: number; message?: string } | null }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as { message?: string }) : null });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('sessioned cluster: a follower-owned connector gets its tasks through a signed request; forged requests to the leader are refused', { timeout: 240_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-kip507-'));
  const bootstrap = await kafkaBootstrap();
  const id = uniqueGroup('kip507');
  const cluster = await startCluster({ dir, bootstrap, id, size: 2 });
  try {
    const leader = await waitFor('the leader writes a session key', () => cluster.workers.find((w) => /new session key written to the config topic/.test(w.log())), 60_000, 100);
    const follower = cluster.workers.find((w) => w !== leader)!;
    assert.doesNotMatch(follower.log(), /new session key written/, 'only the leader writes the session key');
    // The session key record as Connect writes it (the key itself is never logged).
    const records = await readWholeTopic(bootstrap, `${id}-configs`);
    const key = records.map((v) => (v === null ? null : (JSON.parse(v) as Record<string, unknown>))).find((v) => v !== null && 'creation-timestamp' in v)!;
    assert.deepEqual(Object.keys(key), ['key', 'algorithm', 'creation-timestamp']);
    assert.equal(key['algorithm'], 'HmacSHA256');
    assert.equal(Buffer.from(key['key'] as string, 'base64').length, 32);
    for (const w of cluster.workers) assert.ok(!w.log().includes(key['key'] as string), 'no key bytes in a log');

    // Two connectors: the assignor puts one Connector instance on each worker.
    for (const name of ['gen-a', 'gen-b']) {
      const config = { 'connector.class': 'Generator', 'tasks.max': '2', topic: `${id}-${name}`, rate: '5', shape: 'flat' };
      const r = await waitFor(`create ${name}`, async () => {
        const res = await http('POST', `${leader.url}/connectors`, { name, config });
        return res.status === 409 ? undefined : res;
      }, 60_000, 200);
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const onFollower = await waitFor('a connector running on the follower with its 2 tasks RUNNING', async () => {
      const all = await statuses(leader.url);
      return all.find((s) => s.connector.worker_id === workerIdOf(follower) && s.connector.state === 'RUNNING' && s.tasks.length === 2 && s.tasks.every((x) => x.state === 'RUNNING'));
    }, 120_000, 250);
    const name = onFollower.name;
    assert.match(follower.log(), new RegExp(`task configs sent to the leader.*connector=${name}.*signed=true`));
    assert.match(leader.log(), new RegExp(`task configs written for another worker.*connector=${name}`));

    // Forged requests to the leader.
    const before = (await http('GET', `${leader.url}/connectors/${name}/tasks`)).body as unknown;
    const forged = Buffer.from(JSON.stringify([{ 'connector.class': 'Generator', topic: 'forged', 'task.class': 'x' }]));
    const unsigned = await post(`${leader.url}/connectors/${name}/tasks?forward=true`, forged, {});
    assert.equal(unsigned.status, 400);
    assert.deepEqual(unsigned.body, { error_code: 400, message: 'Internal request missing required signature' });
    const wrong = await post(`${leader.url}/connectors/${name}/tasks?forward=true`, forged, { 'X-Connect-Authorization': randomBytes(32).toString('base64'), 'X-Connect-Request-Signature-Algorithm': 'HmacSHA256' });
    assert.equal(wrong.status, 403);
    assert.deepEqual(wrong.body, { error_code: 403, message: 'Internal request contained invalid signature.' });
    const badAlg = await post(`${leader.url}/connectors/${name}/tasks`, forged, { 'X-Connect-Authorization': randomBytes(64).toString('base64'), 'X-Connect-Request-Signature-Algorithm': 'HmacSHA512' });
    assert.equal(badAlg.status, 400);
    assert.match(badAlg.body!.message!, /does not support the 'HmacSHA512' key signing algorithm/);
    assert.deepEqual((await http('GET', `${leader.url}/connectors/${name}/tasks`)).body, before, 'task configs unchanged by the forged requests');
    assert.doesNotMatch(JSON.stringify(await http('GET', `${follower.url}/connectors/${name}/tasks`)), /forged/);

    // A worker that only speaks `compatible` joins: the group downgrades and the leader stops verifying.
    const current = Buffer.from(JSON.stringify((before as { config: Record<string, string> }[]).map((x) => x.config)));
    const old = await cluster.add({ 'connect.protocol': 'compatible' });
    await waitFor('the downgrade warning on the leader', () => /WARN the group runs the compatible protocol, not sessioned/.test(leader.log()), 60_000, 100);
    const unverified = await waitFor('an unsigned request accepted while the group is not sessioned', async () => {
      const r = await post(`${leader.url}/connectors/${name}/tasks`, current, {});
      return r.status === 409 ? undefined : r;
    }, 60_000, 250);
    assert.equal(unverified.status, 204, JSON.stringify(unverified.body));
    await cluster.remove(old, 'stop');
    await waitFor('back to sessioned on the leader', () => /the group runs the sessioned protocol again/.test(leader.log()), 60_000, 100);
    const refusedAgain = await waitFor('unsigned requests refused again', async () => {
      const r = await post(`${leader.url}/connectors/${name}/tasks`, current, {});
      return r.status === 409 ? undefined : r;
    }, 60_000, 250);
    assert.equal(refusedAgain.status, 400);
  } catch (e) {
    t.diagnostic(logTails(cluster).join('\n'));
    throw e;
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

