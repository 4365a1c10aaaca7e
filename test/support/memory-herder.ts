/**
 * An in-memory twin of the Herder for edge tests (REST, plan/apply): connectors, target states, task configs,
 * statuses and offsets in maps, with the typed errors and messages of Kafka Connect. Two plugins are known:
 * MEMORY_SOURCE and MEMORY_SINK. It runs nothing; the real runtime is tested end-to-end elsewhere.
 */
import { AlreadyExistsError, BadRequestError, NotFoundError } from '../../src/herder/errors.js';
import type { CreatedConnector, Herder } from '../../src/herder/herder.js';
import type {
  ConfigInfos,
  ConfigKeyInfo,
  ConnectorConfig,
  ConnectorInfo,
  ConnectorOffset,
  ConnectorOffsets,
  ConnectorStateInfo,
  HealthInfo,
  InitialState,
  PluginInfo,
  RestartRequest,
  ServerInfo,
  StatusState,
  TargetState,
  TaskInfo,
  TaskState,
} from '../../src/herder/types.js';

export const MEMORY_SOURCE = 'org.pipectl.memory.MemorySourceConnector';
export const MEMORY_SINK = 'org.pipectl.memory.MemorySinkConnector';
export const MEMORY_WORKER_ID = 'memory:8083';

const PLUGINS: readonly PluginInfo[] = [
  { class: MEMORY_SINK, type: 'sink', version: '1.0.0' },
  { class: MEMORY_SOURCE, type: 'source', version: '1.0.0' },
  { class: 'org.apache.kafka.connect.json.JsonConverter', type: 'converter', version: '1.0.0' },
  { class: 'org.apache.kafka.connect.transforms.InsertField$Value', type: 'transformation', version: '1.0.0' },
];

function key(name: string, type: ConfigKeyInfo['type'], required: boolean, defaultValue: string | null, order: number): ConfigKeyInfo {
  return {
    name,
    type,
    required,
    default_value: defaultValue,
    importance: 'HIGH',
    documentation: `The ${name} setting.`,
    group: 'Common',
    order,
    width: 'MEDIUM',
    display_name: name,
    dependents: [],
  };
}

const COMMON_KEYS = [key('name', 'STRING', true, null, 1), key('connector.class', 'CLASS', true, null, 2), key('tasks.max', 'INT', false, '1', 3)];
const KEYS: Record<string, ConfigKeyInfo[]> = {
  [MEMORY_SOURCE]: [...COMMON_KEYS, key('topic', 'STRING', false, 'memory', 4)],
  [MEMORY_SINK]: [...COMMON_KEYS, key('topics', 'LIST', false, '', 4), key('topics.regex', 'STRING', false, '', 5)],
};

interface Entry {
  config: ConnectorConfig;
  target: TargetState;
  tasks: ConnectorConfig[];
  /** Stack traces of failed instances: the connector under -1, tasks under their id. */
  failures: Map<number, string>;
  offsets: Map<string, ConnectorOffset>;
}

const TARGET_BY_INITIAL: Record<InitialState, TargetState> = { RUNNING: 'STARTED', PAUSED: 'PAUSED', STOPPED: 'STOPPED' };
const STATE_BY_TARGET: Record<TargetState, StatusState> = { STARTED: 'RUNNING', PAUSED: 'PAUSED', STOPPED: 'STOPPED' };

