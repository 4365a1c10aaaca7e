/**
 * The restart policy: the pure back-off schedule and key parsing (table tests), and the TaskRestarter with injected
 * timers — restarts after the configured back-off, gives up after the limit with a trace line, starts afresh after
 * a stable run or a start that was not its own. No sleeps: a fake timer queue is advanced by hand.
 */
import { validationWithRestartPolicy } from '../../../src/runtime/herder-base/herder-answers.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectorTaskId, StatusState } from '../../../src/herder/types.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { backoffMs, DEFAULT_RESTART_POLICY, RestartPolicyError, restartPolicyOf, restartPolicyProblem, stableAfterMs } from '../../../src/runtime/config/restart-policy.js';
import { TaskRestarter } from '../../../src/runtime/herder-base/task-restarter.js';
import type { RestartTimers } from '../../../src/runtime/herder-base/task-restarter.js';

test('back-off: initial × multiplier^n, capped', () => {
  const p = { ...DEFAULT_RESTART_POLICY, enabled: true };
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(p, n)), [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  assert.deepEqual([0, 1, 2].map((n) => backoffMs({ ...p, initialDelayMs: 100, multiplier: 1.5, maxDelayMs: 200 }, n)), [100, 150, 200]);
  assert.equal(backoffMs({ ...p, initialDelayMs: 0 }, 5), 0);
  assert.equal(stableAfterMs(p, 300_000), 300_000, 'the last back-off when longer');
  assert.equal(stableAfterMs(p, 5_000), 60_000);
});

test('policy keys: connector over worker over defaults; malformed and unknown keys are named', () => {
  const worker = restartPolicyOf({ 'pipectl.restart.enabled': 'true', 'pipectl.restart.max.restarts': '3' });
  assert.deepEqual(worker, { ...DEFAULT_RESTART_POLICY, enabled: true, maxRestarts: 3 });
  const connector = restartPolicyOf({ 'pipectl.restart.initial.delay.ms': '200', 'pipectl.restart.backoff.multiplier': '1.5' }, worker);
  assert.deepEqual(connector, { ...worker, initialDelayMs: 200, multiplier: 1.5 });
  assert.equal(restartPolicyOf({ 'pipectl.restart.enabled': 'FALSE' }, worker).enabled, false);
  const cases: [Record<string, string>, RegExp][] = [
    [{ 'pipectl.restart.enabled': 'yes' }, /pipectl\.restart\.enabled=yes must be true or false/],
    [{ 'pipectl.restart.max.restarts': '-1' }, /max\.restarts=-1 must be an integer >= 0/],
    [{ 'pipectl.restart.initial.delay.ms': '5s' }, /initial\.delay\.ms=5s must be an integer/],
    [{ 'pipectl.restart.backoff.multiplier': '0.5' }, /multiplier=0\.5 must be a number >= 1/],
    [{ 'pipectl.restart.max.delay.ms': '10', 'pipectl.restart.initial.delay.ms': '20' }, /must not be less than/],
  ];
  for (const [config, message] of cases) {
    assert.throws(() => restartPolicyOf(config), (e: unknown) => e instanceof RestartPolicyError && e.code === 'PIPECTL_WORKER_INVALID_RESTART_POLICY' && message.test(e.message));
    assert.match(restartPolicyProblem(config) ?? '', message);
  }
  assert.match(restartPolicyProblem({ 'pipectl.restart.tries': '3' }) ?? '', /unknown restart policy key pipectl\.restart\.tries/);
  assert.equal(restartPolicyProblem({ 'connector.class': 'X' }), undefined);
});

/** Timers advanced by hand: `advance(ms)` fires, in time order, every timer due by then. */
function fakeTimers(): RestartTimers & { now: number; advance(ms: number): void; pending(): number[] } {
  let seq = 0;
  const queue: { at: number; seq: number; fn: () => void }[] = [];
  const t = {
    now: 0,
    after(ms: number, fn: () => void) {
      const entry = { at: t.now + ms, seq: seq++, fn };
      queue.push(entry);
      return () => {
        const i = queue.indexOf(entry);
        if (i >= 0) queue.splice(i, 1);
      };
    },
    advance(ms: number) {
      const until = t.now + ms;
      for (;;) {
        queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = queue[0];
        if (!next || next.at > until) break;
        queue.shift();
        t.now = next.at;
        next.fn();
      }
      t.now = until;
    },
    pending: () => queue.map((e) => e.at - t.now).sort((a, b) => a - b),
  };
  return t;
}

const ID: ConnectorTaskId = { connector: 'orders', task: 0 };
const POLICY = { 'pipectl.restart.enabled': 'true', 'pipectl.restart.max.restarts': '3', 'pipectl.restart.initial.delay.ms': '1000', 'pipectl.restart.max.delay.ms': '3000', 'pipectl.restart.stable.ms': '10000' };

