/**
 * What the throughput benches share: the input file of ~200-byte JSON lines (the same bytes in every bench, so their
 * figures compare) and a process's resident memory.
 */
import { createWriteStream, readFileSync, statSync } from 'node:fs';

/** Writes `records` lines of about `recordBytes` bytes each (`{"id":N,"customer":…,"payload":…}`); resolves the size. */
export async function writeRecordLines(path: string, records: number, recordBytes = 200): Promise<number> {
  const out = createWriteStream(path);
  const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(8);
  for (let i = 0; i < records; i += 5000) {
    let chunk = '';
    for (let j = i; j < Math.min(records, i + 5000); j++) {
      const head = `{"id":${j},"customer":"c-${j % 9973}","payload":"`;
      chunk += `${head}${filler.slice(0, recordBytes - head.length - 3)}"}\n`;
    }
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return statSync(path).size;
}

/** VmRSS of a process in MiB (Linux /proc); NaN when it cannot be read (the process is gone). */
export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
