/**
 * Crash-safe small-file writes for metadata (connector configs, offsets, topic descriptions): write a temp file, fsync it,
 * rename it over the target, fsync the directory. After a crash the target holds either the old or the new content.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Suffix of temp files; files ending in it are leftovers of an interrupted write and may be deleted on open. */
export const TEMP_SUFFIX = '.tmp';

let sequence = 0;

/** Makes directory entries (created, renamed, deleted files) in `dir` durable. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Replaces `path` with `data` atomically and durably. Rejects with the fs error; the old content is then intact. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${++sequence}${TEMP_SUFFIX}`);
  try {
    // 0600: connector configs (which may hold literal passwords) and offsets are for the worker's user only.
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDirectory(dirname(path));
}
