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

describe('JsonConverter writes the bytes Connect writes', () => {
  // Key order from JsonConverter.asJsonSchema: type, items|keys,values|fields, optional, name, version, doc,
  // parameters, default; a struct field's "field" is appended last. Jackson writes doubles as Double.toString.
  const cases: [string, Record<string, string>, Schema | null, unknown, string][] = [
    ['string', {}, { type: 'string', optional: false }, 'hi', '{"schema":{"type":"string","optional":false},"payload":"hi"}'],
    ['boolean', {}, { type: 'boolean' }, true, '{"schema":{"type":"boolean","optional":false},"payload":true}'],
    ['double', {}, { type: 'float64', optional: false }, 1, '{"schema":{"type":"double","optional":false},"payload":1.0}'],
    ['float', {}, { type: 'float32', optional: false }, 12.34, '{"schema":{"type":"float","optional":false},"payload":12.34}'],
    ['double 1e7', {}, { type: 'float64' }, 1e7, '{"schema":{"type":"double","optional":false},"payload":1.0E7}'],
    ['double NaN (Jackson quotes it)', {}, { type: 'float64' }, Number.NaN, '{"schema":{"type":"double","optional":false},"payload":"NaN"}'],
    ['bytes', {}, { type: 'bytes' }, Buffer.from('test-string'), '{"schema":{"type":"bytes","optional":false},"payload":"dGVzdC1zdHJpbmc="}'],
    ['schema metadata', {}, { type: 'boolean', optional: false, name: 'bool', version: 3, doc: 'the documentation', parameters: { foo: 'bar' } }, true,
      '{"schema":{"type":"boolean","optional":false,"name":"bool","version":3,"doc":"the documentation","parameters":{"foo":"bar"}},"payload":true}'],
    ['array', {}, { type: 'array', items: { type: 'int32' } }, [1, 2, 3], '{"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false},"payload":[1,2,3]}'],
    ['map string keys', {}, { type: 'map', keys: { type: 'string' }, values: { type: 'int32' } }, { key1: 12, key2: 15 },
      '{"schema":{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":{"key1":12,"key2":15}}'],
    ['map int keys', {}, { type: 'map', keys: { type: 'int32' }, values: { type: 'int32' } }, new Map([[1, 12], [2, 15]]),
      '{"schema":{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":[[1,12],[2,15]]}'],
    ['struct', {}, { type: 'struct', fields: [{ field: 'field1', type: 'boolean' }, { field: 'field2', type: 'string' }] }, { field1: true, field2: 'string2' },
      '{"schema":{"type":"struct","fields":[{"type":"boolean","optional":false,"field":"field1"},{"type":"string","optional":false,"field":"field2"}],"optional":false},"payload":{"field1":true,"field2":"string2"}}'],
    ['decimal BASE64', {}, decimalSchema(2), '1.56',
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"AJw="}'],
    ['decimal NUMERIC', { 'decimal.format': 'NUMERIC' }, decimalSchema(4), '1.5600',
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"4"}},"payload":1.5600}'],
    ['date', {}, DATE_SCHEMA, new Date(10000 * 86400000), '{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1},"payload":10000}'],
    ['time', {}, TIME_SCHEMA, new Date(14400000), '{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time","version":1},"payload":14400000}'],
    ['timestamp', {}, TIMESTAMP_SCHEMA, new Date(4000000000), '{"schema":{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1},"payload":4000000000}'],
    ['null schema', {}, null, true, '{"schema":null,"payload":true}'],
    ['schemas disabled', { 'schemas.enable': 'false' }, null, true, 'true'],
  ];
  for (const [name, config, schema, value, expected] of cases) {
    test(name, () => assert.equal(text(json(config).fromConnectData('t', schema, value)), expected));
  }
});

