import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Schema } from '../../src/plugins/connect-data.js';
import { ConversionError } from '../../src/plugins/converter.js';
import { ENVELOPE_REQUIRED_MESSAGE, JsonConverter } from '../../src/converters/json-converter.js';
import { DATE_SCHEMA, TIMESTAMP_SCHEMA, TIME_SCHEMA, decimalSchema } from '../../src/converters/logical-types.js';

function json(config: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(config);
  return c;
}

const text = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));
const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

const s = (type: Schema['type'], extra: Partial<Schema> = {}): Schema => ({ type, optional: false, ...extra });
const field = (name: string, schema: Schema): Schema & { field: string } => ({ ...schema, field: name });

const ADDRESS = s('struct', { name: 'address', fields: [field('street', s('string')), field('zip', s('int32', { optional: true }))] });
const CUSTOMER = s('struct', {
  name: 'customer',
  fields: [field('id', s('int64')), field('name', s('string')), field('address', ADDRESS), field('tags', s('array', { items: s('string') }))],
});

/** [name, schema, value]: each must survive fromConnectData → toConnectData unchanged, with schemas enabled. */
const ROUND_TRIPS: [string, Schema, unknown][] = [
  ['string', s('string'), 'hi'],
  ['empty string', s('string'), ''],
  ['unicode string', s('string'), 'é ✓ 😀 "quoted" \\ \n'],
  ['int8', s('int8'), -128],
  ['int16', s('int16'), 32767],
  ['int32', s('int32'), -2147483648],
  ['int64 (safe)', s('int64'), 9007199254740991],
  ['int64 (bigint beyond 2^53)', s('int64'), 9223372036854775807n],
  ['int64 (negative bigint)', s('int64'), -9223372036854775808n],
  ['float32', s('float32'), 0.5],
  ['float64', s('float64'), 12.34],
  ['float64 whole', s('float64'), 3],
  ['float64 tiny', s('float64'), 1.5e-300],
  ['float64 NaN', s('float64'), Number.NaN],
  ['float64 -Infinity', s('float64'), Number.NEGATIVE_INFINITY],
  ['boolean true', s('boolean'), true],
  ['boolean false', s('boolean'), false],
  ['bytes', s('bytes'), Buffer.from([0, 1, 2, 250, 255])],
  ['empty bytes', s('bytes'), Buffer.alloc(0)],
  ['optional null', s('string', { optional: true }), null],
  ['array', s('array', { items: s('int32') }), [1, 2, 3]],
  ['empty array', s('array', { items: s('int32') }), []],
  ['array of optionals', s('array', { items: s('string', { optional: true }) }), ['a', null]],
  ['array of arrays', s('array', { items: s('array', { items: s('boolean') }) }), [[true], [], [false, true]]],
  ['map string keys', s('map', { keys: s('string'), values: s('int32') }), { a: 1, b: 2 }],
  ['map int keys', s('map', { keys: s('int32'), values: s('string') }), new Map([[1, 'one'], [2, 'two']])],
  ['map struct values', s('map', { keys: s('string'), values: ADDRESS }), { home: { street: 'Main', zip: 1000 } }],
  ['map of maps', s('map', { keys: s('int64'), values: s('map', { keys: s('string'), values: s('float64') }) }), new Map([[7, { x: 1.5 }]])],
  ['nested struct', CUSTOMER, { id: 42, name: 'Ada', address: { street: 'Main', zip: null }, tags: ['vip'] }],
  ['struct with __proto__ field', s('struct', { fields: [field('__proto__', s('string')), field('constructor', s('int8'))] }), JSON.parse('{"__proto__":"p","constructor":1}')],
  ['decimal', decimalSchema(2), '12.34'],
  ['decimal negative', decimalSchema(2), '-0.05'],
  ['decimal large', decimalSchema(4), '-123456789012345678901234567890.1234'],
  ['decimal scale 0', decimalSchema(0), '7'],
  ['timestamp', TIMESTAMP_SCHEMA, new Date(4000000000)],
  ['timestamp before 1970', TIMESTAMP_SCHEMA, new Date(-86400001)],
  ['date', DATE_SCHEMA, new Date(Date.UTC(1997, 4, 12))],
  ['time', TIME_SCHEMA, new Date(14400000)],
  ['optional logical null', { ...TIMESTAMP_SCHEMA, optional: true }, null],
];

