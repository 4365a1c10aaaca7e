/**
 * Recovery of a partition directory on open. Every segment is scanned and validated (see Segment.recover).
 *
 * - A bad tail of the *last* segment with nothing intact after it — what a kill -9 in the middle of write(2) or a
 *   power loss leaves — is a torn tail: truncated and reported (it holds no record whose write completed).
 * - Anything else is damage: a bad batch followed by intact ones (damage-scan.ts), a bad batch in an older segment, or
 *   a gap between segments. Cutting there would drop acknowledged records that follow it, so in mode 'refuse' (the
 *   default) this throws LogDamageError (PIPECTL_LOG_CORRUPT) saying where and what a cut would drop; in mode
 *   'repair' (`pipectl worker repair`) it cuts: the damaged segment is truncated at the damage, later segments are
 *   deleted, and the cut is reported.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory } from '../storage/files/atomic-file.js';
import { LogError } from './log-error.js';
import { parseSegmentFileName, Segment, segmentFileName } from './segment.js';
import type { ScanStop } from './segment.js';

/** A tail the recovery scan cut off (a batch torn by a crash, or garbage with nothing intact after it). */
export interface TruncatedTail extends ScanStop {
  topic: string;
  partition: number;
  segment: string;
  /** The segment file (full path). */
  file: string;
}

/** Damage inside a partition's log: where it is and what cutting there drops. */
export interface LogDamage {
  topic: string;
  partition: number;
  /** The damaged segment file (full path). */
  file: string;
  /** Byte position of the damage in `file`; the cut keeps the bytes before it. */
  position: number;
  reason: string;
  /** First offset the cut drops. */
  fromOffset: number;
  /** Offset after the last intact record found after the damage. */
  toOffset: number;
  /** Records the cut drops (toOffset − fromOffset): the damaged ones and the intact ones after them. */
  records: number;
  /** Intact records after the damage (what makes it damage rather than a torn tail). */
  intactAfter: number;
  /** Bytes the cut removes: the rest of `file` and every later segment. */
  bytes: number;
  /** Later segment files the cut deletes (full paths). */
  laterSegments: string[];
}

/** Refusal to open a damaged partition; `damage` says where and what a repair would drop. */
export class LogDamageError extends LogError {
  constructor(readonly damage: LogDamage) {
    super('PIPECTL_LOG_CORRUPT', describeDamage(damage));
    this.name = 'LogDamageError';
  }
}

/** One sentence a human can act on: file, byte, why it is not a torn tail, what a cut drops. */
export function describeDamage(d: LogDamage): string {
  const later = d.laterSegments.length > 0 ? ` and deletes ${d.laterSegments.length} later segment file(s)` : '';
  return (
    `${d.file} (${d.topic}-${d.partition}) is damaged at byte ${d.position}: ${d.reason}; ${d.intactAfter} intact record(s) ` +
    `follow the damage, so it is not a torn tail and the log refuses to open rather than drop acknowledged records. ` +
    `Cutting the log at the damage drops ${d.records} record(s) (offsets ${d.fromOffset}–${d.toOffset - 1}) and ${d.bytes} byte(s)${later}.`
  );
}

export type RecoveryMode = 'refuse' | 'repair';

export interface RecoveryTarget {
  dir: string;
  topic: string;
  partition: number;
  indexIntervalBytes: number;
  /** What to do with damage (default 'refuse'). */
  recovery?: RecoveryMode;
}

export interface RecoveredSegments {
  segments: Segment[];
  truncated?: TruncatedTail;
  /** Damage cut in mode 'repair'. */
  repaired?: LogDamage;
}

interface Scanned {
  segment: Segment;
  stop?: ScanStop;
}

/**
 * Opens the segments of `target.dir` (created if missing, with one empty segment at offset 0), oldest first; the
 * last one is the active segment. Throws LogDamageError for damage in mode 'refuse'. On error every segment opened so
 * far is closed again.
 */
