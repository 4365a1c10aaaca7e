import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ByteArrayConverter } from '../../src/converters/byte-array-converter.js';
import { ConversionError } from '../../src/plugins/converter.js';
import {
  BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter,
} from '../../src/converters/number-converters.js';
import { StringConverter } from '../../src/converters/string-converter.js';

function string(encoding?: string): StringConverter {
  const c = new StringConverter();
  c.configure(encoding === undefined ? {} : { 'converter.encoding': encoding }, false);
  return c;
}

describe('StringConverter', () => {
  test('round trips in every supported encoding', () => {
    for (const enc of ['UTF-8', 'utf8', 'UTF-16', 'UTF-16BE', 'UTF-16LE', 'ISO-8859-1', 'latin1', 'US-ASCII']) {
      const c = string(enc);
      const sample = enc.includes('ASCII') ? 'plain text 123' : enc.includes('8859') || enc === 'latin1' ? 'café déjà' : 'héllo ✓ 😀';
      assert.deepEqual(c.toConnectData('t', c.fromConnectData('t', null, sample)), { schema: { type: 'string', optional: true }, value: sample }, enc);
    }
  });

  test("bytes as Java's charsets write them", () => {
    assert.deepEqual([...string().fromConnectData('t', null, 'é')!], [0xc3, 0xa9]);
    assert.deepEqual([...string('UTF-16').fromConnectData('t', null, 'A')!], [0xfe, 0xff, 0x00, 0x41]);
    assert.deepEqual([...string('UTF-16BE').fromConnectData('t', null, 'A')!], [0x00, 0x41]);
    assert.deepEqual([...string('UTF-16LE').fromConnectData('t', null, 'A')!], [0x41, 0x00]);
    assert.deepEqual([...string('ISO-8859-1').fromConnectData('t', null, 'é€')!], [0xe9, 0x3f]);
    assert.deepEqual([...string('US-ASCII').fromConnectData('t', null, 'aé😀')!], [0x61, 0x3f, 0x3f]);
    assert.equal(string('US-ASCII').toConnectData('t', Buffer.from([0x61, 0xe9])).value, 'a\uFFFD');
    assert.equal(string('UTF-16').toConnectData('t', Buffer.from([0xff, 0xfe, 0x41, 0x00])).value, 'A');
    assert.equal(string('UTF-16').toConnectData('t', Buffer.from([0x00, 0x41])).value, 'A');
  });

  test('null ↔ null; other values as text', () => {
    const c = string();
    assert.equal(c.fromConnectData('t', null, null), null);
    assert.deepEqual(c.toConnectData('t', null), { schema: { type: 'string', optional: true }, value: null });
    const asText = (schema: Parameters<StringConverter['fromConnectData']>[1], v: unknown): string | undefined => c.fromConnectData('t', schema, v)?.toString('utf8');
    assert.equal(asText(null, 42), '42');
    assert.equal(asText({ type: 'float64' }, 1), '1.0');
    assert.equal(asText({ type: 'float32' }, 0.1), '0.1');
    assert.equal(asText(null, 12345678901234567890n), '12345678901234567890');
    assert.equal(asText(null, false), 'false');
    assert.equal(asText(null, new Date(0)), '1970-01-01T00:00:00.000Z');
    assert.equal(asText(null, { a: [1, 'x'] }), '{"a":[1,"x"]}');
    const raw = Buffer.from('raw');
    assert.equal(c.fromConnectData('t', null, raw), raw);
    assert.throws(() => c.fromConnectData('t', null, Symbol('x')), ConversionError);
  });

  test('an unknown encoding fails at configure, naming the key', () => {
    assert.throws(() => string('EBCDIC-XYZ'), (e: unknown) => e instanceof ConversionError && /Invalid value EBCDIC-XYZ for configuration converter\.encoding/.test(e.message));
  });
});

