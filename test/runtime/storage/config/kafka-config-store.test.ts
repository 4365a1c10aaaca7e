/**
 * KafkaConfigStore over the in-memory topic: Connect's record formats byte for byte, the read semantics (task configs
 * effective only at a complete commit, tombstones, target-state fallbacks, listeners only after start), several
 * store instances on one topic behaving like several workers, and typed errors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RestartRequest } from '../../../../src/herder/types.js';
import { parseConfigKey } from '../../../../src/runtime/storage/config/config-records.js';
import { KafkaConfigStore } from '../../../../src/runtime/storage/config/kafka-config-store.js';
import type { ConfigChangeListener } from '../../../../src/runtime/storage/config/config-store.js';
import { StoreError } from '../../../../src/runtime/storage/kafka-topics/store-error.js';
import type { Logger } from '../../../../src/runtime/logger.js';
import { MemoryInternalLog, MemoryTopic } from '../kafka-topics/memory-internal-log.js';

function recorder(): ConfigChangeListener & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    onConnectorConfig: (n) => events.push(`config ${n}`),
    onConnectorRemoved: (n) => events.push(`removed ${n}`),
    onTaskConfigs: (n) => events.push(`tasks ${n}`),
    onTargetState: (n) => events.push(`target ${n}`),
    onRestartRequest: (r: RestartRequest) => events.push(`restart ${r.connector} tasks=${r.includeTasks} failed=${r.onlyFailed}`),
  };
}

function warnings(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (m: string): void => void lines.push(m);
  return { lines, debug() {}, info() {}, warn: push, error: push };
}

async function worker(topic: MemoryTopic, extra: Partial<ConstructorParameters<typeof KafkaConfigStore>[0]> = {}) {
  const log = new MemoryInternalLog(topic);
  const listener = recorder();
  const store = new KafkaConfigStore({ log, listener, ...extra });
  await store.start();
  return { log, store, events: listener.events };
}

/** Appends raw config-topic records (key, JSON text or null) as another writer would. */
function append(topic: MemoryTopic, ...records: [string, string | null][]): void {
  topic.append(records.map(([k, v]) => ({ key: Buffer.from(k), value: v === null ? null : Buffer.from(v) })));
}

const CONFIG = { name: 'c', 'connector.class': 'FileStreamSource', file: '${env:SOURCE_FILE}' };

test('writes Connect\'s records byte for byte (raw configs, references unresolved)', async () => {
  const topic = new MemoryTopic();
  const { store } = await worker(topic);
  await store.putConnectorConfig('c', CONFIG, 'STOPPED');
  await store.putTaskConfigs('c', [{ task: '0' }, { task: '1' }]);
  await store.putTargetState('c', 'STARTED');
  await store.putRestartRequest({ connector: 'c', includeTasks: true, onlyFailed: false });
  await store.removeConnector('c');
  assert.deepEqual(topic.dump().map((r) => [r.key, r.value]), [
    ['target-state-c', '{"state":"PAUSED","state.v2":"STOPPED"}'],
    ['connector-c', '{"properties":{"name":"c","connector.class":"FileStreamSource","file":"${env:SOURCE_FILE}"}}'],
    ['task-c-0', '{"properties":{"task":"0"}}'],
    ['task-c-1', '{"properties":{"task":"1"}}'],
    ['commit-c', '{"tasks":2}'],
    ['target-state-c', '{"state":"STARTED","state.v2":"STARTED"}'],
    ['restart-connector-c', '{"include-tasks":true,"only-failed":false}'],
    ['connector-c', null],
    ['target-state-c', null],
  ]);
});

test('a config written by one worker is seen by another after refresh, with its listener called', async () => {
  const topic = new MemoryTopic();
  const a = await worker(topic);
  const b = await worker(topic);
  await a.store.putConnectorConfig('c', CONFIG);
  assert.deepEqual(b.store.view().connectors(), [], 'not read yet');
  await b.store.refresh();
  const view = b.store.view();
  assert.deepEqual(view.connectors(), ['c']);
  assert.deepEqual(view.connectorConfig('c'), CONFIG);
  assert.equal(view.targetState('c'), 'STARTED', 'no target-state record: STARTED');
  assert.equal(view.targetState('other'), undefined);
  assert.equal(view.offset, 1, 'last consumed offset + 1');
  assert.deepEqual(b.events, ['config c']);
  assert.ok(Object.isFrozen(view.connectorConfig('c')));
});

