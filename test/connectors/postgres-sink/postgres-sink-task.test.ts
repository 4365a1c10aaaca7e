/**
 * The sink task in-process against the real Postgres: insert, upsert, update and delete modes; auto.create and
 * auto.evolve; the changes of one key inside a batch; a poison record reported while the rest is written; concurrent
 * writers of the same keys; both write paths.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase, psql } from '../../support/postgres.js';
import { ROW_SCHEMA, row, sinkConfig, startTask, terminateSink } from './sink-support.js';
import { PostgresSinkTask } from '../../../src/connectors/postgres-sink/index.js';
import type { Schema } from '../../../src/plugins/connect-data.js';
import { RetriableError } from '../../../src/plugins/plugin.js';

test('upsert mode with deletes: auto.create makes the table; the changes of a key in one batch apply in order', async () => {
  const db = await createTestDatabase('pgsink');
  const { task } = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'delete.enabled': 'true', 'auto.create': 'true' }));
  try {
    await task.put([row('cdc.public.items', 1, { name: 'a', qty: 1 }), row('cdc.public.items', 2, { name: 'b', qty: 2 }), row('cdc.public.items', 3, { name: 'c', qty: 3 })]);
    assert.equal(await psql(db, 'SELECT id, name, qty FROM cdc_public_items ORDER BY id'), '1|a|1\n2|b|2\n3|c|3');
    assert.equal(await psql(db, "SELECT string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull, ',' ORDER BY attnum) FROM pg_attribute a WHERE attrelid = 'cdc_public_items'::regclass AND attnum > 0"), 'id:integer:true,name:text:false,qty:integer:false');
    assert.equal(await psql(db, "SELECT string_agg(attname, ',') FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'cdc_public_items'::regclass AND i.indisprimary"), 'id');
    // One batch: 1 updated twice (last wins), 2 deleted, 3 deleted then re-inserted, 4 inserted then deleted, 5 inserted.
    await task.put([
      row('cdc.public.items', 1, { name: 'a1', qty: 10 }), row('cdc.public.items', 2, null), row('cdc.public.items', 1, { name: 'a2', qty: null }),
      row('cdc.public.items', 3, null), row('cdc.public.items', 3, { name: 'c2', qty: 30 }), row('cdc.public.items', 4, { name: 'd', qty: 4 }),
      row('cdc.public.items', 4, null), row('cdc.public.items', 5, { name: 'e', qty: 5 }),
    ]);
    assert.equal(await psql(db, 'SELECT id, name, coalesce(qty::text, \'∅\') FROM cdc_public_items ORDER BY id'), '1|a2|∅\n3|c2|30\n5|e|5');
    // Re-delivery of the same batch changes nothing (idempotent upsert).
    await task.put([row('cdc.public.items', 1, { name: 'a2', qty: null }), row('cdc.public.items', 5, { name: 'e', qty: 5 })]);
    assert.equal(await psql(db, 'SELECT count(*) FROM cdc_public_items'), '3');
  } finally {
    await task.stop();
  }
});

test('insert mode appends; a duplicate key is an errant record and the rest of the batch is written', async () => {
  const db = await createTestDatabase('pgsink');
  await psql(db, 'CREATE TABLE items (id int PRIMARY KEY, name text, qty int)');
  const { task, errant } = await startTask(sinkConfig(db, { 'pk.mode': 'record_key', 'table.name.format': 'items' }));
  try {
    await task.put([row('t', 1, { name: 'a', qty: 1 }), row('t', 2, { name: 'b', qty: 2 })]);
    await task.put([row('t', 3, { name: 'c', qty: 3 }), row('t', 1, { name: 'dup', qty: 9 }), row('t', 4, { name: 'd', qty: 4 })]);
    assert.equal(await psql(db, 'SELECT id, name FROM items ORDER BY id'), '1|a\n2|b\n3|c\n4|d');
    assert.equal(errant.length, 1);
    assert.deepEqual(errant[0]!.record.value, { id: 1, name: 'dup', qty: 9 });
    assert.match(errant[0]!.error.message, /duplicate key value violates unique constraint.*SQLSTATE 23505/);
    assert.equal((errant[0]!.error as { code?: string }).code, 'PIPECTL_PGSINK_RECORD');
  } finally {
    await task.stop();
  }
});

/**
 * A task with no errant record reporter (as the worker starts it with errors.tolerance=none), in insert mode into an
 * existing table `items`, after row 1 ('a') is committed.
 */
async function startWithoutReporter(extra: Record<string, string> = {}): Promise<{ db: string; task: PostgresSinkTask }> {
  const db = await createTestDatabase('pgsink');
  await psql(db, 'CREATE TABLE items (id int PRIMARY KEY, name text, qty int)');
  const task = new PostgresSinkTask();
  await task.start(sinkConfig(db, { 'pk.mode': 'record_key', 'table.name.format': 'items', ...extra }), { assignment: () => [] });
  await task.put([row('t', 1, { name: 'a', qty: 1 })]);
  await task.flush();
  return { db, task };
}

