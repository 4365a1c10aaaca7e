/**
 * The sink task in-process against the real Postgres: transient failures retried on a new connection (then handed
 * back as retriable), schemaless records, Connect's own logical types, tombstones skipped with delete.enabled=false,
 * a table in another schema.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetriableError } from '../../../src/plugins/plugin.js';
import type { SinkRecord } from '../../../src/plugins/connect-data.js';
import { createTestDatabase, psql } from '../../support/postgres.js';
import { row, sinkConfig, startTask, terminateSink } from './sink-support.js';

test('a lost connection is retried on a new one; with max.retries=0 put() throws a RetriableError and the next put() reconnects', async () => {
  const db = await createTestDatabase('pgsink');
  const { task } = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'true', 'table.name.format': 'items', 'retry.backoff.ms': '50' }));
  const strict = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'true', 'table.name.format': 'items', 'max.retries': '0' }));
  try {
    await task.put([row('t', 1, { name: 'a', qty: 1 })]);
    assert.equal(await terminateSink(db), '2');
    await task.put([row('t', 2, { name: 'b', qty: 2 })]);
    await assert.rejects(strict.task.put([row('t', 3, { name: 'c', qty: 3 })]), (e: unknown) => e instanceof RetriableError && /failed 1 time\(s\) for a transient reason/.test(e.message));
    await strict.task.put([row('t', 3, { name: 'c', qty: 3 })]);
    assert.equal(await psql(db, 'SELECT string_agg(name, \',\' ORDER BY id) FROM items'), 'a,b,c');
  } finally {
    await task.stop();
    await strict.task.stop();
  }
});

test('schemaless records go into an existing table; auto.create cannot type them and says so', async () => {
  const db = await createTestDatabase('pgsink');
  await psql(db, 'CREATE SCHEMA shop; CREATE TABLE shop.orders (id bigint PRIMARY KEY, total numeric(10,2), tags text[], doc jsonb, at timestamptz)');
  const { task } = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'id', 'table.name.format': 'shop.${topic}' }));
  try {
    const record = (id: number, value: Record<string, unknown>): SinkRecord => ({ topic: 'orders', kafkaPartition: 0, kafkaOffset: id, key: { id }, value });
    await task.put([record(1, { id: 1, total: 12.5, doc: { a: [1, 'x'] }, at: '2024-01-02T03:04:05Z' }), record(2, { id: 2, total: '3.10', doc: null })]);
    assert.equal(await psql(db, "SET TimeZone = 'UTC'; SELECT id, total, doc, at FROM shop.orders ORDER BY id"), '1|12.50|{"a": [1, "x"]}|2024-01-02 03:04:05+00\n2|3.10||');
  } finally {
    await task.stop();
  }
  const auto = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'id', 'auto.create': 'true' }));
  try {
    await assert.rejects(auto.task.put([{ topic: 'fresh', kafkaPartition: 0, kafkaOffset: 0, key: 5, value: { id: 5, x: 1 } }]), (e: Error & { code?: string }) => e.code === 'PIPECTL_PGSINK_SCHEMA' && /schemaless record, so its type is unknown/.test(e.message));
  } finally {
    await auto.task.stop();
  }
});

test("Connect's Date, Time, Timestamp and Decimal; tombstones are skipped with delete.enabled=false", async () => {
  const db = await createTestDatabase('pgsink');
  const { task } = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'id', 'auto.create': 'true', 'table.name.format': 'times' }));
  const logical = (name: string, type: 'int32' | 'int64' | 'bytes', parameters?: Record<string, string>) => ({ type, optional: true, name, version: 1, ...(parameters ? { parameters } : {}) });
  try {
    await task.put([{
      topic: 't', kafkaPartition: 0, kafkaOffset: 0, keySchema: { type: 'int64' }, key: 1,
      valueSchema: { type: 'struct', fields: [
        { field: 'd', ...logical('org.apache.kafka.connect.data.Date', 'int32') },
        { field: 'tm', ...logical('org.apache.kafka.connect.data.Time', 'int32') },
        { field: 'ts', ...logical('org.apache.kafka.connect.data.Timestamp', 'int64') },
        { field: 'dec', ...logical('org.apache.kafka.connect.data.Decimal', 'bytes', { scale: '3' }) },
        { field: 'raw', ...logical('org.apache.kafka.connect.data.Decimal', 'bytes', { scale: '2' }) },
      ] },
      value: { d: new Date(Date.UTC(2024, 0, 2)), tm: new Date(Date.UTC(1970, 0, 1, 13, 14, 15, 167)), ts: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), dec: '-0.125', raw: Buffer.from([0xfb, 0x2e]) },
    }]);
  } catch (e) {
    await task.stop();
    throw e;
  }
  const { task: pkTask } = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'id', 'table.name.format': 'times' }));
  try {
    await pkTask.put([{ topic: 't', kafkaPartition: 0, kafkaOffset: 1, key: 1, value: null }]);
    assert.equal(await psql(db, 'SELECT d, tm, ts, dec, raw FROM times'), '2024-01-02|13:14:15.167|2024-01-02 03:04:05.678|-0.125|-12.34');
  } finally {
    await task.stop();
    await pkTask.stop();
  }
});

test('writes in the background keep their order through lost connections: put() takes a batch only once the queue is healthy', async () => {
  const db = await createTestDatabase('pgsink');
  const { task } = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'true', 'table.name.format': 'items', 'max.retries': '0', 'batch.size': '50' }));
  const sink = task.inner;
  let retriable = 0;
  // As the worker drives a sink: the same call again after a RetriableError.
  const again = async (call: () => Promise<void>): Promise<void> => {
    for (;;) {
      try {
        return await call();
      } catch (e) {
        if (!(e instanceof RetriableError)) throw e;
        retriable++;
      }
    }
  };
  try {
    for (let round = 0; round < 30; round++) {
      const batch = Array.from({ length: 120 }, (_, i) => row('t', i + 1, { name: `v${round}`, qty: round }));
      await again(() => sink.put(batch));
      if (round % 4 === 1) await terminateSink(db);
    }
    await again(() => sink.flush());
    assert.ok(retriable >= 1, 'the lost connections were seen');
    // Every key holds the last round's value: no older batch was written after a newer one.
    assert.equal(await psql(db, "SELECT count(*), min(name), max(name), min(qty) FROM items"), '120|v29|v29|29');
  } finally {
    await task.stop();
  }
});
