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

test('copyLine with columns: the text of a plain column is taken as it is, that of every other column is escaped; NULL is \\N either way', () => {
  const plain = { plain: true };
  const text = { plain: false };
  assert.equal(copyLine(['7'], ['a\tb', '2024-01-01 00:00:00.000000', null, 'c\\d'], [plain], [text, plain, plain, {}]), '7\ta\\tb\t2024-01-01 00:00:00.000000\t\\N\tc\\\\d\n');
  assert.equal(copyLine([null, 'k\n'], [], [plain, text]), '\\N\tk\\n\n');
  // Fewer columns than values (a caller that passes none): the rest are escaped.
  assert.equal(copyLine(['1'], ['x\ry'], [plain]), '1\tx\\ry\n');
});

test('sendRows: CopyData messages of at most 1 MB (a longer row alone) whatever the row count; nothing lost, cut or reordered', () => {
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
  // Messages of at most 1 MB, each full but for the room of the next row; a row longer than that goes alone.
  const MB = 1024 * 1024;
  for (const c of chunks) assert.ok(c.length <= MB || c.toString('utf8').split('\n').length === 2, `a ${c.length}-byte chunk of several rows`);
  assert.equal(chunks.filter((c) => c.length > MB).length, 1, 'the 3 MB row alone');
  assert.ok(chunks.length <= 6, `${chunks.length} messages`);
  // Non-ASCII text (up to 3 bytes per UTF-16 unit, 4 per surrogate pair) is never cut across a message's end.
  const wide = Array.from({ length: 2000 }, (_, i) => `${i}\t${'日本😀é'.repeat(100 + (i % 50))}\n`);
  const parts: Buffer[] = [];
  sendRows({ sendCopyFromChunk: (c) => void parts.push(c), endCopyFrom: () => undefined }, wide);
  assert.ok(parts.length > 1);
  for (const p of parts) assert.ok(p.length <= MB && p.toString('utf8').endsWith('\n') && !p.toString('utf8').includes('\ufffd'));
  assert.equal(Buffer.concat(parts).toString('utf8'), wide.join(''));
  sendRows({ sendCopyFromChunk: () => assert.fail('no rows, no CopyData'), endCopyFrom: () => void done++ }, []);
  assert.equal(done, 2);
});
