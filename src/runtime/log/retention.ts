/**
 * Which segments retention deletes — a pure function of the segments' sizes and timestamps, the topic config and the
 * time, following Kafka: only a prefix of whole segments goes; time retention first, then size retention.
 */
import type { TopicLogConfig } from './topic-config.js';

export interface SegmentStats {
  size: number;
  /** Largest record timestamp; -Infinity for an empty segment. */
  maxTimestamp: number;
}

export type RetentionReason = 'retention.ms' | 'retention.bytes';

/**
 * The reasons for deleting the oldest segments, one per segment to delete (so its length is the count). `segments`
 * is oldest first and its last element is the active segment; the active segment is included only when it is
 * non-empty and every segment before it goes too — the caller then rolls a new, empty active segment first.
 */
export function selectSegmentsToDelete(segments: readonly SegmentStats[], config: TopicLogConfig, now: number): RetentionReason[] {
  const reasons: RetentionReason[] = [];
  if (!config.retentionEnabled) return reasons;
  const deletable = (i: number): boolean => i < segments.length - 1 || segments[i]!.size > 0;
  if (config.retentionMs >= 0) {
    while (reasons.length < segments.length && deletable(reasons.length)) {
      const s = segments[reasons.length]!;
      if (!(now - s.maxTimestamp > config.retentionMs)) break;
      reasons.push('retention.ms');
    }
  }
  if (config.retentionBytes >= 0) {
    let excess = segments.reduce((n, s) => n + s.size, 0) - config.retentionBytes;
    for (let i = 0; i < reasons.length; i++) excess -= segments[i]!.size;
    while (reasons.length < segments.length && deletable(reasons.length)) {
      const s = segments[reasons.length]!;
      if (excess - s.size < 0) break;
      excess -= s.size;
      reasons.push('retention.bytes');
    }
  }
  return reasons;
}