describe('JsonConverter reads what Connect writes and accepts', () => {
  test("Connect's own test inputs (whitespace, missing optional, float/double names)", () => {
    const c = json();
    const read = (s: string): unknown => c.toConnectData('t', bytes(s)).value;
    assert.equal(read('{ "schema": { "type": "boolean" }, "payload": true }'), true);
    assert.equal(read('{ "schema": { "type": "int8" }, "payload": 0012 }'), 12);
    assert.equal(read('{ "schema": { "type": "int64" }, "payload": 00000123456789 }'), 123456789);
    assert.equal(read('{ "schema": { "type": "float" }, "payload": 12.34 }'), 12.34);
    assert.equal(read('{ "schema": { "type": "int64" }, "payload": 4398046511104 }'), 4398046511104);
    assert.deepEqual(read('{ "schema": { "type": "bytes" }, "payload": "dGVzdC1zdHJpbmc=" }'), Buffer.from('test-string'));
    assert.deepEqual(read('{ "schema": { "type": "map", "keys": { "type" : "int32" }, "values": { "type" : "int32" } }, "payload": [ [1, 12], [2, 15] ] }'), new Map([[1, 12], [2, 15]]));
    assert.deepEqual(read('{ "schema": { "type": "struct", "fields": [{ "field":"optional", "type": "string", "optional": true }, {  "field": "required", "type": "string" }] }, "payload": { "required": "required" } }'), { optional: null, required: 'required' });
    assert.equal(read('{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "2" } }, "payload": 1.56 }'), '1.56');
    assert.equal(read('{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "17" } }, "payload": 1.23456789123456789 }'), '1.23456789123456789');
    assert.deepEqual(read('{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Date", "version": 1 }, "payload": 10000 }'), new Date(10000 * 86400000));
    assert.deepEqual(read('{ "schema": { "type": "int64", "name": "org.apache.kafka.connect.data.Timestamp", "version": 1 }, "payload": 4000000000 }'), new Date(4000000000));
    assert.deepEqual(read('{ "schema": null, "payload": [1, "2", 3] }'), [1, '2', 3]);
  });

  test('struct fields come back in schema order; JSON keys the schema lacks are dropped', () => {
    const r = json().toConnectData('t', bytes('{"schema":{"type":"struct","fields":[{"field":"a","type":"int32"},{"field":"b","type":"string","optional":true}]},"payload":{"x":1,"b":"B","a":1}}'));
    assert.deepEqual(Object.keys(r.value as object), ['a', 'b']);
    assert.deepEqual(r.value, { a: 1, b: 'B' });
  });

  test('integers beyond 2^53 and long decimal literals keep every digit', () => {
    const c = json();
    const big = c.toConnectData('t', bytes('{"schema":{"type":"array","items":{"type":"int64"}},"payload":[1,9223372036854775807,-9007199254740993]}'));
    assert.deepEqual(big.value, [1, 9223372036854775807n, -9007199254740993n]);
    const schemaless = json({ 'schemas.enable': 'false' }).toConnectData('t', bytes('{"id":12345678901234567890,"n":[9007199254740993],"f":0.1}'));
    assert.deepEqual(schemaless.value, { id: 12345678901234567890n, n: [9007199254740993n], f: 0.1 });
    const dec = c.toConnectData('t', bytes('{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}},"payload":0.1000000000000000055511}'));
    assert.equal(dec.value, '0.1000000000000000055511');
  });

  test('a schema whose text contains ,"payload": is read correctly, every time', () => {
    const c = json();
    const schema: Schema = { type: 'string', optional: false, doc: 'tricky ,"payload": doc' };
    const out = c.fromConnectData('t', schema, 'v');
    for (let i = 0; i < 3; i++) assert.deepEqual(c.toConnectData('t', out), { schema: { type: 'string', optional: false, doc: 'tricky ,"payload": doc' }, value: 'v' });
  });

  test('an envelope that only starts like a known one goes the slow way (duplicate keys: the last wins, as in Jackson)', () => {
    const c = json();
    const known = c.fromConnectData('t', { type: 'int32' }, 1);
    assert.equal(c.toConnectData('t', known).value, 1);
    const dup = bytes('{"schema":{"type":"int32","optional":false},"payload":1,"schema":{"type":"string","optional":false}}');
    assert.throws(() => c.toConnectData('t', dup), /expected string, found NUMBER/);
    const spaced = bytes('{"schema":{"type":"int32","optional":false},"payload": 7 }');
    assert.equal(c.toConnectData('t', spaced).value, 7);
    assert.equal(c.toConnectData('t', bytes('\uFEFF{"schema":{"type":"int32"},"payload":8}')).value, 8);
  });

  test('leading zeros are accepted, as by Connect (Jackson ALLOW_LEADING_ZEROS_FOR_NUMBERS)', () => {
    assert.deepEqual(json({ 'schemas.enable': 'false' }).toConnectData('t', bytes('{"a":007,"b":[-01.50]}')).value, { a: 7, b: [-1.5] });
  });

  test('many schemas interleaved all read back (beyond the recent ones tried first)', () => {
    const c = json();
    const outs = Array.from({ length: 20 }, (_, i) => [i, c.fromConnectData('t', { type: 'struct', name: `s${i}`, fields: [{ field: `f${i}`, type: 'int32' }] }, { [`f${i}`]: i })] as const);
    for (let round = 0; round < 3; round++) {
      for (const [i, out] of outs) assert.deepEqual(c.toConnectData('t', out).value, { [`f${i}`]: i });
    }
  });

  test('schemas.cache.size bounds the caches without breaking reads', () => {
    for (const size of ['0', '1', '2']) {
      const c = json({ 'schemas.cache.size': size });
      for (let i = 0; i < 5; i++) {
        const schema: Schema = { type: 'string', name: `n${i % 3}` };
        assert.equal(c.toConnectData('t', c.fromConnectData('t', schema, `v${i}`)).value, `v${i}`);
      }
    }
  });
});

