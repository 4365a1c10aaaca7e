/**
 * The incremental cooperative assignor, table-style: each case drives a simulated group (members apply every round)
 * through one event and checks what moved, the delay, and the invariants (unique, complete, balanced).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { performAssignment } from '../../../src/runtime/distributed/assignor.js';
import { Cluster, assertBalancedAndComplete, cfg, isQuiet, names, w } from './assignor-helpers.js';

const FOUR_BY_THREE = { a: 3, b: 3, c: 3, d: 3 };

/** Three workers that have settled on 4 connectors × 3 tasks. */
function settled(maxDelay: number): Cluster {
  const cluster = new Cluster(cfg(FOUR_BY_THREE), maxDelay, ['w1', 'w2', 'w3']);
  cluster.converge();
  return cluster;
}

const SETTLED = {
  w1: ['a', 'a/0', 'b/0', 'c/0', 'd', 'd/0'],
  w2: ['a/1', 'b', 'b/1', 'c/1', 'd/1'],
  w3: ['a/2', 'b/2', 'c', 'c/2', 'd/2'],
};

test('first join: 3 workers, 4 connectors × 3 tasks are spread uniquely and evenly in one round', () => {
  const cluster = new Cluster(cfg(FOUR_BY_THREE), 3000, ['w3', 'w1', 'w2']);
  const r = cluster.round();
  assert.equal(r.delay, 0);
  assert.deepEqual(names(r.assignments.w1!.revoked), []);
  assert.deepEqual(names(r.assignments.w1!.assigned), ['a', 'd', 'a/0', 'b/0', 'c/0', 'd/0'], 'connectors, then tasks, each sorted');
  assert.deepEqual(cluster.snapshot(), SETTLED);
  assertBalancedAndComplete(cluster.held, cluster.configured);
  assert.ok(isQuiet(cluster.round()), 'a second round moves nothing');
});

test('worker lost, delay 0: its work goes to the survivors at once; nothing else moves', () => {
  const cluster = settled(0);
  cluster.leave('w3');
  const r = cluster.round();
  assert.equal(r.delay, 0);
  assert.deepEqual(names(r.assignments.w1!.revoked).concat(names(r.assignments.w2!.revoked)), []);
  assert.deepEqual(cluster.snapshot(), { w1: [...SETTLED.w1, 'a/2', 'c/2'].sort(), w2: [...SETTLED.w2, 'b/2', 'c', 'd/2'].sort() });
  assertBalancedAndComplete(cluster.held, cluster.configured);
  assert.ok(isQuiet(cluster.round()));
});

test('worker lost, delay 5000: nothing moves before the deadline, the remaining time is returned, then all of it moves', () => {
  const cluster = settled(5000);
  const t0 = cluster.now;
  cluster.leave('w3');
  let r = cluster.round();
  assert.equal(r.delay, 5000);
  assert.deepEqual(r.memory.delayedRebalance, { lostSince: t0, deadline: t0 + 5000 });
  assert.deepEqual(names(r.memory.lost).sort(), SETTLED.w3);
  assert.ok(Object.values(r.assignments).every((a) => names(a.assigned).length === 0 && names(a.revoked).length === 0));

  cluster.now = t0 + 2000; // another rebalance inside the delay (e.g. a config change elsewhere)
  r = cluster.round();
  assert.equal(r.delay, 3000, 'the time left, not a fresh delay');
  assert.deepEqual(cluster.snapshot(), { w1: SETTLED.w1, w2: SETTLED.w2 });

  cluster.now = t0 + 4999;
  assert.equal(cluster.round().delay, 1);
  cluster.now = t0 + 5000;
  r = cluster.round();
  assert.equal(r.delay, 0);
  assert.equal(r.memory.delayedRebalance, null);
  assert.deepEqual(names(r.memory.lost), []);
  assertBalancedAndComplete(cluster.held, cluster.configured);
  assert.deepEqual(names(r.assignments.w1!.revoked).concat(names(r.assignments.w2!.revoked)), []);
});