test('with no errant record reporter (errors.tolerance=none) a refused record fails the task, named by its position, and the rows before it stay written', async () => {
  const { db, task } = await startWithoutReporter();
  try {
    const dup = row('t', 1, { name: 'dup', qty: 9 });
    await task.put([row('t', 2, { name: 'b', qty: 2 }), dup]);
    const failure = await task.flush().then(() => undefined, (e: unknown) => e as Error & { code?: string });
    assert.equal(failure?.code, 'PIPECTL_PGSINK_RECORD');
    assert.match(failure!.message, new RegExp(`refused the record at t-0@${dup.kafkaOffset} for "items": duplicate key value`));
    assert.equal(await psql(db, 'SELECT id, name FROM items ORDER BY id'), '1|a\n2|b');
    // The failure stays: the task has failed, and nothing more is written.
    await assert.rejects(task.put([row('t', 3, { name: 'c', qty: 3 })]), { code: 'PIPECTL_PGSINK_RECORD' });
    await assert.rejects(task.flush(), { code: 'PIPECTL_PGSINK_RECORD' });
    assert.equal(await psql(db, 'SELECT count(*) FROM items'), '2');
  } finally {
    await task.stop();
  }
});

test('with no reporter, a record refused while catching up after a lost connection keeps failing the task: no later flush() succeeds over it', async () => {
  const { db, task } = await startWithoutReporter({ 'max.retries': '0' });
  try {
    assert.equal(await terminateSink(db), '1');
    await task.put([row('t', 2, { name: 'b', qty: 2 }), row('t', 1, { name: 'dup', qty: 9 })]);
    await assert.rejects(task.flush(), (e: unknown) => e instanceof RetriableError, 'the lost connection, handed back as retriable');
    // Caught up on a new connection: row 2 is written, the duplicate refused — and the refusal stays.
    await assert.rejects(task.flush(), { code: 'PIPECTL_PGSINK_RECORD' });
    await assert.rejects(task.flush(), { code: 'PIPECTL_PGSINK_RECORD' });
    assert.equal(await psql(db, 'SELECT string_agg(name, \',\' ORDER BY id) FROM items'), 'a,b');
  } finally {
    await task.stop();
  }
});

test('update mode changes existing rows only; a missing row is not created', async () => {
  const db = await createTestDatabase('pgsink');
  await psql(db, "CREATE TABLE items (id int PRIMARY KEY, name text, qty int); INSERT INTO items VALUES (1, 'a', 1), (2, 'b', 2)");
  const { task } = await startTask(sinkConfig(db, { 'insert.mode': 'update', 'pk.mode': 'record_key', 'table.name.format': 'public.items' }));
  try {
    await task.put([row('t', 1, { name: 'a1', qty: 11 }), row('t', 9, { name: 'x', qty: 9 }), row('t', 1, { name: 'a2', qty: 12 })]);
    assert.equal(await psql(db, 'SELECT id, name, qty FROM items ORDER BY id'), '1|a2|12\n2|b|2');
  } finally {
    await task.stop();
  }
});

test('auto.evolve adds a new optional field as a nullable column; without it the task fails with PIPECTL_PGSINK_SCHEMA', async () => {
  const db = await createTestDatabase('pgsink');
  const wider: Schema = { ...ROW_SCHEMA, fields: [...ROW_SCHEMA.fields!, { field: 'note', type: 'string', optional: false }, { field: 'price', type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2' } }] };
  const strict = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'true', 'table.name.format': 'items' }));
  try {
    await strict.task.put([row('t', 1, { name: 'a', qty: 1 })]);
    await assert.rejects(strict.task.put([row('t', 2, { name: 'b', qty: 2, note: 'n', price: '1.50' } as never, wider)]), (e: Error & { code?: string }) => e.code === 'PIPECTL_PGSINK_SCHEMA' && /missing fields \(note, price\) and auto.evolve is disabled/.test(e.message));
  } finally {
    await strict.task.stop();
  }
  const { task } = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'schema.evolution': 'basic', 'table.name.format': 'items' }));
  try {
    await task.put([row('t', 2, { name: 'b', qty: 2, note: 'n', price: '1.50' } as never, wider), row('t', 1, { name: 'a', qty: 1 })]);
    assert.equal(await psql(db, "SELECT string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull, ',' ORDER BY attnum) FROM pg_attribute a WHERE attrelid = 'items'::regclass AND attnum > 0"), 'id:integer:true,name:text:false,qty:integer:false,note:text:false,price:numeric:false');
    assert.equal(await psql(db, "SELECT id, name, coalesce(note, '∅'), coalesce(price::text, '∅') FROM items ORDER BY id"), '1|a|∅|∅\n2|b|n|1.50');
  } finally {
    await task.stop();
  }
});

