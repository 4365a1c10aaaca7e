/** Connect values → Postgres text: the number path for Timestamp gives the same text as the bigint path. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { valueText } from '../../../src/connectors/postgres-sink/column-types.js';
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
