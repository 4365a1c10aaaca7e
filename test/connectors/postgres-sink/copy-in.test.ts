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
