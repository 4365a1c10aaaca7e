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
