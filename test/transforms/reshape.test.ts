import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Schema } from '../../src/plugins/connect-data.js';
import { TransformConfigError, TransformDataError } from '../../src/plugins/transformation.js';
import { ALICE, PERSON, sinkRecord, transform } from './records.js';

type In = Parameters<typeof sinkRecord>[0];
type Out = { keySchema?: Schema | null; key?: unknown; valueSchema?: Schema | null; value?: unknown };

const NESTED: Schema = {
  type: 'struct', name: 'Envelope',
  fields: [
    { field: 'id', type: 'int64' },
    { field: 'customer', type: 'struct', optional: true, fields: [{ field: 'name', type: 'string' }, { field: 'tags', type: 'array', items: { type: 'string' } }] },
    { field: 'meta', type: 'struct', default: { src: 'web' }, fields: [{ field: 'src', type: 'string' }] },
  ],
};

const cases: [string, string, Record<string, string>, In, Out][] = [
  ['ExtractField$Value takes a map field', 'ExtractField$Value', { field: 'name' }, { value: ALICE }, { value: 'Alice' }],
  ['ExtractField$Value reads a missing map field as null', 'ExtractField$Value', { field: 'nope' }, { value: ALICE }, { value: null }],
  ['ExtractField takes dotted names literally (V1 syntax)', 'ExtractField$Value', { field: 'a.b' }, { value: { 'a.b': 1, a: { b: 2 } } }, { value: 1 }],
  ['ExtractField$Key takes a struct field and its schema', 'ExtractField$Key', { field: 'age' }, { keySchema: PERSON, key: ALICE }, { keySchema: { type: 'int32', optional: true }, key: 30 }],
  ['ExtractField applies the field default to null', 'ExtractField$Value', { field: 'email' }, { valueSchema: PERSON, value: { name: 'x' } }, { valueSchema: { type: 'string', optional: true, default: 'none' }, value: 'none' }],
  ['ExtractField keeps a tombstone null (with the field schema)', 'ExtractField$Value', { field: 'name' }, { valueSchema: PERSON, value: null }, { valueSchema: { type: 'string' }, value: null }],
  ['HoistField$Value wraps a schemaless value', 'HoistField$Value', { field: 'line' }, { value: 'hello' }, { value: { line: 'hello' } }],
  ['HoistField$Key wraps a schema\'d key in a struct', 'HoistField$Key', { field: 'id' }, { keySchema: { type: 'int64' }, key: 5 }, { keySchema: { type: 'struct', fields: [{ field: 'id', type: 'int64' }] }, key: { id: 5 } }],
  ['HoistField wraps null too, as in Connect', 'HoistField$Value', { field: 'v' }, { value: null }, { value: { v: null } }],
  ['ValueToKey builds a map key from value fields', 'ValueToKey', { fields: 'name,age' }, { key: 'old', value: ALICE }, { keySchema: null, key: { name: 'Alice', age: 30 }, value: ALICE }],
  [
    'ValueToKey builds a struct key and its schema',
    'org.apache.kafka.connect.transforms.ValueToKey', { fields: 'email, name' }, { valueSchema: PERSON, value: { name: 'Bo', email: null } },
    { keySchema: { type: 'struct', fields: [PERSON.fields![2]!, PERSON.fields![0]!] }, key: { email: 'none', name: 'Bo' } },
  ],
  ['ValueToKey passes a tombstone through (Connect would fail)', 'ValueToKey', { fields: 'a' }, { key: 'k', value: null }, { key: 'k', value: null }],
  [
    'Flatten$Value flattens nested maps, keeping arrays and nulls',
    'Flatten$Value', {}, { value: { a: { b: 1, c: { d: 'x' } }, list: [{ e: 1 }], n: null, top: true } },
    { value: { 'a.b': 1, 'a.c.d': 'x', list: [{ e: 1 }], n: null, top: true } },
  ],
  ['Flatten uses the delimiter', 'Flatten$Key', { delimiter: '_' }, { key: { a: { b: 1 } } }, { key: { a_b: 1 } }],
  [
    'Flatten$Value flattens a struct and its schema (optional and defaults inherited)',
    'Flatten$Value', {}, { valueSchema: NESTED, value: { id: 1, customer: { name: 'Al', tags: ['t'] }, meta: null } },
    {
      valueSchema: {
        type: 'struct', name: 'Envelope',
        fields: [
          { field: 'id', type: 'int64' },
          { field: 'customer.name', type: 'string', optional: true },
          { field: 'customer.tags', type: 'array', items: { type: 'string' }, optional: true },
          { field: 'meta.src', type: 'string', default: 'web' },
        ],
      },
      value: { id: 1, 'customer.name': 'Al', 'customer.tags': ['t'], 'meta.src': 'web' }, // a null struct reads as its default
    },
  ],
  ['Flatten passes a tombstone through', 'Flatten$Value', {}, { value: null }, { value: null }],
];

for (const [name, type, config, input, expected] of cases) {
  test(name, () => {
    const out = transform(type, config).apply(sinkRecord(input));
    assert.ok(out);
    for (const [k, v] of Object.entries(expected)) assert.deepEqual((out as unknown as Record<string, unknown>)[k], v, k);
  });
}

test('Flatten fills fields of a null nested struct with their defaults', () => {
  const out = transform('Flatten$Value').apply(sinkRecord({ valueSchema: NESTED, value: { id: 1, customer: null, meta: { src: 'app' } } }));
  assert.deepEqual(out?.value, { id: 1, 'customer.name': null, 'customer.tags': null, 'meta.src': 'app' });
});

const dataErrors: [string, string, Record<string, string>, In, string][] = [
  ['ExtractField on a list', 'ExtractField$Value', { field: 'a' }, { value: [1] }, 'Only Map objects supported in absence of schema for [field extraction], found: java.util.ArrayList'],
  ['ExtractField of a field the schema lacks', 'ExtractField$Value', { field: 'zip' }, { valueSchema: PERSON, value: ALICE }, 'Unknown field: zip'],
  ['ValueToKey on a string', 'ValueToKey', { fields: 'a' }, { value: 'text' }, 'Only Map objects supported in absence of schema for [copying fields from value to key], found: java.lang.String'],
  ['ValueToKey of a field the schema lacks', 'ValueToKey', { fields: 'zip' }, { valueSchema: PERSON, value: ALICE }, 'Field does not exist: zip'],
  ['Flatten of a schema\'d map field', 'Flatten$Value', {}, { valueSchema: { type: 'struct', fields: [{ field: 'm', type: 'map', keys: { type: 'string' }, values: { type: 'string' } }] }, value: { m: {} } }, 'Flatten transformation does not support MAP for record with schemas (for field m).'],
  ['Flatten on a number', 'Flatten$Value', {}, { value: 3.5 }, 'Only Map objects supported in absence of schema for [flattening], found: java.lang.Double'],
];

for (const [name, type, config, input, message] of dataErrors) {
  test(`TransformDataError: ${name}`, () => {
    assert.throws(() => transform(type, config).apply(sinkRecord(input)), (e: unknown) => e instanceof TransformDataError && e.message === message);
  });
}

for (const [type, key] of [['ExtractField$Value', 'field'], ['HoistField$Key', 'field'], ['ValueToKey', 'fields']] as const) {
  test(`TransformConfigError: ${type} without ${key}`, () => {
    assert.throws(() => transform(type), (e: unknown) => e instanceof TransformConfigError && e.key === key && e.message === `Missing required configuration "${key}" which has no default value.`);
  });
}
