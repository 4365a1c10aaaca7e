import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonConverter } from '../../src/converters/json-converter.js';
import type { Schema } from '../../src/plugins/connect-data.js';
import { TransformConfigError, TransformDataError } from '../../src/plugins/transformation.js';
import { compileDateFormat } from '../../src/transforms/simple-date-format.js';
import { validateTransforms } from '../../src/transforms/transform-validation.js';
import { registry, sinkRecord, transform, TS } from './records.js';

/** TS = 2024-03-05T07:08:09.010Z */
const MIDNIGHT = Date.UTC(2024, 2, 5);
const TIME_OF_DAY = TS - MIDNIGHT;
const TIMESTAMP: Schema = { type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 };
const OPT = (s: Schema): Schema => ({ ...s, optional: true });
const DATE: Schema = { type: 'int32', optional: false, name: 'org.apache.kafka.connect.data.Date', version: 1 };
const TIME: Schema = { type: 'int32', optional: false, name: 'org.apache.kafka.connect.data.Time', version: 1 };
const ISO = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

const convert = (config: Record<string, string>, input: Parameters<typeof sinkRecord>[0]): { valueSchema: unknown; value: unknown; keySchema: unknown; key: unknown } => {
  const out = transform('TimestampConverter$Value', config).apply(sinkRecord(input))!;
  return { valueSchema: out.valueSchema, value: out.value, keySchema: out.keySchema, key: out.key };
};

const wholeSchemaless: [string, Record<string, string>, unknown, unknown][] = [
  ['unix (ms) → Timestamp', { 'target.type': 'Timestamp' }, TS, new Date(TS)],
  ['Timestamp → string', { 'target.type': 'string', format: ISO }, new Date(TS), '2024-03-05T07:08:09.010Z'],
  ['string → unix', { 'target.type': 'unix', format: 'yyyy-MM-dd HH:mm:ss.SSS' }, '2024-03-05 07:08:09.010', TS],
  ['Timestamp → Date (UTC midnight)', { 'target.type': 'Date' }, new Date(TS), new Date(MIDNIGHT)],
  ['Timestamp → Time (on 1970-01-01)', { 'target.type': 'Time' }, new Date(TS), new Date(TIME_OF_DAY)],
  ['unix seconds → Timestamp', { 'target.type': 'Timestamp', 'unix.precision': 'seconds' }, 1709622489, new Date(1709622489000)],
  ['Timestamp → unix seconds (truncated)', { 'target.type': 'unix', 'unix.precision': 'seconds' }, new Date(TS), 1709622489],
  ['Timestamp → unix microseconds', { 'target.type': 'unix', 'unix.precision': 'microseconds' }, new Date(TS), 1709622489010000],
  ['Timestamp → unix nanoseconds (a bigint beyond 2^53)', { 'target.type': 'unix', 'unix.precision': 'nanoseconds' }, new Date(TS), 1709622489010000000n],
  ['unix nanoseconds (bigint) → Timestamp, sub-millisecond digits dropped', { 'target.type': 'Timestamp', 'unix.precision': 'nanoseconds' }, 1709622489010999999n, new Date(TS)],
  ['unix microseconds → string', { 'target.type': 'string', 'unix.precision': 'microseconds', format: 'yyyyMMdd HHmmss.SSS' }, 1709622489010123, '20240305 070809.010'],
  ['string → string (reformat)', { 'target.type': 'string', format: 'dd/MM/yyyy' }, '05/03/2024', '05/03/2024'],
  ['a tombstone (null) stays null', { 'target.type': 'unix' }, null, null],
];

for (const [name, config, input, expected] of wholeSchemaless) {
  test(`TimestampConverter schemaless, whole value: ${name}`, () => {
    const out = convert(config, { value: input });
    assert.deepEqual(out.value, expected);
    assert.equal(out.valueSchema ?? null, null);
  });
}

test('TimestampConverter$Key converts the key and leaves the value', () => {
  const out = transform('org.apache.kafka.connect.transforms.TimestampConverter$Key', { 'target.type': 'unix' }).apply(sinkRecord({ key: new Date(TS), value: 'v' }))!;
  assert.deepEqual([out.key, out.value], [TS, 'v']);
});

