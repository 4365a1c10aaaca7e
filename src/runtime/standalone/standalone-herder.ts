/**
 * The standalone herder: every connector and task on this one worker. Desired state (configs, target states, task
 * configs) lives in its StandaloneConfigStore (in data.dir: the file twin, chosen by standalone-worker.ts); the Worker
 * runs it. Operations are serialised and never wait on plugin code longer than the graceful timeout, so a hanging
 * plugin cannot wedge the control plane.
 */
import { AlreadyExistsError, NotFoundError } from '../../herder/errors.js';
import type { CreatedConnector, Herder } from '../../herder/herder.js';
import type {
  ConnectorConfig,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  ConnectorTaskId,
  ConnectorType,
  InitialState,
  RestartRequest,
  TargetState,
  TaskInfo,
  TaskState,
} from '../../herder/types.js';
import { HerderBase } from '../herder-base/herder-identity.js';
import { connectorStatusOf, connectorType, restartPlan, taskStatusOf, validatedConfig } from '../herder-base/herder-answers.js';
import type { DataPlane } from '../data-plane/data-plane.js';
import type { Logger } from '../logger.js';
import type { StandaloneConfigStore, StoredConnector } from '../storage/config/config-store.js';
import type { SourceOffsetStore } from '../storage/offsets/source-offset-store.js';
import type { StatusStore } from '../storage/status/status-store.js';
import type { Worker } from '../worker/worker.js';
import { changeStoppedConnectorOffsets, listOffsets } from '../herder-base/connector-offsets.js';
import type { PluginCatalog } from '../herder-base/plugin-catalog.js';
import { SerialQueue } from '../herder-base/serial-queue.js';

/** The herder's collaborators; the stores are storage/'s interfaces, their twins chosen by the composition root. */
export interface StandaloneHerderDeps {
  configStore: StandaloneConfigStore;
  statusStore: StatusStore;
  offsetStore: SourceOffsetStore;
  dataPlane: DataPlane;
  plugins: PluginCatalog;
  logger: Logger;
  version: string;
  clusterId: string;
}

/** How long a create waits for the new connector's task configs before it answers without them. */
const TASKS_IN_CREATE_ANSWER_WAIT_MS = 5000;

const TARGET_OF: Record<InitialState, TargetState> = { RUNNING: 'STARTED', PAUSED: 'PAUSED', STOPPED: 'STOPPED' };

export class StandaloneHerder extends HerderBase implements Herder {
  private readonly queue = new SerialQueue();
  private worker!: Worker;
  private ready = false;

  constructor(private readonly deps: StandaloneHerderDeps) {
    super(deps);
  }

  protected isReady(): boolean {
    return this.ready;
  }

  /** Wires the worker (they reference each other: the worker reports connector starts back to the herder). */
  attachWorker(worker: Worker): void {
    this.worker = worker;
  }

  /** Starts every stored connector in its stored target state, with its stored tasks. */
  async start(): Promise<void> {
    for (const name of this.deps.configStore.names()) {
      const stored = this.deps.configStore.get(name)!;
      await this.worker.startConnector(name, stored.config, stored.targetState);
      if (stored.targetState !== 'STOPPED') this.startTasks(name, stored);
    }
  }

  markReady(): void {
    this.ready = true;
  }

  async stop(): Promise<void> {
    this.ready = false;
    await this.queue.run(() => this.worker.stop());
  }

  // --- events from the worker --------------------------------------------------------------------------------

  /** The connector instance started: (re)generate its task configs and (re)start tasks whose configs changed. */
  onConnectorStarted(name: string): void {
    // Nobody awaits this: a failure (e.g. the config store cannot be written) is logged, not an unhandled rejection.
    this.queue.run(() => this.reconfigureTasks(name)).catch((e: unknown) => this.deps.logger.error(`generating the task configs of connector ${name} failed: ${e instanceof Error ? e.message : String(e)}`, { connector: name }));
  }

  // --- Herder: info ------------------------------------------------------------------------------------------

  async connectors(): Promise<string[]> {
    return this.deps.configStore.names();
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    const stored = this.get(name);
    return this.info(name, stored);
  }

  async connectorConfig(name: string): Promise<ConnectorConfig> {
    return { ...this.get(name).config };
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    return this.get(name).taskConfigs.map((config, task) => ({ id: { connector: name, task }, config: { ...config } }));
  }

  // --- Herder: config changes --------------------------------------------------------------------------------

  async createConnector(name: string, config: ConnectorConfig, initialState: InitialState = 'RUNNING'): Promise<ConnectorInfo> {
    await this.queue.run(async () => {
      if (this.deps.configStore.get(name)) throw new AlreadyExistsError(`Connector ${name} already exists`);
      const full = this.validated(name, config);
      const stored: StoredConnector = { config: full, targetState: TARGET_OF[initialState], taskConfigs: [] };
      await this.deps.configStore.put(name, stored);
      this.deps.logger.info('connector created', { connector: name, initial_state: initialState });
      await this.worker.startConnector(name, full, stored.targetState);
    });
    return this.info(name, await this.withGeneratedTasks(name));
  }