describe('JsonConverter errors', () => {
  const readFails = (input: string, pattern: RegExp | string, config: Record<string, string> = {}): void => {
    assert.throws(() => json(config).toConnectData('orders', bytes(input)), (e: unknown) => {
      assert.ok(e instanceof ConversionError, String(e));
      if (typeof pattern === 'string') assert.equal(e.message, pattern);
      else assert.match(e.message, pattern);
      return true;
    });
  };

  test('malformed JSON', () => {
    readFails('{bad', /^Converting JSON to Kafka Connect data failed \(topic orders\): invalid JSON: /);
    readFails('{"a":1', /invalid JSON/, { 'schemas.enable': 'false' });
    readFails('[1,]', /invalid JSON/, { 'schemas.enable': 'false' });
  });

  test('envelope missing, incomplete or with extra fields', () => {
    for (const input of ['{"payload":1}', '{"schema":null}', '{"schema":null,"payload":1,"x":2}', '[1]', '"text"', '{}']) readFails(input, ENVELOPE_REQUIRED_MESSAGE);
    assert.match(ENVELOPE_REQUIRED_MESSAGE, /set schemas\.enable=false/);
  });

  test('payload of the wrong type for its schema names the field', () => {
    readFails('{"schema":{"type":"int32"},"payload":"12"}', /expected int32.*found STRING/);
    readFails('{"schema":{"type":"int8"},"payload":300}', /expected int8/);
    readFails('{"schema":{"type":"int32"},"payload":1.5}', /expected int32/);
    readFails('{"schema":{"type":"struct","fields":[{"field":"a","type":"struct","fields":[{"field":"b","type":"array","items":{"type":"boolean"}}]}]},"payload":{"a":{"b":[true,1]}}}', /at field "a\.b\[1\]".*expected boolean/);
    readFails('{"schema":{"type":"struct","fields":[]},"payload":[]}', /Structs should be encoded as JSON objects, but found ARRAY/);
    readFails('{"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}},"payload":{"1":2}}', /Maps with non-string fields should be encoded as JSON array of tuples, but found OBJECT/);
    readFails('{"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}},"payload":[[1,2,3]]}', /expected length 2/);
    readFails('{"schema":{"type":"bytes"},"payload":"not base64!"}', /expected bytes/);
    readFails('{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Time"},"payload":90000000}', /Time values must use number of milliseconds/);
  });

  test('invalid schemas', () => {
    readFails('{"schema":{"type":"uint8"},"payload":1}', /Unknown schema type: uint8/);
    readFails('{"schema":{"optional":true},"payload":1}', /Schema must contain 'type' field/);
    readFails('{"schema":{"type":"array"},"payload":[]}', /Array schema did not specify the element type/);
    readFails('{"schema":{"type":"struct","fields":[{"type":"int32"}]},"payload":{}}', /field name not specified properly/);
    readFails('{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal"},"payload":"AA=="}', /scale parameter not found/);
    readFails('{"schema":{"type":"string","parameters":{"a":1}},"payload":"x"}', /Schema parameters must have string values/);
  });

  test('values that do not fit the schema when writing name the field', () => {
    const writeFails = (schema: Schema, value: unknown, path: string | undefined, pattern: RegExp, config: Record<string, string> = {}): void => {
      assert.throws(() => json(config).fromConnectData('orders', schema, value), (e: unknown) => {
        assert.ok(e instanceof ConversionError, String(e));
        assert.equal(e.path, path);
        assert.match(e.message, pattern);
        return true;
      });
    };
    const order: Schema = { type: 'struct', fields: [{ field: 'lines', type: 'array', items: { type: 'struct', fields: [{ field: 'qty', type: 'int32' }] } }] };
    writeFails(order, { lines: [{ qty: 1 }, { qty: '2' }] }, 'lines[1].qty', /at field "lines\[1\]\.qty" \(topic orders\): expected int32.*got string "2"/);
    writeFails({ type: 'float64' }, true, undefined, /expected float64/);
    writeFails({ type: 'int64' }, 2 ** 64, undefined, /expected int64/);
    writeFails({ type: 'int32' }, 1.5, undefined, /expected int32/);
    writeFails({ type: 'bytes' }, 'AAAA', undefined, /expected bytes/);
    writeFails({ type: 'map', keys: { type: 'int32' }, values: { type: 'string' } }, { 1: 'a' }, undefined, /expected a Map/);
    writeFails({ type: 'map', keys: { type: 'string' }, values: { type: 'int8' } }, new Map([['k', 999]]), '["k"]', /expected int8/);
    writeFails(decimalSchema(2), '1.234', undefined, /more fraction digits than the schema's scale 2/);
    writeFails(decimalSchema(2), 'abc', undefined, /expected a Decimal/);
    writeFails(DATE_SCHEMA, new Date(1), undefined, /Date type should not have any time fields/);
    writeFails(TIME_SCHEMA, new Date(86400001), undefined, /Time type should not have any date fields/);
    writeFails(TIMESTAMP_SCHEMA, 5, undefined, /expected Date/);
    writeFails({ type: 'float32' }, 1e39, undefined, /out of range for float32/);
    writeFails({ type: 'struct', fields: [{ field: 'a', type: 'int32', default: 'x' }] }, {}, 'a', /Invalid default value/);
    writeFails({ type: 'nope' } as unknown as Schema, 1, undefined, /Unknown schema type: nope/);
    writeFails({ type: 'struct', fields: [{ field: 'a', type: 'int32' }, { field: 'a', type: 'int32' }] }, {}, undefined, /duplication a/);
    writeFails({ type: 'int32', name: 'org.apache.kafka.connect.data.Decimal' }, 1, undefined, /must be bytes/);
  });

  test('invalid settings name the key', () => {
    const configure = (config: Record<string, string>): void => new JsonConverter().configure(config);
    assert.throws(() => configure({ 'schemas.enable': 'yes' }), /Invalid value yes for configuration schemas\.enable/);
    assert.throws(() => configure({ 'decimal.format': 'HEX' }), /Invalid value HEX for configuration decimal\.format/);
    assert.throws(() => configure({ 'schemas.cache.size': 'many' }), /configuration schemas\.cache\.size/);
    assert.throws(() => configure({ 'replace.null.with.default': '1' }), /configuration replace\.null\.with\.default/);
    assert.doesNotThrow(() => configure({ 'schemas.enable': ' FALSE ', 'decimal.format': 'numeric', 'schemas.cache.size': '10', 'converter.type': 'value', 'unknown.key': 'x' }));
  });
});
