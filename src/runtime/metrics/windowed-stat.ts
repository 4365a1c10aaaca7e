/**
 * A stat over a sliding time window, as Connect's windowed stats (`metrics.sample.window.ms` × `metrics.num.samples`,
 * 30 s × 2 by default): the samples recorded in the last WINDOW_MS give the avg, max, sum and rate. Recording is
 * O(1); old samples are dropped when the stat is read or when the buffer fills.
 */

/** Connect's default window: 2 samples of 30 s. */
export const WINDOW_MS = 60_000;

export class WindowedStat {
  private times: number[] = [];
  private values: number[] = [];
  private readonly createdAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.createdAt = now();
  }

  record(value: number): void {
    this.times.push(this.now());
    this.values.push(value);
    if (this.times.length > 4096) this.prune();
  }

  private prune(): void {
    const from = this.now() - WINDOW_MS;
    let i = 0;
    while (i < this.times.length && this.times[i]! < from) i++;
    if (i > 0) {
      this.times = this.times.slice(i);
      this.values = this.values.slice(i);
    }
  }

  /** The mean of the window's samples; NaN when there are none (Connect reports NaN too). */
  avg(): number {
    this.prune();
    return this.values.length === 0 ? Number.NaN : this.values.reduce((a, b) => a + b, 0) / this.values.length;
  }

  /** The largest sample in the window; NaN when there are none. */
  max(): number {
    this.prune();
    return this.values.length === 0 ? Number.NaN : Math.max(...this.values);
  }

  /** Per second over the window (or over the stat's life, when younger than the window). */
  rate(): number {
    this.prune();
    const elapsed = Math.min(WINDOW_MS, Math.max(1, this.now() - this.createdAt));
    return (this.values.reduce((a, b) => a + b, 0) * 1000) / elapsed;
  }
}