test('TimestampConverter with a schema, whole value: the new schema is the target type, with the input optionality', () => {
  assert.deepEqual(convert({ 'target.type': 'unix' }, { valueSchema: TIMESTAMP, value: new Date(TS) }), { valueSchema: { type: 'int64', optional: false }, value: TS, keySchema: undefined, key: null });
  assert.deepEqual(convert({ 'target.type': 'Timestamp', format: 'yyyy-MM-dd' }, { valueSchema: { type: 'string', optional: true }, value: '2024-03-05' }).valueSchema, OPT(TIMESTAMP));
  assert.deepEqual(convert({ 'target.type': 'Date' }, { valueSchema: { type: 'int64' }, value: TS }), { valueSchema: DATE, value: new Date(MIDNIGHT), keySchema: undefined, key: null });
  assert.deepEqual(convert({ 'target.type': 'Time' }, { valueSchema: DATE, value: new Date(MIDNIGHT) }).valueSchema, TIME);
  assert.deepEqual(convert({ 'target.type': 'string', format: 'HH:mm' }, { valueSchema: OPT(TIME), value: null }), { valueSchema: { type: 'string', optional: true }, value: null, keySchema: undefined, key: null });
  assert.deepEqual(convert({ 'target.type': 'unix' }, { valueSchema: DATE, value: 19787 }).value, MIDNIGHT, 'a Date given as its days (pipectl also takes the raw number)');
});

const EVENT: Schema = {
  type: 'struct', name: 'com.example.Event', version: 3, optional: true,
  fields: [
    { field: 'id', type: 'int32' },
    { field: 'at', ...OPT(TIMESTAMP) },
    { field: 'note', type: 'string', optional: true, default: 'none' },
  ],
};

test('TimestampConverter on a struct field: the field schema becomes the target, the rest is kept (name, version, optionality)', () => {
  const out = convert({ field: 'at', 'target.type': 'string', format: ISO }, { valueSchema: EVENT, value: { id: 1, at: new Date(TS), note: null } });
  assert.deepEqual(out.valueSchema, { ...EVENT, fields: [EVENT.fields![0], { field: 'at', type: 'string', optional: true }, EVENT.fields![2]] });
  assert.deepEqual(out.value, { id: 1, at: '2024-03-05T07:08:09.010Z', note: 'none' });
  const raw = convert({ field: 'at', 'target.type': 'unix', 'replace.null.with.default': 'false' }, { valueSchema: EVENT, value: { id: 1, at: null, note: null } });
  assert.deepEqual(raw.value, { id: 1, at: null, note: null });
  const none = convert({ field: 'at', 'target.type': 'unix' }, { valueSchema: EVENT, value: null });
  assert.deepEqual([none.value, (none.valueSchema as Schema).fields![1]], [null, { field: 'at', type: 'int64', optional: true }]);
});

test("TimestampConverter on a struct field converts the struct schema's default too", () => {
  const schema: Schema = { type: 'struct', optional: true, fields: [{ field: 'at', ...TIMESTAMP }], default: { at: new Date(TS) } };
  const out = convert({ field: 'at', 'target.type': 'unix' }, { valueSchema: schema, value: null });
  assert.deepEqual((out.valueSchema as Schema).default, { at: TS });
});

test('TimestampConverter on a map field: converted in a copy; a missing field is written as null (as Connect)', () => {
  const input = { id: 1, at: TS };
  assert.deepEqual(convert({ field: 'at', 'target.type': 'Timestamp' }, { value: input }).value, { id: 1, at: new Date(TS) });
  assert.deepEqual(input, { id: 1, at: TS }, 'the input is not modified');
  assert.deepEqual(convert({ field: 'missing', 'target.type': 'unix' }, { value: { id: 1 } }).value, { id: 1, missing: null });
});

