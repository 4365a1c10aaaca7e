/**
 * The worker's Prometheus metrics (GET /metrics, the text exposition format, through prom-client). Names follow the
 * JMX-exporter rules Strimzi ships for Kafka Connect (`kafka_connect_<group>_<attribute>`, with `connector` / `task`
 * labels), so dashboards and alerts written for Connect work unchanged; what Connect lacks is named `pipectl_…`.
 * Nothing here runs on the record path: every series is computed when scraped, from TaskMetrics and the statuses the
 * worker reports.
 */
import client from 'prom-client';
import type { StatusState } from '../../herder/types.js';
import { TaskMetrics } from './task-metrics.js';

export const METRICS_CONTENT_TYPE = client.Registry.PROMETHEUS_CONTENT_TYPE;

interface ConnectorInfo {
  status: StatusState;
  type: 'source' | 'sink' | 'unknown';
  className: string;
  version: string;
}

/** What distributed mode knows about its group (connect-worker-rebalance-metrics, connect-coordinator-metrics). */
export interface RebalanceInfo {
  /** Upper case, as Connect's enum name: COMPATIBLE, SESSIONED. */
  protocol: string;
  leaderUrl: string;
  epoch: number;
  rebalancing: boolean;
  completedRebalances: number;
  /** Since the last completed rebalance; Infinity before the first. */
  timeSinceLastMs: number;
  /** The group member's client id (`connect-<worker id>`, as Connect names it when client.id is empty). */
  clientId: string;
}

/** What this worker's tasks of one connector do now (the web view's edges); see WorkerMetrics.connectorActivity. */
export interface ConnectorActivity {
  connector: string;
  kind: 'source' | 'sink';
  /** Tasks of the connector running on this worker. */
  tasks: number;
  /** Records/s into the tasks: polled from the source system, or read from the log by a sink. */
  inPerSecond: number;
  /** Records/s out of the tasks: written to the log by a source, or handed to put() by a sink. */
  outPerSecond: number;
  /** A sink's records behind the log end, summed over its partitions, per topic; empty for a source. */
  lagRecords: Record<string, number>;
  /** Restarts per task id on this worker since it started (task ids that never restarted are left out). */
  restarts: Record<string, number>;
}

type Labels = Record<string, string | number>;
type Sample = [Labels, number];

/** Connect's per-connector task counts; `destroyed` (a task being removed) has no state of its own here: always 0. */
const TASK_COUNTS: readonly [string, StatusState | null][] = [['running', 'RUNNING'], ['paused', 'PAUSED'], ['failed', 'FAILED'], ['unassigned', 'UNASSIGNED'], ['destroyed', null], ['restarting', 'RESTARTING']];

const taskLabels = (t: TaskMetrics): Labels => ({ connector: t.connector, task: String(t.task) });

export class WorkerMetrics {
  readonly registry = new client.Registry();
  private readonly tasks = new Map<string, TaskMetrics>();
  private readonly connectors = new Map<string, ConnectorInfo>();
  private readonly startups = { connector: { attempts: 0, success: 0, failure: 0 }, task: { attempts: 0, success: 0, failure: 0 } };
  /** Restarts per task id, kept across the task's TaskMetrics (a restart makes a new one). */
  private readonly restarts = new Map<string, number>();
  /** Task ids this worker has started since it started: a later start of one is a restart. */
  private readonly everStarted = new Set<string>();
  /** Restarts made by the restart policy per task id (a subset of `restarts`). */
  private readonly policyRestarts = new Map<string, number>();
  private rebalance: (() => RebalanceInfo) | null = null;

  constructor() {
    client.collectDefaultMetrics({ register: this.registry });
    this.defineWorker();
    this.defineConnectors();
    this.defineTasks();
    this.defineSourceTasks();
    this.defineSinkTasks();
    this.defineTaskErrors();
    this.definePipectl();
  }

  /** The text exposition of every series. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** Distributed mode: where the rebalance and coordinator metrics come from (they exist only then). */
  setRebalanceSource(source: () => RebalanceInfo): void {
    if (!this.rebalance) this.defineRebalance();
    this.rebalance = source;
  }