/** A restarter over one fake task: `restart` re-creates it (UNASSIGNED, then RUNNING), as the herder's path does. */
function harness(config: Record<string, string> = POLICY, storedConfig?: () => Record<string, string> | undefined) {
  const timers = fakeTimers();
  const restartedAt: number[] = [];
  let failed = false;
  const notes: (string | undefined)[] = [];
  const restarter: TaskRestarter = new TaskRestarter({
    timers,
    logger: silentLogger,
    ...(storedConfig ? { storedConfig } : {}),
    isFailed: () => failed,
    restart: async (id) => {
      restartedAt.push(timers.now);
      restarter.taskRemoved(id);
      report('UNASSIGNED');
      report('RUNNING');
    },
  });
  const report = (state: StatusState): { restarts: number; note?: string } => {
    failed = state === 'FAILED';
    const r = restarter.onTaskStatus(ID, state, config);
    notes.push(r.note);
    return r;
  };
  return { timers, restarter, restartedAt, report, notes };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('a failed task is restarted after each back-off, up to the limit; then the trace says the policy gave up', async () => {
  const h = harness();
  h.report('UNASSIGNED');
  h.report('RUNNING');
  assert.match(h.report('FAILED').note ?? '', /restart 1 of 3 in 1 s/);
  assert.deepEqual(h.timers.pending(), [1000]);
  h.timers.advance(999);
  assert.deepEqual(h.restartedAt, []);
  h.timers.advance(1);
  await settle();
  assert.deepEqual(h.restartedAt, [1000]);
  assert.equal(h.restarter.restartsOf(ID), 1);

  h.timers.advance(500); // fails again before a stable run: the next back-off is longer
  assert.match(h.report('FAILED').note ?? '', /restart 2 of 3 in 2 s/);
  h.timers.advance(2000);
  await settle();
  h.timers.advance(100);
  assert.match(h.report('FAILED').note ?? '', /restart 3 of 3 in 3 s/, 'capped at max.delay.ms');
  h.timers.advance(3000);
  await settle();
  assert.deepEqual(h.restartedAt, [1000, 3500, 6600]);
  const last = h.report('FAILED');
  assert.match(last.note ?? '', /gave up: the task failed again after 3 restarts \(pipectl\.restart\.max\.restarts=3\)/);
  assert.equal(last.restarts, 3);
  assert.deepEqual(h.timers.pending(), [], 'nothing more is scheduled');
  h.timers.advance(1_000_000);
  await settle();
  assert.equal(h.restartedAt.length, 3);
});

test('a stable run ends the series: the next failure starts again from the first back-off', async () => {
  const h = harness();
  h.report('UNASSIGNED');
  h.report('RUNNING');
  h.report('FAILED');
  h.timers.advance(1000);
  await settle();
  h.timers.advance(9_999); // RUNNING, not yet for stable.ms
  assert.match(h.report('FAILED').note ?? '', /restart 2 of 3 in 2 s/);
  h.timers.advance(2000);
  await settle();
  h.timers.advance(10_000); // stable.ms (longer than the last back-off) of RUNNING
  assert.match(h.report('FAILED').note ?? '', /restart 1 of 3 in 1 s/);
  assert.equal(h.restarter.restartsOf(ID), 2, 'the count reported with the status keeps the restarts made');
});

test('a start made by someone else (restart by hand, new config) cancels a pending restart and starts afresh', async () => {
  const h = harness();
  h.report('UNASSIGNED');
  h.report('FAILED');
  h.timers.advance(1000);
  await settle();
  h.report('FAILED'); // restart 2 pending
  h.restarter.taskRemoved(ID); // a person restarts it: stopped, then started again
  h.report('UNASSIGNED');
  assert.deepEqual(h.timers.pending(), []);
  assert.equal(h.restarter.restartsOf(ID), 0);
  assert.match(h.report('FAILED').note ?? '', /restart 1 of 3/);
});

test('disabled (the default), or the task no longer failed when the back-off ends: no restart', async () => {
  const off = harness({ 'connector.class': 'X' });
  off.report('UNASSIGNED');
  assert.deepEqual(off.report('FAILED'), { restarts: 0 });
  assert.deepEqual(off.timers.pending(), []);

  const h = harness();
  h.report('FAILED');
  h.report('PAUSED'); // (stands for any state that is not FAILED when the timer fires)
  h.timers.advance(1000);
  await settle();
  assert.deepEqual(h.restartedAt, []);
  h.restarter.close();
  h.report('FAILED');
  assert.deepEqual(h.timers.pending(), [], 'nothing is scheduled once closed');
});

test('the stored config wins over the one the task started with: a policy edit that left the task configs equal counts at once', () => {
  let stored: Record<string, string> | undefined = { 'connector.class': 'X' };
  const h = harness(POLICY, () => stored);
  h.report('UNASSIGNED');
  assert.deepEqual(h.report('FAILED'), { restarts: 0 }, 'the stored config turned the policy off since the task started');
  stored = { ...POLICY, 'pipectl.restart.initial.delay.ms': '7000', 'pipectl.restart.max.delay.ms': '7000' };
  assert.match(h.report('FAILED').note ?? '', /restart 1 of 3 in 7 s/);
  stored = undefined; // not in the store (being deleted): the config the task started with
  h.restarter.taskRemoved(ID);
  h.report('UNASSIGNED');
  assert.match(h.report('FAILED').note ?? '', /restart 1 of 3 in 1 s/);
});

test('config/validate: a bad pipectl.restart.* key is an error on that key (no plugin checks them); a good policy adds nothing', () => {
  const infos = { name: 'X', error_count: 0, groups: ['Common'], configs: [] };
  const bad = validationWithRestartPolicy(infos, { 'connector.class': 'X', 'pipectl.restart.max.restarts': 'many' });
  assert.equal(bad.error_count, 1);
  assert.deepEqual(bad.groups, ['Common', 'Restart policy (pipectl)']);
  assert.equal(bad.configs[0]!.value.name, 'pipectl.restart.max.restarts');
  assert.equal(bad.configs[0]!.value.value, 'many');
  assert.match(bad.configs[0]!.value.errors[0]!, /^pipectl\.restart\.max\.restarts=many must be an integer/);
  const unknown = validationWithRestartPolicy(infos, { 'pipectl.restart.maxx': '1' });
  assert.equal(unknown.configs[0]!.value.name, 'pipectl.restart.maxx');
  assert.equal(validationWithRestartPolicy(infos, POLICY), infos);
});
