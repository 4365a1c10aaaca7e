/**
 * RestHerder against a real standalone worker process: every Herder operation over HTTP, the typed errors, reading
 * the live state in one request, and the apply lock (leases) through the client.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AlreadyExistsError, BadRequestError, HerderError, NotFoundError } from '../../src/herder/errors.js';
import { LeaseHeldError, readLiveConnectors, readPluginClasses, RestHerder } from '../../src/herder/rest-client.js';
import type { RequestEvent } from '../../src/herder/rest-client.js';
import type { LiveConnectorSnapshot } from '../../src/herder/live-connectors.js';
import type { LiveConnector } from '../../src/plan/types.js';
import { writeTree } from '../support/paths.js';
import { startWorker, waitFor } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';

// The herder's snapshot type must stay assignable to the plan's LiveConnector.
const _compatible: (s: LiveConnectorSnapshot) => LiveConnector = (s) => s;
void _compatible;

let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;
let client: RestHerder;
const events: RequestEvent[] = [];

const GEN = 'io.pipectl.connect.generator.GeneratorSourceConnector';
const genConfig = (extra: Record<string, string> = {}): Record<string, string> => ({
  'connector.class': 'Generator',
  topic: 'orders',
  'tasks.max': '1',
  rate: '5',
  seed: '1',
  ...extra,
});

before(async () => {
  tree = writeTree({});
  worker = await startWorker({ dir: tree.dir, config: { 'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'key.converter': 'org.apache.kafka.connect.json.JsonConverter' } });
  client = new RestHerder({ url: `${worker.url}/`, onRequest: (e) => events.push(e), retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 } });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

async function waitForState(name: string, state: string, tasks: number): Promise<void> {
  await waitFor(`${name} ${state} with ${tasks} tasks`, async () => {
    const s = await client.connectorStatus(name);
    return s.connector.state === state && s.tasks.length === tasks && s.tasks.every((t) => t.state === state);
  });
}

test('server info, health, plugins and plugin config', async () => {
  assert.equal(client.url, worker.url);
  assert.equal(typeof (await client.serverInfo()).version, 'string');
  assert.equal((await client.health()).status, 'healthy');
  const plugins = await client.plugins(true);
  assert.ok(plugins.some((p) => p.class === GEN && p.type === 'source'));
  assert.ok((await client.plugins(false)).length > plugins.length, 'connectorsOnly=false adds transforms and converters');
  assert.ok((await readPluginClasses(client)).includes(GEN));
  const keys = await client.pluginConfig('Generator');
  assert.ok(keys.some((k) => k.name === 'tasks.max'));
  await assert.rejects(client.pluginConfig('NoSuchPlugin'), NotFoundError);
});

test('create, update, patch, lifecycle, restart and delete, with typed errors', async () => {
  const name = 'gen one'; // a space must be URL-encoded
  const info = await client.createConnector(name, genConfig());
  assert.equal(info.name, name);
  assert.equal(info.type, 'source');
  await waitForState(name, 'RUNNING', 1);

  const dup = await client.createConnector(name, genConfig()).catch((e: unknown) => e);
  assert.ok(dup instanceof AlreadyExistsError, String(dup));
  assert.match(dup.message, /already exists/);

  const invalid = await client.createConnector('bad', genConfig({ 'tasks.max': 'many' })).catch((e: unknown) => e);
  assert.ok(invalid instanceof BadRequestError, String(invalid));
  assert.match(invalid.message, /tasks\.max/, 'the 400 carries Connect\'s message');

  await assert.rejects(client.connectorInfo('missing'), NotFoundError);
  await assert.rejects(client.connectorStatus('missing'), NotFoundError);
  await assert.rejects(client.deleteConnector('missing'), NotFoundError);

  const updated = await client.putConnectorConfig(name, genConfig({ seed: '2' }));
  assert.equal(updated.created, false);
  assert.equal(updated.info.config['seed'], '2');
  const created = await client.putConnectorConfig('gen-two', genConfig());
  assert.equal(created.created, true);

  const patched = await client.patchConnectorConfig(name, { seed: '3', rate: null });
  assert.equal(patched.config['seed'], '3');
  assert.equal(patched.config['rate'], undefined, 'null deletes a key');
  assert.equal((await client.connectorConfig(name))['seed'], '3');

  await waitForState(name, 'RUNNING', 1);
  await client.pauseConnector(name);
  await waitForState(name, 'PAUSED', 1);
  await client.resumeConnector(name);
  await waitForState(name, 'RUNNING', 1);

  const plan = await client.restartConnectorAndTasks({ connector: name, includeTasks: true, onlyFailed: false });
  assert.equal(plan.name, name);
  await waitForState(name, 'RUNNING', 1);
  await client.restartConnector(name);
  await client.restartTask(name, 0);
  await waitForState(name, 'RUNNING', 1);
  assert.equal((await client.taskStatus(name, 0)).id, 0);
  assert.equal((await client.taskConfigs(name)).length, 1);
  await assert.rejects(client.restartTask(name, 7), NotFoundError);

  const paused = await client.createConnector('gen-paused', genConfig(), 'PAUSED');
  assert.equal(paused.name, 'gen-paused');
  await waitFor('gen-paused PAUSED', async () => (await client.connectorStatus('gen-paused')).connector.state === 'PAUSED');

  assert.deepEqual(await client.connectors(), ['gen one', 'gen-paused', 'gen-two']);
  await client.deleteConnector('gen-two');
  await client.deleteConnector('gen-paused');
  await assert.rejects(client.connectorInfo('gen-two'), NotFoundError);
});

test('offsets: read, alter and reset only while stopped', async () => {
  const name = 'gen-offsets';
  await client.createConnector(name, genConfig({ rate: '50' }));
  await waitFor('some offsets', async () => (await client.connectorOffsets(name)).offsets.length > 0);
  const running = await client.resetConnectorOffsets(name).catch((e: unknown) => e);
  assert.ok(running instanceof BadRequestError, String(running));
  assert.match(running.message, /STOPPED state/);

  await client.stopConnector(name);
  await waitForState(name, 'STOPPED', 0);
  const { offsets } = await client.connectorOffsets(name);
  const altered = await client.alterConnectorOffsets(name, { offsets: [{ partition: offsets[0]!.partition, offset: { seq: 0 } }] });
  assert.match(altered, /altered successfully/);
  assert.match(await client.resetConnectorOffsets(name), /reset successfully/);
  await client.deleteConnector(name);
});

test('validate resolves with per-key errors; a config without connector.class is a BadRequestError', async () => {
  const ok = await client.validateConnectorConfig({ ...genConfig(), name: 'x', 'connector.class': GEN });
  assert.equal(ok.error_count, 0);
  const bad = await client.validateConnectorConfig({ ...genConfig({ 'tasks.max': 'many' }), name: 'x' });
  assert.ok(bad.error_count > 0);
  const tasksMax = bad.configs.find((c) => c.value.name === 'tasks.max');
  assert.ok(tasksMax && tasksMax.value.errors.length > 0);
  await assert.rejects(client.validateConnectorConfig({ topic: 'x' }), BadRequestError);
});

test('readLiveConnectors reads configs and states in one request', async () => {
  await client.createConnector('live-a', genConfig());
  await client.createConnector('live-b', genConfig(), 'STOPPED');
  await waitForState('live-a', 'RUNNING', 1);
  await waitFor('live-b STOPPED', async () => (await client.connectorStatus('live-b')).connector.state === 'STOPPED');

  events.length = 0;
  const live = await readLiveConnectors(client);
  assert.deepEqual(events.map((e) => `${e.method} ${e.path} ${e.status}`), ['GET /connectors?expand=info&expand=status 200']);
  const a = live.find((c) => c.name === 'live-a');
  const b = live.find((c) => c.name === 'live-b');
  assert.deepEqual(a && { type: a.type, state: a.state, taskStates: a.taskStates, topic: a.config['topic'] }, { type: 'source', state: 'RUNNING', taskStates: ['RUNNING'], topic: 'orders' });
  assert.deepEqual(b && { state: b.state, taskStates: b.taskStates }, { state: 'STOPPED', taskStates: [] });
  assert.deepEqual(live.map((c) => c.name), [...live.map((c) => c.name)].sort());
  await client.deleteConnector('live-a');
  await client.deleteConnector('live-b');
});

test('leases through the client: acquire, conflict, renew, release', async () => {
  assert.equal(await client.supportsLeases(), true);
  assert.equal(await client.getLease('apply'), undefined);
  const first = await client.acquireLease('apply', 'alice@host 1', 60_000);
  assert.equal(first.holder, 'alice@host 1');
  assert.ok(Date.parse(first.expires_at) > Date.now());

  events.length = 0;
  const held = await client.acquireLease('apply', 'bob@host 2', 60_000).catch((e: unknown) => e);
  assert.ok(held instanceof LeaseHeldError, String(held));
  assert.equal(held.holder, 'alice@host 1');
  assert.equal(held.expiresAt, first.expires_at);
  assert.match(held.message, /^lease apply is held by alice@host 1 until \d{4}-/);
  assert.equal(events.length, 1, 'a held lease is not retried');

  await new Promise((r) => setTimeout(r, 5));
  const renewed = await client.renewLease('apply', 'alice@host 1', 120_000);
  assert.ok(Date.parse(renewed.expires_at) > Date.parse(first.expires_at));
  assert.equal((await client.getLease('apply'))?.holder, 'alice@host 1');

  await assert.rejects(client.releaseLease('apply', 'bob@host 2'), LeaseHeldError);
  assert.equal(await client.releaseLease('apply', 'alice@host 1'), true);
  assert.equal(await client.releaseLease('apply', 'alice@host 1'), false);
  assert.equal((await client.acquireLease('apply', 'bob@host 2', 1000)).holder, 'bob@host 2');
  await client.releaseLease('apply', 'bob@host 2');
});

test('a lease request with a bad body is a BadRequestError', async () => {
  await assert.rejects(client.acquireLease('apply', '', 1000), (e: unknown) => e instanceof BadRequestError && /holder/.test(e.message));
  await assert.rejects(client.acquireLease('apply', 'x', -5), (e: unknown) => e instanceof HerderError && e.kind === 'bad_request');
});

test('topics through the client: list, create, change (partitions up, config patch) with typed errors', async () => {
  await client.createTopic('client-topic', { partitions: 2, config: { 'cleanup.policy': 'delete' } });
  await client.createTopic('client-topic', { partitions: 2, config: {} }); // existing: not an error
  const changed = await client.alterTopic('client-topic', { partitions: 3, config: { 'retention.ms': '60000', 'cleanup.policy': null } });
  assert.deepEqual(changed, { name: 'client-topic', partitions: 3, replicationFactor: 1, config: { 'retention.ms': '60000' } });
  assert.deepEqual((await client.listTopics())?.find((t) => t.name === 'client-topic'), changed);
  await assert.rejects(client.alterTopic('client-topic', { partitions: 2 }), (e: unknown) => e instanceof BadRequestError && /can only grow/.test(e.message));
  await assert.rejects(client.alterTopic('no-such-topic', { partitions: 2 }), NotFoundError);
});

test('every connector path is percent-encoded: a name with ?, #, %, spaces and dots round-trips; "." and ".." are refused without a request', async () => {
  const name = 'we?ird #1 %2e..name';
  await client.createConnector(name, genConfig({ 'tasks.max': '1' }));
  await waitForState(name, 'RUNNING', 1);
  assert.equal((await client.connectorConfig(name))['topic'], 'orders');
  assert.equal((await client.taskConfigs(name)).length, 1);
  assert.equal((await client.connectorInfo(name)).name, name);
  await client.pauseConnector(name);
  await client.resumeConnector(name);
  await client.restartConnectorAndTasks({ connector: name, includeTasks: true, onlyFailed: false });
  assert.equal((await client.taskStatus(name, 0)).id, 0);
  assert.ok((await client.connectors()).includes(name));
  await client.deleteConnector(name);
  for (const bad of ['.', '..']) {
    const before = events.length;
    for (const call of [() => client.connectorStatus(bad), () => client.createConnector(bad, genConfig()), () => client.putConnectorConfig(bad, genConfig()), () => client.deleteConnector(bad)]) {
      await assert.rejects(call(), (e: unknown) => e instanceof BadRequestError && /cannot be addressed in a REST path/.test((e as Error).message));
    }
    assert.equal(events.length, before, `no request was sent for "${bad}"`);
  }
});
