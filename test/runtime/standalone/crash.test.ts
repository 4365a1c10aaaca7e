/**
 * kill -9 of the worker while 1,000,000 lines flow from a file source to a file sink; after a restart every line
 * arrives (0 lost). Duplicates are allowed (at-least-once) but bounded by what flows in about one offset-flush
 * interval on each side; the test reports the count.
 */
import assert from 'node:assert/strict';
import { createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeTree } from '../../support/paths.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';

const LINES = 1_000_000;
const FLUSH_INTERVAL_MS = 1000;
/** Each line is `<n> <80 x>\n`; close enough to compute line counts from byte positions. */
const LINE_BYTES = 88;

async function writeInput(path: string): Promise<void> {
  const out = createWriteStream(path);
  const pad = 'x'.repeat(80);
  for (let i = 0; i < LINES; i += 10_000) {
    let chunk = '';
    for (let j = i; j < i + 10_000; j++) chunk += `${j} ${pad}\n`;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

function countLines(path: string): number {
  if (!existsSync(path)) return 0;
  const buf = readFileSync(path);
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

test('kill -9 mid-stream loses nothing; duplicates stay within about one flush interval', { timeout: 300_000 }, async (t) => {
  const tree = writeTree({});
  try {
    const input = join(tree.dir, 'in.txt');
    const output = join(tree.dir, 'out.txt');
    await writeInput(input);
    writeFileSync(join(tree.dir, 'source.properties'), `name=crash-src\nconnector.class=FileStreamSource\nfile=${input}\ntopic=crash\n`);
    writeFileSync(join(tree.dir, 'sink.properties'), `name=crash-sink\nconnector.class=FileStreamSink\nfile=${output}\ntopics=crash\n`);
    const config = { 'offset.flush.interval.ms': String(FLUSH_INTERVAL_MS), 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' };

    let worker = await startWorker({ dir: tree.dir, config, connectorFiles: ['source.properties', 'sink.properties'] });
    const t0 = Date.now();
    await waitFor('a third of the lines in the sink', () => existsSync(output) && statSync(output).size > (LINES / 3) * 88, 120_000, 20);
    // How far each side got, to bound the duplicates: the source's position, the sink's output. GET /offsets shows the
    // flushed position (as in Connect), so wait for it to move: just after a flush it is what the source had sent.
    const flushedPosition = async (): Promise<number> => (await http('GET', `${worker.url}/connectors/crash-src/offsets`)).body.offsets[0]?.offset.position ?? 0;
    const seen = await flushedPosition();
    const position = await waitFor('the next source offset flush', async () => {
      const now = await flushedPosition();
      return now > seen ? now : undefined;
    }, 60_000, 20);
    const elapsedSec = (Date.now() - t0) / 1000;
    const beforeKill = countLines(output);
    await worker.kill();
    const sourceLines = Math.round(position / LINE_BYTES);
    const sourceRate = sourceLines / elapsedSec;
    const sinkRate = beforeKill / elapsedSec;

    // The connectors come back from data.dir: no connector files this time.
    worker = await startWorker({ dir: tree.dir, config });
    try {
      await waitFor('every line in the sink', () => countLines(output) >= LINES && seenAll(output).missing === 0, 240_000, 250);
      // Let any in-flight duplicates land before counting.
      await new Promise((r) => setTimeout(r, FLUSH_INTERVAL_MS * 2));
    } finally {
      assert.equal(await worker.stop(), 0);
    }
    const { missing, duplicates } = seenAll(output);
    const bound = Math.round((sourceRate + sinkRate) * 2 * (FLUSH_INTERVAL_MS / 1000));
    t.diagnostic(
      `before kill: source ${sourceLines} lines (${Math.round(sourceRate)}/s), sink ${beforeKill} lines (${Math.round(sinkRate)}/s); lost: ${missing}; duplicates: ${duplicates} (bound ${bound})`,
    );
    assert.equal(missing, 0, 'no line is lost');
    // At-least-once: the source replays from its last flushed offset and the sink from its last commit; each side
    // replays what it processed since, at most about one flush interval (the bound allows two, for timer jitter).
    assert.ok(duplicates <= bound, `duplicates ${duplicates} exceed the bound ${bound}`);
  } finally {
    tree.cleanup();
  }
});

function seenAll(path: string): { missing: number; duplicates: number } {
  const seen = new Uint8Array(LINES);
  let duplicates = 0;
  const text = readFileSync(path, 'latin1');
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) break;
    const id = parseInt(text.slice(start, text.indexOf(' ', start)), 10);
    if (seen[id]) duplicates++;
    else seen[id] = 1;
    start = nl + 1;
  }
  let missing = 0;
  for (let i = 0; i < LINES; i++) if (!seen[i]) missing++;
  return { missing, duplicates };
}