  /** A task starts: its counters begin (a restart begins them again, as in Connect). */
  taskStarted(connector: string, task: number, kind: 'source' | 'sink'): TaskMetrics {
    const key = `${connector}\u0000${task}`;
    const metrics = new TaskMetrics(connector, task, kind);
    // A task started again after it ran here (a restart stops it first, so it is no longer in `tasks`).
    if (this.everStarted.has(key)) this.restarts.set(key, (this.restarts.get(key) ?? 0) + 1);
    this.everStarted.add(key);
    this.tasks.set(key, metrics);
    this.startups.task.attempts++;
    return metrics;
  }

  /** A task's new state; its first RUNNING or FAILED after UNASSIGNED ends its startup (Connect's startup metrics). */
  taskStatus(connector: string, task: number, status: StatusState): void {
    const t = this.tasks.get(`${connector}\u0000${task}`);
    if (!t) return;
    if (t.status === 'UNASSIGNED' && (status === 'RUNNING' || status === 'PAUSED')) this.startups.task.success++;
    if (t.status === 'UNASSIGNED' && status === 'FAILED') this.startups.task.failure++;
    t.setStatus(status);
  }

  /** The restart policy restarts a failed task (counted apart from other restarts: a person's or a rebalance's). */
  taskPolicyRestart(connector: string, task: number): void {
    const key = `${connector}\u0000${task}`;
    this.policyRestarts.set(key, (this.policyRestarts.get(key) ?? 0) + 1);
  }

  taskRemoved(connector: string, task: number): void {
    this.tasks.delete(`${connector}\u0000${task}`);
  }

  connectorStarting(name: string, type: ConnectorInfo['type'], className: string, version: string): void {
    this.connectors.set(name, { status: 'UNASSIGNED', type, className, version });
    this.startups.connector.attempts++;
  }

  connectorStatus(name: string, status: StatusState): void {
    const c = this.connectors.get(name);
    if (!c) return;
    if (c.status === 'UNASSIGNED' && status === 'RUNNING') this.startups.connector.success++;
    if (c.status === 'UNASSIGNED' && status === 'FAILED') this.startups.connector.failure++;
    c.status = status;
  }

  connectorRemoved(name: string): void {
    this.connectors.delete(name);
  }

  /**
   * Per connector with a task on this worker, its rates, lag and restarts, read now (the same numbers GET /metrics
   * exports as pipectl_connector_records_*_per_second, pipectl_sink_partition_lag_records and pipectl_task_restarts_total).
   * An empty rate window counts as 0 here. Read-only.
   */
  connectorActivity(): ConnectorActivity[] {
    const rate = (v: number): number => (Number.isNaN(v) ? 0 : v);
    return this.byConnector().map(([connector, ts]) => {
      const lagRecords: Record<string, number> = {};
      for (const t of ts) if (t.kind === 'sink') for (const l of t.lag()) lagRecords[l.topic] = (lagRecords[l.topic] ?? 0) + l.records;
      const restarts: Record<string, number> = {};
      for (const t of ts) {
        const n = this.restarts.get(`${connector}\u0000${t.task}`);
        if (n) restarts[String(t.task)] = n;
      }
      const kind = ts[0]!.kind;
      return {
        connector, kind, tasks: ts.length, lagRecords, restarts,
        inPerSecond: ts.reduce((sum, t) => sum + rate(t.recordsInPerSecond()), 0),
        outPerSecond: ts.reduce((sum, t) => sum + rate(t.recordsOutPerSecond()), 0),
      };
    });
  }

  private all(): TaskMetrics[] {
    return [...this.tasks.values()];
  }

  private gauge(name: string, help: string, labelNames: string[], samples: () => Sample[]): void {
    new client.Gauge({
      name, help, labelNames, registers: [this.registry],
      collect() {
        this.reset();
        // An empty window has no value (Connect says NaN): the series is left out rather than exported as NaN.
        for (const [labels, value] of samples()) if (!Number.isNaN(value)) this.set(labels, value);
      },
    });
  }