describe('ByteArrayConverter', () => {
  const c = new ByteArrayConverter();
  test('bytes pass through unchanged, without a copy', () => {
    const b = Buffer.from([1, 2, 3]);
    assert.equal(c.fromConnectData('t', { type: 'bytes' }, b), b);
    assert.equal(c.toConnectData('t', b).value, b);
    assert.deepEqual(c.toConnectData('t', b).schema, { type: 'bytes', optional: true });
    assert.deepEqual(c.fromConnectData('t', null, new Uint8Array([4, 5]).subarray(1)), Buffer.from([5]));
  });
  test('null ↔ null', () => {
    assert.equal(c.fromConnectData('t', null, null), null);
    assert.deepEqual(c.toConnectData('t', null), { schema: { type: 'bytes', optional: true }, value: null });
  });
  test('a non-bytes value or schema is refused', () => {
    assert.throws(() => c.fromConnectData('t', null, 'text'), /ByteArrayConverter is not compatible with objects of type string/);
    assert.throws(() => c.fromConnectData('t', null, { a: 1 }), ConversionError);
    assert.throws(() => c.fromConnectData('t', { type: 'string' }, Buffer.alloc(1)), /Invalid schema type for ByteArrayConverter: STRING/);
  });
});

describe('number and boolean converters', () => {
  const cases: [string, { fromConnectData: ByteArrayConverter['fromConnectData']; toConnectData: ByteArrayConverter['toConnectData'] }, unknown, number[], string][] = [
    ['short', new ShortConverter(), -2, [0xff, 0xfe], 'int16'],
    ['integer', new IntegerConverter(), 258, [0, 0, 1, 2], 'int32'],
    ['long', new LongConverter(), 1, [0, 0, 0, 0, 0, 0, 0, 1], 'int64'],
    ['long (bigint)', new LongConverter(), -9223372036854775808n, [0x80, 0, 0, 0, 0, 0, 0, 0], 'int64'],
    ['float', new FloatConverter(), 1.5, [0x3f, 0xc0, 0, 0], 'float32'],
    ['double', new DoubleConverter(), 1.5, [0x3f, 0xf8, 0, 0, 0, 0, 0, 0], 'float64'],
    ['boolean', new BooleanConverter(), true, [1], 'boolean'],
  ];
  for (const [name, c, value, wire, type] of cases) {
    test(`${name}: big-endian bytes, round trip, null ↔ null`, () => {
      const out = c.fromConnectData('t', null, value);
      assert.deepEqual([...out!], wire);
      assert.deepEqual(c.toConnectData('t', out), { schema: { type, optional: true }, value });
      assert.equal(c.fromConnectData('t', null, null), null);
      assert.deepEqual(c.toConnectData('t', null), { schema: { type, optional: true }, value: null });
      assert.throws(() => c.toConnectData('t', Buffer.alloc(wire.length + 1)), /Size of data received by .* is not/);
    });
  }
  test('values of the wrong kind are refused', () => {
    assert.throws(() => new IntegerConverter().fromConnectData('t', null, 2 ** 31), /Failed to serialize to integer/);
    assert.throws(() => new ShortConverter().fromConnectData('t', null, 'x'), /Failed to serialize to short \(was string "x"\)/);
    assert.throws(() => new LongConverter().fromConnectData('t', null, 1.5), /Failed to serialize to long/);
    assert.throws(() => new BooleanConverter().fromConnectData('t', null, 1), /BooleanConverter is not compatible/);
    assert.throws(() => new BooleanConverter().fromConnectData('t', { type: 'int8' }, true), /Invalid schema type for BooleanConverter: INT8/);
    assert.throws(() => new BooleanConverter().toConnectData('t', Buffer.from([2])), /Unexpected byte received by BooleanDeserializer: 2/);
  });
  test('long reads back a bigint beyond 2^53', () => {
    const c = new LongConverter();
    assert.equal(c.toConnectData('t', c.fromConnectData('t', null, 2n ** 60n)).value, 2n ** 60n);
  });
});
