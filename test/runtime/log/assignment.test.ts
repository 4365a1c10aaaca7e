import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignRoundRobin } from '../../../src/runtime/log/assignment.js';

const member = (clientId: string, ...topics: string[]): { clientId: string; subscribes: (t: string) => boolean } => ({
  clientId,
  subscribes: (t) => topics.includes(t),
});
const names = (m: Map<string, { topic: string; partition: number }[]>): Record<string, string[]> =>
  Object.fromEntries([...m].map(([id, tps]) => [id, tps.map((tp) => `${tp.topic}-${tp.partition}`)]));

test('partitions are dealt round-robin to members sorted by clientId', () => {
  const got = assignRoundRobin([member('b', 'orders'), member('a', 'orders')], [{ name: 'orders', partitions: 4 }]);
  assert.deepEqual(names(got), { a: ['orders-0', 'orders-2'], b: ['orders-1', 'orders-3'] });
});

test('the deal continues across topics in name order and skips members not subscribed', () => {
  const got = assignRoundRobin(
    [member('a', 'x', 'y'), member('b', 'y'), member('c', 'x', 'y')],
    [{ name: 'y', partitions: 3 }, { name: 'x', partitions: 2 }, { name: 'z', partitions: 2 }],
  );
  // x-0 → a; x-1 skips b (not subscribed) → c; y-0 → a; y-1 → b; y-2 → c; z has no subscriber.
  assert.deepEqual(names(got), { a: ['x-0', 'y-0'], b: ['y-1'], c: ['x-1', 'y-2'] });
});

test('a lone member gets everything it subscribes to; no members means no assignment', () => {
  assert.deepEqual(names(assignRoundRobin([member('a', 't')], [{ name: 't', partitions: 3 }])), { a: ['t-0', 't-1', 't-2'] });
  assert.equal(assignRoundRobin([], [{ name: 't', partitions: 3 }]).size, 0);
});
