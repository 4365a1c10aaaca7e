/** judgeStatus, the pure health rule, as a table. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeStatus, judgeStatus } from '../../src/apply/health.js';
import type { Expectation } from '../../src/apply/health.js';
import type { ConnectorStateInfo, StatusState } from '../../src/herder/types.js';

function status(connector: StatusState, tasks: StatusState[]): ConnectorStateInfo {
  return {
    name: 'c',
    connector: { state: connector, worker_id: 'w:8083', ...(connector === 'FAILED' ? { trace: 'connector trace' } : {}) },
    tasks: tasks.map((state, id) => ({ id, state, worker_id: 'w:8083', ...(state === 'FAILED' ? { trace: `task ${id} trace` } : {}) })),
    type: 'source',
  };
}

const TABLE: [Expectation, StatusState, StatusState[], string][] = [
  ['RUNNING', 'RUNNING', ['RUNNING', 'RUNNING'], 'healthy'],
  ['RUNNING', 'RUNNING', ['RUNNING', 'UNASSIGNED'], 'waiting'],
  ['RUNNING', 'RUNNING', [], 'no-tasks'],
  ['RUNNING', 'UNASSIGNED', [], 'waiting'],
  ['RUNNING', 'RESTARTING', ['RESTARTING'], 'waiting'],
  ['RUNNING', 'PAUSED', ['PAUSED'], 'waiting'],
  ['RUNNING', 'FAILED', [], 'failed: Connector c is FAILED on worker w:8083. | connector trace'],
  ['RUNNING', 'RUNNING', ['RUNNING', 'FAILED', 'FAILED'], "failed: Connector c task 1 is FAILED on worker w:8083 (2 of 3 tasks are FAILED; the trace is task 1's). | task 1 trace"],
  ['PAUSED', 'PAUSED', ['PAUSED'], 'healthy'],
  ['PAUSED', 'PAUSED', [], 'healthy'],
  ['PAUSED', 'PAUSED', ['RUNNING'], 'waiting'],
  ['PAUSED', 'RUNNING', ['RUNNING'], 'waiting'],
  ['PAUSED', 'PAUSED', ['FAILED'], 'failed: Connector c task 0 is FAILED on worker w:8083. | task 0 trace'],
  ['STOPPED', 'STOPPED', [], 'healthy'],
  ['STOPPED', 'STOPPED', ['RUNNING'], 'waiting'],
  ['STOPPED', 'FAILED', [], 'waiting'],
  ['SETTLED', 'RUNNING', ['RUNNING'], 'healthy'],
  ['SETTLED', 'PAUSED', ['PAUSED'], 'healthy'],
  ['SETTLED', 'STOPPED', [], 'healthy'],
  ['SETTLED', 'UNASSIGNED', [], 'waiting'],
  ['SETTLED', 'RUNNING', ['UNASSIGNED'], 'waiting'],
  ['SETTLED', 'RUNNING', ['FAILED'], 'failed: Connector c task 0 is FAILED on worker w:8083. | task 0 trace'],
];

test('judgeStatus', () => {
  for (const [expected, connector, tasks, want] of TABLE) {
    const v = judgeStatus(status(connector, tasks), expected);
    const got = v.kind === 'failed' ? `failed: ${v.message} | ${v.trace}` : v.kind;
    assert.equal(got, want, `${expected} vs connector ${connector} tasks [${tasks.join(',')}]`);
  }
});

test('judgeStatus overlooks tolerated FAILED instances (a restart under way)', () => {
  assert.equal(judgeStatus(status('FAILED', ['FAILED']), 'RUNNING', new Set([-1, 0])).kind, 'waiting');
  assert.equal(judgeStatus(status('RUNNING', ['FAILED', 'FAILED']), 'RUNNING', new Set([0])).kind, 'failed');
});

test('describeStatus', () => {
  assert.equal(describeStatus(undefined), 'no status reported yet');
  assert.equal(describeStatus(status('RUNNING', [])), 'connector RUNNING, no tasks');
  assert.equal(describeStatus(status('RUNNING', ['RUNNING', 'UNASSIGNED', 'RUNNING'])), 'connector RUNNING, 3 tasks (2 RUNNING, 1 UNASSIGNED)');
});

test('waitForHealth after an update: the FAILED status the update replaced is waited out, a new failure is not', async () => {
  const { waitForHealth } = await import('../../src/apply/health.js');
  const { ApplyFailure } = await import('../../src/apply/errors.js');
  const oldFailed = status('RUNNING', ['FAILED']); // task 0 trace: what was seen before the update
  const run = async (answers: ConnectorStateInfo[], timeoutMs = 1000): Promise<unknown> => {
    let i = 0;
    let clock = 0;
    const herder = { connectorStatus: async () => answers[Math.min(i++, answers.length - 1)]!, taskConfigs: async () => [] } as never;
    const ctx = { herder, now: () => clock, sleep: async (ms: number) => void (clock += ms), timeoutMs, pollIntervalMs: 100, zeroTaskGracePolls: 3, onWaiting: () => undefined };
    return waitForHealth('c', 'RUNNING', ctx, { ids: new Set(), polls: 0, replaced: new Map([[0, 'task 0 trace']]) }).then(
      (o) => o,
      (e: unknown) => (e instanceof ApplyFailure ? `${e.code}: ${e.message}` : e),
    );
  };
  // The old generation's FAILED status lingers for a few polls, then the new task runs: healthy, not failed.
  assert.deepEqual(await run([oldFailed, oldFailed, oldFailed, status('RUNNING', ['RUNNING'])]), { connector: 'RUNNING', tasks: ['RUNNING'] });
  // A new failure (another trace) is reported at once.
  const newFailed: ConnectorStateInfo = { ...oldFailed, tasks: [{ id: 0, state: 'FAILED', worker_id: 'w:8083', trace: 'new trace' }] };
  assert.match(String(await run([oldFailed, newFailed])), /^PIPECTL_APPLY_CONNECTOR_FAILED: Connector c task 0 is FAILED/);
  // Once seen in another state, the same trace is a new failure.
  assert.match(String(await run([oldFailed, status('RUNNING', ['UNASSIGNED']), oldFailed])), /^PIPECTL_APPLY_CONNECTOR_FAILED/);
  // The same failure for good: never healthy; the timeout says the status may be the new config failing alike.
  assert.match(String(await run([oldFailed])), /^PIPECTL_APPLY_WAIT_TIMEOUT: .*task 0 still shows the FAILED status it had before the update/);
});
