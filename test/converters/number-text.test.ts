import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bytesToPlain, bytesToUnscaled, formatJavaBigDecimal, formatPlain, parseDecimal, rescale, smallBase64Int, unscaledToBytes,
} from '../../src/converters/decimal.js';
import { JsonConverter } from '../../src/converters/json-converter.js';
import { javaDoubleString, javaFloatString } from '../../src/converters/java-number-format.js';

test('javaDoubleString matches Java Double.toString', () => {
  const cases: [number, string][] = [
    [0, '0.0'], [-0, '-0.0'], [1, '1.0'], [-1, '-1.0'], [100, '100.0'], [12.34, '12.34'], [0.001, '0.001'],
    [1e-4, '1.0E-4'], [1.5e-5, '1.5E-5'], [1234567, '1234567.0'], [1e7, '1.0E7'], [123456789, '1.23456789E8'],
    [1e21, '1.0E21'], [1e23, '1.0E23'], [-2.5e-7, '-2.5E-7'], [0.1 + 0.2, '0.30000000000000004'],
    [Number.MIN_VALUE, '4.9E-324'], [Number.MAX_VALUE, '1.7976931348623157E308'],
    [Number.NaN, 'NaN'], [Number.POSITIVE_INFINITY, 'Infinity'], [Number.NEGATIVE_INFINITY, '-Infinity'],
  ];
  for (const [x, expected] of cases) assert.equal(javaDoubleString(x), expected, String(x));
});

test('javaFloatString matches Java Float.toString (shortest digits of the float32)', () => {
  const cases: [number, string][] = [
    [0.1, '0.1'], [3.14, '3.14'], [1, '1.0'], [12.34, '12.34'], [1e10, '1.0E10'], [16777216, '1.6777216E7'],
    [1.401298464324817e-45, '1.4E-45'], [3.4028234663852886e38, '3.4028235E38'], [0.001, '0.001'], [1e-4, '1.0E-4'],
    [-0, '-0.0'], [Math.fround(0.1), '0.1'],
  ];
  for (const [x, expected] of cases) assert.equal(javaFloatString(x), expected, String(x));
});

test('decimal text parses to unscaled value and scale', () => {
  const cases: [string, bigint, number][] = [
    ['12.34', 1234n, 2], ['-0.5', -5n, 1], ['7', 7n, 0], ['1.5E+3', 15n, -2], ['1e-7', 1n, 7], ['.5', 5n, 1], ['+3.', 3n, 0],
    ['0012.300', 12300n, 3],
  ];
  for (const [text, unscaled, scale] of cases) assert.deepEqual(parseDecimal(text), { unscaled, scale }, text);
  for (const bad of ['', '-', '.', 'abc', '1.2.3', '1e', '0x10', 'NaN']) assert.equal(parseDecimal(bad), null, bad);
});

test('rescale pads, and refuses to drop digits', () => {
  assert.equal(rescale({ unscaled: 123n, scale: 1 }, 3), 12300n);
  assert.equal(rescale({ unscaled: 12300n, scale: 3 }, 1), 123n);
  assert.equal(rescale({ unscaled: 12345n, scale: 3 }, 2), null);
});

test('formatPlain and Java BigDecimal.toString', () => {
  const cases: [bigint, number, string, string][] = [
    [156n, 2, '1.56', '1.56'], [-156n, 2, '-1.56', '-1.56'], [0n, 2, '0.00', '0.00'], [5n, 3, '0.005', '0.005'],
    [1n, 10, '0.0000000001', '1E-10'], [12345n, 10, '0.0000012345', '0.0000012345'], [10n, 7, '0.0000010', '0.0000010'],
    [123n, -2, '12300', '1.23E+4'], [7n, 0, '7', '7'], [-1n, 7, '-0.0000001', '-1E-7'],
  ];
  for (const [unscaled, scale, plain, java] of cases) {
    assert.equal(formatPlain(unscaled, scale), plain, `${unscaled}/${scale}`);
    assert.equal(formatJavaBigDecimal(unscaled, scale), java, `${unscaled}/${scale}`);
  }
});