  /**
   * Connect's standalone herder answers a create once the connector has started and generated its tasks, so the
   * answer lists them. The start runs in the background here: wait for the task configs, at most a few seconds (a
   * connector that fails, or is created PAUSED/STOPPED, is answered without tasks).
   */
  private async withGeneratedTasks(name: string): Promise<StoredConnector> {
    const deadline = Date.now() + TASKS_IN_CREATE_ANSWER_WAIT_MS;
    for (;;) {
      const stored = this.get(name);
      const status = this.deps.statusStore.connector(name)?.state;
      if (stored.taskConfigs.length > 0 || stored.targetState !== 'STARTED' || status === 'FAILED' || Date.now() > deadline) return stored;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Creates or updates; a create is answered with its generated tasks, as POST /connectors is (and as Connect does). */
  async putConnectorConfig(name: string, config: ConnectorConfig): Promise<CreatedConnector> {
    const result = await this.queue.run(async () => {
      const existing = this.deps.configStore.get(name);
      const full = this.validated(name, config);
      const stored: StoredConnector = { config: full, targetState: existing?.targetState ?? 'STARTED', taskConfigs: existing?.taskConfigs ?? [] };
      const replaced = this.worker.taskIds(name);
      await this.worker.stopTasks(replaced);
      await this.restartingTasksOnFailure(name, existing, () => this.deps.configStore.put(name, stored));
      // The replaced generation no longer runs: its last status (RUNNING, or a FAILED trace) must not pass for the
      // new generation's, which reports once the connector has generated its task configs (a status read after this
      // answer sees UNASSIGNED until then; apply waits on it).
      for (const id of replaced) this.deps.statusStore.putTask(name, id.task, { state: 'UNASSIGNED', workerId: this.deps.statusStore.task(name, id.task)?.workerId ?? '' });
      this.deps.logger.info(existing ? 'connector config updated' : 'connector created', { connector: name });
      await this.worker.startConnector(name, full, stored.targetState);
      return { created: !existing, info: this.info(name, stored) };
    });
    return result.created ? { created: true, info: this.info(name, await this.withGeneratedTasks(name)) } : result;
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    const current = this.get(name).config;
    const merged: ConnectorConfig = { ...current };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    return (await this.putConnectorConfig(name, merged)).info;
  }

  deleteConnector(name: string): Promise<void> {
    return this.queue.run(async () => {
      this.get(name);
      // The record goes first: when it cannot be deleted, the connector is left running, unchanged.
      await this.deps.configStore.remove(name);
      await this.worker.stopTasks(this.worker.taskIds(name));
      await this.worker.stopConnector(name);
      this.deps.statusStore.removeConnector(name);
      this.deps.logger.info('connector deleted', { connector: name });
    });
  }

  // --- Herder: target states ---------------------------------------------------------------------------------

  pauseConnector(name: string): Promise<void> {
    return this.setTarget(name, 'PAUSED');
  }

  resumeConnector(name: string): Promise<void> {
    return this.setTarget(name, 'STARTED');
  }

  stopConnector(name: string): Promise<void> {
    return this.queue.run(async () => {
      const stored = this.get(name);
      // As in Connect: the empty task set is written before the STOPPED target state.
      const ids = this.worker.taskIds(name);
      await this.worker.stopTasks(ids);
      await this.restartingTasksOnFailure(name, stored, () => this.deps.configStore.put(name, { ...stored, targetState: 'STOPPED', taskConfigs: [] }));
      for (let t = 0; t < stored.taskConfigs.length; t++) this.deps.statusStore.removeTask(name, t);
      await this.worker.setTargetState(name, 'STOPPED');
      this.deps.logger.info('connector stopped', { connector: name });
    });
  }

  // --- Herder: restarts --------------------------------------------------------------------------------------

  restartConnector(name: string): Promise<void> {
    return this.queue.run(async () => {
      const stored = this.get(name);
      await this.worker.restartConnector(name, stored.targetState);
      if (!this.worker.isConnectorStarted(name) && stored.targetState === 'STARTED') {
        // A connector that never got an instance (e.g. failed plugin lookup) is started from scratch.
        await this.worker.startConnector(name, stored.config, stored.targetState);
      }
    });
  }

  async restartConnectorAndTasks(request: RestartRequest): Promise<ConnectorStateInfo> {
    const status = await this.connectorStatus(request.connector);
    const { restartConnector, tasks, answer } = restartPlan(status, request);
    await this.queue.run(async () => {
      const stored = this.get(request.connector);
      if (restartConnector) {
        this.deps.statusStore.putConnector(request.connector, { state: 'RESTARTING', workerId: status.connector.worker_id });
        await this.worker.startConnector(request.connector, stored.config, stored.targetState);
      }
      for (const task of tasks) await this.restartOneTask(request.connector, task, stored);
    });
    return answer;
  }

  restartTask(name: string, task: number): Promise<void> {
    return this.queue.run(async () => {
      const stored = this.deps.configStore.get(name);
      if (!stored) throw new NotFoundError(`Unknown connector: ${name}`);
      if (!Number.isInteger(task) || task < 0 || task >= stored.taskConfigs.length) throw new NotFoundError(`Unknown task: ${name}-${task}`);
      await this.restartOneTask(name, task, stored);
    });
  }

  // --- Herder: status ----------------------------------------------------------------------------------------

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const stored = this.deps.configStore.get(name);
    if (!stored) throw new NotFoundError(`No status found for connector ${name}`);
    return connectorStatusOf(name, stored.taskConfigs.length, this.typeOf(stored.config), this.deps.statusStore);
  }

  async taskStatus(name: string, task: number): Promise<TaskState> {
    return taskStatusOf(name, task, this.deps.configStore.get(name)?.taskConfigs.length ?? 0, this.deps.statusStore);
  }

  // --- Herder: offsets ---------------------------------------------------------------------------------------

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    const stored = this.get(name);
    return listOffsets(name, stored, this.typeOf(stored.config), this.deps);
  }

  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string> {
    return this.queue.run(() => this.changeOffsets(name, offsets, 'altered'));
  }