test('task configs stay invisible until their commit, then appear together', async () => {
  const topic = new MemoryTopic();
  const { store, events } = await worker(topic);
  append(topic, ['connector-c', '{"properties":{"name":"c"}}'], ['task-c-0', '{"properties":{"t":"0"}}'], ['task-c-1', '{"properties":{"t":"1"}}']);
  await store.refresh();
  assert.deepEqual(store.view().taskConfigs('c'), []);
  assert.equal(store.view().taskCount('c'), 0);
  append(topic, ['commit-c', '{"tasks":2}']);
  await store.refresh();
  assert.deepEqual(store.view().taskConfigs('c'), [{ t: '0' }, { t: '1' }]);
  assert.equal(store.view().taskConfigGeneration('c'), 0);
  assert.deepEqual(store.view().appliedConnectorConfig('c'), { name: 'c' });
  assert.deepEqual(events, ['config c', 'tasks c']);
});

test('an incomplete commit marks the connector inconsistent until a complete one; extra task ids are tolerated', async () => {
  const topic = new MemoryTopic();
  const { store } = await worker(topic);
  append(topic, ['connector-c', '{"properties":{}}'], ['task-c-1', '{"properties":{"t":"1"}}'], ['commit-c', '{"tasks":2}']);
  await store.refresh();
  let view = store.view();
  assert.deepEqual(view.inconsistentConnectors(), ['c']);
  assert.deepEqual(view.taskConfigs('c'), []);
  assert.equal(view.taskCount('c'), 2);
  // the buffer was cleared by the failed commit: task 1 alone again is still incomplete
  append(topic, ['task-c-0', '{"properties":{"t":"0"}}'], ['commit-c', '{"tasks":2}']);
  await store.refresh();
  assert.deepEqual(store.view().inconsistentConnectors(), ['c']);
  // a stale higher-numbered task (left by compaction) does not make a commit incomplete
  append(topic, ['task-c-0', '{"properties":{"t":"0"}}'], ['task-c-1', '{"properties":{"t":"1"}}'], ['task-c-5', '{"properties":{}}'], ['commit-c', '{"tasks":2}']);
  await store.refresh();
  view = store.view();
  assert.deepEqual(view.inconsistentConnectors(), []);
  assert.deepEqual(view.taskConfigs('c'), [{ t: '0' }, { t: '1' }]);
});

test('concurrent writes of one connector\'s task configs (the leader answering two forwarded requests) do not interleave: the connector stays consistent', async () => {
  const topic = new MemoryTopic();
  const { store } = await worker(topic);
  await store.putConnectorConfig('c', CONFIG, 'STARTED');
  // The chaos run that found it: a worker restarted its connector twice within a second and forwarded the same task
  // configs twice; the leader's two writes interleaved (task-0, task-0, task-1, task-1, commit, commit), so the
  // second commit found its tasks taken by the first and marked the connector inconsistent — with no task, for good.
  await Promise.all([store.putTaskConfigs('c', [{ t: 'a0' }, { t: 'a1' }]), store.putTaskConfigs('c', [{ t: 'b0' }, { t: 'b1' }]), store.putTaskConfigs('c', [{ t: 'c0' }])]);
  const keys = topic.dump().map((r) => r.key ?? '').filter((k) => k.startsWith('task-') || k.startsWith('commit-'));
  assert.deepEqual(keys, ['task-c-0', 'task-c-1', 'commit-c', 'task-c-0', 'task-c-1', 'commit-c', 'task-c-0', 'commit-c'], 'each write whole, one after the other');
  const { store: reader } = await worker(topic);
  assert.deepEqual(reader.view().inconsistentConnectors(), []);
  assert.deepEqual(reader.view().taskConfigs('c'), [{ t: 'c0' }]);
  assert.deepEqual(store.view().inconsistentConnectors(), []);
});

test('a worker starting on a compacted topic sees the latest committed task configs', async () => {
  const topic = new MemoryTopic();
  const { store } = await worker(topic);
  await store.putConnectorConfig('c', CONFIG);
  await store.putTaskConfigs('c', [{ t: 'a0' }, { t: 'a1' }, { t: 'a2' }]);
  await store.putTaskConfigs('c', [{ t: 'b0' }]);
  topic.compact();
  const late = await worker(topic);
  assert.deepEqual(late.store.view().taskConfigs('c'), [{ t: 'b0' }]);
  assert.deepEqual(late.store.view().inconsistentConnectors(), []);
  assert.deepEqual(late.events, [], 'no listener calls for what start() read');
});

