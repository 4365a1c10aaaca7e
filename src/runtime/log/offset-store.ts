/**
 * Committed offsets of consumer groups on disk: one JSON file per group under `<dir>/groups/`, replaced atomically
 * (temp file + fsync + rename + directory fsync), the previous content kept as `<file>.bak` (../storage/files/state-file.ts).
 * Writes of one group are coalesced: while one is in flight, later requests share the next write, which takes the
 * state current when it starts. A damaged group file refuses the open (PIPECTL_LOG_CORRUPT) instead of being
 * dropped, which would replay the group's topics from the start.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_SUFFIX } from '../storage/files/atomic-file.js';
import { BACKUP_SUFFIX, describeDamagedState, readStateFile, writeStateFile } from '../storage/files/state-file.js';
import type { ShapeCheck } from '../storage/files/state-file.js';
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

/** A group file: version 1, the group id, an array of {topic, partition, offset}. */
export const checkGroupFile: ShapeCheck = (value) => {
  const file = value as Partial<GroupFile> | null;
  if (file === null || typeof file !== 'object' || file.version !== 1 || typeof file.groupId !== 'string' || !Array.isArray(file.offsets)) {
    return 'not a version 1 group offsets file';
  }
  const bad = file.offsets.findIndex((o) => typeof o?.topic !== 'string' || !Number.isSafeInteger(o.partition) || !Number.isSafeInteger(o.offset) || o.offset < 0);
  return bad === -1 ? undefined : `offset entry ${bad} is not {topic, partition, offset}`;
};

export class GroupOffsetStore {
  private readonly writers = new Map<string, CoalescingWriter>();
  /** Per group, the file content last read or written (known good): the next save keeps it as `.bak`. */
  private readonly saved = new Map<string, string>();

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
    const saved = new Map<string, string>();
    const names = await readdir(dir);
    const files = new Set(names.filter((n) => n.endsWith('.json')));
    for (const n of names) if (n.endsWith(`.json${BACKUP_SUFFIX}`)) files.add(n.slice(0, -BACKUP_SUFFIX.length)); // a .bak alone: its file was removed
    for (const name of names) if (name.endsWith(TEMP_SUFFIX)) await unlink(join(dir, name));
    for (const name of [...files].sort()) {
      const path = join(dir, name);
      const read = readStateFile(path, checkGroupFile);
      if (read.kind === 'damaged') {
        throw new LogError('PIPECTL_LOG_CORRUPT', describeDamagedState('the committed offsets file of a consumer group', read, "all the group's topics"));
      }
      if (read.kind === 'missing') continue;
      const parsed = read.value as GroupFile;
      groups.set(parsed.groupId, parsed.offsets);
      saved.set(parsed.groupId, read.text);
    }
    const store = new GroupOffsetStore(dir, snapshot);
    for (const [id, text] of saved) store.saved.set(id, text);
    return { store, groups };
  }

  /**
   * Persists a group's current offsets. Resolves once durable; rejects with the fs error (the state it carried may
   * still be written by a later save).
   */
  save(groupId: string): Promise<void> {
    let writer = this.writers.get(groupId);
    if (!writer) {
      const path = join(this.dir, groupFileName(groupId));
      writer = new CoalescingWriter(async () => {
        const file: GroupFile = { version: 1, groupId, offsets: this.snapshot(groupId) };
        const text = `${JSON.stringify(file, null, 2)}\n`;
        await writeStateFile(path, text, this.saved.get(groupId));
        this.saved.set(groupId, text);
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
