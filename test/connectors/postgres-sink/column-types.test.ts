/**
 * Connect values → Postgres text: the number path for Timestamp gives the same text as the bigint path, in any order of
 * days (it remembers the last day's date); a column called plain never gets a text COPY would have to escape.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decimalText, isPlainText, valueText } from '../../../src/connectors/postgres-sink/column-types.js';
import type { Schema } from '../../../src/plugins/connect-data.js';

const TIMESTAMP: Schema = { type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' };

test('Timestamp: Dates and millis, around the epoch, before year 1 and at the ends of a Date', () => {
  const cases: [number, string][] = [
    [0, '1970-01-01 00:00:00.000000'],
    [-1, '1969-12-31 23:59:59.999000'],
    [1_704_067_200_123, '2024-01-01 00:00:00.123000'],
    [-62_135_596_800_001, '0001-12-31 23:59:59.999000 BC'],
    [8.64e15, '275760-09-13 00:00:00.000000'],
    [-8.64e15, '271822-04-20 00:00:00.000000 BC'],
  ];
  for (const [ms, text] of cases) {
    assert.equal(valueText(new Date(ms), TIMESTAMP), text, `Date ${ms}`);
    assert.equal(valueText(ms, TIMESTAMP), text, `number ${ms}`);
  }
  assert.equal(valueText(1.9, TIMESTAMP), '1970-01-01 00:00:00.001000', 'a fractional number is truncated');
});

test('Timestamp: beyond a Date, bigints and Debezium infinity keep the bigint path', () => {
  assert.equal(valueText(8_640_000_000_000_001, TIMESTAMP), '275760-09-13 00:00:00.001000');
  assert.equal(valueText(1_704_067_200_123n, TIMESTAMP), '2024-01-01 00:00:00.123000');
  assert.equal(valueText(9223372036825200000n, TIMESTAMP), 'infinity');
  assert.equal(valueText(-9223372036832400000n, TIMESTAMP), '-infinity');
  assert.throws(() => valueText(new Date(NaN), TIMESTAMP), RangeError);
});

test('a decimal scale no numeric column can hold is refused before any text is built (a 500 MB string from one record otherwise)', () => {
  assert.throws(() => decimalText(Buffer.from([1]), 500_000_000), /does not fit a Postgres numeric/);
  assert.throws(() => decimalText(Buffer.from([1]), -500_000_000), /does not fit a Postgres numeric/);
  assert.throws(() => decimalText(Buffer.alloc(100_000, 0x7f), 0), /does not fit a Postgres numeric/);
  assert.throws(() => decimalText(Buffer.from([1]), 1.5), /does not fit/);
  assert.equal(decimalText(Buffer.from([1]), 16383).length, 16385);
  assert.equal(decimalText(Buffer.from([0x30, 0x39]), -3), '12345000');
  assert.equal(decimalText(Buffer.from([0xcf, 0xc7]), 2), '-123.45');
});

test('Timestamp: the remembered day never leaks into another day, BC or AD, in any order', () => {
  const MICROS: Schema = { type: 'int64', name: 'io.debezium.time.MicroTimestamp' };
  const day = 86_400_000;
  const points = [0, 1, day - 1, day, -1, -day, -day - 1, 1_704_067_200_123, 1_704_067_200_123 + day, 1_704_067_200_123, -62_135_596_800_001, -62_135_596_800_001 + 1, -62_135_596_800_000, 8.64e15, -8.64e15, 0];
  for (let round = 0; round < 2; round++) {
    for (const ms of round === 0 ? points : [...points].reverse()) {
      assert.equal(valueText(ms, TIMESTAMP), valueText(BigInt(ms) * 1000n, MICROS), `${ms} ms (round ${round})`);
    }
  }
});

test('isPlainText: the texts of every plain schema hold no backslash, tab, newline or carriage return; strings, bytes, JSON and Decimal are not plain', () => {
  const ESCAPED = /[\\\t\n\r]/;
  const plain: [Schema, unknown[]][] = [
    [{ type: 'int8' }, [0, -128, 127]],
    [{ type: 'int16' }, [-32768, 5]],
    [{ type: 'int32' }, [2 ** 31 - 1, -(2 ** 31)]],
    [{ type: 'int64' }, [Number.MAX_SAFE_INTEGER, -(2n ** 63n), 2n ** 63n - 1n]],
    [{ type: 'float32' }, [NaN, Infinity, -Infinity, 1.5e-40, -0]],
    [{ type: 'float64' }, [1e300, 5e-324, '7']],
    [{ type: 'boolean' }, [true, false, 0, 'x']],
    [TIMESTAMP, [0, -1, 8.64e15, -8.64e15, new Date(0), 9223372036825200000n, -9223372036832400000n]],
    [{ type: 'int64', name: 'io.debezium.time.Timestamp' }, [1_704_067_200_123]],
    [{ type: 'int64', name: 'io.debezium.time.MicroTimestamp' }, [-62_135_596_800_000_001n, 1n]],
    [{ type: 'int64', name: 'io.debezium.time.NanoTimestamp' }, [1n, -1n]],
    [{ type: 'int32', name: 'org.apache.kafka.connect.data.Date' }, [new Date(-86_400_000 * 800_000), 0]],
    [{ type: 'int32', name: 'io.debezium.time.Date' }, [-800_000, 19_000]],
    [{ type: 'int32', name: 'org.apache.kafka.connect.data.Time' }, [new Date(86_399_999), 0]],
    [{ type: 'int32', name: 'io.debezium.time.Time' }, [1000]],
    [{ type: 'int64', name: 'io.debezium.time.MicroTime' }, [86_399_999_999n]],
    [{ type: 'int64', name: 'io.debezium.time.NanoTime' }, [86_399_999_999_999n]],
    [{ type: 'int64', name: 'io.debezium.time.MicroDuration' }, [-90_061_000_001n, 0]],
    [{ type: 'struct', name: 'io.debezium.data.VariableScaleDecimal' }, [{ scale: 3, value: Buffer.from([0xcf, 0xc7]) }, { scale: -2, value: Buffer.from([1]) }]],
  ];
  for (const [schema, values] of plain) {
    assert.equal(isPlainText(schema), true, JSON.stringify(schema));
    for (const v of values) {
      const text = valueText(v, schema);
      assert.ok(text === null || !ESCAPED.test(text), `${JSON.stringify(schema)}: ${String(text)}`);
    }
  }
  const notPlain: (Schema | null)[] = [
    null,
    { type: 'string' },
    { type: 'bytes' },
    { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } },
    { type: 'string', name: 'io.debezium.time.ZonedTimestamp' },
    { type: 'string', name: 'io.debezium.data.Json' },
    { type: 'array', items: { type: 'int32' } },
    { type: 'map', keys: { type: 'string' }, values: { type: 'string' } },
    { type: 'struct', fields: [] },
  ];
  for (const schema of notPlain) assert.equal(isPlainText(schema), false, JSON.stringify(schema));
  // Why Decimal is not plain: a converter may hand a string over, and valueText passes it through.
  assert.equal(valueText('1\t2', { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal' }), '1\t2');
});