test('removing a connector drops its config, target state and tasks everywhere', async () => {
  const topic = new MemoryTopic();
  const a = await worker(topic);
  const b = await worker(topic);
  await a.store.putConnectorConfig('c', CONFIG, 'PAUSED');
  await a.store.putTaskConfigs('c', [{ t: '0' }]);
  await b.store.refresh();
  const before = b.store.view();
  await a.store.removeConnector('c');
  await b.store.refresh();
  const view = b.store.view();
  assert.deepEqual(view.connectors(), []);
  assert.equal(view.connectorConfig('c'), undefined);
  assert.equal(view.targetState('c'), undefined);
  assert.equal(view.taskCount('c'), 0);
  assert.deepEqual(view.taskConfigs('c'), []);
  assert.deepEqual(b.events, ['config c', 'tasks c', 'removed c']);
  assert.deepEqual(before.taskConfigs('c'), [{ t: '0' }], 'an earlier view does not change');
  assert.equal(before.targetState('c'), 'PAUSED');
});

test('a commit for a connector whose config was compacted away is dropped', async () => {
  const topic = new MemoryTopic();
  append(topic, ['task-gone-0', '{"properties":{}}'], ['commit-gone', '{"tasks":1}']);
  const { store } = await worker(topic);
  assert.deepEqual(store.view().connectors(), []);
  assert.equal(store.view().taskCount('gone'), 0);
});

test('target states: state.v2 wins, older records fall back to state, a tombstone resets to STARTED while the config exists', async () => {
  const cases: [string, string | null, string | undefined][] = [
    ['{"state":"PAUSED","state.v2":"STOPPED"}', null, 'STOPPED'],
    ['{"state":"PAUSED"}', null, 'PAUSED'],
    ['{"state":"PAUSED","state.v2":7}', null, 'PAUSED'],
    ['{"state":"PAUSED"}', 'null-tombstone', 'STARTED'],
    ['{"state":"BOGUS"}', null, 'STARTED'],
  ];
  for (const [value, then, expected] of cases) {
    const topic = new MemoryTopic();
    append(topic, ['connector-c', '{"properties":{}}'], ['target-state-c', value]);
    if (then) append(topic, ['target-state-c', null]);
    const { store } = await worker(topic);
    assert.equal(store.view().targetState('c'), expected, value);
  }
});

test('an initial target state written before the config is kept; listeners fire only for real changes of existing connectors', async () => {
  const topic = new MemoryTopic();
  const a = await worker(topic);
  const b = await worker(topic);
  await a.store.putConnectorConfig('c', CONFIG, 'STOPPED');
  await a.store.putTargetState('c', 'STOPPED');
  await a.store.putTargetState('c', 'STARTED');
  await b.store.refresh();
  assert.equal(b.store.view().targetState('c'), 'STARTED');
  assert.deepEqual(b.events, ['config c', 'target c']);
});

test('restart requests reach the listener only when written after start', async () => {
  const topic = new MemoryTopic();
  append(topic, ['connector-c', '{"properties":{}}'], ['restart-connector-c', '{"include-tasks":true,"only-failed":true}']);
  const { store, events } = await worker(topic);
  assert.deepEqual(events, []);
  append(topic, ['restart-connector-c', '{"include-tasks":true}']);
  await store.putRestartRequest({ connector: 'c', includeTasks: false, onlyFailed: true });
  assert.deepEqual(events, ['restart c tasks=true failed=false', 'restart c tasks=false failed=true']);
});

test('keys: the task id is the number after the last dash; Connect\'s other keys are ignored; the rest is invalid', () => {
  const cases: [string, unknown][] = [
    ['connector-my-conn-2', { kind: 'connector', connector: 'my-conn-2' }],
    ['task-my-conn-2-10', { kind: 'task', connector: 'my-conn-2', task: 10 }],
    ['task--0', { kind: 'task', connector: '', task: 0 }],
    ['task-c-', undefined],
    ['task-0', undefined],
    ['task-c-x', undefined],
    ['task-c-99999999999', undefined],
    ['commit-a-b', { kind: 'commit', connector: 'a-b' }],
    ['target-state-connector-x', { kind: 'target-state', connector: 'connector-x' }],
    ['restart-connector-c', { kind: 'restart', connector: 'c' }],
    ['tasks-fencing-c', { kind: 'ignored' }],
    ['session-key', { kind: 'session-key' }],
    ['logger-cluster-org.apache', { kind: 'ignored' }],
    ['something-else', undefined],
  ];
  for (const [key, expected] of cases) assert.deepEqual(parseConfigKey(key), expected, key);
});

