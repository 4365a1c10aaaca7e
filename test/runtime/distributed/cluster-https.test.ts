/**
 * A cluster whose REST listeners are https only, mutual TLS required, Basic auth on: what one worker cannot answer
 * itself (a create on a follower, the task configs of a connector a follower runs — signed, KIP-507) goes to the leader
 * over https with the worker's own key store as its client certificate and the caller's credentials, as Connect does.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeRequest } from '../../../src/herder/node-request.js';
import { kafkaBootstrap, uniqueGroup } from '../../support/kafka.js';
import { httpsWorkerConfig, makeTestCerts, writeBasicAuthUsers } from '../../support/tls-certs.js';
import { waitFor } from '../../support/worker-process.js';
import { allRunningOn, logTails, startCluster, workerIdOf } from './cluster-support.js';
import type { Cluster, ConnectorStatus } from './cluster-support.js';

const PASSWORD = 'cluster-https-password-do-not-log';

test('https-only workers with mutual TLS and Basic auth: creates through either worker are forwarded, tasks run on both, no secret logged', { timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-cluster-https-'));
  const certs = makeTestCerts(dir);
  const jaas = writeBasicAuthUsers(dir, { deployer: PASSWORD });
  const tls = { ca: readFileSync(certs.caPem), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) };
  const authorization = `Basic ${Buffer.from(`deployer:${PASSWORD}`).toString('base64')}`;
  const call = async (method: string, url: string, body?: unknown, auth = true): Promise<{ status: number; body: unknown }> => {
    const headers: Record<string, string> = { ...(auth ? { authorization } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const res = await nodeRequest(url, { method, headers, tls, signal: AbortSignal.timeout(30_000), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    // A 401 is Connect's plain-text `User cannot access the resource.`, not JSON.
    return { status: res.status, body: res.status === 401 || !res.text ? res.text : (JSON.parse(res.text) as unknown) };
  };
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster({ dir, bootstrap: await kafkaBootstrap(), id: uniqueGroup('cluster-https'), size: 2, config: httpsWorkerConfig(certs, jaas) });
    const [a, b] = cluster.workers as [NonNullable<Cluster['workers'][0]>, NonNullable<Cluster['workers'][0]>];
    assert.match(a.url, /^https:/);
    writeFileSync(join(dir, 'in.txt'), 'one\ntwo\n');
    const create = async (url: string, name: string, config: Record<string, string>): Promise<void> => {
      const r = await waitFor(`create ${name}`, async () => {
        const res = await call('POST', `${url}/connectors`, { name, config });
        return res.status === 409 ? undefined : res; // a rebalance under way
      }, 90_000, 250);
      assert.equal(r.status, 201, JSON.stringify(r.body));
    };
    // Through both workers: one of them is a follower, whose create is forwarded to the leader.
    for (let i = 0; i < 2; i++) {
      await create(a.url, `a-src-${i}`, { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: join(dir, 'in.txt'), topic: `${uniqueGroup('https')}-${i}` });
      await create(b.url, `b-src-${i}`, { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: join(dir, 'in.txt'), topic: `${uniqueGroup('https')}-b${i}` });
    }
    const ids = [workerIdOf(a), workerIdOf(b)];
    const statusesOver = async (url: string): Promise<ConnectorStatus[]> => {
      const r = await call('GET', `${url}/connectors?expand=status`);
      return r.status === 200 ? Object.values(r.body as Record<string, { status: ConnectorStatus }>).map((e) => e.status) : [];
    };
    const all = await waitFor('4 connectors and their tasks RUNNING, spread over both workers', async () => {
      const s = await statusesOver(b.url);
      return allRunningOn(s, 4, 1, ids) && new Set(s.flatMap((x) => x.tasks.map((task) => task.worker_id))).size === 2 ? s : undefined;
    }, 120_000, 250);
    t.diagnostic(`tasks on: ${all.map((s) => `${s.name}→${s.tasks.map((x) => x.worker_id).join(',')}`).join(' ')}`);
    // The follower's connectors sent their task configs to the leader over https, signed (KIP-507), past Basic auth.
    const follower = [a, b].find((w) => /task configs sent to the leader.*signed=true/.test(w.log()));
    assert.ok(follower, 'a follower sent task configs to the leader, signed');
    assert.match((follower === a ? b : a).log(), /task configs written for another worker/);

    // Without credentials: 401 on both workers, forwarded or not.
    for (const w of [a, b]) assert.equal((await call('POST', `${w.url}/connectors`, { name: 'anon', config: { 'connector.class': 'FileStreamSource', file: 'x', topic: 'x' } }, false)).status, 401);
    for (const w of cluster.workers) {
      const log = w.log();
      assert.ok(!log.includes(PASSWORD) && !log.includes(certs.keystorePassword), 'no password in a worker log');
    }
  } catch (e) {
    if (cluster) for (const tail of logTails(cluster)) t.diagnostic(tail);
    throw e;
  } finally {
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
