/**
 * examples/monitoring/grafana-dashboard.json queries only series a worker serves: every metric name in its PromQL is
 * in the exposition of a WorkerMetrics with a connector, a source and a sink task, and distributed mode's series.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { WorkerMetrics } from '../../../src/runtime/metrics/worker-metrics.js';
import { REPO_ROOT } from '../../support/paths.js';

const PROMQL_WORDS = new Set(['sum', 'max', 'min', 'avg', 'by', 'or', 'vector', 'increase', 'rate', 'and', 'on']);

test('the Grafana dashboard queries only series a worker serves', async () => {
  const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', 'monitoring', 'grafana-dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
  const m = new WorkerMetrics();
  m.connectorStarting('c', 'sink', 'X', '1');
  m.taskStarted('c', 0, 'sink');
  m.taskStarted('s', 0, 'source');
  m.setRebalanceSource(() => ({ protocol: 'COMPATIBLE', leaderUrl: 'http://w:8083', epoch: 1, rebalancing: false, completedRebalances: 1, timeSinceLastMs: 1, clientId: 'connect-w:8083' }));
  const served = new Set((await m.render()).split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]!));
  const queried = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => (t.expr.replace(/\{[^}]*\}|\[[^\]]*\]|"[^"]*"/g, '').match(/[a-z_][a-z0-9_]*/g) ?? []).filter((w) => !PROMQL_WORDS.has(w) && !/^(connector|task|status)$/.test(w))));
  assert.ok(queried.length >= 10);
  assert.deepEqual(queried.filter((name) => !served.has(name)), []);
});
