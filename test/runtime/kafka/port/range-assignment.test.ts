/** Kafka's RangeAssignor, which sink consumers use so that Java consumers can share their groups. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rangeAssignment } from '../../../../src/runtime/kafka/port/range-assignment.js';

const partitions = (counts: Record<string, number>) => (topic: string): number[] => Array.from({ length: counts[topic] ?? 0 }, (_, i) => i);

test('each topic is split in contiguous ranges over its subscribers sorted by member id; the first get one more', () => {
  const plan = rangeAssignment(
    [
      { memberId: 'c', topics: ['t'] },
      { memberId: 'a', topics: ['t', 'u'] },
      { memberId: 'b', topics: ['t'] },
    ],
    partitions({ t: 7, u: 2 }),
  );
  assert.deepEqual(Object.fromEntries(plan), {
    a: { t: [0, 1, 2], u: [0, 1] },
    b: { t: [3, 4] },
    c: { t: [5, 6] },
  });
});

test('more members than partitions: the last members get nothing; no topic, no entry', () => {
  const plan = rangeAssignment([{ memberId: 'm1', topics: ['t'] }, { memberId: 'm2', topics: ['t'] }, { memberId: 'm3', topics: ['t'] }], partitions({ t: 2 }));
  assert.deepEqual(Object.fromEntries(plan), { m1: { t: [0] }, m2: { t: [1] } });
  assert.equal(rangeAssignment([{ memberId: 'm', topics: ['gone'] }], partitions({})).size, 0);
});
