/**
 * Recovery of a partition directory on open. Every segment is scanned and validated (see Segment.recover); a bad tail
 * of the *last* segment — what a kill -9 in the middle of write(2) leaves — is truncated and reported. Damage anywhere
 * else, or a gap between segments, throws LogError(PIPECTL_LOG_CORRUPT): cutting there would drop acknowledged records
 * that follow it, so a human decides.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory } from '../storage/atomic-file.js';
import { LogError } from './log-error.js';
import { parseSegmentFileName, Segment, segmentFileName } from './segment.js';
import type { ScanStop } from './segment.js';

/** A tail the recovery scan cut off (a batch torn by a crash, or garbage). */
export interface TruncatedTail extends ScanStop {
  topic: string;
  partition: number;
  segment: string;
}

export interface RecoveryTarget {
  dir: string;
  topic: string;
  partition: number;
  indexIntervalBytes: number;
}

/**
 * Opens the segments of `target.dir` (created if missing, with one empty segment at offset 0), oldest first; the
 * last one is the active segment. On error every segment opened so far is closed again.
 */
export async function recoverSegments(target: RecoveryTarget): Promise<{ segments: Segment[]; truncated?: TruncatedTail }> {
  await mkdir(target.dir, { recursive: true });
  const bases = (await readdir(target.dir))
    .map(parseSegmentFileName)
    .filter((b): b is number => b !== undefined)
    .sort((a, b) => a - b);
  const segments: Segment[] = [];
  let truncated: TruncatedTail | undefined;
  try {
    for (const [i, base] of bases.entries()) {
      const name = segmentFileName(base);
      const previous = segments[segments.length - 1];
      if (previous && previous.nextOffset !== base) {
        throw corrupt(target, `segment ${name} starts at offset ${base} but the previous one ends at ${previous.nextOffset}`);
      }
      const { segment, stop } = await Segment.recover(join(target.dir, name), base, target.indexIntervalBytes);
      segments.push(segment);
      if (!stop) continue;
      if (i < bases.length - 1) throw corrupt(target, `${name} is damaged at byte ${stop.position}: ${stop.reason}`);
      await segment.truncateToSize();
      truncated = { topic: target.topic, partition: target.partition, segment: name, ...stop };
    }
    if (segments.length === 0) {
      segments.push(await Segment.create(target.dir, 0, target.indexIntervalBytes));
      await fsyncDirectory(target.dir);
    }
  } catch (err) {
    await Promise.all(segments.map((s) => s.close()));
    throw err;
  }
  return truncated ? { segments, truncated } : { segments };
}

function corrupt(target: RecoveryTarget, detail: string): LogError {
  return new LogError('PIPECTL_LOG_CORRUPT', `${target.topic}-${target.partition} (${target.dir}): ${detail}`);
}
