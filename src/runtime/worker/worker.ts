/**
 * The Worker: the data plane side of the runtime. It instantiates connectors, asks them for task configs, runs source
 * and sink tasks, reports statuses, and flushes source offsets every `offset.flush.interval.ms`. It holds no desired
 * state of its own: herders tell it what to run.
 */
import type { ConnectorTaskId, StatusState, TargetState } from '../../herder/types.js';
import type { Converter } from '../../plugins/converter.js';
import { DEFAULT_CONVERTER } from '../../plugins/converter-registry.js';
import type { ConnectorPlugin, SinkTask, SourceTask } from '../../plugins/plugin.js';
import type { DataPlane, Subscription } from '../data-plane/data-plane.js';
import type { Logger } from '../logger.js';
import type { SourceOffsetStore } from '../storage/offsets/source-offset-store.js';
import type { StatusStore } from '../storage/status/status-store.js';
import { errorHandlingConfig, ToleranceOperator } from './error-handling.js';
import { NO_TRANSFORMS, RecordProcessor } from './record-processor.js';
import type { RecordTransformer } from './record-processor.js';
import { InternalError } from '../../diag/internal-error.js';
import { WorkerError } from './worker-error.js';
import { WorkerConnector } from './worker-connector.js';
import type { ConnectorStatusListener } from './worker-connector.js';
import { WorkerSinkTask } from './worker-sink-task.js';
import { WorkerSourceTask } from './worker-source-task.js';
import { TopicCreation, topicCreationGroups } from './topic-creation.js';
import type { WorkerTask } from './worker-task.js';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';

/** The lookup the worker needs from the plugin registry (declared here, where it is consumed). */
export interface ConnectorPluginLookup {
  findConnector(nameOrAlias: string): ConnectorPlugin | undefined;
  /** A task's key or value converter from the connector's config, else the worker's; throws for an unknown class. */
  createConverter(kind: 'key' | 'value', connectorConfig: Readonly<Record<string, string>>, workerConfig: Readonly<Record<string, string>>): Converter;
}

export interface WorkerEvents {
  onConnectorStarted(name: string): void;
  onTaskReconfigurationRequested(name: string): void;
}

/**
 * Sees every task status before the worker stores it (the restart policy, herder-base/task-restarter.ts): it may
 * schedule a restart of a FAILED task, and it gives the restart count and a trace line stored with the status.
 */
export interface TaskStatusObserver {
  onTaskStatus(id: ConnectorTaskId, state: StatusState, connectorConfig: Readonly<Record<string, string>>): { restarts: number; note?: string };
  /** The task was stopped by the worker (any pending restart of it is cancelled). */
  taskRemoved(id: ConnectorTaskId): void;
  /** The worker stops: nothing is restarted any more. */
  close(): void;
}

export interface WorkerOptions {
  /** The worker id shown in statuses (`host:port` of the REST listener); read on every status change. */
  workerId: () => string;
  plugins: ConnectorPluginLookup;
  dataPlane: DataPlane;
  offsetStore: SourceOffsetStore;
  statusStore: StatusStore;
  logger: Logger;
  /** Worker-level settings (converters and their sub-configs). */
  workerConfig: Readonly<Record<string, string>>;
  gracefulTimeoutMs: number;
  offsetFlushIntervalMs: number;
  events: WorkerEvents;
  /** Builds a connector's SMT chain from its config; throws on a bad transform config (the task then fails). */
  transformerFor?: (connectorConfig: Readonly<Record<string, string>>) => RecordTransformer;
  /**
   * Resolves secret references (`${env:…}`, `${file:…}`) in a config just before a plugin receives it. The
   * resolved config is handed to the plugin only: never stored, logged or returned.
   */
  resolveConfig?: (config: Readonly<Record<string, string>>) => Record<string, string>;
  /** Removes resolved secrets from text the worker emits (status traces); logs are redacted by the logger. */
  redact?: (text: string) => string;
  /**
   * The worker's `topic.creation.enable` (default true): source tasks whose connector config has `topic.creation.*`
   * keys create missing topics with those settings before writing to them.
   */
  topicCreationEnable?: boolean;
  /**
   * Distributed mode: false while this worker may no longer own its work (its group session may have expired); source
   * tasks hold their next write until it is true again or they are stopped. Absent: always true.
   */
  assignmentValid?: () => boolean;
  /** Where the worker's and its tasks' metrics go (GET /metrics); absent: none are kept. */
  metrics?: WorkerMetrics;
  /** Watches task statuses to restart failed tasks (the restart policy); absent: a FAILED task stays FAILED. */
  taskStatusObserver?: TaskStatusObserver;
}

