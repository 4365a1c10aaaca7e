import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Schema } from '../../src/plugins/connect-data.js';
import { castValue, javaDoubleString, javaFloatString } from '../../src/transforms/cast-values.js';
import type { CastType } from '../../src/transforms/cast-values.js';
import { TransformConfigError, TransformDataError } from '../../src/plugins/transformation.js';
import { sinkRecord, transform } from './records.js';

const values: [string, Schema | null, unknown, CastType, unknown][] = [
  ['int64 wraps to int8 like (byte) 300', null, 300, 'int8', 44],
  ['int64 wraps to int16', null, 70000, 'int16', 4464],
  ['int64 wraps to int32', null, 2 ** 32 + 5, 'int32', 5],
  ['float64 truncates to int32', null, -2.7, 'int32', -2],
  ['float64 saturates to int32', null, 1e12 + 0.5, 'int32', 2147483647],
  ['float64 → int8 goes through (int) first', { type: 'float64' }, 1000.9, 'int8', -24],
  ['boolean to int', null, true, 'int64', 1],
  ['string parses to int16', null, '-123', 'int16', -123],
  ['string parses to float32', null, '1.1', 'float32', Math.fround(1.1)],
  ['string parses to float64 with Java suffix', null, '2.5d', 'float64', 2.5],
  ['string "TRUE" is true', null, 'TRUE', 'boolean', true],
  ['string "yes" is false', null, 'yes', 'boolean', false],
  ['float 0.5 is false (longValue 0)', null, 0.5, 'boolean', false],
  ['int64 prints as Java prints a long', null, 5, 'string', '5'],
  ['an integral schemaless number is a long, even a large one', null, 1.5e10, 'string', '15000000000'],
  ['float64 prints as Java prints a double', { type: 'float64' }, 5, 'string', '5.0'],
  ['large double prints in E notation', { type: 'float64' }, 1.5e10, 'string', '1.5E10'],
  ['float32 prints its shortest form', { type: 'float32' }, Math.fround(1.1), 'string', '1.1'],
  ['bytes print as base64', null, Buffer.from('hi'), 'string', 'aGk='],
  ['Timestamp logical prints ISO 8601', { type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' }, Date.UTC(2024, 0, 2, 3, 4, 5, 6), 'string', '2024-01-02T03:04:05.006Z'],
  ['Date logical prints the day', { type: 'int32', name: 'org.apache.kafka.connect.data.Date' }, 19724, 'string', '2024-01-02'],
  ['null stays null', null, null, 'int32', null],
];

for (const [name, schema, value, target, expected] of values) {
  test(`castValue: ${name}`, () => assert.deepEqual(castValue(schema, value, target), expected));
}

test('Java number formatting', () => {
  assert.deepEqual([0, -0, 1e-4, 0.001, 1234567.5, 1e7, -3.25e-7, NaN, -Infinity].map(javaDoubleString), ['0.0', '-0.0', '1.0E-4', '0.001', '1234567.5', '1.0E7', '-3.25E-7', 'NaN', '-Infinity']);
  assert.equal(javaFloatString(Math.fround(0.1)), '0.1');
  assert.equal(javaFloatString(Math.fround(3)), '3.0');
});

test('castValue rejects bad strings and unsupported input types with TransformDataError', () => {
  for (const [value, target] of [['300', 'int8'], ['abc', 'int32'], ['1.5', 'int64'], ['x', 'float64']] as const) {
    assert.throws(() => castValue(null, value, target), (e: unknown) => e instanceof TransformDataError && e.message === `Value (${value}) was out of range for requested data type`);
  }
  assert.throws(() => castValue(null, [1], 'string'), /Cast transformation does not support casting from ARRAY; supported types are \[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES\]/);
  assert.throws(() => castValue({ type: 'struct' }, {}, 'string'), /does not support casting from STRUCT/);
});

const ORDER: Schema = {
  type: 'struct', name: 'Order', optional: true,
  fields: [
    { field: 'id', type: 'int64' },
    { field: 'qty', type: 'string', optional: true, default: '1' },
    { field: 'price', type: 'float64' },
  ],
};

test('Cast$Value casts struct fields and updates their schema (optionality kept, default cast)', () => {
  const out = transform('Cast$Value', { spec: 'id:string, qty:int32,price:int64' }).apply(sinkRecord({ valueSchema: ORDER, value: { id: 7, qty: '3', price: 9.99 } }));
  assert.deepEqual(out?.valueSchema, {
    type: 'struct', name: 'Order', optional: true,
    fields: [{ field: 'id', type: 'string' }, { field: 'qty', type: 'int32', optional: true, default: 1 }, { field: 'price', type: 'int64' }],
  });
  assert.deepEqual(out?.value, { id: '7', qty: 3, price: 9 });
});

test('Cast$Value on a map casts the listed fields; a missing one becomes null as in Connect', () => {
  const out = transform('Cast$Value', { spec: 'n:string,flag:boolean,gone:int8' }).apply(sinkRecord({ value: { n: 1.5, flag: 1, other: 'x' } }));
  assert.deepEqual(out?.value, { n: '1.5', flag: true, other: 'x', gone: null });
});

test('Cast$Key casts the whole key and keeps the schema\'s name', () => {
  const keySchema: Schema = { type: 'int64', name: 'Id', optional: true };
  const out = transform('Cast$Key', { spec: 'int32' }).apply(sinkRecord({ keySchema, key: 2 ** 31 + 1, value: 'v' }));
  assert.deepEqual(out?.keySchema, { type: 'int32', name: 'Id', optional: true });
  assert.equal(out?.key, -2147483647);
  assert.equal(transform('Cast$Key', { spec: 'string' }).apply(sinkRecord({ key: 12 }))?.key, '12', 'schemaless whole-key cast');
});

test('Cast passes tombstones through and rejects non-maps', () => {
  const cast = transform('Cast$Value', { spec: 'a:int8' });
  const tombstone = sinkRecord({ valueSchema: ORDER, value: null });
  assert.equal(cast.apply(tombstone), tombstone);
  assert.throws(() => cast.apply(sinkRecord({ value: 'text' })), (e: unknown) => e instanceof TransformDataError && e.message === 'Only Map objects supported in absence of schema for [cast types], found: java.lang.String');
});

const badSpecs: [string, string][] = [
  ['', 'Must specify at least one field to cast.'],
  ['a:int9', 'Invalid type found in casting spec: int9'],
  ['a:bytes', 'Cast transformation does not support casting to BYTES; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]'],
  ['int32,a:string', 'Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec'],
  ['a:b:c', 'Invalid value [a:b:c] for configuration spec: Invalid cast mapping: a:b:c'],
];

for (const [spec, message] of badSpecs) {
  test(`Cast rejects spec "${spec}"`, () => {
    assert.throws(() => transform('Cast$Value', { spec }), (e: unknown) => e instanceof TransformConfigError && e.key === 'spec' && e.message === message);
  });
}
