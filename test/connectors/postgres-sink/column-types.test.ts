/** Connect values → Postgres text: the number path for Timestamp gives the same text as the bigint path. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decimalText, valueText } from '../../../src/connectors/postgres-sink/column-types.js';
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
