/**
 * The worker's metrics without a worker: windowed stats against an injected clock, task ratios and lag, and the text
 * exposition — Connect's names, statuses as labels, startup counts, restarts, an empty window left out (not NaN).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TaskMetrics } from '../../../src/runtime/metrics/task-metrics.js';
import { WindowedStat, WINDOW_MS } from '../../../src/runtime/metrics/windowed-stat.js';
import { WorkerMetrics } from '../../../src/runtime/metrics/worker-metrics.js';

const series = (text: string, name: string): string[] => text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

test('a windowed stat: avg, max and rate over the last window only; NaN when empty', () => {
  let now = 1_000_000;
  const stat = new WindowedStat(() => now);
  assert.ok(Number.isNaN(stat.avg()));
  assert.ok(Number.isNaN(stat.max()));
  stat.record(10);
  now += 1000;
  stat.record(30);
  assert.equal(stat.avg(), 20);
  assert.equal(stat.max(), 30);
  assert.equal(stat.rate(), 40); // 40 over the stat's first second
  now += WINDOW_MS - 500; // the first sample leaves the window
  assert.equal(stat.avg(), 30);
  assert.equal(stat.rate(), (30 * 1000) / WINDOW_MS);
  now += 1000;
  assert.ok(Number.isNaN(stat.avg()));
  assert.equal(stat.rate(), 0);
});

test('a task: running and pause ratios over its life; lag per partition in records and seconds, 0 s when caught up', () => {
  let now = 0;
  const t = new TaskMetrics('c', 0, 'sink', () => now);
  now = 1000;
  t.setStatus('RUNNING');
  now = 4000;
  t.setStatus('PAUSED');
  now = 5000;
  assert.equal(t.ratio('RUNNING'), 3000 / 5000);
  assert.equal(t.ratio('PAUSED'), 1000 / 5000);
  t.partitions.set('a\u00000', { topic: 'a', partition: 0, position: 90, endOffset: 100, lastTimestamp: 2000 });
  t.partitions.set('a\u00001', { topic: 'a', partition: 1, position: 50, endOffset: 50, lastTimestamp: 1000 });
  assert.deepEqual(t.lag(), [{ topic: 'a', partition: 0, records: 10, seconds: 3 }, { topic: 'a', partition: 1, records: 0, seconds: 0 }]);
});

test('the exposition: statuses as labels, startup counts, per-task counters, restarts, and no NaN', async () => {
  const m = new WorkerMetrics();
  m.connectorStarting('orders', 'sink', 'io.pipectl.connect.jdbc.PostgresSinkConnector', '1.0');
  m.connectorStatus('orders', 'RUNNING');
  m.connectorStarting('bad', 'source', 'X', '0');
  m.connectorStatus('bad', 'FAILED');
  const t0 = m.taskStarted('orders', 0, 'sink');
  m.taskStatus('orders', 0, 'RUNNING');
  t0.recordRead(500);
  t0.recordPut(480, 12);
  t0.errors.recordErrors = 20;
  m.taskStatus('orders', 0, 'FAILED');
  const t1 = m.taskStarted('orders', 0, 'sink'); // a restart: totals start again
  m.taskStatus('orders', 0, 'RUNNING');
  t1.recordRead(7);
  const text = await m.render();
  assert.deepEqual(series(text, 'kafka_connect_connector_status').sort(), ['kafka_connect_connector_status{connector="bad",status="failed"} 1', 'kafka_connect_connector_status{connector="orders",status="running"} 1']);
  assert.deepEqual(series(text, 'kafka_connect_connector_connector_class'), ['kafka_connect_connector_connector_class{connector="orders",connector_class="io.pipectl.connect.jdbc.PostgresSinkConnector"} 1', 'kafka_connect_connector_connector_class{connector="bad",connector_class="X"} 1']);
  assert.deepEqual(series(text, 'kafka_connect_connector_task_status'), ['kafka_connect_connector_task_status{connector="orders",task="0",status="running"} 1']);
  assert.deepEqual(series(text, 'kafka_connect_worker_connector_startup_failure_total'), ['kafka_connect_worker_connector_startup_failure_total 1']);
  assert.deepEqual(series(text, 'kafka_connect_worker_task_startup_attempts_total'), ['kafka_connect_worker_task_startup_attempts_total 2']);
  assert.deepEqual(series(text, 'kafka_connect_sink_task_sink_record_read_total'), ['kafka_connect_sink_task_sink_record_read_total{connector="orders",task="0"} 7']);
  assert.deepEqual(series(text, 'kafka_connect_task_error_total_record_errors'), ['kafka_connect_task_error_total_record_errors{connector="orders",task="0"} 0']);
  assert.deepEqual(series(text, 'pipectl_task_restarts_total'), ['pipectl_task_restarts_total{connector="orders",task="0"} 1']);
  assert.deepEqual(series(text, 'kafka_connect_sink_task_put_batch_avg_time_ms'), [], 'no put in the window: left out, not NaN');
  assert.deepEqual(series(text, 'kafka_connect_worker_rebalance_rebalancing'), [], 'standalone: no rebalance series');
  // (prom-client's own nodejs_eventloop_lag_* read NaN before their first sample; Prometheus parses that.)
  assert.doesNotMatch(text.split('\n').filter((l) => !l.startsWith('nodejs_')).join('\n'), /\bNa[Nn]\b/);
  m.setRebalanceSource(() => ({ protocol: 'COMPATIBLE', leaderUrl: 'http://w1:8083', epoch: 3, rebalancing: false, completedRebalances: 2, timeSinceLastMs: 10, clientId: 'connect-w1:8083' }));
  const distributed = await m.render();
  assert.deepEqual(series(distributed, 'kafka_connect_worker_rebalance_connect_protocol'), ['kafka_connect_worker_rebalance_connect_protocol{connect_protocol="COMPATIBLE"} 1']);
  assert.deepEqual(series(distributed, 'kafka_connect_coordinator_assigned_connectors'), ['kafka_connect_coordinator_assigned_connectors{clientid="connect-w1:8083"} 2']);
  m.taskRemoved('orders', 0);
  m.connectorRemoved('orders');
  assert.deepEqual(series(await m.render(), 'kafka_connect_connector_task_status'), []);
});

test('connectorActivity (the web view): per connector on this worker, rates summed over its tasks, lag per topic, restarts per task', () => {
  const m = new WorkerMetrics();
  const src = m.taskStarted('src', 0, 'source');
  src.recordPoll(5, 1);
  src.recordWrite(5);
  const a = m.taskStarted('sink', 0, 'sink');
  m.taskStarted('sink', 1, 'sink');
  m.taskStarted('sink', 1, 'sink'); // two restarts of task 1, each a new TaskMetrics
  a.partitions.set('t\u00000', { topic: 't', partition: 0, position: 10, endOffset: 15, lastTimestamp: 0 });
  a.partitions.set('u\u00000', { topic: 'u', partition: 0, position: 0, endOffset: 1, lastTimestamp: 0 });
  const restarted = m.taskStarted('sink', 1, 'sink');
  restarted.partitions.set('t\u00001', { topic: 't', partition: 1, position: 0, endOffset: 2, lastTimestamp: 0 });
  const byName = Object.fromEntries(m.connectorActivity().map((x) => [x.connector, x]));
  assert.deepEqual(Object.keys(byName).sort(), ['sink', 'src']);
  assert.deepEqual([byName['sink']!.kind, byName['sink']!.tasks, byName['sink']!.lagRecords, byName['sink']!.restarts], ['sink', 2, { t: 7, u: 1 }, { '1': 2 }]);
  assert.ok(byName['src']!.inPerSecond > 0 && byName['src']!.outPerSecond > 0);
  assert.deepEqual([byName['src']!.lagRecords, byName['src']!.restarts], [{}, {}]);
  assert.equal(byName['sink']!.inPerSecond, 0, 'an empty window counts as 0, not NaN');
});

test('a task stopped and started again (a restart by REST or by the policy) counts as a restart', async () => {
  const m = new WorkerMetrics();
  m.taskStarted('c', 0, 'sink');
  m.taskRemoved('c', 0);
  m.taskStarted('c', 0, 'sink');
  m.taskStarted('c', 1, 'sink');
  const lines = (await m.render()).split('\n').filter((l) => l.startsWith('pipectl_task_restarts_total{'));
  assert.deepEqual(lines, ['pipectl_task_restarts_total{connector="c",task="0"} 1']);
});
