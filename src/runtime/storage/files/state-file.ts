/**
 * JSON state files of data.dir (offsets.json, the embedded log's group offsets) with a copy of their previous
 * content: every save first writes the content being replaced to `<file>.bak`, then the new content, each atomically
 * (atomic-file.ts). A damaged file — a torn write the atomic rename should have made impossible, a bad disk, a hand
 * edit — is never read as empty: readers refuse to start naming the file, and say whether the `.bak` copy is intact,
 * so `pipectl worker repair` can put it back (the state before the last save: at-least-once replays a little, nothing
 * acknowledged is lost).
 */
import { readFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file.js';

export const BACKUP_SUFFIX = '.bak';

/** Checks a parsed file: undefined when it has the right shape, else why not. */
export type ShapeCheck = (value: unknown) => string | undefined;

/** What reading a state file found. */
export type StateFileRead =
  | { kind: 'ok'; text: string; value: unknown }
  | { kind: 'missing' }
  | { kind: 'damaged'; path: string; why: string; backup: 'intact' | 'damaged' | 'missing' };

function readJson(path: string, check: ShapeCheck): { kind: 'ok'; text: string; value: unknown } | { kind: 'missing' } | { kind: 'bad'; why: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { kind: 'bad', why: `not valid JSON (${(err as Error).message})` };
  }
  const problem = check(value);
  return problem ? { kind: 'bad', why: problem } : { kind: 'ok', text, value };
}

/**
 * Reads `path` (synchronously: a small file, read once at start). A missing file with an intact `.bak` counts as damaged (the file was removed: reading it as empty
 * would replay everything). Rejects only with fs errors other than ENOENT.
 */
export function readStateFile(path: string, check: ShapeCheck): StateFileRead {
  const main = readJson(path, check);
  if (main.kind === 'ok') return main;
  const backup = readJson(path + BACKUP_SUFFIX, check);
  if (main.kind === 'missing') {
    return backup.kind === 'missing' ? main : { kind: 'damaged', path, why: `missing, but ${path}${BACKUP_SUFFIX} exists`, backup: backup.kind === 'ok' ? 'intact' : 'damaged' };
  }
  return { kind: 'damaged', path, why: main.why, backup: backup.kind === 'ok' ? 'intact' : backup.kind === 'bad' ? 'damaged' : 'missing' };
}

/** One sentence about a damaged state file and its backup, for the refusal to start. */
export function describeDamagedState(what: string, read: Extract<StateFileRead, { kind: 'damaged' }>, ifLost: string): string {
  const backup =
    read.backup === 'intact'
      ? `its previous copy ${read.path}${BACKUP_SUFFIX} is intact and can be restored (the state before the last save: a few records may be replayed, none is lost)`
      : `there is no intact previous copy (${read.path}${BACKUP_SUFFIX} is ${read.backup}); removing the file starts over: ${ifLost} replayed`;
  return `${what} ${read.path} is damaged (${read.why}); the worker refuses to start rather than treat it as empty; ${backup}.`;
}

/**
 * Replaces `path` with `text`, first saving `previous` (the content being replaced, known to be good) to `.bak`.
 * Both writes are atomic; a crash between them leaves the old file and a `.bak` equal to it.
 */
export async function writeStateFile(path: string, text: string, previous: string | undefined): Promise<void> {
  if (previous !== undefined) await writeFileAtomic(path + BACKUP_SUFFIX, previous);
  await writeFileAtomic(path, text);
}

/**
 * Restores `path` from its intact `.bak` (for `pipectl worker repair`). Returns false when the backup is not intact.
 * The damaged file is kept as `<file>.damaged` for inspection.
 */
export async function restoreStateFile(path: string, check: ShapeCheck): Promise<boolean> {
  const backup = readJson(path + BACKUP_SUFFIX, check);
  if (backup.kind !== 'ok') return false;
  await copyFile(path, `${path}.damaged`).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await writeFileAtomic(path, backup.text);
  return true;
}
