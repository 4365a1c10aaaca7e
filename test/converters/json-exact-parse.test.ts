import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LosslessNumber, hasUnsafeInteger, parseJsonExact } from '../../src/converters/json-exact-parse.js';

test('parses like JSON.parse where JSON.parse is exact', () => {
  for (const text of ['null', 'true', ' false ', '"a\\"b\\u00e9\\n"', '[]', '{}', '[1,-2.5,3e2,{"a":[null]}]', '{"__proto__":1,"b":{"c":"d"}}', '-0.0']) {
    assert.deepEqual(parseJsonExact(text, 'number'), JSON.parse(text), text);
  }
  assert.ok(Object.hasOwn(parseJsonExact('{"__proto__":1}', 'number') as object, '__proto__'));
});

test('keeps big integers as bigint and long fractions as LosslessNumber when asked', () => {
  assert.deepEqual(parseJsonExact('[9007199254740991, 9007199254740993, -12345678901234567890]', 'number'), [9007199254740991, 9007199254740993n, -12345678901234567890n]);
  assert.deepEqual(parseJsonExact('[0.1000000000000000055511, 1.5]', 'lossless'), [new LosslessNumber('0.1000000000000000055511'), 1.5]);
  assert.deepEqual(parseJsonExact('[0.1000000000000000055511]', 'number'), [0.1]);
  assert.deepEqual(parseJsonExact('[0012, -007.5]', 'number'), [12, -7.5]);
});

test('refuses malformed input with a position', () => {
  for (const text of ['', '{', '[1,]', '{"a" 1}', '{"a":1,}', 'tru', '"open', '1 2', '{a:1}', '+1', '.5']) {
    assert.throws(() => parseJsonExact(text, 'number'), SyntaxError, text);
  }
  assert.throws(() => parseJsonExact('[1,]', 'number'), /at position 3/);
});

test('hasUnsafeInteger finds integers JSON.parse may have rounded', () => {
  assert.equal(hasUnsafeInteger(JSON.parse('{"a":[1,2,{"b":9007199254740991}],"c":1.5}')), false);
  assert.equal(hasUnsafeInteger(JSON.parse('{"a":[1,2,{"b":9007199254740993}]}')), true);
  assert.equal(hasUnsafeInteger(1e300), true);
});