test('TimestampConverter on what a sink reads: a JsonConverter Timestamp field to text and back, written as JSON', () => {
  const json = new JsonConverter();
  json.configure({ 'schemas.enable': 'true' });
  const bytes = Buffer.from(JSON.stringify({ schema: { type: 'struct', fields: [{ type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1, field: 'at' }], optional: false }, payload: { at: TS } }));
  const read = json.toConnectData('t', bytes);
  const toText = convert({ field: 'at', 'target.type': 'string', format: ISO }, { valueSchema: read.schema, value: read.value });
  assert.equal(json.fromConnectData('t', toText.valueSchema as Schema, toText.value)!.toString(), '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"at"}],"optional":false},"payload":{"at":"2024-03-05T07:08:09.010Z"}}');
  const back = convert({ field: 'at', 'target.type': 'Timestamp', format: ISO }, { valueSchema: toText.valueSchema as Schema, value: toText.value });
  assert.equal(json.fromConnectData('t', back.valueSchema as Schema, back.value)!.toString(), bytes.toString());
});

const parses: [string, string, number][] = [
  ['yyyyMMdd', '20240305', MIDNIGHT],
  ['yyyyMMddHHmmss', '20240305070809', TS - 10],
  ['d/M/yy', '5/3/24', MIDNIGHT],
  ['dd MMM yyyy hh:mm a', '05 mar 2024 07:08 PM', Date.UTC(2024, 2, 5, 19, 8)],
  ['EEEE, MMMM d, yyyy', 'Tuesday, March 5, 2024', MIDNIGHT],
  ["yyyy-MM-dd'T'HH:mm:ssXXX", '2024-03-05T08:08:09+01:00', TS - 10],
  ["yyyy-MM-dd'T'HH:mm:ss.SSSX", '2024-03-05T07:08:09.010Z', TS],
  ['yyyy-MM-dd HH:mm:ss Z', '2024-03-05 02:08:09 -0500', TS - 10],
  ['yyyy-MM-dd HH:mm z', '2024-03-05 07:08 UTC', TS - 9010],
  ['yyyy-MM-dd', '2024-03-05 and then some', MIDNIGHT],
  ['yyyy-MM-dd', ' 2024-3-5', MIDNIGHT],
  ['yyyy-MM-dd', '2024-13-01', Date.UTC(2025, 0, 1)],
  ['yyyy-MM-dd k:mm', '2024-03-05 24:00', MIDNIGHT],
  ['yyyy-MM-dd HH:mm:ss.S', '2024-03-05 07:08:09.10', TS],
];

for (const [pattern, text, expected] of parses) {
  test(`SimpleDateFormat (lenient) parses ${JSON.stringify(text)} with ${JSON.stringify(pattern)}`, () => {
    assert.equal(compileDateFormat(pattern).parse(text), expected);
  });
}

test('SimpleDateFormat: text that does not match is undefined (ParseException)', () => {
  for (const [pattern, text] of [['yyyy-MM-dd', '2024/03/05'], ['yyyy-MM-dd', ''], ['MMM d', 'Foo 5'], ['HH:mm a', '07:08 XM']]) {
    assert.equal(compileDateFormat(pattern!).parse(text!), undefined, `${pattern} ${text}`);
  }
});

