/**
 * Source offsets: for each (connector, source partition) the offset after the last record the data plane
 * acknowledged. Kept in memory, written to `<data.dir>/offsets.json` atomically every `offset.flush.interval.ms` and
 * on clean shutdown. Only acknowledged offsets ever enter the store, so a flush at any moment is safe (at-least-once:
 * a crash replays at most one flush interval).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

type Json = Record<string, unknown>;

/** Connect's key shape: `["<connector>", {partition}]`, serialised as canonical JSON. */
export function offsetKey(connector: string, partition: Json): string {
  return JSON.stringify([connector, canonical(partition)]);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Json = {};
    for (const k of Object.keys(value as Json).sort()) out[k] = canonical((value as Json)[k]);
    return out;
  }
  return value;
}

/**
 * What the worker and the offsets API need from a source-offset store: the standalone file store here, the offsets
 * topic in distributed mode. `set` only records in memory; `flush` makes everything set so far durable.
 */
export interface SourceOffsetStore {
  get(connector: string, partition: Json): Json | null;
  /** Records an acknowledged offset; a null offset removes the partition. */
  set(connector: string, partition: Json, offset: Json | null): void;
  list(connector: string): { partition: Json; offset: Json }[];
  flush(): Promise<void>;
}

export class FileOffsetStore implements SourceOffsetStore {
  private readonly path: string;
  private readonly offsets = new Map<string, Json>();
  private dirty = false;
  private flushing: Promise<void> | undefined;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'offsets.json');
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as [string, Json][];
      for (const [k, v] of parsed) this.offsets.set(k, v);
    } catch {
      // first start, or no offsets yet
    }
  }

  get(connector: string, partition: Json): Json | null {
    return this.offsets.get(offsetKey(connector, partition)) ?? null;
  }

  /** Records an acknowledged offset (in memory until the next flush). A null offset removes the partition. */
  set(connector: string, partition: Json, offset: Json | null): void {
    const key = offsetKey(connector, partition);
    if (offset === null) this.offsets.delete(key);
    else this.offsets.set(key, offset);
    this.dirty = true;
  }

  /** All partitions and offsets of one connector. */
  list(connector: string): { partition: Json; offset: Json }[] {
    const out: { partition: Json; offset: Json }[] = [];
    for (const [key, offset] of this.offsets) {
      const [name, partition] = JSON.parse(key) as [string, Json];
      if (name === connector) out.push({ partition, offset });
    }
    return out;
  }

  /** Writes the current offsets if anything changed; concurrent calls share one write. */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing;
    if (!this.dirty) return;
    this.dirty = false;
    const text = JSON.stringify([...this.offsets]);
    this.flushing = writeFileAtomic(this.path, text).finally(() => {
      this.flushing = undefined;
    });
    try {
      await this.flushing;
    } catch (e) {
      this.dirty = true;
      throw e;
    }
  }
}
