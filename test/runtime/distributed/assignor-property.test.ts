/**
 * Property-style test of the assignor: seeded random sequences of joins, leaves, restarts, config changes and zombie
 * duplicates. After every round nothing runs twice; delayed rounds revoke only deleted or duplicated work; once the
 * group converges everything configured runs exactly once, balanced, and convergence takes at most two rounds with
 * changes after the last delay (revoke, then assign) plus one quiet round.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AssignorResult } from '../../../src/runtime/distributed/assignor.js';
import { Cluster, assertBalancedAndComplete, assertUnique, cfg, configuredNames, names, w } from './assignor-helpers.js';
import { seededRng } from '../../support/prng.js';

/** Seeded inputs: the same seed gives the same run. */
const prng = (seed: number): (() => number) => seededRng(seed).next;

/** Checks one round: unique afterwards; while a delay runs, only unconfigured or doubly-held work is revoked. */
function checkRound(cluster: Cluster, r: AssignorResult, reportedBefore: Map<string, string[]>): void {
  assertUnique(cluster.held);
  const configured = new Set(configuredNames(cluster.configured));
  for (const [id, a] of Object.entries(r.assignments)) {
    for (const n of names(a.assigned)) assert.ok(configured.has(n), `${n} assigned but not configured`);
    if (r.delay === 0) continue;
    for (const n of names(a.revoked)) {
      const heldElsewhere = [...reportedBefore].some(([other, work]) => other !== id && work.includes(n));
      assert.ok(!configured.has(n) || heldElsewhere, `${n} revoked from ${id} during a delay`);
    }
  }
}

function runSequence(seed: number, maxDelay: number, steps: number): { rounds: number; maxChangingRounds: number } {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const counts: Record<string, number> = { a: 2, b: 3 };
  const cluster = new Cluster(cfg(counts), maxDelay, ['m00', 'm01']);
  let nextMember = 2;
  let nextConnector = 0;
  let rounds = 0;
  let maxChangingRounds = 0;

  const round = (): AssignorResult => {
    const before = new Map([...cluster.held].map(([id, work]) => [id, names(work)]));
    const r = cluster.round();
    rounds++;
    checkRound(cluster, r, before);
    return r;
  };

  for (let step = 0; step < steps; step++) {
    const members = [...cluster.held.keys()];
    const event = rnd();
    if (event < 0.2) cluster.join(`m${String(nextMember++).padStart(2, '0')}`);
    else if (event < 0.35 && members.length > 1) cluster.leave(pick(members));
    else if (event < 0.45) {
      cluster.leave(pick(members)); // a restart: same worker, new member id, nothing running
      cluster.join(`m${String(nextMember++).padStart(2, '0')}`);
    } else if (event < 0.6) counts[`n${nextConnector++}`] = Math.floor(rnd() * 6);
    else if (event < 0.7 && Object.keys(counts).length > 1) delete counts[pick(Object.keys(counts))];
    else if (event < 0.85 && Object.keys(counts).length > 0) counts[pick(Object.keys(counts))] = Math.floor(rnd() * 8);
    else if (members.length > 1) {
      // A zombie: one member reports, on top of its own work, an item another member runs.
      const [from, to] = [pick(members), pick(members)];
      const stolen = names(cluster.held.get(from)!);
      if (from !== to && stolen.length > 0) cluster.join(to, w(...names(cluster.held.get(to)!), pick(stolen)));
    }
    cluster.configured = cfg(counts);
    if (rnd() < 0.7) {
      // Rebalance until quiet, counting the rounds with changes after the last delay.
      let changing = 0;
      for (let i = 0; ; i++) {
        assert.ok(i < 30, `seed ${seed} step ${step}: no convergence`);
        const r = round();
        if (r.delay > 0) {
          cluster.now += rnd() < 0.3 ? Math.max(1, Math.floor(r.delay / 2)) : r.delay;
          changing = 0;
          continue;
        }
        const quiet = Object.values(r.assignments).every((a) => names(a.assigned).length + names(a.revoked).length === 0);
        if (quiet) break;
        changing++;
      }
      assert.ok(changing <= 2, `seed ${seed} step ${step}: ${changing} changing rounds after the last delay`);
      maxChangingRounds = Math.max(maxChangingRounds, changing);
      assertBalancedAndComplete(cluster.held, cluster.configured);
    } else {
      // One round only: the next event lands mid-rebalance (or mid-delay).
      round();
      cluster.now += Math.floor(rnd() * maxDelay);
    }
  }
  return { rounds, maxChangingRounds };
}

test('random joins, leaves, restarts, config changes and duplicates: unique always; balanced and complete once converged', () => {
  for (const maxDelay of [0, 50, 3000]) {
    for (let seed = 1; seed <= 4; seed++) {
      const { rounds, maxChangingRounds } = runSequence(seed * 7919 + maxDelay, maxDelay, 300);
      assert.ok(rounds >= 300);
      assert.ok(maxChangingRounds >= 1);
    }
  }
});
