/**
 * RecordMapper's layouts: a record of a known (value schema, key schema, topic) maps to exactly the operation that
 * the field-by-field path makes, and a record whose schema differs never takes another schema's layout.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordMapper } from '../../../src/connectors/postgres-sink/record-mapper.js';
import type { RowOp } from '../../../src/connectors/postgres-sink/record-mapper.js';
import { parseSinkSettings } from '../../../src/connectors/postgres-sink/index.js';
import type { Schema, SinkRecord } from '../../../src/plugins/connect-data.js';

const mapper = (extra: Record<string, string>): RecordMapper =>
  new RecordMapper(parseSinkSettings({ 'connection.url': 'jdbc:postgresql://h/db', 'connection.user': 'u', 'insert.mode': 'upsert', 'delete.enabled': 'true', ...extra }));

const KEY: Schema = { type: 'struct', optional: false, fields: [{ field: 'id', type: 'int64', optional: false }] };
const KEY2: Schema = { type: 'struct', optional: false, fields: [{ field: 'code', type: 'string', optional: false }] };
const VALUE: Schema = {
  type: 'struct', optional: false,
  fields: [{ field: 'id', type: 'int64', optional: false }, { field: 'name', type: 'string', optional: true, default: 'none' }, { field: 'at', type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp', optional: true }],
};
const VALUE2: Schema = { type: 'struct', optional: false, fields: [{ field: 'id', type: 'int64', optional: false }, { field: 'qty', type: 'int32', optional: true }] };

let offset = 0;
function rec(topic: string, keySchema: Schema | null, key: unknown, valueSchema: Schema | null, value: unknown): SinkRecord {
  return { topic, kafkaPartition: 1, kafkaOffset: offset++, keySchema, key, valueSchema, value };
}

/** What an op says, without the record it came from. */
const plain = (op: RowOp | null): unknown => (op === null ? null : { ...op, record: undefined });

/** Each record mapped by a warm mapper (layouts known from the records before it) and by a fresh one, the same. */
function assertSameAsFieldByField(extra: Record<string, string>, records: SinkRecord[]): void {
  const warm = mapper(extra);
  for (const r of records) {
    let expected: unknown;
    let expectedError: unknown;
    try {
      expected = plain(mapper(extra).map(r));
    } catch (e) {
      expectedError = e;
    }
    if (expectedError) assert.throws(() => warm.map(r), { message: (expectedError as Error).message });
    else assert.deepEqual(plain(warm.map(r)), expected);
  }
}

test('record_key: the same ops with and without a known layout, across schemas, topics and nulls', () => {
  const records = [
    rec('a', KEY, { id: 1 }, VALUE, { id: 1, name: 'x', at: new Date(0) }),
    rec('a', KEY, { id: 2 }, VALUE, { id: 2, name: null, at: null }),
    rec('a', KEY, { id: 3n ** 40n }, VALUE, { id: 3n ** 40n, name: 'big', at: new Date(5) }),
    rec('a', KEY, { id: 4 }, VALUE2, { id: 4, qty: 7 }),
    rec('a', KEY2, { code: 'k' }, VALUE, { id: 5, name: 'other key schema', at: null }),
    rec('b', KEY, { id: 6 }, VALUE, { id: 6, name: 'other topic', at: null }),
    rec('a', KEY, { id: 7 }, null, null),
    rec('a', KEY, null, VALUE, { id: 8, name: 'no key', at: null }),
    rec('a', null, { id: 9 }, VALUE, { id: 9, name: 'schemaless key', at: null }),
    rec('a', KEY, { id: 10 }, VALUE, { id: 10, name: 'again', at: new Date(-1) }),
    rec('a', KEY, { id: 'not a number' }, VALUE, { id: 11, name: 'bad key', at: null }),
  ];
  assertSameAsFieldByField({ 'pk.mode': 'record_key' }, records);
  assertSameAsFieldByField({ 'pk.mode': 'record_key', 'pk.fields': 'id', 'fields.whitelist': 'b:name' }, records.filter((r) => r.keySchema !== KEY2));
});

test('kafka, record_value and none: the same ops with and without a known layout', () => {
  const records = [
    rec('a', KEY, { id: 1 }, VALUE, { id: 1, name: 'x', at: null }),
    rec('a', KEY, { id: 2 }, VALUE, { id: 2, name: 'y', at: new Date(2) }),
    rec('a', null, 'text key', VALUE2, { id: 3, qty: null }),
    rec('b', KEY, { id: 4 }, VALUE2, { id: 4, qty: 1 }),
  ];
  for (const pkMode of ['kafka', 'record_value', 'none']) assertSameAsFieldByField({ 'pk.mode': pkMode, 'delete.enabled': 'false', ...(pkMode === 'none' ? { 'insert.mode': 'insert' } : {}), ...(pkMode === 'record_value' ? { 'pk.fields': 'id' } : {}) }, records);
});

test('a primitive key schema with one pk field', () => {
  const STRING: Schema = { type: 'string', optional: false };
  assertSameAsFieldByField({ 'pk.mode': 'record_key', 'pk.fields': 'k' }, [rec('a', STRING, 'one', VALUE2, { id: 1, qty: 1 }), rec('a', STRING, 'two', VALUE2, { id: 2, qty: 2 })]);
});

test('records of one layout share the column arrays and the shape string', () => {
  const m = mapper({ 'pk.mode': 'record_key' });
  const [x, y] = [1, 2].map((id) => m.map(rec('a', KEY, { id }, VALUE, { id, name: 'n', at: null }))!);
  assert.equal(x!.valueColumns, y!.valueColumns);
  assert.equal(x!.shape, y!.shape);
  assert.deepEqual([x!.keyValues, x!.values, y!.keyValues, y!.values], [['1'], ['n', null], ['2'], ['n', null]]);
});