test('a record violating a CHECK or NOT NULL is reported, the others of its batch are written (both write paths)', async () => {
  for (const path of ['values', 'copy'] as const) {
    const db = await createTestDatabase('pgsink');
    await psql(db, 'CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int CHECK (qty >= 0))');
    const { task, errant } = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'table.name.format': 'items' }), path);
    try {
      const batch = Array.from({ length: 50 }, (_, i) => row('t', i, { name: `n${i}`, qty: i }));
      batch[10] = row('t', 10, { name: 'bad', qty: -1 });
      batch[20] = row('t', 20, { name: null, qty: 20 });
      await task.put(batch);
      assert.equal(await psql(db, 'SELECT count(*), sum(qty) FROM items'), `48|${(49 * 50) / 2 - 30}`, path);
      assert.deepEqual(errant.map((e) => [e.record.kafkaOffset, /SQLSTATE (\w+)/.exec(e.error.message)?.[1]]), [[batch[10]!.kafkaOffset, '23514'], [batch[20]!.kafkaOffset, '23502']], path);
    } finally {
      await task.stop();
    }
  }
});

test('two tasks upserting the same keys at once, in opposite orders: both finish, every row is one of theirs', async () => {
  const db = await createTestDatabase('pgsink');
  const config = sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'true', 'table.name.format': 'items', 'retry.backoff.ms': '10' });
  const a = await startTask(config);
  const b = await startTask(config);
  try {
    const keys = Array.from({ length: 400 }, (_, i) => i);
    for (let round = 0; round < 5; round++) {
      await Promise.all([
        a.task.put(keys.map((k) => row('t', k, { name: `a${round}`, qty: k }))),
        b.task.put([...keys].reverse().map((k) => row('t', k, { name: `b${round}`, qty: k }))),
      ]);
      assert.equal(await psql(db, `SELECT count(*) FROM items WHERE name IN ('a${round}', 'b${round}')`), '400');
    }
    assert.equal(a.errant.length + b.errant.length, 0);
  } finally {
    await a.task.stop();
    await b.task.stop();
  }
});

test('pk.mode=kafka makes re-delivery idempotent; pk.mode=record_value takes the key from the value', async () => {
  const db = await createTestDatabase('pgsink');
  const k = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'kafka', 'auto.create': 'true', 'table.name.format': 'log' }));
  const v = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id', 'auto.create': 'true', 'table.name.format': 'byvalue', 'fields.whitelist': 'name' }));
  try {
    const batch = [row('t', 1, { name: 'a', qty: 1 }), row('t', 1, { name: 'b', qty: 2 })];
    await k.task.put(batch);
    await k.task.put(batch);
    assert.equal(await psql(db, 'SELECT __connect_topic, __connect_partition, name FROM log ORDER BY __connect_offset'), 't|0|a\nt|0|b');
    await v.task.put(batch);
    assert.equal(await psql(db, 'SELECT * FROM byvalue'), '1|b');
  } finally {
    await k.task.stop();
    await v.task.stop();
  }
});

test('a value longer than a varchar(n), char(n) or bit(n) column is refused and reported, never cut short (both write paths)', async () => {
  for (const path of ['values', 'copy'] as const) {
    const db = await createTestDatabase('pgsink');
    await psql(db, 'CREATE TABLE items (id int PRIMARY KEY, name varchar(3), qty int)');
    const { task, errant } = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'table.name.format': 'items' }), path);
    try {
      await task.put([row('t', 1, { name: 'abc', qty: 1 }), row('t', 2, { name: 'abcdef', qty: 2 }), row('t', 3, { name: 'xy', qty: 3 })]);
      assert.equal(await psql(db, 'SELECT id, name FROM items ORDER BY id'), '1|abc\n3|xy', path);
      assert.deepEqual(errant.map((e) => [e.record.key, /SQLSTATE (\w+)/.exec(e.error.message)?.[1]]), [[{ id: 2 }, '22001']], path);
    } finally {
      await task.stop();
    }
  }
  // The other fixed-length types, on the per-statement path (where parameters are cast).
  const db = await createTestDatabase('pgsink');
  await psql(db, 'CREATE TABLE flags (id int PRIMARY KEY, name char(2), qty int)');
  const { task, errant } = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'table.name.format': 'flags' }), 'values');
  try {
    await task.put([row('t', 1, { name: 'ab', qty: 1 }), row('t', 2, { name: 'abc', qty: 2 })]);
    assert.equal(await psql(db, 'SELECT id, name FROM flags ORDER BY id'), '1|ab');
    assert.equal(errant.length, 1);
  } finally {
    await task.stop();
  }
});

