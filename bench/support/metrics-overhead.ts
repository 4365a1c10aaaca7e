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

export interface OverheadRun {
  recordsPerSec: number;
  /** The worker's CPU seconds over the run (user + system): less noisy than wall time on a shared machine. */
  cpuSeconds: number;
}

/** Prints each round's records/s and worker CPU with metrics off and on, the medians, and the cost in percent. */
export function printOverhead(title: string, off: OverheadRun[], on: OverheadRun[]): void {
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const cost = (a: number, b: number): string => `${(((a - b) / a) * 100).toFixed(1)} %`;
  console.log(`${title}: metrics off vs on (GET /metrics scraped every second), ${off.length} interleaved round(s)`);
  off.forEach((o, i) => console.log(`  round ${i + 1}: off ${fmt(o.recordsPerSec)} records/s, ${o.cpuSeconds.toFixed(2)} CPU s | on ${fmt(on[i]!.recordsPerSec)} records/s, ${on[i]!.cpuSeconds.toFixed(2)} CPU s`));
  const r0 = median(off.map((r) => r.recordsPerSec));
  const r1 = median(on.map((r) => r.recordsPerSec));
  const c0 = median(off.map((r) => r.cpuSeconds));
  const c1 = median(on.map((r) => r.cpuSeconds));
  console.log(`  median records/s: off ${fmt(r0)} | on ${fmt(r1)} — cost ${cost(r0, r1)} (negative: on was faster, i.e. noise)`);
  console.log(`  median worker CPU s: off ${c0.toFixed(2)} | on ${c1.toFixed(2)} — ${(((c1 - c0) / c0) * 100).toFixed(1)} % more CPU with metrics (negative: noise)`);
}