export async function recoverSegments(target: RecoveryTarget): Promise<RecoveredSegments> {
  await mkdir(target.dir, { recursive: true });
  const bases = (await readdir(target.dir))
    .map(parseSegmentFileName)
    .filter((b): b is number => b !== undefined)
    .sort((a, b) => a - b);
  const scanned: Scanned[] = [];
  try {
    for (const base of bases) scanned.push(await Segment.recover(join(target.dir, segmentFileName(base)), base, target.indexIntervalBytes));
    const damage = findDamage(target, scanned);
    if (damage && (target.recovery ?? 'refuse') === 'refuse') throw new LogDamageError(damage.damage);
    let repaired: LogDamage | undefined;
    if (damage) {
      const cut = scanned.splice(damage.keep);
      const damaged = scanned[scanned.length - 1]!.segment;
      await damaged.truncateToSize();
      for (const s of cut) await s.segment.delete();
      await fsyncDirectory(target.dir);
      repaired = damage.damage;
    }
    let truncated: TruncatedTail | undefined;
    const last = scanned[scanned.length - 1];
    if (last?.stop && !repaired) {
      await last.segment.truncateToSize();
      const segment = segmentFileName(last.segment.baseOffset);
      truncated = { topic: target.topic, partition: target.partition, segment, file: last.segment.path, ...last.stop };
    }
    const segments = scanned.map((s) => s.segment);
    if (segments.length === 0) {
      segments.push(await Segment.create(target.dir, 0, target.indexIntervalBytes));
      await fsyncDirectory(target.dir);
    }
    return { segments, ...(truncated ? { truncated } : {}), ...(repaired ? { repaired } : {}) };
  } catch (err) {
    await Promise.all(scanned.map((s) => s.segment.close()));
    throw err;
  }
}

/**
 * The first damage of a partition, or undefined when there is at most a torn tail; `keep` is how many segments the
 * cut keeps (the damaged one is the last kept).
 */
function findDamage(target: RecoveryTarget, scanned: readonly Scanned[]): { damage: LogDamage; keep: number } | undefined {
  for (const [i, { segment, stop }] of scanned.entries()) {
    const next = scanned[i + 1];
    const isLast = next === undefined;
    if (stop && (!isLast || stop.validAfter)) {
      return { damage: damageAt(target, scanned, i, stop.position, stop.reason, stop.offset), keep: i + 1 };
    }
    if (next && segment.nextOffset !== next.segment.baseOffset) {
      const reason = `the next segment ${segmentFileName(next.segment.baseOffset)} starts at offset ${next.segment.baseOffset}, but this one ends at ${segment.nextOffset}`;
      return { damage: damageAt(target, scanned, i, segment.size, reason, segment.nextOffset), keep: i + 1 };
    }
  }
  return undefined;
}

function damageAt(target: RecoveryTarget, scanned: readonly Scanned[], i: number, position: number, reason: string, fromOffset: number): LogDamage {
  const { segment, stop } = scanned[i]!;
  const later = scanned.slice(i + 1);
  let toOffset = Math.max(fromOffset, stop?.validAfter?.endOffset ?? fromOffset);
  let bytes = stop?.bytes ?? 0;
  for (const s of later) {
    toOffset = Math.max(toOffset, s.segment.nextOffset, s.stop?.validAfter?.endOffset ?? 0);
    bytes += s.segment.size + (s.stop?.bytes ?? 0);
  }
  const intactAfter = (stop?.validAfter?.records ?? 0) + later.reduce((n, s) => n + s.segment.records + (s.stop?.validAfter?.records ?? 0), 0);
  return {
    topic: target.topic,
    partition: target.partition,
    file: segment.path,
    position,
    reason,
    fromOffset,
    toOffset,
    records: toOffset - fromOffset,
    intactAfter,
    bytes,
    laterSegments: later.map((s) => s.segment.path),
  };
}
