/**
 * The records between the task's producers (snapshot, replication stream) and poll(): bounded by max.queue.size —
 * producers wait for room (the snapshot) or pause their input (the stream) — and drained max.batch.size at a time.
 */
import type { SourceRecord } from '../../plugins/connect-data.js';

export class RecordQueue {
  private items: SourceRecord[] = [];
  private head = 0;
  private wakeTaker: (() => void) | null = null;
  private wakeProducers: (() => void)[] = [];

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  get full(): boolean {
    return this.size >= this.capacity;
  }

  push(records: readonly SourceRecord[]): void {
    if (records.length === 0) return;
    for (const r of records) this.items.push(r);
    this.wakeTaker?.();
  }

  /** Resolves once there is room (at once when there is), or when `signal` aborts. */
  room(signal: AbortSignal): Promise<void> {
    if (!this.full || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      // The abort listener is removed once woken: a producer waits here once per full queue, for hours.
      const onAbort = (): void => done();
      const done = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.wakeProducers.push(done);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Up to `max` records; waits up to `waitMs` for the first when empty (less when `signal` aborts or wake() is called). */
  async take(max: number, waitMs: number, signal: AbortSignal): Promise<SourceRecord[]> {
    if (this.size === 0 && waitMs > 0 && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, waitMs);
        function done(): void {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        this.wakeTaker = done;
        signal.addEventListener('abort', done, { once: true });
      });
      this.wakeTaker = null;
    }
    const n = Math.min(max, this.size);
    const out = this.items.slice(this.head, this.head + n);
    this.head += n;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (!this.full && this.wakeProducers.length > 0) {
      const producers = this.wakeProducers;
      this.wakeProducers = [];
      for (const wake of producers) wake();
    }
    return out;
  }

  /** Ends a pending take() now (e.g. an error to report). */
  wake(): void {
    this.wakeTaker?.();
  }

  /** Drops every record (a reconnect resumes from the last emitted position, not from what is queued). */
  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