  private counter(name: string, help: string, labelNames: string[], samples: () => Sample[]): void {
    new client.Counter({
      name, help, labelNames, registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, value] of samples()) this.inc(labels, value);
      },
    });
  }

  /** One series per task of `kind` (or every task), labelled connector and task. */
  private perTask(name: string, help: string, value: (t: TaskMetrics) => number, kind?: 'source' | 'sink', type: 'gauge' | 'counter' = 'gauge'): void {
    const samples = (): Sample[] => this.all().filter((t) => !kind || t.kind === kind).map((t) => [taskLabels(t), value(t)]);
    if (type === 'counter') this.counter(name, help, ['connector', 'task'], samples);
    else this.gauge(name, help, ['connector', 'task'], samples);
  }

  private defineWorker(): void {
    this.gauge('kafka_connect_worker_connector_count', 'Connectors run by this worker (connect-worker-metrics connector-count).', [], () => [[{}, this.connectors.size]]);
    this.gauge('kafka_connect_worker_task_count', 'Tasks run by this worker (connect-worker-metrics task-count).', [], () => [[{}, this.tasks.size]]);
    for (const kind of ['connector', 'task'] as const) {
      for (const what of ['attempts', 'success', 'failure'] as const) {
        this.counter(`kafka_connect_worker_${kind}_startup_${what}_total`, `${kind} startup ${what} on this worker (connect-worker-metrics ${kind}-startup-${what}-total).`, [], () => [[{}, this.startups[kind][what]]]);
      }
      for (const what of ['success', 'failure'] as const) {
        this.gauge(`kafka_connect_worker_${kind}_startup_${what}_percentage`, `Fraction of ${kind} startups that ended in ${what} (0 to 1).`, [], () => {
          const s = this.startups[kind];
          return [[{}, s.attempts === 0 ? 0 : s[what] / s.attempts]];
        });
      }
    }
    this.gauge('kafka_connect_worker_connector_total_task_count', 'Tasks of the connector on this worker.', ['connector'], () => this.byConnector().map(([c, ts]) => [{ connector: c }, ts.length]));
    for (const [name, state] of TASK_COUNTS) {
      this.gauge(`kafka_connect_worker_connector_${name}_task_count`, `Tasks of the connector on this worker that are ${name}.`, ['connector'], () => this.byConnector().map(([c, ts]) => [{ connector: c }, ts.filter((t) => t.status === state).length]));
    }
  }

  private byConnector(): [string, TaskMetrics[]][] {
    const out = new Map<string, TaskMetrics[]>();
    for (const t of this.all()) {
      let list = out.get(t.connector);
      if (!list) out.set(t.connector, (list = []));
      list.push(t);
    }
    return [...out];
  }

  private defineConnectors(): void {
    const each = (pick: (c: ConnectorInfo) => Labels): (() => Sample[]) => () => [...this.connectors].map(([name, c]) => [{ connector: name, ...pick(c) }, 1]);
    this.gauge('kafka_connect_connector_status', 'Connector state on this worker, as a label (value 1).', ['connector', 'status'], each((c) => ({ status: c.status.toLowerCase() })));
    this.gauge('kafka_connect_connector_connector_class', 'Connector class, as a label (value 1).', ['connector', 'connector_class'], each((c) => ({ connector_class: c.className })));
    this.gauge('kafka_connect_connector_connector_type', 'Connector type, as a label (value 1).', ['connector', 'connector_type'], each((c) => ({ connector_type: c.type })));
    this.gauge('kafka_connect_connector_connector_version', 'Connector version, as a label (value 1).', ['connector', 'connector_version'], each((c) => ({ connector_version: c.version })));
  }

  private defineTasks(): void {
    this.gauge('kafka_connect_connector_task_status', 'Task state on this worker, as a label (value 1).', ['connector', 'task', 'status'], () => this.all().map((t) => [{ ...taskLabels(t), status: t.status.toLowerCase() }, 1]));
    this.perTask('kafka_connect_connector_task_running_ratio', 'Fraction of the task\'s life spent running.', (t) => t.ratio('RUNNING'));
    this.perTask('kafka_connect_connector_task_pause_ratio', 'Fraction of the task\'s life spent paused.', (t) => t.ratio('PAUSED'));
    this.perTask('kafka_connect_connector_task_batch_size_avg', 'Records per batch, average over the window.', (t) => t.batchSize.avg());
    this.perTask('kafka_connect_connector_task_batch_size_max', 'Records per batch, maximum over the window.', (t) => t.batchSize.max());
    this.perTask('kafka_connect_connector_task_offset_commit_avg_time_ms', 'Offset commit time, average over the window.', (t) => t.offsetCommitTime.avg());
    this.perTask('kafka_connect_connector_task_offset_commit_max_time_ms', 'Offset commit time, maximum over the window.', (t) => t.offsetCommitTime.max());
  }

  private defineSourceTasks(): void {
    this.perTask('kafka_connect_source_task_source_record_poll_total', 'Records returned by poll(), before transforms.', (t) => t.pollTotal, 'source', 'counter');
    this.perTask('kafka_connect_source_task_source_record_write_total', 'Records written to the log after transforms.', (t) => t.writeTotal, 'source', 'counter');
    this.perTask('kafka_connect_source_task_source_record_poll_rate', 'Records returned by poll() per second.', (t) => t.polled.rate(), 'source');
    this.perTask('kafka_connect_source_task_source_record_write_rate', 'Records written to the log per second.', (t) => t.written.rate(), 'source');
    this.perTask('kafka_connect_source_task_poll_batch_avg_time_ms', 'Time to poll and convert a batch, average over the window.', (t) => t.pollBatchTime.avg(), 'source');
    this.perTask('kafka_connect_source_task_poll_batch_max_time_ms', 'Time to poll and convert a batch, maximum over the window.', (t) => t.pollBatchTime.max(), 'source');
  }

  private defineSinkTasks(): void {
    this.perTask('kafka_connect_sink_task_sink_record_read_total', 'Records read from the log, before transforms.', (t) => t.readTotal, 'sink', 'counter');
    this.perTask('kafka_connect_sink_task_sink_record_send_total', 'Records handed to put(), after transforms.', (t) => t.sendTotal, 'sink', 'counter');
    this.perTask('kafka_connect_sink_task_offset_commit_completion_total', 'Offset commits completed.', (t) => t.offsetCommitCompletionTotal, 'sink', 'counter');
    this.perTask('kafka_connect_sink_task_sink_record_read_rate', 'Records read from the log per second.', (t) => t.read.rate(), 'sink');
    this.perTask('kafka_connect_sink_task_sink_record_send_rate', 'Records handed to put() per second.', (t) => t.sent.rate(), 'sink');
    this.perTask('kafka_connect_sink_task_offset_commit_completion_rate', 'Offset commits completed per second.', (t) => t.offsetCommitCompletions.rate(), 'sink');
    this.perTask('kafka_connect_sink_task_offset_commit_seq_no', 'Offset commits attempted.', (t) => t.offsetCommitSeqNo, 'sink');
    this.perTask('kafka_connect_sink_task_put_batch_avg_time_ms', 'Time in put(), average over the window.', (t) => t.putBatchTime.avg(), 'sink');
    this.perTask('kafka_connect_sink_task_put_batch_max_time_ms', 'Time in put(), maximum over the window.', (t) => t.putBatchTime.max(), 'sink');
    this.perTask('kafka_connect_sink_task_partition_count', 'Partitions assigned to the task.', (t) => t.partitions.size, 'sink');
    this.perTask('kafka_connect_sink_task_sink_record_lag_max', 'Largest lag in records of the task\'s partitions.', (t) => Math.max(0, ...t.lag().map((l) => l.records)), 'sink');
  }

  private defineTaskErrors(): void {
    const e = (name: string, help: string, pick: (t: TaskMetrics) => number): void => this.perTask(`kafka_connect_task_error_${name}`, help, pick);
    e('total_record_failures', 'Failed attempts of record operations, retries included.', (t) => t.errors.recordFailures);
    e('total_record_errors', 'Records whose failure retries did not recover.', (t) => t.errors.recordErrors);
    e('total_records_skipped', 'Records skipped because of a tolerated error.', (t) => t.errors.recordsSkipped);
    e('total_retries', 'Retries of record operations.', (t) => t.errors.retries);
    e('total_errors_logged', 'Errors written to the log (errors.log.enable).', (t) => t.errors.errorsLogged);
    e('deadletterqueue_produce_requests', 'Records written to the dead letter queue.', (t) => t.errors.dlqProduceRequests);
    e('deadletterqueue_produce_failures', 'Failed writes to the dead letter queue.', (t) => t.errors.dlqProduceFailures);
    e('last_error_timestamp', 'Epoch ms of the last error (0: none).', (t) => t.errors.lastErrorTimestamp);
  }

  /** What Connect lacks: consumer lag per sink partition, records/s per connector, restarts. */
  private definePipectl(): void {
    const lag = (pick: (l: ReturnType<TaskMetrics['lag']>[number]) => number): (() => Sample[]) => () =>
      this.all().filter((t) => t.kind === 'sink').flatMap((t) => t.lag().map((l): Sample => [{ ...taskLabels(t), topic: l.topic, partition: String(l.partition) }, pick(l)]));
    this.gauge('pipectl_sink_partition_lag_records', 'Records between the sink task\'s position and the end of the partition.', ['connector', 'task', 'topic', 'partition'], lag((l) => l.records));
    this.gauge('pipectl_sink_partition_lag_seconds', 'Age of the last record the sink task took while it is behind (0 when caught up): an upper bound of the age of the oldest record not yet taken.', ['connector', 'task', 'topic', 'partition'], lag((l) => l.seconds));
    const perConnector = (pick: (t: TaskMetrics) => number): (() => Sample[]) => () => this.byConnector().map(([c, ts]) => [{ connector: c }, ts.reduce((sum, t) => sum + pick(t), 0)]);
    this.gauge('pipectl_connector_records_in_per_second', 'Records per second into the connector\'s tasks on this worker: polled from the source system, or read from the log by a sink.', ['connector'], perConnector((t) => t.recordsInPerSecond()));
    this.gauge('pipectl_connector_records_out_per_second', 'Records per second out of the connector\'s tasks on this worker: written to the log by a source, or handed to put() by a sink.', ['connector'], perConnector((t) => t.recordsOutPerSecond()));
    const perTask = (counts: Map<string, number>) => (): Sample[] => [...counts].map(([key, n]) => {
      const [connector, task] = key.split('\u0000') as [string, string];
      return [{ connector, task }, n];
    });
    this.counter('pipectl_task_restarts_total', 'Restarts of the task on this worker since the worker started.', ['connector', 'task'], perTask(this.restarts));
    this.counter('pipectl_task_policy_restarts_total', 'Restarts of the failed task by its restart policy (pipectl.restart.*) on this worker since the worker started.', ['connector', 'task'], perTask(this.policyRestarts));
  }

  private defineRebalance(): void {
    const info = (): RebalanceInfo => this.rebalance!();
    const r = (name: string, help: string, pick: (i: RebalanceInfo) => number): void => this.gauge(`kafka_connect_worker_rebalance_${name}`, help, [], () => [[{}, pick(info())]]);
    r('epoch', 'Generation of the group.', (i) => i.epoch);
    r('rebalancing', '1 while a rebalance is in progress.', (i) => (i.rebalancing ? 1 : 0));
    r('time_since_last_rebalance_ms', 'Since the last completed rebalance (+Inf before the first).', (i) => i.timeSinceLastMs);
    this.counter('kafka_connect_worker_rebalance_completed_rebalances_total', 'Rebalances completed by this worker.', [], () => [[{}, info().completedRebalances]]);
    this.gauge('kafka_connect_worker_rebalance_connect_protocol', 'The group protocol, as a label (value 1).', ['connect_protocol'], () => [[{ connect_protocol: info().protocol }, 1]]);
    this.gauge('kafka_connect_worker_rebalance_leader_name', 'The leader\'s URL, as a label (value 1).', ['leader_name'], () => [[{ leader_name: info().leaderUrl }, 1]]);
    this.gauge('kafka_connect_coordinator_assigned_connectors', 'Connectors assigned to this worker.', ['clientid'], () => [[{ clientid: info().clientId }, this.connectors.size]]);
    this.gauge('kafka_connect_coordinator_assigned_tasks', 'Tasks assigned to this worker.', ['clientid'], () => [[{ clientid: info().clientId }, this.tasks.size]]);
  }
}