const dataErrors: [string, Record<string, string>, Parameters<typeof sinkRecord>[0], string][] = [
  ['a string without format', { 'target.type': 'unix' }, { value: '2024-03-05' }, 'Could not parse timestamp: value (2024-03-05) with no format (TimestampConverter requires format option to be specified when using string timestamps)'],
  ['a string that does not match', { 'target.type': 'unix', format: 'yyyy-MM-dd' }, { value: 'nope' }, 'Could not parse timestamp: value (nope) does not match pattern (yyyy-MM-dd)'],
  ['a double', { 'target.type': 'unix' }, { value: 1.5 }, 'TimestampConverter does not support class java.lang.Double objects as timestamps'],
  ['a string in an int64 schema', { 'target.type': 'Timestamp' }, { valueSchema: { type: 'int64' }, value: 'x' }, 'Expected Unix timestamp to be a Long, but found class java.lang.String'],
  ['a number in a string schema', { 'target.type': 'unix', format: 'yyyy' }, { valueSchema: { type: 'string' }, value: 5 }, 'Expected string timestamp to be a String, but found class java.lang.Long'],
  ['a string in a Timestamp schema', { 'target.type': 'unix' }, { valueSchema: TIMESTAMP, value: 'x' }, 'Expected Timestamp to be a java.util.Date, but found class java.lang.String'],
  ['an int32 schema', { 'target.type': 'unix' }, { valueSchema: { type: 'int32' }, value: 5 }, 'Schema Schema{INT32} does not correspond to a known timestamp type format'],
  ['a named schema of another type', { 'target.type': 'unix' }, { valueSchema: { type: 'float64', name: 'x.Y' }, value: 5 }, 'Schema Schema{x.Y:FLOAT64} does not correspond to a known timestamp type format'],
  ['a field of a non-struct', { field: 'at', 'target.type': 'unix' }, { valueSchema: { type: 'string' }, value: 'x' }, 'Only Struct objects supported for [converting timestamp formats], found: java.lang.String'],
  ['a field of a non-map', { field: 'at', 'target.type': 'unix' }, { value: 'x' }, 'Only Map objects supported in absence of schema for [converting timestamp formats], found: java.lang.String'],
];

for (const [name, config, input, message] of dataErrors) {
  test(`TimestampConverter TransformDataError: ${name}`, () => {
    assert.throws(() => transform('TimestampConverter$Value', config).apply(sinkRecord(input)), (e: unknown) => e instanceof TransformDataError && e.message === message);
  });
}

const invalid: [string, Record<string, string>, Record<string, string[]>][] = [
  ['no target.type', {}, { 'transforms.c.target.type': ['Missing required configuration "transforms.c.target.type" which has no default value.'] }],
  ['a target.type of the wrong case', { 'target.type': 'timestamp' }, { 'transforms.c.target.type': ['Invalid value timestamp for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp'] }],
  ['string without format', { 'target.type': 'string' }, { 'transforms.c.format': ['TimestampConverter requires format option to be specified when using string timestamps'] }],
  ['a pattern Java rejects', { 'target.type': 'unix', format: 'yyyy-bb' }, { 'transforms.c.format': ["TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: yyyy-bb (Illegal pattern character 'b')"] }],
  ['a pattern letter pipectl does not support', { 'target.type': 'string', format: "yyyy-'W'ww" }, {
    'transforms.c.format': ["TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: yyyy-'W'ww (pattern letter 'ww' is not supported (supported: y, M, L, d, E, a, H, k, K, h, m, s, S, z, Z, X and quoted text))"],
  }],
  ['an unknown precision', { 'target.type': 'unix', 'unix.precision': 'ms' }, { 'transforms.c.unix.precision': ['Invalid value ms for configuration unix.precision: String must be one of: nanoseconds, microseconds, milliseconds, seconds'] }],
  ['replace.null.with.default not a boolean', { 'target.type': 'unix', 'replace.null.with.default': 'no' }, { 'transforms.c.replace.null.with.default': ['Invalid value no for configuration transforms.c.replace.null.with.default: Expected value to be either true or false'] }],
  ['every option set validly', { field: 'at', 'target.type': 'string', format: ISO, 'unix.precision': 'seconds', 'replace.null.with.default': 'false' }, {}],
];

for (const [name, config, expected] of invalid) {
  test(`TimestampConverter validation: ${name}`, () => {
    const keys = Object.fromEntries(Object.entries(config).map(([k, v]) => [`transforms.c.${k}`, v]));
    assert.deepEqual(Object.fromEntries(validateTransforms({ transforms: 'c', 'transforms.c.type': 'TimestampConverter$Key', ...keys }, registry)), expected);
  });
}

test('TimestampConverter configure() refuses a string target without format on the format key', () => {
  assert.throws(() => transform('TimestampConverter$Value', { 'target.type': 'string' }), (e: unknown) => e instanceof TransformConfigError && e.key === 'format');
});
