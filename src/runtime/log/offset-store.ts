/**
 * Committed offsets of consumer groups on disk: one JSON file per group under `<dir>/groups/`, replaced atomically
 * (temp file + fsync + rename + directory fsync). Writes of one group are coalesced: while one is in flight, later
 * requests share the next write, which takes the state current when it starts.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_SUFFIX, writeFileAtomic } from '../storage/atomic-file.js';
import { LogError } from './log-error.js';
import type { TopicPartition } from '../data-plane/data-plane.js';

export type CommittedOffset = TopicPartition & { offset: number };

interface GroupFile {
  version: 1;
  groupId: string;
  offsets: CommittedOffset[];
}

/** A file name for a group id: unreserved characters kept, others %-escaped; long ids become a hash. */
export function groupFileName(groupId: string): string {
  const escaped = Array.from(Buffer.from(groupId, 'utf8'))
    .map((b) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`))
    .join('');
  if (escaped.length <= 200) return `${escaped}.json`;
  return `~${createHash('sha256').update(groupId).digest('hex')}.json`;
}

class CoalescingWriter {
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly write: () => Promise<void>) {}

  /** Resolves when a write that started after this call has finished. */
  request(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.inFlight) return this.start();
    const queued = this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.start();
      });
    this.queued = queued;
    return queued;
  }

  /** Waits for the writes in flight (their errors are the requesters' to handle). */
  async idle(): Promise<void> {
    while (this.queued || this.inFlight) await (this.queued ?? this.inFlight)!.catch(() => undefined);
  }

  private start(): Promise<void> {
    const p = this.write();
    this.inFlight = p;
    const clear = (): void => {
      if (this.inFlight === p) this.inFlight = undefined;
    };
    p.then(clear, clear);
    return p;
  }
}

export class GroupOffsetStore {
  private readonly writers = new Map<string, CoalescingWriter>();

  private constructor(
    private readonly dir: string,
    private readonly snapshot: (groupId: string) => CommittedOffset[],
  ) {}

  /**
   * Opens `dir` (created if missing), removes temp files left by interrupted writes and returns the stored groups.
   * `snapshot` gives a group's current offsets when a write starts, so coalesced saves store the latest state.
   * Throws LogError(PIPECTL_LOG_CORRUPT) for an unreadable group file.
   */
  static async open(
    dir: string,
    snapshot: (groupId: string) => CommittedOffset[],
  ): Promise<{ store: GroupOffsetStore; groups: Map<string, CommittedOffset[]> }> {
    await mkdir(dir, { recursive: true });
    const groups = new Map<string, CommittedOffset[]>();
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      if (name.endsWith(TEMP_SUFFIX)) {
        await unlink(path);
        continue;
      }
      if (!name.endsWith('.json')) continue;
      let parsed: GroupFile;
      try {
        parsed = JSON.parse(await readFile(path, 'utf8')) as GroupFile;
      } catch (err) {
        throw new LogError('PIPECTL_LOG_CORRUPT', `committed offsets file ${path} is not valid JSON`, { cause: err });
      }
      if (parsed.version !== 1 || typeof parsed.groupId !== 'string' || !Array.isArray(parsed.offsets)) {
        throw new LogError('PIPECTL_LOG_CORRUPT', `committed offsets file ${path} has an unknown shape`);
      }
      groups.set(parsed.groupId, parsed.offsets);
    }
    return { store: new GroupOffsetStore(dir, snapshot), groups };
  }

  /**
   * Persists a group's current offsets. Resolves once durable; rejects with the fs error (the state it carried may
   * still be written by a later save).
   */
  save(groupId: string): Promise<void> {
    let writer = this.writers.get(groupId);
    if (!writer) {
      const path = join(this.dir, groupFileName(groupId));
      writer = new CoalescingWriter(() => {
        const file: GroupFile = { version: 1, groupId, offsets: this.snapshot(groupId) };
        return writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`);
      });
      this.writers.set(groupId, writer);
    }
    return writer.request();
  }

  /** Waits for every write in flight. */
  async close(): Promise<void> {
    await Promise.all([...this.writers.values()].map((w) => w.idle()));
  }
}
