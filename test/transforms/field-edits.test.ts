import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonConverter } from '../../src/converters/json-converter.js';
import type { Schema } from '../../src/plugins/connect-data.js';
import { TransformConfigError, TransformDataError } from '../../src/plugins/transformation.js';
import type { Transformation } from '../../src/plugins/transformation.js';
import { ALICE, PERSON, sinkRecord, sourceRecord, transform, TS } from './records.js';

interface Case {
  name: string;
  type: string;
  config: Record<string, string>;
  input: Parameters<typeof sinkRecord>[0];
  /** Expected operating side after the transform: [schema, value]. */
  expected: { keySchema?: Schema | null | undefined; key?: unknown; valueSchema?: Schema | null | undefined; value?: unknown };
}

const TIMESTAMP_SCHEMA: Schema = { type: 'int64', optional: true, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 };

const cases: Case[] = [
  {
    name: 'InsertField$Value adds topic, partition, offset, timestamp and a static field to a map',
    type: 'InsertField$Value',
    config: { 'topic.field': 'topic', 'partition.field': 'part', 'offset.field': 'off', 'timestamp.field': 'ts', 'static.field': 'origin', 'static.value': 'eu' },
    input: { value: { id: 1 } },
    expected: { valueSchema: undefined, value: { id: 1, topic: 'orders', part: 3, off: 42, ts: TS, origin: 'eu' } },
  },
  {
    name: 'InsertField$Key works on the key and leaves the value alone',
    type: 'org.apache.kafka.connect.transforms.InsertField$Key',
    config: { 'topic.field': 'topic' },
    input: { key: { id: 1 }, value: 'v' },
    expected: { key: { id: 1, topic: 'orders' }, value: 'v' },
  },
  {
    name: 'InsertField$Value on a struct adds fields to the schema (optional, `!` required, `?` stripped)',
    type: 'InsertField$Value',
    config: { 'topic.field': 'topic!', 'partition.field': 'part?', 'timestamp.field': 'ts', 'static.field': 'origin', 'static.value': 'eu' },
    input: { valueSchema: PERSON, value: { ...ALICE, email: null } },
    expected: {
      valueSchema: {
        type: 'struct', name: 'com.example.Person', version: 2,
        fields: [...PERSON.fields!, { field: 'topic', type: 'string', optional: false }, { field: 'part', type: 'int32', optional: true }, { field: 'ts', ...TIMESTAMP_SCHEMA }, { field: 'origin', type: 'string', optional: true }],
      } as Schema,
      // A struct's Timestamp field holds a Date, as Connect's does (JsonConverter writes the logical type from a Date).
      value: { name: 'Alice', age: 30, email: 'none', topic: 'orders', part: 3, ts: new Date(TS), origin: 'eu' },
    },
  },
  {
    name: 'InsertField keeps null (not the default) with replace.null.with.default=false',
    type: 'InsertField$Value',
    config: { 'topic.field': 't', 'replace.null.with.default': 'false' },
    input: { valueSchema: PERSON, value: { name: 'Bob', age: null } },
    expected: { value: { name: 'Bob', age: null, email: null, t: 'orders' } },
  },
  {
    name: 'InsertField passes a tombstone through unchanged',
    type: 'InsertField$Value',
    config: { 'topic.field': 'topic' },
    input: { value: null },
    expected: { value: null },
  },
  {
    name: 'ReplaceField$Value excludes (exclude wins over include) and renames on a map',
    type: 'ReplaceField$Value',
    config: { include: 'name, age, email', exclude: 'email', renames: 'name:full_name' },
    input: { value: { ...ALICE, extra: true } },
    expected: { value: { full_name: 'Alice', age: 30 } },
  },
  {
    name: 'ReplaceField$Value drops and renames struct fields in schema and value',
    type: 'ReplaceField$Value',
    config: { exclude: 'age', renames: 'email:mail' },
    input: { valueSchema: PERSON, value: ALICE },
    expected: {
      valueSchema: { type: 'struct', name: 'com.example.Person', version: 2, fields: [{ field: 'name', type: 'string' }, { field: 'mail', type: 'string', optional: true, default: 'none' }] },
      value: { name: 'Alice', mail: 'a@example.com' },
    },
  },
  {
    name: 'ReplaceField reads the deprecated whitelist/blacklist names',
    type: 'ReplaceField$Key',
    config: { whitelist: 'a,b', blacklist: 'b' },
    input: { key: { a: 1, b: 2, c: 3 } },
    expected: { key: { a: 1 } },
  },
  {
    name: 'ReplaceField prefers include over the deprecated whitelist',
    type: 'ReplaceField$Value',
    config: { include: 'a', whitelist: 'b' },
    input: { value: { a: 1, b: 2 } },
    expected: { value: { a: 1 } },
  },
  {
    name: 'ReplaceField passes a tombstone through unchanged',
    type: 'ReplaceField$Value',
    config: { exclude: 'a' },
    input: { value: null },
    expected: { value: null },
  },
  {
    name: 'MaskField$Value masks map fields with zero values by type; a missing field becomes null as in Connect',
    type: 'MaskField$Value',
    config: { fields: 's, n, f, b, l, m, nul, missing' },
    input: { value: { s: 'secret', n: 12, f: 1.5, b: true, l: [1], m: { x: 1 }, nul: null, keep: 'k' } },
    expected: { value: { s: '', n: 0, f: 0, b: false, l: [], m: {}, nul: null, missing: null, keep: 'k' } },
  },
  {
    name: 'MaskField with a replacement converts it to each field type',
    type: 'MaskField$Value',
    config: { fields: 'name, age', replacement: '42' },
    input: { valueSchema: PERSON, value: ALICE },
    expected: { valueSchema: PERSON, value: { name: '42', age: 42, email: 'a@example.com' } },
  },
  {
    name: 'MaskField$Key masks struct key fields, keeping the schema',
    type: 'MaskField$Key',
    config: { fields: 'email' },
    input: { keySchema: PERSON, key: ALICE },
    expected: { keySchema: PERSON, key: { name: 'Alice', age: 30, email: '' } },
  },
  {
    name: 'MaskField passes a tombstone through (Connect would fail on it)',
    type: 'MaskField$Value',
    config: { fields: 'a' },
    input: { value: null },
    expected: { value: null },
  },
];

