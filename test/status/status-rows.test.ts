/** The status table's data without a runtime: the Prometheus text reader (escapes, junk) and rows summed over workers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectorStateInfo } from '../../src/herder/types.js';
import type { DesiredState } from '../../src/pipeline-files/desired-state.js';
import type { Plan } from '../../src/plan/types.js';
import { parsePrometheusText } from '../../src/status/prometheus-text.js';
import { buildStatusRows, STATUS_SERIES } from '../../src/status/status-rows.js';

test('the text reader: only the asked series, label escapes undone, comments and malformed lines skipped', () => {
  const text = [
    '# HELP pipectl_sink_partition_lag_records lag',
    '# TYPE pipectl_sink_partition_lag_records gauge',
    'pipectl_sink_partition_lag_records{connector="a\\"b\\\\c",task="0",topic="t",partition="0"} 12',
    'pipectl_sink_partition_lag_records{connector="broken} 3',
    'other_series{connector="x"} 1',
    'garbage line',
    'pipectl_task_restarts_total 4',
  ].join('\n');
  assert.deepEqual(parsePrometheusText(text, STATUS_SERIES), [
    { name: 'pipectl_sink_partition_lag_records', labels: { connector: 'a"b\\c', task: '0', topic: 't', partition: '0' }, value: 12 },
    { name: 'pipectl_task_restarts_total', labels: {}, value: 4 },
  ]);
});

test('rows: rates and lag records summed over the workers, lag seconds the largest; undeclared owned connectors listed; no metrics → nulls', () => {
  const desired = { pipelines: [], topics: [], connectors: [{ name: 'sink', pipeline: 'p', state: 'running', config: {} }] } as unknown as DesiredState;
  const status: ConnectorStateInfo = { name: 'sink', type: 'sink', connector: { state: 'RUNNING', worker_id: 'w1:8083' }, tasks: [{ id: 0, state: 'RUNNING', worker_id: 'w1:8083' }, { id: 1, state: 'FAILED', worker_id: 'w2:8083', trace: 'java.lang.RuntimeException: boom\n\tat x' }] };
  const orphan: ConnectorStateInfo = { name: 'old', type: 'source', connector: { state: 'RUNNING', worker_id: 'w1:8083' }, tasks: [] };
  const plan = { operations: [{ op: 'restart', name: 'sink', reason: 'failed' }, { op: 'delete', name: 'old', role: 'source' }], drift: [] } as unknown as Plan;
  const m = (name: string, labels: Record<string, string>, value: number) => ({ name, labels, value });
  const samples = [
    m('pipectl_connector_records_in_per_second', { connector: 'sink' }, 100),
    m('pipectl_connector_records_in_per_second', { connector: 'sink' }, 50),
    m('pipectl_sink_partition_lag_records', { connector: 'sink', partition: '0' }, 10),
    m('pipectl_sink_partition_lag_records', { connector: 'sink', partition: '1' }, 5),
    m('pipectl_sink_partition_lag_seconds', { connector: 'sink', partition: '0' }, 1.5),
    m('pipectl_sink_partition_lag_seconds', { connector: 'sink', partition: '1' }, 4),
  ];
  const stamped = { 'pipectl.owner': 'shop', 'pipectl.applied.hash': 'h1', 'pipectl.applied.at': '2026-12-06T03:40:00.000Z', 'pipectl.applied.by': 'ana@ci', 'pipectl.applied.commit': 'a'.repeat(40) };
  const rows = buildStatusRows({ desired, statuses: new Map([['sink', status], ['old', orphan]]), configs: new Map([['sink', stamped]]), plan, owned: new Set(['old']), metrics: samples });
  assert.deepEqual(rows.map((r) => [r.connector, r.sync, r.pending.join()]), [['sink', 'changes pending', 'restart'], ['old', 'not declared', 'delete']]);
  const sink = rows[0]!;
  assert.deepEqual([sink.recordsInPerSecond, sink.lagRecords, sink.lagSeconds, sink.tasksRunning, sink.tasksTotal, sink.workers], [150, 15, 4, 1, 2, ['w1:8083', 'w2:8083']]);
  assert.deepEqual(sink.failedTasks, [{ id: 1, workerId: 'w2:8083', trace: 'java.lang.RuntimeException: boom' }]);
  assert.deepEqual(sink.lastApply, { at: '2026-12-06T03:40:00.000Z', by: 'ana@ci', commit: 'a'.repeat(40), project: 'shop', configHash: 'h1' });
  assert.equal(rows[1]!.lastApply, null, 'no pipectl key in its config: never applied by pipectl');
  const bare = buildStatusRows({ desired, statuses: new Map([['sink', status]]), configs: new Map(), plan, owned: new Set(), metrics: null })[0]!;
  assert.deepEqual([bare.recordsInPerSecond, bare.lagRecords, bare.lagSeconds, bare.restarts, bare.lastApply], [null, null, null, null, null]);
});