describe('JsonConverter round trips', () => {
  for (const format of ['BASE64', 'NUMERIC']) {
    for (const [name, schema, value] of ROUND_TRIPS) {
      test(`${name} (decimal.format=${format})`, () => {
        const c = json({ 'decimal.format': format });
        const out = c.fromConnectData('t', schema, value);
        assert.notEqual(out, null);
        const back = c.toConnectData('t', out);
        assert.deepEqual(back.value, value);
        assert.equal(back.schema?.type, schema.type);
        // a second read takes the fast path (schema known by its bytes) and must agree
        assert.deepEqual(c.toConnectData('t', out).value, value);
      });
    }
  }

  test('schemas.enable=false writes exactly the payload of the envelope, for every row of the table', () => {
    const on = json();
    const off = json({ 'schemas.enable': 'false' });
    for (const [name, schema, value] of ROUND_TRIPS) {
      const envelope = text(on.fromConnectData('t', schema, value))!;
      const plain = text(off.fromConnectData('t', schema, value))!;
      assert.ok(envelope.endsWith(`,"payload":${plain}}`), name);
      if (!(schema.name ?? '').includes('Decimal') && schema.type !== 'bytes' && !schema.name?.includes('Time') && !schema.name?.includes('Date')) {
        assert.doesNotThrow(() => off.toConnectData('t', Buffer.from(plain)), name);
      }
    }
  });

  test('schemas.enable=false: plain JSON, read back schemaless (integers and decimals as numbers)', () => {
    const c = json({ 'schemas.enable': 'false' });
    const cases: [Schema | null, unknown, string, unknown][] = [
      [s('string'), 'hi', '"hi"', 'hi'],
      [s('int32'), 5, '5', 5],
      [s('float64'), 1, '1.0', 1],
      [s('boolean'), true, 'true', true],
      [CUSTOMER, { id: 1, name: 'n', address: { street: 's', zip: 2 }, tags: [] }, '{"id":1,"name":"n","address":{"street":"s","zip":2},"tags":[]}', { id: 1, name: 'n', address: { street: 's', zip: 2 }, tags: [] }],
      [s('map', { keys: s('int32'), values: s('string') }), new Map([[1, 'a']]), '[[1,"a"]]', [[1, 'a']]],
      [decimalSchema(2), '1.50', '"AJY="', 'AJY='],
      [TIMESTAMP_SCHEMA, new Date(5), '5', 5],
      [s('bytes'), Buffer.from('hi'), '"aGk="', 'aGk='],
      [null, { a: [1, 'x', null], b: 1.5 }, '{"a":[1,"x",null],"b":1.5}', { a: [1, 'x', null], b: 1.5 }],
      [null, 12345678901234567890n, '12345678901234567890', 12345678901234567890n],
      [s('string', { optional: true }), null, 'null', null],
    ];
    for (const [schema, value, wire, back] of cases) {
      const out = c.fromConnectData('t', schema, value);
      assert.equal(text(out), wire);
      assert.deepEqual(c.toConnectData('t', out), { schema: null, value: back });
    }
  });

  test('decimal.format=NUMERIC keeps every digit of large and negative decimals', () => {
    const c = json({ 'decimal.format': 'NUMERIC' });
    for (const [scale, v, wire] of [[2, '-12.30', '-12.30'], [20, '1.23456789012345678901', '1.23456789012345678901'], [1, '98765432109876543210.5', '98765432109876543210.5'], [10, '0.0000000001', '1E-10']] as const) {
      const out = c.fromConnectData('t', decimalSchema(scale), v);
      assert.equal(JSON.parse(text(out)!.replace(/"payload":(.*)}$/, '"payload":"$1"}')).payload, wire);
      assert.equal(c.toConnectData('t', out).value, v);
    }
  });

  test('a schemaless value with schemas enabled has a null schema', () => {
    const c = json();
    const out = c.fromConnectData('t', null, { k: [1, 2.5, 'x', true, null] });
    assert.equal(text(out), '{"schema":null,"payload":{"k":[1,2.5,"x",true,null]}}');
    assert.deepEqual(c.toConnectData('t', out), { schema: null, value: { k: [1, 2.5, 'x', true, null] } });
    const map = c.fromConnectData('t', undefined, new Map<unknown, unknown>([['s', 12], [52, 'x']]));
    assert.equal(text(map), '{"schema":null,"payload":[["s",12],[52,"x"]]}');
  });

  test('the canonical schema read back is shared between records and uses float32/float64', () => {
    const c = json();
    const a = c.toConnectData('t', bytes('{"schema":{"type":"double","optional":false},"payload":1.5}'));
    const b = c.toConnectData('t', bytes('{"schema":{"type":"double","optional":false},"payload":2.5}'));
    assert.deepEqual(a.schema, { type: 'float64', optional: false });
    assert.equal(a.schema, b.schema);
    assert.equal(b.value, 2.5);
  });
});

