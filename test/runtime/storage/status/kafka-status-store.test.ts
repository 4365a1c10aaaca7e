/**
 * KafkaStatusStore over the in-memory topic: Connect's status records byte for byte, a view updated only by records
 * read back, putSafe, late UNASSIGNED reports kept out at the writer, every worker's view alike, tombstones, and retries of failed writes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaStatusStore, type PutOptions, type StatusWrite } from '../../../../src/runtime/storage/status/kafka-status-store.js';
import type { Logger } from '../../../../src/runtime/logger.js';
import { MemoryInternalLog, MemoryTopic } from '../kafka-topics/memory-internal-log.js';
import { partitionForKey } from '../../../../src/runtime/log/partitioner.js';

async function worker(topic: MemoryTopic, generation = 1, logger?: Logger) {
  const log = new MemoryInternalLog(topic);
  const gen = { value: generation };
  const store = new KafkaStatusStore({ log, generation: () => gen.value, ...(logger ? { logger } : {}) });
  await store.start();
  return { log, store, gen };
}

const settle = async (...stores: KafkaStatusStore[]): Promise<void> => {
  for (const s of stores) await s.flush();
  for (const s of stores) await s.refresh();
};

test('writes Connect\'s status records byte for byte; removal writes tombstones for the tasks, then the connector', async () => {
  const topic = new MemoryTopic(5);
  const { store } = await worker(topic, 12);
  store.putConnector('my-conn', { state: 'RUNNING', workerId: '10.0.0.5:8083' });
  store.putTask('my-conn', 0, { state: 'FAILED', workerId: '10.0.0.5:8083', trace: 'Error: boom\n    at x' });
  await settle(store);
  store.removeConnector('my-conn');
  await settle(store);
  const byKey = (k: string) => topic.dump().filter((r) => r.key === k).map((r) => r.value);
  assert.deepEqual(byKey('status-connector-my-conn'), ['{"state":"RUNNING","trace":null,"worker_id":"10.0.0.5:8083","generation":12}', null]);
  assert.deepEqual(byKey('status-task-my-conn-0'), ['{"state":"FAILED","trace":"Error: boom\\n    at x","worker_id":"10.0.0.5:8083","generation":12}', null]);
  assert.deepEqual(store.connectors(), []);
  assert.deepEqual(store.connectorTasks('my-conn'), []);
});

test('the view changes only when a record is read back, for this worker\'s writes and for other workers\'', async () => {
  const topic = new MemoryTopic(5);
  const a = await worker(topic, 3);
  const b = await worker(topic, 3);
  a.store.putTask('c', 1, { state: 'RUNNING', workerId: 'a:8083' });
  assert.equal(a.store.task('c', 1), undefined, 'not read back yet');
  await a.store.flush();
  assert.equal(a.store.task('c', 1), undefined, 'acknowledged, not read back yet');
  await settle(a.store, b.store);
  for (const s of [a.store, b.store]) {
    assert.deepEqual(s.task('c', 1), { state: 'RUNNING', workerId: 'a:8083', generation: 3 });
    assert.deepEqual(s.connectorTasks('c'), [[1, { state: 'RUNNING', workerId: 'a:8083', generation: 3 }]]);
  }
});

test('putSafe writes only without a previous status, from the same worker, or at a generation ≥ the previous one', async () => {
  const cases: [string, StatusWrite | undefined, StatusWrite, PutOptions | undefined, boolean][] = [
    ['no previous status', undefined, { state: 'UNASSIGNED', workerId: 'b', generation: 1 }, undefined, true],
    ['same worker, older generation', { state: 'RUNNING', workerId: 'b', generation: 5 }, { state: 'FAILED', workerId: 'b', generation: 2 }, undefined, true],
    ['other worker, older generation', { state: 'RUNNING', workerId: 'a', generation: 5 }, { state: 'FAILED', workerId: 'b', generation: 4 }, undefined, false],
    ['other worker, same generation', { state: 'RUNNING', workerId: 'a', generation: 5 }, { state: 'FAILED', workerId: 'b', generation: 5 }, undefined, true],
    ['other worker, newer generation', { state: 'RUNNING', workerId: 'a', generation: 5 }, { state: 'UNASSIGNED', workerId: 'b', generation: 6 }, undefined, true],
    ['UNASSIGNED of another worker, same generation (a late stop report)', { state: 'RUNNING', workerId: 'a', generation: 5 }, { state: 'UNASSIGNED', workerId: 'b', generation: 5 }, undefined, false],
    ['RUNNING is not safe by default', { state: 'RUNNING', workerId: 'a', generation: 5 }, { state: 'RUNNING', workerId: 'b', generation: 1 }, undefined, true],
    ['safe asked for explicitly', { state: 'RUNNING', workerId: 'a', generation: 5 }, { state: 'PAUSED', workerId: 'b', generation: 1 }, { safe: true }, false],
    ['unsafe asked for explicitly', { state: 'RUNNING', workerId: 'a', generation: 5 }, { state: 'FAILED', workerId: 'b', generation: 1 }, { safe: false }, true],
  ];
  for (const [name, previous, next, options, written] of cases) {
    const topic = new MemoryTopic();
    const { store } = await worker(topic);
    if (previous) store.putConnector('c', previous);
    await settle(store);
    assert.equal(store.putConnector('c', next, options), written, name);
    await settle(store);
    assert.deepEqual(store.connector('c'), written ? next : previous, name);
  }
});

test('a late UNASSIGNED report is refused at the writer, even before it has read the new owner\'s status', async () => {
  const topic = new MemoryTopic();
  const a = await worker(topic, 5);
  const b = await worker(topic, 5);
  a.store.putTask('c', 0, { state: 'RUNNING', workerId: 'a' });
  await settle(a.store, b.store);
  // The task moved to b, which reports RUNNING at generation 6; a (still at 5, not having read that yet) reports that
  // it stopped the task: the safe write reads to the end first and sees the newer owner.
  b.gen.value = 6;
  b.store.putTask('c', 0, { state: 'RUNNING', workerId: 'b' });
  await b.store.flush();
  assert.equal(a.store.task('c', 0)?.workerId, 'a', 'a has not read b\'s status yet');
  a.store.putTask('c', 0, { state: 'UNASSIGNED', workerId: 'a' });
  await settle(a.store, b.store);
  assert.deepEqual(b.store.task('c', 0), { state: 'RUNNING', workerId: 'b', generation: 6 });
  assert.deepEqual(a.store.task('c', 0), { state: 'RUNNING', workerId: 'b', generation: 6 });
  // At the same generation too: the other worker is the new owner.
  a.gen.value = 6;
  a.store.putTask('c', 0, { state: 'UNASSIGNED', workerId: 'a' });
  await settle(a.store, b.store);
  assert.equal(b.store.task('c', 0)?.state, 'RUNNING');
});

test('every record read is taken as it is: a worker started later holds the same view as the others', async () => {
  const topic = new MemoryTopic();
  const a = await worker(topic, 5);
  a.store.putTask('c', 0, { state: 'RUNNING', workerId: 'b', generation: 6 });
  a.store.putTask('c', 0, { state: 'UNASSIGNED', workerId: 'a', generation: 5 }, { safe: false }); // forced in
  await settle(a.store);
  const later = await worker(topic, 7);
  assert.deepEqual(a.store.task('c', 0), { state: 'UNASSIGNED', workerId: 'a', generation: 5 });
  assert.deepEqual(later.store.task('c', 0), a.store.task('c', 0));
});

test('removeTask and a task tombstone drop one task; removeConnector drops the tasks and the connector', async () => {
  const topic = new MemoryTopic(3);
  const { store } = await worker(topic);
  for (const t of [0, 1, 2]) store.putTask('my-conn-1', t, { state: 'RUNNING', workerId: 'w' });
  store.putConnector('my-conn-1', { state: 'RUNNING', workerId: 'w' });
  await settle(store);
  store.removeTask('my-conn-1', 2);
  await settle(store);
  assert.deepEqual(store.connectorTasks('my-conn-1').map(([t]) => t), [0, 1]);
  store.removeConnector('my-conn-1');
  await settle(store);
  assert.deepEqual(store.connectorTasks('my-conn-1'), []);
  assert.equal(store.connector('my-conn-1'), undefined);
  const later = await worker(topic);
  assert.deepEqual(later.store.connectorTasks('my-conn-1'), []);
  assert.equal(later.store.connector('my-conn-1'), undefined);
});

test('a connector tombstone on another partition than its task records: a worker started later holds the same view', async () => {
  const topic = new MemoryTopic(2);
  // A name whose task record lands on an earlier partition than its connector record (read first from the start).
  const partition = (key: string): number => partitionForKey(Buffer.from(key), 2);
  const name = Array.from({ length: 64 }, (_, i) => `churn-${i}`).find((n) => partition(`status-task-${n}-0`) < partition(`status-connector-${n}`));
  assert.ok(name, 'no name puts its task record on an earlier partition than its connector record');
  const a = await worker(topic, 30);
  a.store.putConnector(name, { state: 'RUNNING', workerId: 'w3' });
  a.store.putTask(name, 0, { state: 'UNASSIGNED', workerId: 'w3' }, { safe: false });
  await settle(a.store);
  a.store.removeConnector(name); // deleted, then created again and its task started on another worker
  await settle(a.store);
  a.store.putConnector(name, { state: 'RUNNING', workerId: 'w3', generation: 34 });
  a.store.putTask(name, 0, { state: 'RUNNING', workerId: 'w2', generation: 39 });
  await settle(a.store);
  assert.deepEqual(a.store.task(name, 0), { state: 'RUNNING', workerId: 'w2', generation: 39 });
  const later = await worker(topic, 40);
  assert.deepEqual(later.store.task(name, 0), a.store.task(name, 0));
  assert.deepEqual(later.store.connector(name), a.store.connector(name));
});

test('retriable write failures are retried while the generation holds; others are logged', async () => {
  const topic = new MemoryTopic();
  const errors: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn() {}, error: (m) => void errors.push(m) };
  const { log, store, gen } = await worker(topic, 1, logger);
  let failures = 2;
  log.beforeSend = () => {
    if (failures-- > 0) throw Object.assign(new Error('NOT_LEADER_FOR_PARTITION'), { retriable: true });
  };
  store.putTask('c', 0, { state: 'RUNNING', workerId: 'w' });
  await settle(store);
  assert.equal(store.task('c', 0)?.state, 'RUNNING', 'written on the third attempt');
  assert.equal(log.sent.length, 3);

  log.beforeSend = () => {
    throw new Error('RecordTooLarge');
  };
  store.putTask('c', 0, { state: 'PAUSED', workerId: 'w' });
  await store.flush();
  assert.match(errors.join('\n'), /status-task-c-0 failed: RecordTooLarge/);

  // a retriable failure of an older generation's write is dropped once a newer generation wrote
  const sentBefore = log.sent.length;
  let fail!: (e: Error) => void;
  log.beforeSend = () => new Promise<void>((_, reject) => (fail = reject));
  store.putTask('c', 1, { state: 'RUNNING', workerId: 'w' });
  gen.value = 2;
  log.beforeSend = undefined;
  store.putTask('c', 2, { state: 'RUNNING', workerId: 'w' });
  fail(Object.assign(new Error('timeout'), { retriable: true }));
  await settle(store);
  assert.equal(log.sent.length, sentBefore + 2, 'no retry');
  assert.equal(store.task('c', 1), undefined);
});

test('malformed status records and unknown keys are skipped; topic-tracking records are read past', async () => {
  const topic = new MemoryTopic();
  const warned: string[] = [];
  const logger: Logger = { debug() {}, info() {}, error() {}, warn: (m) => void warned.push(m) };
  const raw = (k: string, v: string | null) => ({ key: Buffer.from(k), value: v === null ? null : Buffer.from(v) });
  topic.append([
    raw('status-connector-ok', '{"state":"PAUSED","trace":null,"worker_id":"w","generation":2}'),
    raw('status-connector-bad', '{"state":"EXPLODED","trace":null,"worker_id":"w","generation":2}'),
    raw('status-task-ok-x', '{"state":"RUNNING","trace":null,"worker_id":"w","generation":2}'),
    raw('status-connector-', '{}'),
    raw('status-topic-t:connector-ok', '{"topic":{"name":"t","connector":"ok","task":0,"discoverTimestamp":1}}'),
    raw('something', '{}'),
  ]);
  const { store } = await worker(topic, 1, logger);
  assert.deepEqual(store.connectors(), ['ok']);
  assert.deepEqual(store.connector('ok'), { state: 'PAUSED', workerId: 'w', generation: 2 });
  assert.equal(warned.length, 4);
});

test('use before start is a StoreError; a status written after stop is dropped with a warning', async () => {
  const topic = new MemoryTopic();
  const store = new KafkaStatusStore({ log: new MemoryInternalLog(topic), generation: () => 0 });
  assert.throws(() => store.putConnector('c', { state: 'RUNNING', workerId: 'w' }), { name: 'StoreError', code: 'PIPECTL_STORE_NOT_STARTED' });
  const warned: string[] = [];
  const stopped = await worker(topic, 1, { debug() {}, info() {}, error() {}, warn: (m) => void warned.push(m) });
  stopped.store.putTask('c', 0, { state: 'RUNNING', workerId: 'w' });
  await stopped.store.stop();
  assert.equal(topic.records().length, 1, 'stop() waited for the write in flight');
  assert.equal(stopped.store.putTask('c', 0, { state: 'UNASSIGNED', workerId: 'w' }), false);
  assert.match(warned.join(), /after stop: status-task-c-0/);
});

test('two statuses of one key land in the order written, even when the first send is slow (UNASSIGNED then RUNNING)', async () => {
  const topic = new MemoryTopic();
  const { log, store } = await worker(topic, 1);
  let release!: () => void;
  const blocked = new Promise<void>((resolve) => (release = resolve));
  let sends = 0;
  log.beforeSend = () => (sends++ === 0 ? blocked : Promise.resolve());
  store.putConnector('c', { state: 'UNASSIGNED', workerId: 'w' }); // safe: sent after a read to the end
  store.putConnector('c', { state: 'RUNNING', workerId: 'w' });
  while (sends === 0) await new Promise((resolve) => setImmediate(resolve)); // the first send is under way, held
  release();
  await settle(store);
  assert.equal(store.connector('c')?.state, 'RUNNING');
});
