import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineBuffer } from '../../src/connectors/file/line-buffer.js';
import type { ByteSource } from '../../src/connectors/file/line-buffer.js';

/** Serves `bytes` in pieces of the given sizes (cycling), like a file growing or reads returning short. */
function pieces(bytes: Buffer, sizes: number[]): ByteSource {
  let at = 0;
  let i = 0;
  return {
    read: async (target, offset, length) => {
      const n = Math.min(length, sizes[i++ % sizes.length]!, bytes.length - at);
      bytes.copy(target, offset, at, at + n);
      at += n;
      return n;
    },
    close: async () => undefined,
  };
}

async function split(text: string, sizes: number[], chunkSize: number): Promise<[string, number][]> {
  const lines = new LineBuffer(0, chunkSize);
  const source = pieces(Buffer.from(text, 'utf8'), sizes);
  const out: [string, number][] = [];
  for (;;) {
    const line = lines.next();
    if (line !== null) out.push([line, lines.position]);
    else if ((await lines.fill(source)) === 0) return out;
  }
}

test('lines and byte positions do not depend on how the bytes arrive', async () => {
  let seed = 7;
  const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const words = ['', 'a', 'hello world', 'ñandú', '日本語', '🎉🎉', 'x'.repeat(70)];
  const endings = ['\n', '\r\n', '\r'];
  let text = '';
  const expected: [string, number][] = [];
  for (let i = 0; i < 300; i++) {
    const line = words[random(words.length)]!;
    let ending = endings[random(endings.length)]!;
    if (text.endsWith('\r') && line === '' && ending === '\n') ending = '\r'; // "\r" + "\n" would be one \r\n
    text += line + ending;
    expected.push([line, Buffer.byteLength(text)]);
  }
  text += 'x'; // a final \r is held back (it might be \r\n), so end on a partial line, which is never returned
  for (const [sizes, chunkSize] of [[[1 << 20], 1 << 20], [[1], 16], [[3, 1, 7], 16], [[64], 16], [[5000], 32]] as const) {
    assert.deepEqual(await split(text, [...sizes], chunkSize), expected, `pieces ${sizes.join(',')}, chunk ${chunkSize}`);
  }
});
