/**
 * A writer for crash tests: commits numbered rows (1–5 a transaction) into `numbers(n int primary key, pad text)`
 * until stopped, riding out a Postgres restart (it reconnects and carries on). What counts in the end is what the
 * table holds: every row there was committed.
 */
import pg from 'pg';

export class NumberedWriter {
  private next = 0;
  private stopped = false;
  private done: Promise<void> | null = null;
  committed = 0;

  constructor(private readonly url: string) {}

  start(): void {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private async loop(): Promise<void> {
    let client: pg.Client | null = null;
    while (!this.stopped) {
      try {
        if (!client) {
          client = new pg.Client({ connectionString: this.url });
          client.on('error', () => {});
          await client.connect();
        }
        const size = 1 + (this.next % 5);
        const values = Array.from({ length: size }, (_, i) => `(${this.next + i}, repeat('x', 100))`).join(', ');
        await client.query(`INSERT INTO numbers VALUES ${values} ON CONFLICT DO NOTHING`);
        this.next += size;
        this.committed += size;
        if (this.next % 50 < 5) await new Promise((r) => setTimeout(r, 5)); // let the machine breathe
      } catch {
        await client?.end().catch(() => {});
        client = null;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await client?.end().catch(() => {});
  }
}

/** Rows the output file has for each n, from its JSON envelope lines; tombstones and other lines are ignored. */
export function countArrivals(lines: string[]): Map<number, number> {
  const seen = new Map<number, number>();
  for (const line of lines) {
    if (line === 'null') continue;
    const n = Number((JSON.parse(line) as { payload: { after: { n: unknown } } }).payload.after.n);
    seen.set(n, (seen.get(n) ?? 0) + 1);
  }
  return seen;
}