test('lowering scheduledRebalanceMaxDelayMs shortens a running delay', () => {
  const cluster = settled(5000);
  const t0 = cluster.now;
  cluster.leave('w3');
  cluster.round();
  cluster.maxDelay = 1000;
  cluster.now = t0 + 400;
  assert.equal(cluster.round().delay, 600);
  cluster.now = t0 + 1000;
  assert.equal(cluster.round().delay, 0);
  assertBalancedAndComplete(cluster.held, cluster.configured);
});

test('a 4th worker joins: the excess is revoked, then assigned to it; balanced in two rounds, only 4 items move', () => {
  for (const maxDelay of [0, 300_000]) {
    const cluster = settled(maxDelay);
    cluster.join('w4');
    const first = cluster.round();
    assert.equal(first.delay, 0);
    assert.deepEqual(
      Object.fromEntries(Object.entries(first.assignments).map(([id, a]) => [id, [names(a.revoked), names(a.assigned)]])),
      { w1: [['d', 'd/0'], []], w2: [['d/1'], []], w3: [['d/2'], []], w4: [[], []] },
      'revoke the excess of each worker (the last items), assign nothing revoked in the same round',
    );
    const second = cluster.round();
    assert.deepEqual(names(second.assignments.w4!.assigned), ['d', 'd/0', 'd/1', 'd/2']);
    assertBalancedAndComplete(cluster.held, cluster.configured);
    assert.ok(isQuiet(cluster.round()));
  }
});

test('connector deleted: it and its tasks are revoked from their holders; nothing else moves', () => {
  const cluster = settled(3000);
  cluster.configured = cfg({ a: 3, b: 3, c: 3 });
  const r = cluster.round();
  assert.deepEqual(names(r.assignments.w1!.revoked), ['d', 'd/0']);
  assert.deepEqual(names(r.assignments.w2!.revoked), ['d/1']);
  assert.deepEqual(names(r.assignments.w3!.revoked), ['d/2']);
  assert.ok(Object.values(r.assignments).every((a) => names(a.assigned).length === 0));
  assertBalancedAndComplete(cluster.held, cluster.configured);
  assert.ok(isQuiet(cluster.round()));
});

test('connector added: its connector and tasks go to the least loaded; no revocations', () => {
  const cluster = settled(3000);
  cluster.configured = cfg({ ...FOUR_BY_THREE, e: 3 });
  const r = cluster.round();
  assert.deepEqual(Object.fromEntries(Object.entries(r.assignments).map(([id, a]) => [id, names(a.assigned)])), { w1: ['e/0'], w2: ['e', 'e/1'], w3: ['e/2'] });
  assert.ok(Object.values(r.assignments).every((a) => names(a.revoked).length === 0));
  assertBalancedAndComplete(cluster.held, cluster.configured);
});

test('tasks.max reduced: the removed tasks are revoked; increased: the new tasks are spread; nothing else moves', () => {
  const cluster = settled(3000);
  cluster.configured = cfg({ ...FOUR_BY_THREE, a: 1 });
  let r = cluster.round();
  assert.deepEqual(Object.fromEntries(Object.entries(r.assignments).map(([id, a]) => [id, names(a.revoked)])), { w1: [], w2: ['a/1'], w3: ['a/2'] });
  assertBalancedAndComplete(cluster.held, cluster.configured);
  assert.ok(isQuiet(cluster.round()));

  cluster.configured = cfg({ ...FOUR_BY_THREE, a: 6 });
  r = cluster.round();
  assert.deepEqual(Object.fromEntries(Object.entries(r.assignments).map(([id, a]) => [id, names(a.assigned)])), { w1: ['a/3'], w2: ['a/1', 'a/4'], w3: ['a/2', 'a/5'] });
  assert.ok(Object.values(r.assignments).every((a) => names(a.revoked).length === 0));
  assertBalancedAndComplete(cluster.held, cluster.configured);
});

