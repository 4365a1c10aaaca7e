/**
 * The byte-level fast path of JsonConverter (json-bytes-reader.ts) against the general path (JSON.parse and the
 * compiled readers): for Connect's own layout it must read the payload itself, and for anything — hostile strings,
 * odd numbers, other layouts, cut or flipped bytes — it must give exactly what the general path gives (the same value
 * or the same error), by reading it or by bailing out.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JsonConverter } from '../../src/converters/json-converter.js';
import { BAIL, readStructPayload } from '../../src/converters/json-bytes-reader.js';
import { compileReader } from '../../src/converters/json-reader.js';
import type { ReadContext } from '../../src/converters/json-reader.js';

const DECIMAL = { type: 'bytes', optional: false, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2' } };
const SCHEMA = {
  type: 'struct', optional: false, name: 'Value',
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'small', type: 'int16', optional: true },
    { field: 'name', type: 'string', optional: true },
    { field: 'amount', ...DECIMAL },
    { field: 'at', type: 'int64', optional: true, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 },
    { field: 'day', type: 'int32', optional: true, name: 'org.apache.kafka.connect.data.Date', version: 1 },
    { field: 'ok', type: 'boolean', optional: false, default: true },
    { field: 'ratio', type: 'double', optional: true },
    { field: 'blob', type: 'bytes', optional: true },
    { field: 'tags', type: 'array', items: { type: 'string', optional: false }, optional: true },
    { field: 'inner', type: 'struct', optional: true, fields: [{ field: 'x', type: 'int32', optional: false }, { field: 'y', type: 'string', optional: true, default: 'why' }] },
  ],
};
const SCHEMA_TEXT = JSON.stringify(SCHEMA);

function plan(): ReturnType<typeof compileReader> {
  const ctx: ReadContext = { exact: false, text: '', longNumbers: undefined };
  return compileReader(JSON.parse(SCHEMA_TEXT), true, ctx);
}

function fast(payload: string): unknown {
  const compiled = plan();
  const buf = Buffer.from(`${payload}}`, 'utf8');
  return readStructPayload(compiled.bytesPlan!, buf, 0, buf.length - 1, { exact: false, text: '', longNumbers: undefined });
}

/** What a converter that has never seen the schema gives (the general path), as a value or an error message. */
function general(envelope: Buffer): unknown {
  const c = new JsonConverter();
  c.configure({});
  try {
    return c.toConnectData('t', envelope).value;
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The same with a converter that has seen the schema (the fast path, unless it bails). */
function warmed(): (envelope: Buffer) => unknown {
  const c = new JsonConverter();
  c.configure({});
  c.toConnectData('t', Buffer.from(`{"schema":${SCHEMA_TEXT},"payload":${JSON.stringify(base())}}`));
  return (envelope) => {
    try {
      return c.toConnectData('t', envelope).value;
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
}

function base(): Record<string, unknown> {
  return { id: 42, small: -7, name: 'ann', amount: 'AJw=', at: 1_704_067_200_000, day: 19_000, ok: false, ratio: null, blob: 'AQID', tags: null, inner: { x: 1, y: null } };
}

const envelope = (payload: string): Buffer => Buffer.from(`{"schema":${SCHEMA_TEXT},"payload":${payload}}`, 'utf8');

describe('the byte-level JSON reader', () => {
  test('reads a payload laid out as Connect writes it, with the values the general path gives', () => {
    const payload = JSON.stringify(base());
    const value = fast(payload);
    assert.notEqual(value, BAIL);
    assert.deepEqual(value, general(envelope(payload)));
    assert.deepEqual(value, {
      id: 42, small: -7, name: 'ann', amount: '1.56', at: new Date(1_704_067_200_000), day: new Date(19_000 * 86_400_000), ok: false,
      ratio: null, blob: Buffer.from([1, 2, 3]), tags: null, inner: { x: 1, y: 'why' },
    });
  });

  test('reads escapes, non-ASCII text and the largest short integers itself', () => {
    for (const name of ['quote " and \\ backslash', 'line\nbreak\ttab\u0001', 'é ü 日本 😀', '\ud800 lone surrogate', '', '\\']) {
      for (const id of [0, -0, 999_999_999_999_999, -999_999_999_999_999]) {
        const payload = JSON.stringify({ ...base(), id, name });
        const value = fast(payload);
        assert.notEqual(value, BAIL, payload);
        assert.deepEqual(value, general(envelope(payload)), payload);
      }
    }
  });

  test('reads any JSON number into a float field, as JSON.parse rounds it', () => {
    for (const literal of ['1.5', '-0.0', '0', '-0', '1e300', '1E-7', '2.5e+3', '123456789012345678901234567890', '0.1000000000000000055511151231257827', '1.7976931348623157e309', '4.9e-325']) {
      const payload = JSON.stringify(base()).replace('"ratio":null', `"ratio":${literal}`);
      const value = fast(payload) as Record<string, unknown>;
      assert.notEqual(value, BAIL, literal);
      assert.equal(Object.is(value.ratio, JSON.parse(literal)), true, literal);
      assert.deepEqual(value, general(envelope(payload)), literal);
    }
  });

  test('bails on layouts it does not read, so the general path decides', () => {
    const b = base();
    const cases = [
      JSON.stringify(b, null, 1), // whitespace
      JSON.stringify({ small: b.small, ...b }), // another key order
      JSON.stringify({ ...b, extra: 1 }), // an extra key
      JSON.stringify({ ...b, id: 1_000_000_000_000_000 }), // 16 digits
      JSON.stringify({ ...b, small: 1.5 }), // a fraction for an integer field
      JSON.stringify({ ...b, at: 1e300 }), // an exponent for an integer field
      JSON.stringify({ ...b, amount: 1.5 }), // a number for a Decimal (read exactly on the general path)
      JSON.stringify(b).replace('"ratio":null', '"ratio":01.5'), // not JSON
      JSON.stringify(b).replace('"ratio":null', '"ratio":1.'),
      JSON.stringify(b).replace('"ratio":null', '"ratio":1e'),
      JSON.stringify(b).replace('"ratio":null', '"ratio":-'),
      JSON.stringify({ ...b, tags: ['a'] }), // an array
      JSON.stringify({ ...b, small: 40_000 }), // a value its field refuses
      '{"id":007,' + JSON.stringify(b).slice('{"id":42,'.length), // leading zeros
      JSON.stringify(b).replace('"ann"', '"a\u0001b"'), // a raw control character
      JSON.stringify(b).slice(0, -1), // cut short
    ];
    for (const payload of cases) assert.equal(fast(payload), BAIL, payload);
  });

  test('gives what the general path gives for hostile and damaged payloads (randomised)', () => {
    const read = warmed();
    let seed = 17;
    const rnd = (n: number): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n);
    const strings = ['', 'x', '"', '\\', '\\u0000', '\u2028', '日本', '\ud83d', 'a'.repeat(300), '}', ',"payload":', 'null'];
    const numbers = [0, -0, 1, -1, 2 ** 53, -(2 ** 53) - 2, 1e15 - 1, 1e15, 0.5, -1e-7, 32_767, 32_768, 2_147_483_648];
    const scalars: unknown[] = [...strings, ...numbers, true, false, null, [], {}, [1], { x: 1 }];
    const keys = Object.keys(base());
    for (let round = 0; round < 3000; round++) {
      const b: Record<string, unknown> = base();
      for (let k = rnd(4); k > 0; k--) b[keys[rnd(keys.length)]!] = scalars[rnd(scalars.length)];
      if (rnd(3) === 0) b.inner = { x: numbers[rnd(numbers.length)], y: scalars[rnd(scalars.length)] };
      let payload = JSON.stringify(b);
      const bytes = Buffer.from(payload, 'utf8');
      if (rnd(3) === 0) {
        // damage: flip, drop or insert a byte
        const at = rnd(bytes.length);
        const kind = rnd(3);
        const damaged = kind === 0 ? Buffer.concat([bytes.subarray(0, at), Buffer.from([rnd(256)]), bytes.subarray(at + 1)])
          : kind === 1 ? Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)])
            : Buffer.concat([bytes.subarray(0, at), Buffer.from([' ,:"\\{}[]0-e.'.charCodeAt(rnd(13))]), bytes.subarray(at)]);
        payload = damaged.toString('latin1');
        const env = Buffer.concat([Buffer.from(`{"schema":${SCHEMA_TEXT},"payload":`), damaged, Buffer.from('}')]);
        assert.deepEqual(read(env), general(env), payload);
        continue;
      }
      const env = envelope(payload);
      assert.deepEqual(read(env), general(env), payload);
    }
  });

  test('a struct with a field name that needs escaping has no byte-level plan', () => {
    const ctx: ReadContext = { exact: false, text: '', longNumbers: undefined };
    const compiled = compileReader({ type: 'struct', fields: [{ field: 'a"b', type: 'int32' }] }, true, ctx);
    assert.equal(compiled.bytesPlan, undefined);
    const proto = compileReader({ type: 'struct', fields: [{ field: '__proto__', type: 'int32' }] }, true, ctx);
    assert.equal(proto.bytesPlan, undefined);
  });

  test('field names that look like code are only names: the compiled struct maker reads them as the general path does', () => {
    const names = ["}; throw new Error('x'); ({", "a'b", '`${process.exit(3)}`', 'line\u2028sep', '0', '1e3', ' ', 'é𝄞'];
    const schema = { type: 'struct', optional: false, fields: names.map((field) => ({ field, type: 'int32', optional: false })) };
    const ctx: ReadContext = { exact: false, text: '', longNumbers: undefined };
    assert.notEqual(compileReader(JSON.parse(JSON.stringify(schema)), true, ctx).bytesPlan, undefined, 'none of these needs escaping');
    const payload = Object.fromEntries(names.map((n, i) => [n, i]));
    const env = Buffer.from(JSON.stringify({ schema, payload }), 'utf8');
    const c = new JsonConverter();
    c.configure({});
    c.toConnectData('t', env); // the schema is known from now on: the fast path reads the next one
    const value = c.toConnectData('t', env).value as Record<string, unknown>;
    assert.deepEqual(value, payload);
    assert.deepEqual(Object.keys(value), Object.keys(payload));
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  });
});