export class MemoryHerder implements Herder {
  private readonly entries = new Map<string, Entry>();
  /** Herder methods named here return promises that never settle, like a hung plugin. */
  readonly hang = new Set<keyof Herder>();
  /** Every call, by method name, in order. */
  readonly calls: (keyof Herder)[] = [];
  healthInfo: HealthInfo = { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' };

  /** Marks the connector (task = undefined) or a task FAILED with a trace, as a crashed plugin would. */
  fail(name: string, task?: number, trace = 'java.lang.RuntimeException: boom'): void {
    this.entry(name).failures.set(task ?? -1, trace);
  }

  /** Stores offsets as a running connector would have committed them. */
  commitOffsets(name: string, offsets: ConnectorOffset[]): void {
    for (const o of offsets) this.entry(name).offsets.set(JSON.stringify(o.partition), o);
  }

  private run<T>(method: keyof Herder, work: () => T): Promise<T> {
    this.calls.push(method);
    if (this.hang.has(method)) return new Promise<T>(() => {});
    try {
      return Promise.resolve(work());
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new NotFoundError(`Connector ${name} not found`);
    return entry;
  }

  private info(name: string, entry: Entry): ConnectorInfo {
    const type = PLUGINS.find((p) => p.class === entry.config['connector.class'])?.type;
    return {
      name,
      config: { ...entry.config },
      tasks: entry.tasks.map((_, task) => ({ connector: name, task })),
      type: type === 'source' || type === 'sink' ? type : 'unknown',
    };
  }

  private taskConfigsFor(config: ConnectorConfig, target: TargetState): ConnectorConfig[] {
    if (target === 'STOPPED') return [];
    const count = Number(config['tasks.max'] ?? '1');
    const taskClass = (config['connector.class'] ?? '').replace(/Connector$/, 'Task');
    return Array.from({ length: count }, () => ({ ...config, 'task.class': taskClass }));
  }

  /** Validates, then stores the config and regenerates the tasks (clearing failures). */
  private store(name: string, config: ConnectorConfig, target: TargetState): Entry {
    const infos = this.validate(config);
    if (infos.error_count > 0) {
      const errors = infos.configs.flatMap((c) => c.value.errors);
      throw new BadRequestError(
        `Connector configuration is invalid and contains the following ${errors.length} error(s):\n${errors.join('\n')}\n` +
          'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
      );
    }
    const previous = this.entries.get(name);
    const entry: Entry = { config: { ...config }, target, tasks: this.taskConfigsFor(config, target), failures: new Map(), offsets: previous?.offsets ?? new Map() };
    this.entries.set(name, entry);
    return entry;
  }

  private validate(config: ConnectorConfig): ConfigInfos {
    const connectorClass = config['connector.class'] ?? '';
    const keys = KEYS[connectorClass] ?? COMMON_KEYS;
    const configs = keys.map((definition) => {
      const value = config[definition.name] ?? definition.default_value;
      const errors: string[] = [];
      if (definition.required && (value === null || value === '')) {
        errors.push(`Missing required configuration "${definition.name}" which has no default value.`);
      } else if (definition.name === 'connector.class' && !KEYS[connectorClass]) {
        errors.push(`Invalid value ${connectorClass} for configuration connector.class: Class ${connectorClass} could not be found.`);
      } else if (definition.type === 'INT' && !(Number.isInteger(Number(value)) && Number(value) >= 1)) {
        errors.push(`Invalid value ${value} for configuration ${definition.name}: must be an integer of at least 1`);
      } else if (definition.name === 'topics' && !config['topics'] && !config['topics.regex']) {
        errors.push('Must configure one of topics or topics.regex');
      }
      return { definition, value: { name: definition.name, value, recommended_values: [], errors, visible: true } };
    });
    const error_count = configs.reduce((n, c) => n + c.value.errors.length, 0);
    return { name: connectorClass, error_count, groups: ['Common'], configs };
  }

  private status(name: string, entry: Entry): ConnectorStateInfo {
    const state = (id: number, running: StatusState): { state: StatusState; worker_id: string; trace?: string } => {
      const trace = entry.failures.get(id);
      return trace === undefined ? { state: running, worker_id: MEMORY_WORKER_ID } : { state: 'FAILED', worker_id: MEMORY_WORKER_ID, trace };
    };
    const running = STATE_BY_TARGET[entry.target];
    return {
      name,
      connector: state(-1, running),
      tasks: entry.tasks.map((_, id) => ({ id, ...state(id, running) })),
      type: this.info(name, entry).type,
    };
  }

  private requireStopped(name: string): Entry {
    const entry = this.entry(name);
    if (entry.target !== 'STOPPED' || entry.tasks.length > 0) {
      throw new BadRequestError(
        'Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the ' +
          `specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
      );
    }
    return entry;
  }

  serverInfo(): Promise<ServerInfo> {
    return this.run('serverInfo', () => ({ version: '0.1.0', commit: 'memory', kafka_cluster_id: 'memory-cluster' }));
  }
  health(): Promise<HealthInfo> {
    return this.run('health', () => ({ ...this.healthInfo }));
  }
  connectors(): Promise<string[]> {
    return this.run('connectors', () => [...this.entries.keys()].sort());
  }
  connectorInfo(name: string): Promise<ConnectorInfo> {
    return this.run('connectorInfo', () => this.info(name, this.entry(name)));
  }
  connectorConfig(name: string): Promise<ConnectorConfig> {
    return this.run('connectorConfig', () => ({ ...this.entry(name).config }));
  }
  createConnector(name: string, config: ConnectorConfig, initialState: InitialState = 'RUNNING'): Promise<ConnectorInfo> {
    return this.run('createConnector', () => {
      if (this.entries.has(name)) throw new AlreadyExistsError(`Connector ${name} already exists`);
      return this.info(name, this.store(name, config, TARGET_BY_INITIAL[initialState]));
    });
  }
  putConnectorConfig(name: string, config: ConnectorConfig): Promise<CreatedConnector> {
    return this.run('putConnectorConfig', () => {
      const previous = this.entries.get(name);
      const entry = this.store(name, config, previous?.target ?? 'STARTED');
      return { created: previous === undefined, info: this.info(name, entry) };
    });
  }
  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    return this.run('patchConnectorConfig', () => {
      const entry = this.entry(name);
      const merged: ConnectorConfig = { ...entry.config };
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete merged[k];
        else merged[k] = v;
      }
      return this.info(name, this.store(name, merged, entry.target));
    });
  }
  deleteConnector(name: string): Promise<void> {
    return this.run('deleteConnector', () => {
      this.entry(name);
      this.entries.delete(name);
    });
  }
  pauseConnector(name: string): Promise<void> {
    return this.run('pauseConnector', () => {
      const entry = this.entry(name);
      if (entry.target === 'STOPPED') entry.tasks = this.taskConfigsFor(entry.config, 'PAUSED');
      entry.target = 'PAUSED';
    });
  }
  resumeConnector(name: string): Promise<void> {
    return this.run('resumeConnector', () => {
      const entry = this.entry(name);
      if (entry.target === 'STOPPED') entry.tasks = this.taskConfigsFor(entry.config, 'STARTED');
      entry.target = 'STARTED';
    });
  }
  stopConnector(name: string): Promise<void> {
    return this.run('stopConnector', () => {
      const entry = this.entry(name);
      entry.tasks = [];
      entry.target = 'STOPPED';
    });
  }
  restartConnector(name: string): Promise<void> {
    return this.run('restartConnector', () => {
      this.entry(name).failures.delete(-1);
    });
  }
  restartConnectorAndTasks(request: RestartRequest): Promise<ConnectorStateInfo> {
    return this.run('restartConnectorAndTasks', () => {
      const entry = this.entry(request.connector);
      const plan = this.status(request.connector, entry);
      const restart = (s: { state: StatusState }, isTask: boolean): boolean =>
        (!isTask || request.includeTasks) && (!request.onlyFailed || s.state === 'FAILED');
      if (restart(plan.connector, false)) {
        plan.connector.state = 'RESTARTING';
        entry.failures.delete(-1);
      }
      for (const task of plan.tasks) {
        if (!restart(task, true)) continue;
        task.state = 'RESTARTING';
        entry.failures.delete(task.id);
      }
      return plan;
    });
  }
  restartTask(name: string, task: number): Promise<void> {
    return this.run('restartTask', () => {
      const entry = this.entries.get(name);
      if (!entry) throw new NotFoundError(`Unknown connector: ${name}`);
      if (!(task >= 0 && task < entry.tasks.length)) throw new NotFoundError(`Unknown task: ${name}-${task}`);
      entry.failures.delete(task);
    });
  }
  connectorStatus(name: string): Promise<ConnectorStateInfo> {
    return this.run('connectorStatus', () => {
      const entry = this.entries.get(name);
      if (!entry) throw new NotFoundError(`No status found for connector ${name}`);
      return this.status(name, entry);
    });
  }
  taskStatus(name: string, task: number): Promise<TaskState> {
    return this.run('taskStatus', () => {
      const entry = this.entries.get(name);
      const state = entry ? this.status(name, entry).tasks.find((t) => t.id === task) : undefined;
      if (!state) throw new NotFoundError(`No status found for task ${name}-${task}`);
      return state;
    });
  }
  taskConfigs(name: string): Promise<TaskInfo[]> {
    return this.run('taskConfigs', () => this.entry(name).tasks.map((config, task) => ({ id: { connector: name, task }, config: { ...config } })));
  }
  validateConnectorConfig(config: ConnectorConfig): Promise<ConfigInfos> {
    return this.run('validateConnectorConfig', () => this.validate(config));
  }
  plugins(connectorsOnly: boolean): Promise<PluginInfo[]> {
    return this.run('plugins', () => PLUGINS.filter((p) => !connectorsOnly || p.type === 'source' || p.type === 'sink').map((p) => ({ ...p })));
  }
  pluginConfig(pluginName: string): Promise<ConfigKeyInfo[]> {
    return this.run('pluginConfig', () => {
      const simple = (c: string): string => c.slice(c.lastIndexOf('.') + 1);
      const plugin = PLUGINS.find((p) => [p.class, simple(p.class), simple(p.class).replace(/Connector$/, '')].includes(pluginName));
      if (!plugin) throw new NotFoundError(`Unknown plugin ${pluginName}.`);
      return (KEYS[plugin.class] ?? []).map((k) => ({ ...k }));
    });
  }
  connectorOffsets(name: string): Promise<ConnectorOffsets> {
    return this.run('connectorOffsets', () => ({ offsets: [...this.entry(name).offsets.values()] }));
  }
  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string> {
    return this.run('alterConnectorOffsets', () => {
      const entry = this.requireStopped(name);
      for (const o of offsets.offsets) {
        if (o.offset === null) entry.offsets.delete(JSON.stringify(o.partition));
        else entry.offsets.set(JSON.stringify(o.partition), o);
      }
      return 'The offsets for this connector have been altered successfully';
    });
  }
  resetConnectorOffsets(name: string): Promise<string> {
    return this.run('resetConnectorOffsets', () => {
      this.requireStopped(name).offsets.clear();
      return 'The offsets for this connector have been reset successfully';
    });
  }
}
