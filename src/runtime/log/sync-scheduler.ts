/**
 * The 'interval' fsync policy: partitions with unsynced appends are fdatasync'ed together at most once per interval,
 * starting from the first unsynced append, so data reaches the disk within about `intervalMs` of being written.
 */
import type { PartitionLog } from './partition-log.js';

export class SyncScheduler {
  private dirty = new Set<PartitionLog>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly intervalMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  markDirty(log: PartitionLog): void {
    this.dirty.add(log);
    if (!this.timer) {
      // unref: a process that exits without close() still has its data in the OS; only the fsync is skipped.
      this.timer = setTimeout(() => void this.flush(), this.intervalMs).unref();
    }
  }

  /** Syncs every dirty partition now; errors go to `onError`. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.dirty];
    this.dirty.clear();
    this.running = this.running.then(async () => {
      const results = await Promise.allSettled(batch.map((log) => log.sync()));
      for (const r of results) if (r.status === 'rejected') this.onError(r.reason as Error);
    });
    return this.running;
  }

  /** Stops the timer and waits for a sync in flight. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty.clear();
    await this.running;
  }
}
