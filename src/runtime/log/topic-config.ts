/**
 * The topic configs the embedded log acts on, with Kafka's names and defaults. Other keys are stored and returned by
 * describeTopic but have no effect. `cleanup.policy=compact` is accepted but compaction is not implemented: such a
 * topic is simply never trimmed by retention (the safe reading for Connect's internal topics).
 */

export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** What the partition logs need from a topic's config, resolved against the log's defaults. */
export interface TopicLogConfig {
  segmentBytes: number;
  /** -1 = keep forever. */
  retentionMs: number;
  /** Per partition; -1 = no size limit. */
  retentionBytes: number;
  /** False for `cleanup.policy=compact`: retention never deletes. */
  retentionEnabled: boolean;
}

const CLEANUP_POLICIES = new Set(['delete', 'compact', 'compact,delete', 'delete,compact']);

function parseInteger(value: string, min: number): number | undefined {
  if (!/^-?\d+$/.test(value.trim())) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= min ? n : undefined;
}

/** Problems with the configs this log understands, one sentence each; empty when valid. */
export function validateTopicConfig(config: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const check = (key: string, min: number, what: string): void => {
    const v = config[key];
    if (v !== undefined && parseInteger(v, min) === undefined) problems.push(`${key}="${v}" must be ${what}`);
  };
  check('segment.bytes', 1, 'a positive integer');
  check('retention.ms', -1, 'an integer ≥ -1');
  check('retention.bytes', -1, 'an integer ≥ -1');
  const policy = config['cleanup.policy'];
  if (policy !== undefined && !CLEANUP_POLICIES.has(policy.replace(/\s+/g, ''))) {
    problems.push(`cleanup.policy="${policy}" must be delete, compact or compact,delete`);
  }
  return problems;
}

/** Resolves a validated config; absent keys take `segmentBytes` (the log's option) and Kafka's defaults. */
export function resolveTopicConfig(config: Readonly<Record<string, string>>, defaultSegmentBytes: number): TopicLogConfig {
  const int = (key: string, fallback: number, min: number): number => {
    const v = config[key];
    return v === undefined ? fallback : (parseInteger(v, min) ?? fallback);
  };
  const policy = (config['cleanup.policy'] ?? 'delete').replace(/\s+/g, '');
  return {
    segmentBytes: int('segment.bytes', defaultSegmentBytes, 1),
    retentionMs: int('retention.ms', DEFAULT_RETENTION_MS, -1),
    retentionBytes: int('retention.bytes', -1, -1),
    retentionEnabled: policy.split(',').includes('delete'),
  };
}
