/**
 * `pipectl worker repair <data.dir>`: puts a damaged data.dir back into a state a worker starts from, saying exactly
 * what it changed and what that drops. It never runs on its own: a worker refuses to start on damage and names this
 * command. Steps, in order:
 * 1. offsets.json and the group offsets files (log/groups/*.json) that are damaged are restored from their intact
 *    `.bak` copy (the state before their last save: at-least-once replays a few records, none is lost); the damaged
 *    file is kept as `<file>.damaged`. Without an intact copy nothing is changed and the problem is reported.
 * 2. The embedded log is opened in repair mode: each damaged partition is cut at its first damage (records after it
 *    are dropped, and counted); torn tails are cut as on every start; committed offsets past a new log end move to it.
 * 3. Connector files are checked (they have no copy; a damaged one is reported, not changed).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { acquireDirLock } from '../log/dir-lock.js';
import { openEmbeddedLog } from '../log/embedded-log.js';
import { checkGroupFile } from '../log/offset-store.js';
import { checkOffsetsFile } from '../storage/offsets/file-offset-store.js';
import { BACKUP_SUFFIX, readStateFile, restoreStateFile } from '../storage/files/state-file.js';
import type { ShapeCheck } from '../storage/files/state-file.js';
import { FileConfigStore } from '../storage/config/file-config-store.js';
import { CorruptConnectorFileError } from '../storage/config/config-store-error.js';

export interface RepairReport {
  /** What was changed, one sentence each (with counts of what was dropped). */
  changed: string[];
  /** What could not be repaired, one sentence each with the way out. */
  problems: string[];
}

/** Repairs `dataDir` (see the module comment). Rejects only on unexpected fs errors. */
export async function repairDataDir(dataDir: string): Promise<RepairReport> {
  const report: RepairReport = { changed: [], problems: [] };
  const logDir = join(dataDir, 'log');
  if (existsSync(logDir)) {
    try {
      await (await acquireDirLock(logDir)).release(); // refuse while a worker runs on it
    } catch (e) {
      report.problems.push(`${(e as Error).message}: stop the worker first`);
      return report;
    }
  }
  await restore(join(dataDir, 'offsets.json'), checkOffsetsFile, 'every source connector', report);
  const groupsDir = join(logDir, 'groups');
  if (existsSync(groupsDir)) {
    const names = new Set(readdirSync(groupsDir).map((n) => (n.endsWith(BACKUP_SUFFIX) ? n.slice(0, -BACKUP_SUFFIX.length) : n)));
    for (const n of [...names].filter((x) => x.endsWith('.json')).sort()) await restore(join(groupsDir, n), checkGroupFile, "the group's topics", report);
  }
  if (report.problems.length === 0) await repairLog(logDir, report);
  // Connector files have no .bak copy: a damaged one is reported (by the store that reads them), not repaired.
  try {
    new FileConfigStore(dataDir);
  } catch (e) {
    if (!(e instanceof CorruptConnectorFileError)) throw e;
    report.problems.push(e.message);
  }
  return report;
}

async function restore(path: string, check: ShapeCheck, replays: string, report: RepairReport): Promise<void> {
  const read = readStateFile(path, check);
  if (read.kind !== 'damaged') return;
  if (read.backup === 'intact' && (await restoreStateFile(path, check))) {
    report.changed.push(`${path} was damaged (${read.why}): restored from ${path}${BACKUP_SUFFIX}, the state before its last save (a few records may be replayed, none is lost); the damaged file is kept as ${path}.damaged`);
  } else {
    report.problems.push(`${path} is damaged (${read.why}) and ${path}${BACKUP_SUFFIX} is ${read.backup}: nothing to restore. Move the file away to start over (${replays} then replay from the beginning).`);
  }
}

async function repairLog(logDir: string, report: RepairReport): Promise<void> {
  if (!existsSync(logDir)) return;
  let log;
  try {
    log = await openEmbeddedLog({ dir: logDir, recovery: 'repair', retentionCheckIntervalMs: 0 });
  } catch (e) {
    report.problems.push(`the embedded log cannot be opened: ${(e as Error).message}`);
    return;
  }
  const r = log.recovery;
  await log.close();
  for (const d of r.repaired) {
    const later = d.laterSegments.length > 0 ? `, deleted ${d.laterSegments.length} later segment file(s)` : '';
    report.changed.push(`${d.file} (${d.topic}-${d.partition}): cut at byte ${d.position} (${d.reason})${later}; dropped ${d.records} record(s) (offsets ${d.fromOffset}–${d.toOffset - 1}, ${d.intactAfter} of them intact) and ${d.bytes} byte(s)`);
  }
  for (const t of r.truncated) report.changed.push(`${t.file} (${t.topic}-${t.partition}): cut a torn tail of ${t.bytes} byte(s) at byte ${t.position} (${t.reason})`);
  for (const o of r.offsetsReset) {
    report.changed.push(`group "${o.groupId}" on ${o.topic}-${o.partition}: committed offset ${o.from} was past the new log end; moved to ${o.to} (${o.from - o.to} offset(s) no longer exist)`);
  }
}
