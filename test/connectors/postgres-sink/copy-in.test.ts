/** COPY text lines: fields tab-separated in column order (key values first), NULL as \N, specials escaped. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyLine, sendRows } from '../../../src/connectors/postgres-sink/copy-in.js';

test('copyLine: key values then values, \\N for NULL, backslash, tab, newline and CR escaped', () => {
  assert.equal(copyLine(['1'], ['a', null, 'b\tc\nd\re\\f']), '1\ta\t\\N\tb\\tc\\nd\\re\\\\f\n');
  assert.equal(copyLine(['1', 'k'], []), '1\tk\n');
  assert.equal(copyLine([], ['x', 'y']), 'x\ty\n');
  assert.equal(copyLine([null], ['']), '\\N\t\n');
  assert.equal(copyLine([], []), '\n');
});

test('sendRows: CopyData messages of about 1 MB whatever the row count; nothing lost or reordered', () => {
  const lines = [
    ...Array.from({ length: 20_000 }, (_, i) => `${i}\tsmall\n`),
    `big\t${'x'.repeat(3 * 1024 * 1024)}\n`,
    ...Array.from({ length: 3 }, (_, i) => `${i}\t${'y'.repeat(700 * 1024)}\n`),
    'last\n',
  ];
  const chunks: Buffer[] = [];
  let done = 0;
  sendRows({ sendCopyFromChunk: (c) => void chunks.push(c), endCopyFrom: () => void done++ }, lines);
  assert.equal(done, 1);
  assert.equal(Buffer.concat(chunks).toString('utf8'), lines.join(''));
  // 20,000 rows do not make 10 messages of 2,000 rows: the first ~1 MB (here with the 3 MB row that crosses it), then
  // two 700 KB rows, then the third with the last row. No message exceeds ~1 MB plus its longest row.
  assert.deepEqual(chunks.map((c) => c.toString('utf8').split('\n').length - 1), [20_001, 2, 2]);
  for (const c of chunks) assert.ok(c.length <= 1024 * 1024 + 3 * 1024 * 1024 + 16, `a ${c.length}-byte chunk`);
  sendRows({ sendCopyFromChunk: () => assert.fail('no rows, no CopyData'), endCopyFrom: () => void done++ }, []);
  assert.equal(done, 2);
});