const taskKey = (id: ConnectorTaskId): string => `${id.connector}\u0000${id.task}`;

export class Worker {
  private readonly connectors = new Map<string, WorkerConnector>();
  private readonly tasks = new Map<string, WorkerTask>();
  /** Tasks that failed before they could run (no WorkerTask exists for them); cleared when they are stopped or started. */
  private readonly failedAtStart = new Set<string>();
  private readonly flushTimer: NodeJS.Timeout;

  constructor(private readonly options: WorkerOptions) {
    this.flushTimer = setInterval(() => void this.flushOffsets(), options.offsetFlushIntervalMs);
    this.flushTimer.unref();
  }

  /** The metrics GET /metrics serves; undefined when the worker keeps none. */
  get metrics(): WorkerMetrics | undefined {
    return this.options.metrics;
  }

  plugin(connectorClass: string): ConnectorPlugin | undefined {
    return this.options.plugins.findConnector(connectorClass);
  }

  /** Creates the Connector instance and moves it to `target` (a start runs in the background). */
  async startConnector(name: string, config: Readonly<Record<string, string>>, target: TargetState): Promise<void> {
    const existing = this.connectors.get(name);
    if (existing) await existing.shutdown();
    const plugin = this.plugin(config['connector.class'] ?? '');
    if (!plugin) {
      this.connectors.delete(name);
      this.setConnectorStatus(name, 'FAILED', `Connector ${name} failed: no plugin for connector.class=${config['connector.class'] ?? ''}`);
      return;
    }
    let resolved: Record<string, string>;
    try {
      resolved = this.resolve(config);
    } catch (e) {
      this.connectors.delete(name);
      this.setConnectorStatus(name, 'FAILED', `Connector ${name} failed to resolve its config: ${(e as Error).message}`);
      return;
    }
    this.options.metrics?.connectorStarting(name, plugin.kind, config['connector.class'] ?? '', plugin.version ?? 'unknown');
    const connector = new WorkerConnector(name, plugin, config, resolved, this.connectorListener(), this.options.logger, this.options.gracefulTimeoutMs);
    this.connectors.set(name, connector);
    await connector.transitionTo(target);
  }

  async setTargetState(name: string, target: TargetState): Promise<void> {
    for (const task of this.tasksOf(name)) task.setTargetState(target);
    await this.connectors.get(name)?.transitionTo(target);
  }

  /** Restarts only the Connector instance (tasks keep running). */
  async restartConnector(name: string, target: TargetState): Promise<void> {
    const c = this.connectors.get(name);
    if (!c) return;
    await this.startConnector(name, c.config, target);
  }

  async stopConnector(name: string): Promise<void> {
    const c = this.connectors.get(name);
    this.connectors.delete(name);
    this.options.metrics?.connectorRemoved(name);
    await c?.shutdown();
  }

  isConnectorStarted(name: string): boolean {
    return this.connectors.get(name)?.isStarted ?? false;
  }

  failConnector(name: string, error: unknown, what: string): void {
    this.connectors.get(name)?.fail(error, what);
  }

  /**
   * Asks the started connector for at most `maxTasks` task configs, adding `task.class` (and, for sinks, the
   * connector's `topics`/`topics.regex`), as Connect's Worker.connectorTaskConfigs does.
   */
  async connectorTaskConfigs(name: string, maxTasks: number): Promise<Record<string, string>[]> {
    const c = this.connectors.get(name);
    if (!c) throw new WorkerError('PIPECTL_WORKER_CONNECTOR_NOT_RUNNING', `connector ${name} is not running on this worker`);
    const configs = await c.taskConfigs(maxTasks);
    // `tasks.max.enforce=false` (deprecated in Connect) lets a connector generate more tasks than tasks.max.
    if (configs.length > maxTasks && c.config['tasks.max.enforce']?.trim().toLowerCase() !== 'false') throw new WorkerError('PIPECTL_WORKER_TOO_MANY_TASKS', `connector ${name} generated ${configs.length} task configs, more than tasks.max=${maxTasks}`);
    const resolved = this.resolve(c.config);
    return configs.map((tc) => {
      const out: Record<string, string> = { ...reverseTransform(tc, c.config, resolved), 'task.class': c.plugin.taskClassName };
      if (c.plugin.kind === 'sink') {
        for (const k of ['topics', 'topics.regex']) if (c.config[k] !== undefined) out[k] = c.config[k]!;
      }
      return out;
    });
  }