describe('JsonConverter tombstones, nulls and defaults', () => {
  test('null schema + null value is a tombstone, both ways and with either setting', () => {
    for (const enable of ['true', 'false']) {
      const c = json({ 'schemas.enable': enable });
      assert.equal(c.fromConnectData('t', null, null), null);
      assert.equal(c.fromConnectData('t', undefined, undefined), null);
      assert.deepEqual(c.toConnectData('t', null), { schema: null, value: null });
    }
  });

  test('a null value with a schema is not a tombstone (as in Connect)', () => {
    assert.equal(text(json().fromConnectData('t', s('string', { optional: true }), null)), '{"schema":{"type":"string","optional":true},"payload":null}');
    assert.equal(text(json({ 'schemas.enable': 'false' }).fromConnectData('t', s('string', { optional: true }), null)), 'null');
  });

  test('empty bytes: null when schemaless, an envelope error when schemas are enabled', () => {
    assert.deepEqual(json({ 'schemas.enable': 'false' }).toConnectData('t', Buffer.alloc(0)), { schema: null, value: null });
    assert.throws(() => json().toConnectData('t', Buffer.alloc(0)), { message: ENVELOPE_REQUIRED_MESSAGE });
  });

  const withDefault = s('string', { optional: true, default: 'default' });
  const structWithDefault = s('struct', { fields: [field('field1', withDefault)] });

  test('replace.null.with.default=true writes and reads the default', () => {
    const c = json();
    assert.equal(text(c.fromConnectData('t', withDefault, null)), '{"schema":{"type":"string","optional":true,"default":"default"},"payload":"default"}');
    assert.equal(text(c.fromConnectData('t', structWithDefault, {})), '{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"default","field":"field1"}],"optional":false},"payload":{"field1":"default"}}');
    assert.equal(c.toConnectData('t', bytes('{"schema":{"type":"string","optional":true,"default":"default"},"payload":null}')).value, 'default');
    assert.deepEqual(c.toConnectData('t', bytes('{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"default","field":"field1"}],"optional":false},"payload":{"field1":null}}')).value, { field1: 'default' });
  });

  test('replace.null.with.default=false keeps nulls', () => {
    const c = json({ 'replace.null.with.default': 'false' });
    assert.equal(text(c.fromConnectData('t', withDefault, null)), '{"schema":{"type":"string","optional":true,"default":"default"},"payload":null}');
    assert.equal(text(c.fromConnectData('t', structWithDefault, { field1: null })), '{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"default","field":"field1"}],"optional":false},"payload":{"field1":null}}');
    assert.deepEqual(c.toConnectData('t', bytes('{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"default","field":"field1"}],"optional":false},"payload":{"field1":null}}')).value, { field1: null });
  });

  test('defaults of logical types are JS values in the schema read back', () => {
    const c = json();
    const r = c.toConnectData('t', bytes('{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "default": "AJw=", "parameters": { "scale": "2" } }, "payload": null }'));
    assert.equal(r.value, '1.56');
    assert.equal(r.schema?.default, '1.56');
    const d = c.toConnectData('t', bytes('{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Date", "version": 1, "optional": true, "default": 0 }, "payload": null }'));
    assert.deepEqual(d.value, new Date(0));
    const back = c.fromConnectData('t', d.schema, null);
    assert.equal(text(back), '{"schema":{"type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Date","version":1,"default":0},"payload":0}');
  });

  test('a required field without default refuses null', () => {
    assert.throws(() => json().fromConnectData('t', CUSTOMER, { id: 1, name: null, address: { street: 'x' }, tags: [] }), (e: unknown) => {
      assert.ok(e instanceof ConversionError);
      assert.equal(e.path, 'name');
      assert.match(e.message, /field "name".*null value for a required string field/);
      return true;
    });
    assert.throws(() => json().toConnectData('t', bytes('{"schema":{"type":"int32"},"payload":null}')), /Invalid null value for required int32 field/);
  });
});
