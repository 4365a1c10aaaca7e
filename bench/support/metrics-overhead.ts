/**
 * For the benches that weigh the worker's metrics (issue 19): a scraper that reads GET /metrics every second while a
 * run goes on (a busier scrape than Prometheus's default 15 s), and the side-by-side line of runs with metrics off
 * and on, interleaved so that drift of the machine falls on both.
 */

/** Reads `${url}/metrics` every `intervalMs` until stopped; returns how many scrapes it made. */
export function scrapeEvery(url: string, intervalMs = 1000): { stop(): Promise<number> } {
  let scrapes = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, intervalMs));
      if (stopped) break;
      const res = await fetch(`${url}/metrics`).catch(() => null);
      if (res?.ok) {
        await res.text();
        scrapes++;
      }
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return scrapes;
    },
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Prints each round's records/s with metrics off and on, the medians, and the cost in percent. */
export function printOverhead(title: string, off: number[], on: number[]): void {
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  console.log(`${title}: metrics off vs on (GET /metrics scraped every second), ${off.length} interleaved round(s)`);
  off.forEach((o, i) => console.log(`  round ${i + 1}: off ${fmt(o)} records/s | on ${fmt(on[i]!)} records/s`));
  const m0 = median(off);
  const m1 = median(on);
  console.log(`  median: off ${fmt(m0)} | on ${fmt(m1)} records/s — cost of metrics ${(((m0 - m1) / m0) * 100).toFixed(1)} % (negative: on was faster; noise)`);
}
