/**
 * SessionDeadline.valid(): whether a member may still act on its assignment, by the clock — a worker frozen past its
 * session (SIGSTOP, a long pause) must not write once more before its expiry timer runs (found by the chaos suite).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SessionDeadline } from '../../../src/runtime/distributed/session-deadline.js';

test('valid while answered within the session, not once the session has passed by the clock, whatever the timer', () => {
  let expired = 0;
  const d = new SessionDeadline(60_000, () => expired++);
  assert.equal(d.valid(), false, 'nothing to hold before the first assignment');
  d.watch(true);
  d.answered(Date.now());
  assert.equal(d.valid(), true);
  d.answered(Date.now() - 61_000); // older than the last answer: no change
  assert.equal(d.valid(), true);

  const frozen = new SessionDeadline(60_000, () => expired++);
  frozen.watch(true);
  frozen.answered(Date.now() - 61_000); // the last answered request was sent more than a session ago
  assert.equal(frozen.valid(), false, 'invalid at once, before the expiry timer had a chance to run');
  frozen.pause(true);
  assert.equal(frozen.valid(), true, 'a member waiting in JoinGroup/SyncGroup is kept by the coordinator');
  frozen.pause(false);
  frozen.watch(false);
  assert.equal(frozen.valid(), false, 'a lost assignment is not held');
  d.watch(false);
});