  /** Starts a task with its config; any failure to set it up becomes the task's FAILED status. */
  startTask(id: ConnectorTaskId, connectorConfig: Readonly<Record<string, string>>, taskConfig: Record<string, string>, target: TargetState): void {
    const key = taskKey(id);
    if (this.tasks.has(key)) throw new InternalError(`task ${id.connector}-${id.task} is already running`); // herders stop a task before starting it again
    this.failedAtStart.delete(key);
    let task: WorkerTask;
    try {
      task = this.createTask(id, connectorConfig, taskConfig, target);
    } catch (e) {
      const version = this.plugin(connectorConfig['connector.class'] ?? '')?.version;
      this.failedAtStart.add(key);
      this.putTaskStatus(id, connectorConfig, 'FAILED', version, e instanceof Error ? (e.stack ?? e.message) : String(e));
      return;
    }
    this.tasks.set(key, task);
    task.start();
  }

  /**
   * Stops tasks in parallel, each bounded by the graceful timeout, then flushes the source offsets: what the stopped
   * tasks had acknowledged is stored before anyone else (another worker, a restart) resumes from it.
   */
  async stopTasks(ids: readonly ConnectorTaskId[]): Promise<void> {
    await Promise.all(
      ids.map(async (id) => {
        const task = this.tasks.get(taskKey(id));
        this.tasks.delete(taskKey(id));
        this.failedAtStart.delete(taskKey(id));
        this.options.metrics?.taskRemoved(id.connector, id.task);
        this.options.taskStatusObserver?.taskRemoved(id);
        await task?.stop();
      }),
    );
    if (ids.length > 0) await this.flushOffsets();
  }

  taskIds(connector: string): ConnectorTaskId[] {
    return this.tasksOf(connector).map((t) => t.id);
  }

  hasTask(id: ConnectorTaskId): boolean {
    return this.tasks.has(taskKey(id));
  }

  isTaskFailed(id: ConnectorTaskId): boolean {
    return this.tasks.get(taskKey(id))?.isFailed ?? this.failedAtStart.has(taskKey(id));
  }

  /**
   * Makes every acknowledged source offset durable, then calls the commit() of each running source task with the
   * offsets it had recorded before the flush began (Connect's commitOffsets → SourceTask.commit): a task is never told
   * an offset is committed while it is still only in memory.
   */
  async flushOffsets(): Promise<void> {
    const sources = [...this.tasks.values()].filter((t): t is WorkerSourceTask => t instanceof WorkerSourceTask);
    const recorded = sources.map((task) => ({ task, offsets: task.offsetsRecorded() }));
    try {
      await this.options.offsetStore.flush();
    } catch (e) {
      this.options.logger.error(`offset flush failed: ${(e as Error).message}`);
      return;
    }
    await Promise.all(recorded.map(({ task, offsets }) => task.offsetsFlushed(offsets)));
  }

  /** Stops every task and connector (bounded), then flushes the source offsets. */
  async stop(): Promise<void> {
    clearInterval(this.flushTimer);
    this.options.taskStatusObserver?.close();
    await this.stopTasks([...this.tasks.values()].map((t) => t.id));
    await Promise.all([...this.connectors.keys()].map((n) => this.stopConnector(n)));
    await this.flushOffsets();
  }

  /** Stores a task status, with what the restart policy adds: its restart count, and a line after a FAILED trace. */
  private putTaskStatus(id: ConnectorTaskId, connectorConfig: Readonly<Record<string, string>>, state: StatusState, version: string | undefined, trace?: string): void {
    const seen = this.options.taskStatusObserver?.onTaskStatus(id, state, connectorConfig);
    const full = trace && seen?.note ? `${trace}\n${seen.note}` : (trace ?? seen?.note);
    this.options.statusStore.putTask(id.connector, id.task, {
      state,
      workerId: this.options.workerId(),
      ...(version ? { version } : {}),
      ...(full ? { trace: this.redactText(full) } : {}),
      ...(seen && seen.restarts > 0 ? { restarts: seen.restarts } : {}),
    });
  }

  private redactText(text: string): string {
    return this.options.redact ? this.options.redact(text) : text;
  }

  private resolve(config: Readonly<Record<string, string>>): Record<string, string> {
    return this.options.resolveConfig ? this.options.resolveConfig(config) : { ...config };
  }

  private tasksOf(connector: string): WorkerTask[] {
    return [...this.tasks.values()].filter((t) => t.id.connector === connector).sort((a, b) => a.id.task - b.id.task);
  }