test('duplicated work: revoked from all holders but one (the previous owner, else the lowest member id)', () => {
  const cluster = settled(3000);
  cluster.join('w3', w(...SETTLED.w3, 'a', 'a/0')); // w3 also claims what the leader gave w1
  let r = cluster.round();
  assert.deepEqual(names(r.assignments.w3!.revoked), ['a', 'a/0']);
  assert.deepEqual(names(r.assignments.w1!.revoked), []);
  assertBalancedAndComplete(cluster.held, cluster.configured);

  cluster.memory = null; // a new leader: no previous owner known
  cluster.join('w3', w(...SETTLED.w3, 'b/1'));
  r = cluster.round();
  assert.deepEqual(names(r.assignments.w3!.revoked), ['b/1'], 'w2 < w3: w2 keeps it');
  assert.deepEqual(names(r.assignments.w2!.revoked), []);
  assert.deepEqual(cluster.snapshot(), SETTLED);
  cluster.converge();
  assertBalancedAndComplete(cluster.held, cluster.configured);
});

test('a worker that comes back within the delay gets its work back', () => {
  // Restarted under a new member id with nothing: it stays idle until the deadline, then receives exactly the lost work.
  let cluster = settled(5000);
  const t0 = cluster.now;
  cluster.leave('w3');
  assert.equal(cluster.round().delay, 5000);
  cluster.now = t0 + 1000;
  cluster.join('w3-restarted');
  let r = cluster.round();
  assert.equal(r.delay, 4000);
  assert.ok(Object.values(r.assignments).every((a) => names(a.revoked).length === 0), 'no balancing revocations during the delay');
  cluster.now = t0 + 5000;
  r = cluster.round();
  assert.deepEqual(names(r.assignments['w3-restarted']!.assigned).sort(), SETTLED.w3);
  assert.deepEqual(cluster.snapshot(), { w1: SETTLED.w1, w2: SETTLED.w2, 'w3-restarted': SETTLED.w3 });
  assert.ok(isQuiet(cluster.round()));

  // Rejoined still running its work (e.g. it was only cut off): nothing is lost any more, the delay is cancelled.
  cluster = settled(5000);
  cluster.leave('w3');
  cluster.round();
  cluster.now += 1000;
  cluster.join('w3', w(...SETTLED.w3));
  r = cluster.round();
  assert.equal(r.delay, 0);
  assert.equal(r.memory.delayedRebalance, null);
  assert.ok(isQuiet(r));
  assert.deepEqual(cluster.snapshot(), SETTLED);
});

test('a new worker that joins during the delay receives the lost work at the deadline', () => {
  const cluster = new Cluster(cfg({ a: 2, b: 2, c: 2, d: 2 }), 2000, ['w1', 'w2', 'w3', 'w4']);
  cluster.converge();
  const lost = cluster.snapshot().w2!;
  cluster.leave('w2');
  cluster.round();
  cluster.join('w5');
  cluster.now += 2000;
  const r = cluster.round();
  assert.deepEqual(names(r.assignments.w5!.assigned).sort(), lost);
  assertBalancedAndComplete(cluster.held, cluster.configured);
});

test('lost work while every previous member is present (one missed an assignment) is reassigned at once', () => {
  const cluster = settled(300_000);
  cluster.join('w3', w('a/2', 'b/2')); // w3 reports less than it was given
  const r = cluster.round();
  assert.equal(r.delay, 0);
  assertBalancedAndComplete(cluster.held, cluster.configured);
});

test('memory from a generation that did not complete is ignored: missing work counts as new', () => {
  const cluster = settled(300_000);
  cluster.leave('w3');
  cluster.generation += 1; // the leader's last completed generation moved past the memory's
  const r = cluster.round();
  assert.equal(r.delay, 0);
  assertBalancedAndComplete(cluster.held, cluster.configured);
});

test('invalid input is a RangeError', () => {
  const base = { configured: [], members: [{ memberId: 'w', assignment: w() }], memory: null, generation: 1, lastCompletedGeneration: 0, now: 0, scheduledRebalanceMaxDelayMs: 0 };
  assert.throws(() => performAssignment({ ...base, members: [] }), RangeError);
  assert.throws(() => performAssignment({ ...base, scheduledRebalanceMaxDelayMs: -1 }), RangeError);
  assert.throws(() => performAssignment({ ...base, configured: cfg({ a: 1.5 }) }), RangeError);
  assert.doesNotThrow(() => performAssignment(base));
});
