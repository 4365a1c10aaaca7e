import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectSegmentsToDelete } from '../../../src/runtime/log/retention.js';
import type { TopicLogConfig } from '../../../src/runtime/log/topic-config.js';

const base: TopicLogConfig = { segmentBytes: 100, retentionMs: -1, retentionBytes: -1, retentionEnabled: true };
const seg = (size: number, maxTimestamp: number): { size: number; maxTimestamp: number } => ({ size, maxTimestamp });

test('segment selection for retention', async (t) => {
  const cases: { name: string; segments: ReturnType<typeof seg>[]; config: Partial<TopicLogConfig>; now: number; want: string[] }[] = [
    { name: 'no limits keep everything', segments: [seg(100, 0), seg(10, 0)], config: {}, now: 1e12, want: [] },
    {
      name: 'time: an expired prefix goes, stopping at the first young segment',
      segments: [seg(100, 100), seg(100, 900), seg(100, 200), seg(10, 1000)],
      config: { retentionMs: 500 },
      now: 1100,
      want: ['retention.ms'],
    },
    {
      name: 'time: a non-empty expired active segment goes too (the caller rolls)',
      segments: [seg(100, 100), seg(10, 150)],
      config: { retentionMs: 500 },
      now: 1100,
      want: ['retention.ms', 'retention.ms'],
    },
    { name: 'time: an empty active segment never goes', segments: [seg(100, 100), seg(0, -Infinity)], config: { retentionMs: 500 }, now: 1100, want: ['retention.ms'] },
    { name: 'time: exactly retention.ms old is kept', segments: [seg(100, 600), seg(10, 600)], config: { retentionMs: 500 }, now: 1100, want: [] },
    {
      name: 'size: oldest segments go while the rest still holds retention.bytes',
      segments: [seg(100, 0), seg(100, 0), seg(100, 0), seg(50, 0)],
      config: { retentionBytes: 150 },
      now: 0,
      want: ['retention.bytes', 'retention.bytes'],
    },
    { name: 'size: nothing goes when removing the oldest would go below the limit', segments: [seg(100, 0), seg(60, 0)], config: { retentionBytes: 100 }, now: 0, want: [] },
    {
      name: 'time first, then size on what is left',
      segments: [seg(100, 0), seg(100, 5000), seg(100, 5000), seg(10, 5000)],
      config: { retentionMs: 1000, retentionBytes: 110 },
      now: 5000,
      // After the expired one, deleting one more leaves 110 bytes (= the limit); a third would leave 10.
      want: ['retention.ms', 'retention.bytes'],
    },
    { name: 'compact-only topics are never trimmed', segments: [seg(100, 0), seg(10, 0)], config: { retentionMs: 1, retentionEnabled: false }, now: 1e12, want: [] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.deepEqual(selectSegmentsToDelete(c.segments, { ...base, ...c.config }, c.now), c.want));
  }
});