  resetConnectorOffsets(name: string): Promise<string> {
    return this.queue.run(() => this.changeOffsets(name, null, 'reset'));
  }

  // --- internals ---------------------------------------------------------------------------------------------

  private async changeOffsets(name: string, offsets: ConnectorOffsets | null, verb: 'altered' | 'reset'): Promise<string> {
    return changeStoppedConnectorOffsets(name, this.get(name), (c) => this.worker.plugin(c), offsets, verb, this.deps);
  }

  private async setTarget(name: string, target: TargetState): Promise<void> {
    return this.queue.run(async () => {
      const stored = this.get(name);
      if (stored.targetState === target) return;
      await this.deps.configStore.put(name, { ...stored, targetState: target });
      await this.worker.setTargetState(name, target);
      this.deps.logger.info(target === 'PAUSED' ? 'connector paused' : 'connector resumed', { connector: name });
    });
  }

  private async reconfigureTasks(name: string): Promise<void> {
    const stored = this.deps.configStore.get(name);
    if (!stored || stored.targetState !== 'STARTED' || !this.worker.isConnectorStarted(name)) return;
    const maxTasks = Number(stored.config['tasks.max'] ?? '1');
    let configs: Record<string, string>[];
    try {
      configs = await this.worker.connectorTaskConfigs(name, maxTasks);
    } catch (e) {
      this.worker.failConnector(name, e, 'to generate task configs');
      return;
    }
    const running = this.worker.taskIds(name);
    if (JSON.stringify(configs) === JSON.stringify(stored.taskConfigs) && running.length === configs.length) return;
    const updated = { ...stored, taskConfigs: configs };
    await this.deps.configStore.put(name, updated); // when it fails, the old tasks keep running
    await this.worker.stopTasks(running);
    for (let t = configs.length; t < stored.taskConfigs.length; t++) this.deps.statusStore.removeTask(name, t);
    this.deps.logger.info('task configs generated', { connector: name, tasks: configs.length });
    this.startTasks(name, updated);
  }

  /**
   * Runs a config store write that follows stopping a connector's tasks; when the write fails (the record is then
   * unchanged) the tasks of `before` are started again, so a failed request leaves the connector as it was.
   */
  private async restartingTasksOnFailure(name: string, before: StoredConnector | undefined, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (e) {
      if (before && before.targetState !== 'STOPPED') this.startTasks(name, before);
      throw e;
    }
  }

  private startTasks(name: string, stored: StoredConnector): void {
    stored.taskConfigs.forEach((tc, task) => {
      const id: ConnectorTaskId = { connector: name, task };
      if (!this.worker.hasTask(id)) this.worker.startTask(id, stored.config, tc, stored.targetState);
    });
  }

  private async restartOneTask(name: string, task: number, stored: StoredConnector): Promise<void> {
    const id = { connector: name, task };
    this.deps.statusStore.putTask(name, task, { state: 'RESTARTING', workerId: this.deps.statusStore.task(name, task)?.workerId ?? '' });
    await this.worker.stopTasks([id]);
    const tc = stored.taskConfigs[task];
    if (tc) this.worker.startTask(id, stored.config, tc, stored.targetState);
    this.deps.logger.info('task restarted', { connector: name, task });
  }

  private validated(name: string, config: ConnectorConfig): ConnectorConfig {
    return validatedConfig(name, config, this.deps.plugins);
  }

  private get(name: string): StoredConnector {
    const stored = this.deps.configStore.get(name);
    if (!stored) throw new NotFoundError(`Connector ${name} not found`);
    return stored;
  }

  private info(name: string, stored: StoredConnector): ConnectorInfo {
    return { name, config: { ...stored.config }, tasks: stored.taskConfigs.map((_, task) => ({ connector: name, task })), type: this.typeOf(stored.config) };
  }

  private typeOf(config: ConnectorConfig): ConnectorType {
    return connectorType(config, this.deps.plugins);
  }
}