  private createTask(id: ConnectorTaskId, rawConnectorConfig: Readonly<Record<string, string>>, rawTaskConfig: Record<string, string>, target: TargetState): WorkerTask {
    const o = this.options;
    const connectorConfig = this.resolve(rawConnectorConfig);
    const taskConfig = this.resolve(rawTaskConfig);
    const plugin = this.plugin(connectorConfig['connector.class'] ?? '');
    if (!plugin) throw new WorkerError('PIPECTL_WORKER_UNKNOWN_PLUGIN', `no plugin for connector.class=${connectorConfig['connector.class'] ?? ''}`);
    const metrics = o.metrics?.taskStarted(id.connector, id.task, plugin.kind) ?? null;
    const converterClass = (kind: 'key' | 'value'): string => connectorConfig[`${kind}.converter`] ?? o.workerConfig[`${kind}.converter`] ?? DEFAULT_CONVERTER;
    const processor = new RecordProcessor({
      keyConverter: o.plugins.createConverter('key', connectorConfig, o.workerConfig),
      valueConverter: o.plugins.createConverter('value', connectorConfig, o.workerConfig),
      keyConverterClass: converterClass('key'),
      valueConverterClass: converterClass('value'),
      transformer: o.transformerFor ? o.transformerFor(connectorConfig) : NO_TRANSFORMS,
      tolerance: new ToleranceOperator(errorHandlingConfig(connectorConfig), id, o.logger, plugin.kind === 'sink' ? o.dataPlane : undefined, undefined, metrics?.errors),
    });
    const statusListener = {
      onTaskStatus: (tid: ConnectorTaskId, state: StatusState, trace?: string) => {
        o.metrics?.taskStatus(tid.connector, tid.task, state);
        this.putTaskStatus(tid, rawConnectorConfig, state, plugin.version, trace);
      },
    };
    const base = {
      logger: o.logger,
      statusListener,
      metrics,
      gracefulTimeoutMs: o.gracefulTimeoutMs,
      dataPlane: o.dataPlane,
      processor,
    };
    if (plugin.kind === 'source') {
      // Invalid topic.creation.* keys throw here: the task fails at start, as in Connect.
      const groups = topicCreationGroups(connectorConfig, o.topicCreationEnable ?? true);
      const topicCreation = groups ? new TopicCreation(groups, o.dataPlane, o.logger, { connector: id.connector, task: id.task }) : undefined;
      const deps = { ...base, offsetStore: o.offsetStore, producerOverrides: prefixed(connectorConfig, 'producer.override.'), ...(topicCreation ? { topicCreation } : {}), ...(o.assignmentValid ? { assignmentValid: o.assignmentValid } : {}) };
      return new WorkerSourceTask(id, plugin.createTask() as SourceTask, taskConfig, deps, target);
    }
    const subscription: Subscription = connectorConfig['topics.regex'] ? { pattern: new RegExp(`^(?:${connectorConfig['topics.regex']})$`) } : { topics: splitTopics(connectorConfig['topics'] ?? '') };
    return new WorkerSinkTask(
      id,
      plugin.createTask() as SinkTask,
      taskConfig,
      {
        ...base,
        groupId: connectorConfig['consumer.override.group.id'] ?? `connect-${id.connector}`,
        consumerOverrides: prefixed(connectorConfig, 'consumer.override.'),
        subscription,
        offsetFlushIntervalMs: o.offsetFlushIntervalMs,
        maxPollRecords: Number(connectorConfig['consumer.override.max.poll.records'] ?? 2000),
      },
      target,
    );
  }

  private connectorListener(): ConnectorStatusListener {
    return {
      onConnectorStatus: (name, state, trace) => this.setConnectorStatus(name, state, trace),
      onConnectorStarted: (name) => this.options.events.onConnectorStarted(name),
      onTaskReconfigurationRequested: (name) => this.options.events.onTaskReconfigurationRequested(name),
    };
  }

  private setConnectorStatus(name: string, state: StatusState, trace?: string): void {
    this.options.metrics?.connectorStatus(name, state);
    const version = this.connectors.get(name)?.plugin.version;
    this.options.statusStore.putConnector(name, { state, workerId: this.options.workerId(), ...(version ? { version } : {}), ...(trace ? { trace: this.redactText(trace) } : {}) });
  }
}

/**
 * Puts secret references back into task configs (Connect's AbstractHerder.reverseTransform): the connector saw
 * resolved values and may copy them into its task configs, which are stored; a value equal to the resolved value of
 * a key whose stored value is a reference is stored as that reference.
 */
function reverseTransform(taskConfig: Record<string, string>, raw: Readonly<Record<string, string>>, resolved: Readonly<Record<string, string>>): Record<string, string> {
  const out = { ...taskConfig };
  for (const [k, v] of Object.entries(out)) {
    const rawValue = raw[k];
    if (rawValue !== undefined && rawValue !== v && resolved[k] === v) out[k] = rawValue;
  }
  return out;
}

/** The keys of `config` that start with `prefix`, without it (Connect's `producer.override.*` style settings). */
function prefixed(config: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

function splitTopics(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}
