/**
 * Benchmark: FileStreamSource's task reading a generated file of 1,000,000 lines of ~200 bytes through its poll loop
 * (the task alone: no worker, converters or data plane). Prints lines/s and MB/s for a cold and a warm run.
 * Run: npm run build && node dist/bench/file-source.js [lines]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileStreamSourceTask } from '../src/connectors/file/index.js';

const LINES = Number(process.argv[2] ?? 1_000_000);

async function generate(path: string): Promise<void> {
  const handle = await open(path, 'w');
  const filler = 'x'.repeat(180);
  let chunk = '';
  for (let i = 0; i < LINES; i++) {
    chunk += `${String(i).padStart(10, '0')} ${filler} é\n`; // ~196 bytes, one two-byte character
    if (chunk.length > 1 << 20) {
      await handle.write(chunk);
      chunk = '';
    }
  }
  await handle.write(chunk);
  await handle.close();
}

async function readAll(path: string): Promise<{ ms: number; lines: number }> {
  const task = new FileStreamSourceTask({ idleWaitMs: 0 });
  task.start({ file: path, topic: 'bench' }, { offsetStorageReader: { offset: () => null } });
  const t0 = performance.now();
  let lines = 0;
  while (lines < LINES) {
    const records = await task.poll();
    if (records) lines += records.length;
  }
  const ms = performance.now() - t0;
  await task.stop();
  return { ms, lines };
}

const dir = mkdtempSync(join(tmpdir(), 'pipectl-bench-file-source-'));
try {
  const file = join(dir, 'input.txt');
  await generate(file);
  const bytes = statSync(file).size;
  for (const label of ['first run ', 'second run']) {
    const { ms, lines } = await readAll(file);
    console.log(`file source ${label}: ${lines} lines, ${(bytes / 1e6).toFixed(0)} MB in ${ms.toFixed(0)} ms -> ${Math.round(lines / (ms / 1000)).toLocaleString('en-US')} lines/s, ${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