test("unscaled values as Java BigInteger.toByteArray (two's complement, minimal)", () => {
  const cases: [bigint, number[]][] = [
    [0n, [0x00]], [1n, [0x01]], [-1n, [0xff]], [127n, [0x7f]], [128n, [0x00, 0x80]], [-128n, [0x80]], [-129n, [0xff, 0x7f]],
    [255n, [0x00, 0xff]], [256n, [0x01, 0x00]], [156n, [0x00, 0x9c]], [-156n, [0xff, 0x64]],
  ];
  for (const [n, bytes] of cases) {
    assert.deepEqual([...unscaledToBytes(n)], bytes, String(n));
    assert.equal(bytesToUnscaled(Buffer.from(bytes)), n, String(n));
  }
  const big = -(10n ** 40n) + 12345n;
  assert.equal(bytesToUnscaled(unscaledToBytes(big)), big);
  assert.throws(() => bytesToUnscaled(Buffer.alloc(0)), RangeError);
});

test('bytesToPlain: up to 6 bytes read as a number, the same text as the bigint path, at every length and sign', () => {
  const values = [0n, 1n, -1n, 127n, -128n, 128n, 255n, 32767n, -32768n, 8388607n, -8388608n, 2n ** 31n - 1n, -(2n ** 31n), 2n ** 39n, -(2n ** 39n) - 1n, 2n ** 47n - 1n, -(2n ** 47n), 2n ** 47n, -(2n ** 47n) - 1n, 2n ** 63n - 1n, -(2n ** 70n) + 3n];
  for (const v of values) {
    const bytes = unscaledToBytes(v);
    for (const scale of [0, 2, 9, -3]) assert.equal(bytesToPlain(bytes, scale), formatPlain(bytesToUnscaled(bytes), scale), `${v} scale ${scale} (${bytes.length} bytes)`);
  }
  // Not minimal, as another writer may send them: leading 0x00 / 0xff bytes.
  for (const bytes of [Buffer.from([0, 0, 0, 0, 0, 5]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xfb]), Buffer.from([0, 0x80])]) {
    assert.equal(bytesToPlain(bytes, 2), formatPlain(bytesToUnscaled(bytes), 2));
  }
  assert.throws(() => bytesToPlain(Buffer.alloc(0), 2), RangeError);
});

test('smallBase64Int: what Buffer.from(text, base64).readIntBE gives, for every length, padding and alphabet, or undefined', () => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_';
  let seed = 7;
  const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let i = 0; i < 20_000; i++) {
    const length = random(11);
    let text = '';
    for (let k = 0; k < length; k++) text += alphabet[random(alphabet.length)];
    text += '='.repeat(random(3));
    const bytes = Buffer.from(text, 'base64');
    const expected = bytes.length >= 1 && bytes.length <= 6 && text.replace(/=+$/, '').length <= 8 ? bytes.readIntBE(0, bytes.length) : undefined;
    assert.equal(smallBase64Int(text), expected, text);
  }
  // Extremes of each width, and two's complement.
  for (const n of [0, 1, -1, 127, -128, 128, -129, 2 ** 31 - 1, -(2 ** 31), 2 ** 47 - 1, -(2 ** 47)]) {
    const b64 = unscaledToBytes(BigInt(n)).toString('base64');
    assert.equal(smallBase64Int(b64), n, `${n} as ${b64}`);
  }
  // Longer, empty, or not base64: the general path decides.
  for (const text of ['', '=', '==', 'A', 'AAAAAAAAAAAA', 'AQ===', 'A=Q=', 'AQ==\n', 'AQ\u00e9=', ' AQ==']) assert.equal(smallBase64Int(text), undefined, JSON.stringify(text));
});

test('JsonConverter reads a base64 Decimal the same through the small-integer path and the general one; bad base64 is still refused', () => {
  const converter = new JsonConverter();
  converter.configure({});
  const read = (payload: string): unknown => converter.toConnectData('t', Buffer.from(JSON.stringify({ schema: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2' } }, payload }))).value;
  for (const n of [0n, 1n, -1n, 12345n, -12345n, 2n ** 47n - 1n, -(2n ** 47n), 2n ** 47n, 2n ** 80n + 3n, -(2n ** 80n)]) {
    assert.equal(read(unscaledToBytes(n).toString('base64')), formatPlain(n, 2), String(n));
  }
  assert.equal(read('AQ'), '0.01', 'no padding');
  assert.equal(read('_w=='), '-0.01', 'the URL-safe alphabet, as the general path (Node\'s decoder) reads it too');
  assert.throws(() => read('AQ==='), /not base64/);
  assert.throws(() => read('A=Q='), /not base64/);
  assert.throws(() => read(''), /Decimal/);
});