test('malformed records are skipped and logged; an unreadable value does not advance the offset', async () => {
  const topic = new MemoryTopic();
  const logger = warnings();
  append(topic, ['connector-c', '{"properties":{"a":"1"}}'], ['connector-c', '{"properties":{"a":1}}'], ['connector-d', '[1]'], ['commit-c', '{"tasks":"x"}'], ['nonsense', '{}']);
  append(topic, ['connector-e', '{not json']);
  const { store } = await worker(topic, { logger });
  assert.deepEqual(store.view().connectors(), ['c']);
  assert.deepEqual(store.view().connectorConfig('c'), { a: '1' });
  assert.equal(store.view().offset, 5);
  assert.equal(logger.lines.length, 5);
});

test('errors: writes before start, failed sends, failed reads and an expired budget are StoreErrors', async () => {
  const topic = new MemoryTopic();
  const unstarted = new KafkaConfigStore({ log: new MemoryInternalLog(topic) });
  await assert.rejects(unstarted.putConnectorConfig('c', CONFIG), { name: 'StoreError', code: 'PIPECTL_STORE_NOT_STARTED' });

  const { log, store } = await worker(topic);
  log.beforeSend = () => {
    throw new Error('NOT_ENOUGH_REPLICAS');
  };
  await assert.rejects(store.putTargetState('c', 'PAUSED'), (e: unknown) => e instanceof StoreError && e.code === 'PIPECTL_STORE_WRITE_FAILED' && /NOT_ENOUGH_REPLICAS/.test(e.message));
  log.beforeSend = undefined;
  log.beforeRead = () => Promise.reject(new Error('fetch failed'));
  await assert.rejects(store.refresh(), { code: 'PIPECTL_STORE_READ_FAILED' });

  // the budget expires while the task records wait for their ack: the commit is never written
  let expire!: () => void;
  const timed = await worker(topic, { sleep: () => new Promise<void>((resolve) => (expire = resolve)) });
  let ack!: () => void;
  timed.log.beforeSend = () => new Promise<void>((resolve) => (ack = resolve));
  const write = timed.store.putTaskConfigs('c', [{ t: '0' }]);
  await new Promise((r) => setImmediate(r));
  expire();
  await assert.rejects(write, { code: 'PIPECTL_STORE_TIMEOUT' });
  ack();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(topic.dump().map((r) => r.key), ['task-c-0'], 'no commit after the budget expired');
});

test('session-key records (KIP-507): written byte for byte, adopted by every reader; a malformed one is skipped with an error that does not quote it', async () => {
  const topic = new MemoryTopic();
  const logger = warnings();
  const a = await worker(topic);
  const b = await worker(topic, { logger });
  let notified = 0;
  b.store.setListener({ ...recorder(), onSessionKey: () => void notified++ });
  await a.store.putSessionKey({ key: Buffer.from([1, 2, 3]), algorithm: 'HmacSHA256', creationTimestamp: 1_700_000_000_000 });
  assert.deepEqual(topic.dump().map((r) => [r.key, r.value]), [['session-key', '{"key":"AQID","algorithm":"HmacSHA256","creation-timestamp":1700000000000}']]);
  await b.store.refresh();
  assert.deepEqual(b.store.view().sessionKey(), { key: Buffer.from([1, 2, 3]), algorithm: 'HmacSHA256', creationTimestamp: 1_700_000_000_000 });
  assert.equal(notified, 1);
  append(topic, ['session-key', '{"key":"c2VjcmV0","algorithm":"HmacSHA256","creation-timestamp":"soon"}'], ['session-key', null], ['session-key', '[1]']);
  await b.store.refresh();
  assert.deepEqual(b.store.view().sessionKey()!.key, Buffer.from([1, 2, 3]), 'malformed records leave the last good key');
  assert.equal(notified, 1);
  assert.equal(logger.lines.filter((l) => /ignoring a session key record/.test(l)).length, 3);
  assert.ok(!logger.lines.some((l) => l.includes('c2VjcmV0')), 'the key is not logged');
  // A store that starts later reads the last good key.
  assert.deepEqual((await worker(topic)).store.view().sessionKey()!.creationTimestamp, 1_700_000_000_000);
});