test('two keys that differ as text but are equal in the key column (char(n) padding) in one batch: the last wins, the task goes on', async () => {
  for (const path of ['values', 'copy'] as const) {
    const db = await createTestDatabase('pgsink');
    await psql(db, 'CREATE TABLE tags (code char(3) PRIMARY KEY, name text)');
    const { task, errant } = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'code', 'table.name.format': 'tags' }), path);
    const keySchema: Schema = { type: 'struct', optional: false, fields: [{ field: 'code', type: 'string', optional: false }] };
    const valueSchema: Schema = { type: 'struct', optional: true, fields: [{ field: 'code', type: 'string', optional: false }, { field: 'name', type: 'string', optional: true }] };
    const tag = (code: string, name: string, offset: number) => ({ topic: 't', kafkaPartition: 0, kafkaOffset: offset, keySchema, key: { code }, valueSchema, value: { code, name } });
    try {
      const batch = [tag('a', 'first', 1), tag('a ', 'second', 2), ...Array.from({ length: 70 }, (_, i) => tag(`k${i}`.slice(0, 3), `n${i}`, 10 + i))];
      await task.put(batch);
      assert.equal(await psql(db, "SELECT name FROM tags WHERE code = 'a'"), 'second', path);
      assert.deepEqual(errant, [], path);
    } finally {
      await task.stop();
    }
  }
});

test('a target table named like a staging table is written, not hidden by the connection\'s temp table', async () => {
  const db = await createTestDatabase('pgsink');
  await psql(db, "CREATE TABLE items (id int PRIMARY KEY, name text, qty int); CREATE TABLE pipectl_stage_1 (id int PRIMARY KEY, name text, qty int); INSERT INTO pipectl_stage_1 VALUES (7, 'old', 7)");
  const { task } = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'delete.enabled': 'true', 'table.name.format': '${topic}' }), 'copy');
  try {
    await task.put([row('items', 1, { name: 'a', qty: 1 })]); // makes this connection's first staging table
    await task.put([row('pipectl_stage_1', 7, null), row('pipectl_stage_1', 8, { name: 'new', qty: 8 })]);
    assert.equal(await psql(db, 'SELECT id, name FROM pipectl_stage_1 ORDER BY id'), '8|new');
    assert.equal(await psql(db, 'SELECT id, name FROM items'), '1|a');
  } finally {
    await task.stop();
  }
});

test('field names longer than 63 bytes (Postgres cuts them) work on both write paths, with auto.create and auto.evolve; a NUL in a name is the record\'s fault', async () => {
  const long = 'описание_товара_на_складе_в_москве_и_области'; // 44 letters, 83 bytes: stored cut to 63 bytes
  const longer = `${long}_ещё`;
  const schemaWith = (names: string[]): Schema => ({ type: 'struct', optional: true, fields: [{ field: 'id', type: 'int32', optional: false }, ...names.map((field) => ({ field, type: 'string' as const, optional: true }))] });
  const record = (id: number, value: Record<string, unknown>, schema: Schema) => ({ ...row('t', id, null), valueSchema: schema, value: { id, ...value } });
  for (const path of ['values', 'copy'] as const) {
    const db = await createTestDatabase('pgsink');
    const { task, errant } = await startTask(sinkConfig(db, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'true', 'auto.evolve': 'true', 'table.name.format': 'goods' }), path);
    try {
      await task.put(Array.from({ length: 70 }, (_, i) => record(i, { [long]: `v${i}` }, schemaWith([long]))));
      await task.put([record(1, { [long]: 'w1' }, schemaWith([long])), record(100, { [long]: 'x', note: 'n' }, schemaWith([long, 'note']))]);
      assert.equal(await psql(db, 'SELECT count(*) FROM goods'), '71', path);
      assert.equal(await psql(db, `SELECT "${long}" FROM goods WHERE id = 1`), 'w1', path);
      assert.equal(await psql(db, 'SELECT note FROM goods WHERE id = 100'), 'n', path);
      const stored = await psql(db, "SELECT attname FROM pg_attribute WHERE attrelid = 'goods'::regclass AND attnum = 2");
      assert.ok(long.startsWith(stored) && Buffer.byteLength(stored) <= 63 && Buffer.byteLength(stored) >= 62, `stored as ${stored}`);
      await task.put([record(3, { 'bad\u0000name': 'z' }, schemaWith(['bad\u0000name']))]);
      assert.deepEqual(errant.map((e) => (e.error as { code?: string }).code), ['PIPECTL_PGSINK_RECORD'], path);
      // Two fields cut to the same column name: Postgres refuses it, and the task fails saying why.
      await task.put([record(2, { [longer]: 'y' }, schemaWith([long, longer]))]).then(() => assert.fail('two fields, one column'), (e: Error) => assert.match(e.message, /specified more than once/));
    } finally {
      await task.stop();
    }
  }
});
