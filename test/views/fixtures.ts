/** Hand-built plans for the render tests: every operation kind, secrets, long values, drift, diagnostics. */
import type { DiagnosticCode } from '../../src/diag/codes.js';
import type { Plan, PlanOperation } from '../../src/plan/types.js';

/** Stands for a resolved secret: it must never appear in any rendering. */
export const RESOLVED_SECRET = 'hunter2-resolved-Zq9';

const SCRIPT_BEFORE = ['function route(r) {', '  if (r.value.total > 100) {', '    return "big-orders";', '  }', '  return "orders";', '}', '// 1', '// 2', '// 3', '// 4', '// 5', '// 6', '// 7', '// 8'].join('\n');
const SCRIPT_AFTER = SCRIPT_BEFORE.replace('> 100', '> 500').replace('// 8', '// eight');

export const LONG_BEFORE = 'jdbc:postgresql://db-1.internal.example.com:5432/orders?sslmode=require&applicationName=pipectl';
export const LONG_AFTER = 'jdbc:postgresql://db-2.internal.example.com:5432/orders?sslmode=require&applicationName=pipectl';

const operations: PlanOperation[] = [
  { op: 'create-topic', name: 'orders', pipeline: 'orders', partitions: 3, replicationFactor: 1, config: { 'retention.ms': '604800000', 'cleanup.policy': 'delete' } },
  {
    op: 'update-topic',
    name: 'payments',
    pipeline: 'payments',
    partitions: { from: 3, to: 6 },
    config: { 'retention.ms': '3600000', 'segment.bytes': null },
    changes: [
      { key: 'retention.ms', kind: 'changed', before: '604800000', after: '3600000', sensitive: false },
      { key: 'segment.bytes', kind: 'removed', before: '1048576', sensitive: false },
    ],
  },
  {
    op: 'create',
    name: 'orders-source',
    pipeline: 'orders',
    initialState: 'RUNNING',
    config: { 'connector.class': 'FileStreamSource', file: '/data/orders.txt', topic: 'orders', 'api.token': '${env:ORDERS_TOKEN}', 'tasks.max': '1' },
  },
  {
    op: 'update',
    name: 'orders-sink',
    pipeline: 'orders',
    config: { 'connector.class': 'FileStreamSink', file: '/data/out.txt', topics: 'orders', 'connection.url': LONG_AFTER, 'api.token': '${env:SINK_TOKEN_V2}' },
    adopt: false,
    changes: [
      { key: 'api.token', kind: 'changed', before: '(sensitive)', after: '(sensitive)', sensitive: true },
      { key: 'batch.size', kind: 'removed', before: '100', sensitive: false },
      { key: 'connection.url', kind: 'changed', before: LONG_BEFORE, after: LONG_AFTER, sensitive: false },
      { key: 'errors.tolerance', kind: 'added', after: 'all', sensitive: false },
      { key: 'topics', kind: 'changed', before: 'orders-v1', after: 'orders', sensitive: false },
      { key: 'transforms.route.script', kind: 'changed', before: SCRIPT_BEFORE, after: SCRIPT_AFTER, sensitive: false },
    ],
  },
  {
    op: 'update',
    name: 'legacy-sink',
    pipeline: 'legacy',
    config: { 'connector.class': 'FileStreamSink', 'pipectl.owner': 'shop' },
    adopt: true,
    changes: [{ key: 'pipectl.owner', kind: 'added', after: 'shop', sensitive: false }],
  },
  { op: 'pause', name: 'audit-sink', pipeline: 'audit' },
  { op: 'resume', name: 'audit-source', pipeline: 'audit' },
  { op: 'stop', name: 'archive-sink', pipeline: 'archive' },
  { op: 'restart', name: 'metrics-source', pipeline: 'metrics', reason: 'failed' },
  { op: 'delete', name: 'old-source', role: 'source' },
];

/** A plan with one of everything. */
export function fullPlan(): Plan {
  return {
    formatVersion: 1,
    project: 'shop',
    target: 'http://localhost:8083',
    operations: structuredClone(operations),
    drift: [{ connector: 'orders-sink', keys: ['batch.size', 'topics'] }],
    diagnostics: [
      // Made-up codes (not in the catalogue): the renderers print a code as it is, and the golden files pin these.
      { severity: 'error', code: 'PIPECTL_PLAN_UNOWNED' as DiagnosticCode, summary: 'connector "billing-sink" exists but is not owned by project shop; pass --adopt to take it over', connector: 'billing-sink', pos: { file: 'pipelines/billing.yaml', line: 12, column: 5 } },
      { severity: 'warning', code: 'PIPECTL_PLAN_UNKNOWN_CLASS' as DiagnosticCode, summary: 'connector class Foo is not installed on the runtime' },
    ],
    summary: { create: 1, update: 2, delete: 1, stateChange: 3, restart: 1, createTopic: 1, updateTopic: 1 },
    fingerprints: { desired: 'sha256:aaa', live: 'sha256:bbb' },
  };
}

/** A plan with nothing to do. */
export function emptyPlan(): Plan {
  return {
    formatVersion: 1,
    project: 'shop',
    target: 'http://localhost:8083',
    operations: [],
    drift: [],
    diagnostics: [],
    summary: { create: 0, update: 0, delete: 0, stateChange: 0, restart: 0, createTopic: 0, updateTopic: 0 },
    fingerprints: { desired: 'sha256:aaa', live: 'sha256:aaa' },
  };
}
