/**
 * KafkaOffsetStore over the in-memory topic: keys byte-identical to Java's JsonConverter, partitioning by murmur2,
 * round trips between workers, tombstones, flush failures and offset validation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaOffsetStore, offsetTopicKey } from '../../../../src/runtime/storage/offsets/kafka-offset-store.js';
import { partitionForKey } from '../../../../src/runtime/log/partitioner.js';
import { MemoryInternalLog, MemoryTopic } from '../kafka-topics/memory-internal-log.js';

async function worker(topic: MemoryTopic) {
  const log = new MemoryInternalLog(topic);
  const store = new KafkaOffsetStore({ log });
  await store.start();
  return { log, store };
}

test('keys and values are what Java\'s JsonConverter writes: compact, keys in the order given, Java number forms', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['local-file-source', { filename: '/tmp/test.txt' }, '["local-file-source",{"filename":"/tmp/test.txt"}]'],
    ['c', { table: 't', schema: 's' }, '["c",{"table":"t","schema":"s"}]'],
    ['c', { schema: 's', table: 't' }, '["c",{"schema":"s","table":"t"}]'],
    ['c', { n: 4096, big: 2n ** 63n - 1n, f: 0.5, tiny: 1e-7, huge: 1e21, yes: true, none: null }, '["c",{"n":4096,"big":9223372036854775807,"f":0.5,"tiny":1.0E-7,"huge":1.0E21,"yes":true,"none":null}]'],
    ['c', { s: 'qu"ote\\ tab\t é ✓' }, '["c",{"s":"qu\\"ote\\\\ tab\\t é ✓"}]'],
  ];
  for (const [connector, partition, expected] of cases) assert.equal(offsetTopicKey(connector, partition), expected);
});

test('flush writes each offset keyed by its exact bytes, on the partition murmur2 picks', async () => {
  const topic = new MemoryTopic(25);
  const { store } = await worker(topic);
  store.set('local-file-source', { filename: '/tmp/test.txt' }, { position: 4096 });
  await store.flush();
  const [record] = topic.records();
  const key = '["local-file-source",{"filename":"/tmp/test.txt"}]';
  assert.equal(record?.key?.toString('utf8'), key);
  assert.equal(record?.value?.toString('utf8'), '{"position":4096}');
  assert.equal(record?.partition, partitionForKey(Buffer.from(key), 25));
});

test('offsets round-trip between workers; each sees the other\'s after refresh', async () => {
  const topic = new MemoryTopic(5);
  const a = await worker(topic);
  const b = await worker(topic);
  a.store.set('src', { file: 'x' }, { position: 1 });
  a.store.set('src', { file: 'y' }, { position: 2, big: 2n ** 60n });
  a.store.set('other', { file: 'x' }, { position: 3 });
  await a.store.flush();
  assert.equal(b.store.get('src', { file: 'x' }), null, 'not read yet');
  await b.store.refresh();
  assert.deepEqual(b.store.get('src', { file: 'x' }), { position: 1 });
  assert.deepEqual(b.store.get('src', { file: 'y' }), { position: 2, big: 2n ** 60n });
  assert.deepEqual(b.store.list('src').sort((p, q) => String(p.partition['file']).localeCompare(String(q.partition['file']))), [
    { partition: { file: 'x' }, offset: { position: 1 } },
    { partition: { file: 'y' }, offset: { position: 2, big: 2n ** 60n } },
  ]);
  const late = await worker(topic);
  assert.deepEqual(late.store.get('other', { file: 'x' }), { position: 3 }, 'start() reads everything');
});

test('a worker reads its own writes before and after flush; the latest set wins', async () => {
  const topic = new MemoryTopic(3);
  const { store } = await worker(topic);
  store.set('c', { p: 1 }, { o: 1 });
  store.set('c', { p: 1 }, { o: 2 });
  assert.deepEqual(store.get('c', { p: 1 }), { o: 2 });
  await store.flush();
  assert.deepEqual(store.get('c', { p: 1 }), { o: 2 }, 'flushed, not yet read back');
  assert.equal(topic.records().length, 1, 'one record per partition and flush');
  await store.refresh();
  assert.deepEqual(store.get('c', { p: 1 }), { o: 2 });
});

test('a null offset is a tombstone that deletes the partition everywhere', async () => {
  const topic = new MemoryTopic(2);
  const a = await worker(topic);
  const b = await worker(topic);
  a.store.set('c', { p: 1 }, { o: 1 });
  await a.store.flush();
  await b.store.refresh();
  a.store.set('c', { p: 1 }, null);
  assert.deepEqual(a.store.list('c'), []);
  await a.store.flush();
  await b.store.refresh();
  assert.equal(b.store.get('c', { p: 1 }), null);
  assert.deepEqual(b.store.list('c'), []);
  assert.equal(topic.records().at(-1)?.value, null);
});

test('lookups match exact bytes, as in Connect: a Java record with another key order is a different partition', async () => {
  const topic = new MemoryTopic();
  topic.append([{ key: Buffer.from('["c",{"b":1,"a":2}]'), value: Buffer.from('{"position":7}') }]);
  topic.append([{ key: Buffer.from('not json'), value: Buffer.from('{}') }, { key: Buffer.from('["c"]'), value: Buffer.from('{}') }]);
  const { store } = await worker(topic);
  assert.deepEqual(store.get('c', { b: 1, a: 2 }), { position: 7 });
  assert.equal(store.get('c', { a: 2, b: 1 }), null);
  assert.equal(store.list('c').length, 1, 'malformed keys are ignored');
});

test('a failed flush keeps the writes for the next one, behind newer ones', async () => {
  const topic = new MemoryTopic();
  const { log, store } = await worker(topic);
  store.set('c', { p: 1 }, { o: 1 });
  store.set('c', { p: 2 }, { o: 1 });
  log.beforeSend = () => {
    throw new Error('broker down');
  };
  await assert.rejects(store.flush(), { name: 'StoreError', code: 'PIPECTL_STORE_WRITE_FAILED' });
  store.set('c', { p: 2 }, { o: 2 });
  log.beforeSend = undefined;
  await store.flush();
  await store.refresh();
  assert.deepEqual(topic.dump().map((r) => [r.key, r.value]).sort(), [['["c",{"p":1}]', '{"o":1}'], ['["c",{"p":2}]', '{"o":2}']]);
  await store.flush();
  assert.equal(topic.records().length, 2, 'nothing left to flush');
});

test('partitions and offsets must be maps of primitives (Connect\'s OffsetUtils.validateFormat)', async () => {
  const { store } = await worker(new MemoryTopic());
  assert.throws(() => store.set('c', { p: 1 }, { nested: { x: 1 } }), { name: 'StoreError', code: 'PIPECTL_STORE_INVALID_OFFSET' });
  assert.throws(() => store.set('c', { p: [1] }, { o: 1 }), { code: 'PIPECTL_STORE_INVALID_OFFSET' });
  store.set('c', { p: 'x' }, { bytes: Buffer.from('ab'), n: null, ok: true });
  await store.flush();
  assert.deepEqual(store.get('c', { p: 'x' }), { bytes: Buffer.from('ab'), n: null, ok: true }, 'read-your-writes keeps the value as set');
});

test('concurrent flushes run one after the other and each resolves after its writes are acknowledged', async () => {
  const topic = new MemoryTopic();
  const { log, store } = await worker(topic);
  let ack!: () => void;
  log.beforeSend = () => new Promise<void>((resolve) => (ack = resolve));
  store.set('c', { p: 1 }, { o: 1 });
  let firstDone = false;
  const first = store.flush().then(() => (firstDone = true));
  store.set('c', { p: 1 }, { o: 2 });
  const second = store.flush();
  await new Promise((r) => setImmediate(r));
  assert.equal(firstDone, false);
  assert.equal(log.sent.length, 1);
  ack();
  await first;
  await new Promise((r) => setImmediate(r));
  ack();
  await second;
  assert.deepEqual(topic.dump().map((r) => r.value), ['{"o":1}', '{"o":2}']);
});

test('committed() shows only offsets the topic acknowledged: not a set() nor a flush still in flight (Connect\'s GET /offsets)', async () => {
  const topic = new MemoryTopic();
  const { log, store } = await worker(topic);
  store.set('c', { p: 1 }, { o: 1 });
  assert.deepEqual(store.committed('c'), [], 'set, not flushed');
  assert.deepEqual(store.list('c'), [{ partition: { p: 1 }, offset: { o: 1 } }], 'list() shows what this worker knows');
  let ack!: () => void;
  log.beforeSend = () => new Promise<void>((resolve) => (ack = resolve));
  const flushed = store.flush();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(store.committed('c'), [], 'sent, not acknowledged');
  assert.deepEqual(store.get('c', { p: 1 }), { o: 1 }, 'the worker still reads its own write');
  ack();
  await flushed;
  assert.deepEqual(store.committed('c'), [{ partition: { p: 1 }, offset: { o: 1 } }], 'acknowledged, before it is read back');
  await store.refresh();
  store.set('c', { p: 1 }, { o: 2 });
  assert.deepEqual(store.committed('c'), [{ partition: { p: 1 }, offset: { o: 1 } }], 'read back; a newer set() is not durable yet');
  log.beforeSend = () => {
    throw new Error('broker down');
  };
  await assert.rejects(store.flush());
  assert.deepEqual(store.committed('c'), [{ partition: { p: 1 }, offset: { o: 1 } }], 'a failed flush commits nothing');
  assert.deepEqual(store.get('c', { p: 1 }), { o: 2 });
});
