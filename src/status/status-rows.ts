/**
 * `pipectl status`'s table, as data (pure): each declared connector against the live runtime — state, tasks running of
 * total, failed tasks with the first line of their trace, the workers running it, records/s and lag (when the runtime
 * exposes pipectl's metrics), restarts, the last apply, and whether the plan would change it — plus live connectors of this project
 * that are no longer declared.
 */
import type { ConnectorStateInfo } from '../herder/types.js';
import { lastApplyOf } from '../plan/applied-stamp.js';
import type { LastApply } from '../plan/applied-stamp.js';
import type { Plan } from '../plan/types.js';
import type { DesiredState } from '../pipeline-files/desired-state.js';
import type { PromSample } from './prometheus-text.js';

/** What the plan would do to a connector: nothing, a change, or it does not exist yet / is not declared. */
export type Sync = 'in sync' | 'changes pending' | 'drifted' | 'not created' | 'not declared';

export interface FailedTask {
  id: number;
  workerId: string;
  /** The first line of the trace (the exception and its message). */
  trace: string;
}

export interface StatusRow {
  connector: string;
  pipeline: string | null;
  /** The connector's state; null when it does not exist on the runtime. */
  state: string | null;
  tasksRunning: number;
  tasksTotal: number;
  failedTasks: FailedTask[];
  connectorTrace: string | null;
  workers: string[];
  /** Null when the runtime does not expose them (Apache Kafka Connect: JMX only) or the worker could not be read. */
  recordsInPerSecond: number | null;
  recordsOutPerSecond: number | null;
  lagRecords: number | null;
  lagSeconds: number | null;
  restarts: number | null;
  sync: Sync;
  /** The plan's operations for this connector (create, update, resume, restart …). */
  pending: string[];
  /** The last apply that created or changed it (when, by whom, which commit); null when pipectl never applied it. */
  lastApply: LastApply | null;
}

/** What the table is made of: the files, the runtime's statuses and live configs, the plan and the metrics. */
export interface StatusInputs {
  desired: DesiredState;
  statuses: ReadonlyMap<string, ConnectorStateInfo>;
  /** Live configs by connector name (the apply stamp is read from them). */
  configs: ReadonlyMap<string, Readonly<Record<string, string>>>;
  plan: Plan | undefined;
  /** Live connectors owned by this project (listed even when no longer declared). */
  owned: ReadonlySet<string>;
  /** The samples of every worker that runs part of a connector, or null when the runtime has no GET /metrics. */
  metrics: PromSample[] | null;
}

/** The metric series status reads (see src/runtime/metrics/worker-metrics.ts). */
export const STATUS_SERIES = new Set([
  'pipectl_connector_records_in_per_second',
  'pipectl_connector_records_out_per_second',
  'pipectl_sink_partition_lag_records',
  'pipectl_sink_partition_lag_seconds',
  'pipectl_task_restarts_total',
]);

const firstLine = (trace: string | undefined): string => (trace ?? '').split('\n')[0]!.trim();

/** One row per declared or owned connector. Rates and lag records add up across workers; lag seconds is the largest. */
export function buildStatusRows({ desired, statuses, configs, plan, owned, metrics }: StatusInputs): StatusRow[] {
  const rows: StatusRow[] = [];
  const declared = new Set(desired.connectors.map((c) => c.name));
  const names = [...desired.connectors.map((c) => ({ name: c.name, pipeline: c.pipeline as string | null })), ...[...owned].filter((n) => !declared.has(n)).sort().map((name) => ({ name, pipeline: null }))];
  for (const { name, pipeline } of names) {
    const s = statuses.get(name);
    const ops = plan?.operations.filter((o) => o.name === name && !o.op.endsWith('-topic')).map((o) => o.op) ?? [];
    const drifted = plan?.drift.some((d) => d.connector === name) ?? false;
    const sync: Sync = pipeline === null ? 'not declared' : !s ? 'not created' : drifted ? 'drifted' : ops.length > 0 ? 'changes pending' : 'in sync';
    const of = (series: string): PromSample[] => (metrics ?? []).filter((m) => m.name === series && m.labels['connector'] === name);
    const sum = (series: string): number | null => (metrics === null ? null : of(series).reduce((a, m) => a + m.value, 0));
    const isSink = s?.type === 'sink';
    rows.push({
      connector: name,
      pipeline,
      state: s?.connector.state ?? null,
      tasksRunning: s?.tasks.filter((t) => t.state === 'RUNNING').length ?? 0,
      tasksTotal: s?.tasks.length ?? 0,
      failedTasks: (s?.tasks ?? []).filter((t) => t.state === 'FAILED').map((t) => ({ id: t.id, workerId: t.worker_id, trace: firstLine(t.trace) })),
      connectorTrace: s?.connector.state === 'FAILED' ? firstLine(s.connector.trace) : null,
      workers: s ? [...new Set([s.connector.worker_id, ...s.tasks.map((t) => t.worker_id)].filter(Boolean))].sort() : [],
      recordsInPerSecond: s ? sum('pipectl_connector_records_in_per_second') : null,
      recordsOutPerSecond: s ? sum('pipectl_connector_records_out_per_second') : null,
      lagRecords: s && isSink ? sum('pipectl_sink_partition_lag_records') : null,
      lagSeconds: s && isSink && metrics !== null ? Math.max(0, ...of('pipectl_sink_partition_lag_seconds').map((m) => m.value)) : null,
      restarts: s ? sum('pipectl_task_restarts_total') : null,
      sync,
      pending: ops,
      lastApply: s ? lastApplyOf(configs.get(name) ?? {}) : null,
    });
  }
  return rows;
}