for (const c of cases) {
  test(c.name, () => {
    const out = transform(c.type, c.config).apply(sinkRecord(c.input));
    assert.ok(out);
    for (const [k, v] of Object.entries(c.expected)) assert.deepEqual((out as unknown as Record<string, unknown>)[k], v, k);
    assert.equal(out.kafkaOffset, 42, 'fields the transform does not know survive');
  });
}

test('a source record keeps its source partition and offset through a transform', () => {
  const out = transform('InsertField$Value', { 'topic.field': 't' }).apply(sourceRecord({ value: {} }));
  assert.deepEqual(out?.sourceOffset, { position: 7 });
  assert.deepEqual(out?.value, { t: 'orders' });
  assert.ok(!('p' in (out?.value as object)), 'a record without partition gets no partition field');
});

const dataErrors: [string, Transformation, Parameters<typeof sinkRecord>[0], RegExp | string][] = [
  ['InsertField on a string value', transform('InsertField$Value', { 'topic.field': 't' }), { value: 'text' }, 'Only Map objects supported in absence of schema for [field insertion], found: java.lang.String'],
  ['InsertField on a schema\'d non-struct', transform('InsertField$Value', { 'topic.field': 't' }), { valueSchema: { type: 'int64' }, value: 5 }, 'Only Struct objects supported for [field insertion], found: java.lang.Long'],
  ['InsertField offset.field on a source record', transform('InsertField$Value', { 'offset.field': 'o' }), {}, 'Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord'],
  ['ReplaceField on an array', transform('ReplaceField$Value', { exclude: 'a' }), { value: [1] }, 'Only Map objects supported in absence of schema for [field replacement], found: java.util.ArrayList'],
  ['MaskField on a bytes field', transform('MaskField$Value', { fields: 'b' }), { value: { b: Buffer.from('x') } }, 'Cannot mask value of type: class [B'],
  ['MaskField replacement for a boolean', transform('MaskField$Value', { fields: 'b', replacement: 'x' }), { value: { b: true } }, 'Cannot mask value of type class java.lang.Boolean with custom replacement.'],
  ['MaskField non-numeric replacement for a number', transform('MaskField$Value', { fields: 'n', replacement: 'abc' }), { value: { n: 1 } }, 'Unable to convert abc (class java.lang.String) to number'],
];

for (const [name, t, input, message] of dataErrors) {
  test(`TransformDataError: ${name}`, () => {
    const record = name.includes('source record') ? sourceRecord({ value: { a: 1 } }) : sinkRecord(input);
    assert.throws(() => t.apply(record), (e: unknown) => e instanceof TransformDataError && (typeof message === 'string' ? e.message === message : message.test(e.message)));
  });
}

const configErrors: [string, string, Record<string, string>, string, string][] = [
  ['InsertField with nothing to insert', 'InsertField$Value', {}, '', 'No field insertion configured'],
  ['InsertField static.field without value', 'InsertField$Value', { 'static.field': 's' }, 'static.value', 'Invalid value null for configuration static.value: No value specified for static field: s'],
  ['InsertField replace.null.with.default not a boolean', 'InsertField$Value', { 'topic.field': 't', 'replace.null.with.default': 'yes' }, 'replace.null.with.default', 'Invalid value yes for configuration replace.null.with.default: Expected value to be either true or false'],
  ['ReplaceField bad rename', 'ReplaceField$Value', { renames: 'a:b, c' }, 'renames', 'Invalid value [a:b, c] for configuration renames: Invalid rename mapping: c'],
  ['MaskField without fields', 'MaskField$Value', {}, 'fields', 'Missing required configuration "fields" which has no default value.'],
  ['MaskField with an empty list', 'MaskField$Key', { fields: ' ' }, 'fields', 'Invalid value [] for configuration fields: Empty list'],
  ['MaskField with an empty replacement', 'MaskField$Value', { fields: 'a', replacement: '' }, 'replacement', 'Invalid value  for configuration replacement: String must be non-empty'],
];

for (const [name, type, config, key, message] of configErrors) {
  test(`TransformConfigError: ${name}`, () => {
    assert.throws(() => transform(type, config), (e: unknown) => e instanceof TransformConfigError && e.key === key && e.message === message);
  });
}

test('InsertField timestamp.field on a struct: JsonConverter with schemas writes it as the Timestamp logical type', () => {
  const t = transform('InsertField$Value', { 'timestamp.field': 'ts' });
  const out = t.apply(sinkRecord({ valueSchema: PERSON, value: ALICE, timestamp: TS }))!;
  const converter = new JsonConverter();
  converter.configure({ 'schemas.enable': 'true' });
  const json = JSON.parse(converter.fromConnectData('orders', out.valueSchema, out.value)!.toString()) as { payload: { ts: number } };
  assert.equal(json.payload.ts, TS);
});
