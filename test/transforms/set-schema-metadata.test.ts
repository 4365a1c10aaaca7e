import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Schema } from '../../src/plugins/connect-data.js';
import { TransformConfigError, TransformDataError } from '../../src/plugins/transformation.js';
import { validateTransforms } from '../../src/transforms/transform-validation.js';
import { ALICE, PERSON, registry, sinkRecord, transform } from './records.js';

test('SetSchemaMetadata$Value sets name and version, keeps the rest of the schema; the struct is rebuilt with defaults', () => {
  const out = transform('org.apache.kafka.connect.transforms.SetSchemaMetadata$Value', { 'schema.name': 'com.example.Customer', 'schema.version': '7' })
    .apply(sinkRecord({ valueSchema: PERSON, value: { ...ALICE, email: null }, key: 'k' }))!;
  assert.deepEqual(out.valueSchema, { ...PERSON, name: 'com.example.Customer', version: 7 });
  assert.deepEqual(out.value, { ...ALICE, email: 'none' });
  assert.deepEqual([out.key, out.kafkaOffset], ['k', 42]);
  const raw = transform('SetSchemaMetadata$Value', { 'schema.name': 'x', 'replace.null.with.default': 'false' }).apply(sinkRecord({ valueSchema: PERSON, value: { ...ALICE, email: null } }))!;
  assert.equal((raw.value as Record<string, unknown>)['email'], null);
});

test('SetSchemaMetadata sets only what is configured: the version alone keeps the name; the name alone keeps the version', () => {
  assert.deepEqual(transform('SetSchemaMetadata$Value', { 'schema.version': '3' }).apply(sinkRecord({ valueSchema: PERSON, value: ALICE }))!.valueSchema, { ...PERSON, version: 3 });
  const map: Schema = { type: 'map', optional: true, keys: { type: 'string' }, values: { type: 'int64' }, doc: 'counts', default: { a: 1 } };
  const out = transform('SetSchemaMetadata$Key', { 'schema.name': 'counts' }).apply(sinkRecord({ keySchema: map, key: { a: 2 } }))!;
  assert.deepEqual(out.keySchema, { ...map, name: 'counts' });
  assert.deepEqual(out.key, { a: 2 }, 'a map value is kept as it is');
  assert.deepEqual(transform('SetSchemaMetadata$Value', { 'schema.name': 'n' }).apply(sinkRecord({ valueSchema: { type: 'int64' }, value: 5 }))!.valueSchema, { type: 'int64', name: 'n' });
});

test('SetSchemaMetadata: a schema\'d null value gets the new schema; no schema and no value passes; a value without schema is an error', () => {
  const nullValue = transform('SetSchemaMetadata$Value', { 'schema.name': 'x' }).apply(sinkRecord({ valueSchema: { ...PERSON, optional: true }, value: null }))!;
  assert.deepEqual([nullValue.valueSchema?.name, nullValue.value], ['x', null]);
  const tombstone = sinkRecord({ value: null });
  assert.equal(transform('SetSchemaMetadata$Value', { 'schema.name': 'x' }).apply(tombstone), tombstone);
  assert.throws(() => transform('SetSchemaMetadata$Value', { 'schema.name': 'x' }).apply(sinkRecord({ value: { a: 1 } })), (e: unknown) => e instanceof TransformDataError && e.message === 'Schema required for [updating schema metadata]');
});

test('SetSchemaMetadata config: neither name nor version (a configure() check, as in Connect), a version that is not an INT', () => {
  assert.throws(() => transform('SetSchemaMetadata$Value', {}), (e: unknown) => e instanceof TransformConfigError && e.key === '' && e.message === 'Neither schema name nor version configured');
  assert.deepEqual(Object.fromEntries(validateTransforms({ transforms: 's', 'transforms.s.type': 'SetSchemaMetadata$Key', 'transforms.s.schema.version': 'v2' }, registry)), {
    'transforms.s.schema.version': ['Invalid value v2 for configuration transforms.s.schema.version: Not a number of type INT'],
  });
  assert.deepEqual(Object.fromEntries(validateTransforms({ transforms: 's', 'transforms.s.type': 'SetSchemaMetadata$Key', 'transforms.s.schema.name': 'a', 'transforms.s.schema.version': '2', 'transforms.s.replace.null.with.default': 'true' }, registry)), {});
});
