/** InsertHeader, DropHeaders and HeaderFrom ($Key/$Value): schemaless and with schemas, tombstones, config errors. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Header, Schema } from '../../src/plugins/connect-data.js';
import { TransformConfigError, TransformDataError } from '../../src/plugins/transformation.js';
import { parseLiteral } from '../../src/transforms/insert-header.js';
import { validateTransforms } from '../../src/transforms/transform-validation.js';
import { ALICE, PERSON, registry, sinkRecord, sourceRecord, transform } from './records.js';

const TRACE: Header = { key: 'trace', value: 't1' };

const literals: [string, Schema | null, unknown][] = [
  ['hello world', { type: 'string', optional: false }, 'hello world'],
  ['42', { type: 'int8', optional: false }, 42],
  ['-129', { type: 'int16', optional: false }, -129],
  ['70000', { type: 'int32', optional: false }, 70000],
  ['5000000000', { type: 'int64', optional: false }, 5000000000],
  ['9223372036854775807', { type: 'int64', optional: false }, 9223372036854775807n],
  ['1.0', { type: 'int8', optional: false }, 1],
  ['1e3', { type: 'int16', optional: false }, 1000],
  ['+7', { type: 'int8', optional: false }, 7],
  ['1.5', { type: 'float32', optional: false }, 1.5],
  ['1e39', { type: 'float64', optional: false }, 1e39],
  ['-0.25', { type: 'float32', optional: false }, -0.25],
  ['12345678901234567890', { type: 'bytes', optional: false, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '0' } }, '12345678901234567890'],
  ['true', { type: 'boolean', optional: false }, true],
  ['false', { type: 'boolean', optional: false }, false],
  ['null', null, null],
  ['', { type: 'string', optional: false }, ''],
  ['.5', { type: 'string', optional: false }, '.5'],
  ['true}', { type: 'string', optional: false }, 'true}'],
  ['[1, 2]', { type: 'string', optional: false }, '[1, 2]'],
  ['2024-03-05', { type: 'string', optional: false }, '2024-03-05'],
];

for (const [literal, schema, value] of literals) {
  test(`InsertHeader value.literal ${JSON.stringify(literal)} reads as Connect's Values.parseString types it`, () => {
    assert.deepEqual(parseLiteral(literal), { schema, value });
  });
}

test('InsertHeader adds the header after the record\'s own, on every record (tombstones too), keeping everything else', () => {
  const t = transform('org.apache.kafka.connect.transforms.InsertHeader', { header: 'origin', 'value.literal': ' eu-1 ' });
  const out = t.apply(sinkRecord({ value: { a: 1 }, headers: [TRACE] }))!;
  assert.deepEqual(out.headers, [TRACE, { key: 'origin', value: 'eu-1', schema: { type: 'string', optional: false } }]);
  assert.deepEqual([out.value, out.kafkaOffset], [{ a: 1 }, 42]);
  assert.deepEqual(t.apply(sourceRecord({ value: null }))!.headers, [{ key: 'origin', value: 'eu-1', schema: { type: 'string', optional: false } }]);
  const twice = t.apply(t.apply(sinkRecord({ value: 1 }))!)!;
  assert.deepEqual(twice.headers!.map((h) => h.key), ['origin', 'origin'], 'a header of the same name is added again, as Connect does');
});

test('DropHeaders removes every header with a listed name and keeps the others in order', () => {
  const t = transform('DropHeaders', { headers: 'a, c' });
  const headers: Header[] = [{ key: 'a', value: '1' }, TRACE, { key: 'c', value: null }, { key: 'a', value: '2' }];
  const out = t.apply(sinkRecord({ value: 'v', headers }))!;
  assert.deepEqual(out.headers, [TRACE]);
  assert.equal(out.value, 'v');
  assert.deepEqual(t.apply(sourceRecord({ value: null }))!.headers, [], 'a record without headers gets none');
});

test('HeaderFrom$Value copy, schemaless: the fields become headers (schema null), the value keeps them; a missing one is null', () => {
  const t = transform('HeaderFrom$Value', { fields: 'name, nope', headers: 'who, nothing', operation: 'copy' });
  const out = t.apply(sinkRecord({ value: ALICE, headers: [TRACE] }))!;
  assert.deepEqual(out.value, ALICE);
  assert.deepEqual(out.headers, [TRACE, { key: 'who', value: 'Alice', schema: null }, { key: 'nothing', value: null, schema: null }]);
});

test('HeaderFrom$Value move, schemaless: the fields leave the value', () => {
  const input = { ...ALICE };
  const out = transform('HeaderFrom$Value', { fields: 'email', headers: 'mail', operation: 'move' }).apply(sinkRecord({ value: input }))!;
  assert.deepEqual(out.value, { name: 'Alice', age: 30 });
  assert.deepEqual(input, ALICE, 'the input map is not modified');
  assert.deepEqual(out.headers, [{ key: 'mail', value: 'a@example.com', schema: null }]);
});

test('HeaderFrom$Key copy with a struct schema: headers carry the field schemas; null fields take their default', () => {
  const out = transform('org.apache.kafka.connect.transforms.HeaderFrom$Key', { fields: 'name,email', headers: 'n,e', operation: 'copy' }).apply(sinkRecord({ keySchema: PERSON, key: { ...ALICE, email: null }, value: 'v' }))!;
  assert.equal(out.keySchema, PERSON);
  assert.deepEqual(out.key, { ...ALICE, email: null }, 'copy leaves the key as it was');
  assert.deepEqual(out.headers, [{ key: 'n', value: 'Alice', schema: { type: 'string' } }, { key: 'e', value: 'none', schema: { type: 'string', optional: true, default: 'none' } }]);
  const raw = transform('HeaderFrom$Key', { fields: 'email', headers: 'e', operation: 'copy', 'replace.null.with.default': 'false' }).apply(sinkRecord({ keySchema: PERSON, key: { ...ALICE, email: null } }))!;
  assert.equal(raw.headers![0]!.value, null);
});

test('HeaderFrom$Value move with a struct schema: the field leaves schema and value (name and version kept)', () => {
  const out = transform('HeaderFrom$Value', { fields: 'age', headers: 'age', operation: 'move' }).apply(sinkRecord({ valueSchema: PERSON, value: ALICE }))!;
  assert.deepEqual(out.valueSchema, { type: 'struct', name: 'com.example.Person', version: 2, fields: [PERSON.fields![0], PERSON.fields![2]] });
  assert.deepEqual(out.value, { name: 'Alice', email: 'a@example.com' });
  assert.deepEqual(out.headers, [{ key: 'age', value: 30, schema: { type: 'int32', optional: true } }]);
});

test('HeaderFrom passes a tombstone through (Connect fails on it)', () => {
  const record = sinkRecord({ valueSchema: PERSON, value: null });
  assert.equal(transform('HeaderFrom$Value', { fields: 'name', headers: 'n', operation: 'move' }).apply(record), record);
});

test('HeaderFrom data errors: a non-map value, a field the struct schema lacks', () => {
  assert.throws(() => transform('HeaderFrom$Value', { fields: 'a', headers: 'a', operation: 'copy' }).apply(sinkRecord({ value: 'x' })), (e: unknown) => e instanceof TransformDataError && e.message === 'Only Map objects supported in absence of schema for [header copy], found: java.lang.String');
  assert.throws(() => transform('HeaderFrom$Value', { fields: 'a', headers: 'a', operation: 'move' }).apply(sinkRecord({ valueSchema: PERSON, value: 'x' })), (e: unknown) => e instanceof TransformDataError && e.message === 'Only Struct objects supported for [header move], found: java.lang.String');
  assert.throws(() => transform('HeaderFrom$Value', { fields: 'nope', headers: 'a', operation: 'copy' }).apply(sinkRecord({ valueSchema: PERSON, value: ALICE })), (e: unknown) => e instanceof TransformDataError && /^Unknown field: nope/.test(e.message));
});

const invalid: [string, Record<string, string>, Record<string, string[]>][] = [
  ['InsertHeader without header and value', { 'transforms.x.type': 'InsertHeader' }, {
    'transforms.x.header': ['Missing required configuration "transforms.x.header" which has no default value.'],
    'transforms.x.value.literal': ['Missing required configuration "transforms.x.value.literal" which has no default value.'],
  }],
  ['DropHeaders without headers', { 'transforms.x.type': 'DropHeaders' }, { 'transforms.x.headers': ['Missing required configuration "transforms.x.headers" which has no default value.'] }],
  ['DropHeaders with an empty list', { 'transforms.x.type': 'DropHeaders', 'transforms.x.headers': ' ' }, { 'transforms.x.headers': ['Invalid value [] for configuration headers: Empty list'] }],
  ['HeaderFrom without anything', { 'transforms.x.type': 'HeaderFrom$Value' }, {
    'transforms.x.fields': ['Missing required configuration "transforms.x.fields" which has no default value.'],
    'transforms.x.headers': ['Missing required configuration "transforms.x.headers" which has no default value.'],
    'transforms.x.operation': ['Missing required configuration "transforms.x.operation" which has no default value.'],
  }],
  ['HeaderFrom with lists of different lengths and an unknown operation', { 'transforms.x.type': 'HeaderFrom$Key', 'transforms.x.fields': 'a,b', 'transforms.x.headers': 'a', 'transforms.x.operation': 'Move' }, {
    'transforms.x.headers': ["'fields' config must have the same number of elements as 'headers' config."],
    'transforms.x.operation': ['Invalid value Move for configuration operation: String must be one of: move, copy'],
  }],
  ['HeaderFrom with an empty list', { 'transforms.x.type': 'HeaderFrom$Key', 'transforms.x.fields': '', 'transforms.x.headers': 'a', 'transforms.x.operation': 'copy' }, {
    'transforms.x.fields': ['Invalid value [] for configuration fields: Empty list'],
  }],
  ['valid configs', {
    transforms: 'x,y,z', 'transforms.x.type': 'InsertHeader', 'transforms.x.header': 'h', 'transforms.x.value.literal': '1',
    'transforms.y.type': 'DropHeaders', 'transforms.y.headers': 'h', 'transforms.z.type': 'HeaderFrom$Value', 'transforms.z.fields': 'a', 'transforms.z.headers': 'b', 'transforms.z.operation': 'copy',
  }, {}],
];

for (const [name, config, expected] of invalid) {
  test(`validation: ${name}`, () => {
    assert.deepEqual(Object.fromEntries(validateTransforms({ transforms: 'x', ...config }, registry)), expected);
  });
}

test('configure() refuses the same configs, naming the key', () => {
  assert.throws(() => transform('HeaderFrom$Value', { fields: 'a,b', headers: 'a', operation: 'copy' }), (e: unknown) => e instanceof TransformConfigError && e.key === 'headers');
  assert.throws(() => transform('DropHeaders', { headers: '' }), (e: unknown) => e instanceof TransformConfigError && e.key === 'headers');
  assert.throws(() => transform('InsertHeader', { header: 'h' }), (e: unknown) => e instanceof TransformConfigError && e.key === 'value.literal');
});
