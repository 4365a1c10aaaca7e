/**
 * The standalone worker's source-offset store (source-offset-store.ts): for each (connector, source partition) the
 * offset after the last record the data plane acknowledged. Kept in memory, written to `<data.dir>/offsets.json`
 * atomically every `offset.flush.interval.ms` and on clean shutdown. Only acknowledged offsets ever enter the store, so a flush at any moment is safe (at-least-once:
 * a crash replays at most one flush interval).
 *
 * Damage: the previous content is kept in `offsets.json.bak` (state-file.ts); a damaged file refuses the start
 * (StateError PIPECTL_STATE_DAMAGED) instead of being read as empty, which would replay every source from the start.
 * One entry that cannot be serialised is dropped on its own (PIPECTL_STATE_OFFSET_NOT_SAVED) and never stops the
 * others from being saved.
 */
import { join } from 'node:path';
import { describeDamagedState, readStateFile, writeStateFile } from '../files/state-file.js';
import type { ShapeCheck } from '../files/state-file.js';
import { StateError } from '../files/state-error.js';
import type { SourceOffsetStore } from './source-offset-store.js';

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

/** offsets.json: an array of `[key, offset]` pairs, the key as offsetKey() writes it. */
export const checkOffsetsFile: ShapeCheck = (value) => {
  if (!Array.isArray(value)) return 'not a JSON array of [key, offset] pairs';
  for (const [i, entry] of value.entries()) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || entry[1] === null || typeof entry[1] !== 'object') {
      return `entry ${i} is not a [key, offset] pair`;
    }
  }
  return undefined;
};

export interface FileOffsetStoreOptions {
  /**
   * Runs before each write of offsets.json: the embedded log syncs its partitions here, so the file never names a
   * source position whose records a power loss could still take from the log.
   */
  beforeWrite?: () => Promise<void>;
}

export class FileOffsetStore implements SourceOffsetStore {
  private readonly path: string;
  private readonly offsets = new Map<string, Json>();
  /** What offsets.json holds now (the last successful write, or the file as read at start). */
  private durable = new Map<string, Json>();
  private dirty = false;
  private flushing: Promise<void> | undefined;
  /** The file's current content, known good: what the next save keeps as offsets.json.bak. */
  private saved: string | undefined;

  /** Reads `<dataDir>/offsets.json`. Throws StateError(PIPECTL_STATE_DAMAGED) when it is damaged. */
  constructor(
    dataDir: string,
    private readonly options: FileOffsetStoreOptions = {},
  ) {
    this.path = join(dataDir, 'offsets.json');
    const read = readStateFile(this.path, checkOffsetsFile);
    if (read.kind === 'damaged') {
      throw new StateError('PIPECTL_STATE_DAMAGED', describeDamagedState('the source offsets file', read, 'all source connectors'), this.path);
    }
    if (read.kind === 'ok') {
      this.saved = read.text;
      for (const [k, v] of read.value as [string, Json][]) this.offsets.set(k, v);
      this.durable = new Map(this.offsets);
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

  /** All partitions and offsets of one connector, unflushed ones too. */
  list(connector: string): { partition: Json; offset: Json }[] {
    return entriesOf(this.offsets, connector);
  }

  /** The partitions and offsets of one connector that offsets.json holds. */
  committed(connector: string): { partition: Json; offset: Json }[] {
    return entriesOf(this.durable, connector);
  }

  /**
   * Writes the current offsets if anything changed; concurrent calls share one write. An entry that cannot be
   * serialised (e.g. nested too deeply) is removed and reported by a StateError(PIPECTL_STATE_OFFSET_NOT_SAVED)
   * thrown after the others were written.
   */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing;
    if (!this.dirty) return;
    this.dirty = false;
    const { text, dropped } = this.serialise();
    const written = new Map(this.offsets);
    this.flushing = this.write(text).then(() => {
      this.durable = written;
    }).finally(() => {
      this.flushing = undefined;
    });
    try {
      await this.flushing;
    } catch (e) {
      this.dirty = true;
      throw e;
    }
    if (dropped.length > 0) {
      throw new StateError('PIPECTL_STATE_OFFSET_NOT_SAVED', `source offsets that cannot be serialised were dropped (the others were saved): ${dropped.join('; ')}`, this.path);
    }
  }

  /** Each entry on its own, so that one bad entry cannot stop the others. */
  private serialise(): { text: string; dropped: string[] } {
    const parts: string[] = [];
    const dropped: string[] = [];
    for (const [key, offset] of this.offsets) {
      try {
        parts.push(JSON.stringify([key, offset]));
      } catch (e) {
        this.offsets.delete(key);
        dropped.push(`${key.slice(0, 200)}: ${(e as Error).message}`);
      }
    }
    return { text: `[${parts.join(',')}]`, dropped };
  }

  private async write(text: string): Promise<void> {
    await this.options.beforeWrite?.();
    await writeStateFile(this.path, text, this.saved);
    this.saved = text;
  }
}

function entriesOf(offsets: ReadonlyMap<string, Json>, connector: string): { partition: Json; offset: Json }[] {
  const out: { partition: Json; offset: Json }[] = [];
  for (const [key, offset] of offsets) {
    const [name, partition] = JSON.parse(key) as [string, Json];
    if (name === connector) out.push({ partition, offset });
  }
  return out;
}
