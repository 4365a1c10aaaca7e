/** COPY text lines: fields tab-separated in column order (key values first), NULL as \N, specials escaped. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyLine } from '../../../src/connectors/postgres-sink/copy-in.js';

test('copyLine: key values then values, \\N for NULL, backslash, tab, newline and CR escaped', () => {
  assert.equal(copyLine(['1'], ['a', null, 'b\tc\nd\re\\f']), '1\ta\t\\N\tb\\tc\\nd\\re\\\\f\n');
  assert.equal(copyLine(['1', 'k'], []), '1\tk\n');
  assert.equal(copyLine([], ['x', 'y']), 'x\ty\n');
  assert.equal(copyLine([null], ['']), '\\N\t\n');
  assert.equal(copyLine([], []), '\n');
});
