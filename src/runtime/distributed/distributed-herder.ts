/**
 * The distributed herder: the Herder API of one worker in a cluster. Every worker answers reads from its view of the
 * config topic and the status topic (so any worker answers for the whole cluster). Reads first read the config topic
 * to its end (one end-offsets round trip, shared by concurrent reads): a client whose write was forwarded to the
 * leader reads it back from this worker at once (Connect answers GETs from a snapshot that may lag). Writes that Connect reserves for
 * the leader (create, update, delete, stop, restart with options, offsets) are performed by the leader and answered
 * by others with RequestTargetError, which the REST edge turns into a forward; pause and resume are written by any
 * worker, as in Connect; a plain restart of a connector or task is sent to the worker that runs it (found from the
 * status topic's worker_id, which is that worker's advertised REST host:port).
 */
import { AlreadyExistsError, ConflictError, NotFoundError, RequestTargetError, ServiceUnavailableError } from '../../herder/errors.js';
import type { CreatedConnector, Herder } from '../../herder/herder.js';
import type {
  ConnectorConfig,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
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
import { changeStoppedConnectorOffsets, listOffsets } from '../herder-base/connector-offsets.js';
import type { PluginCatalog } from '../herder-base/plugin-catalog.js';
import type { ClusterConfigStore, StoredConnector } from '../storage/config/config-store.js';
import type { SourceOffsetStore } from '../storage/offsets/source-offset-store.js';
import type { StatusStore } from '../storage/status/status-store.js';
import type { AssignedWork } from './assigned-work.js';
import type { ClusterMembership } from './cluster-ports.js';
import type { LogHealth } from '../storage/kafka-topics/internal-log.js';
import { StoreError } from '../storage/kafka-topics/store-error.js';

export interface DistributedHerderDeps {
  configStore: ClusterConfigStore;
  statusStore: StatusStore;
  /** Source offsets (the offsets topic); `refresh` reads it to the end before the offsets API answers. */
  offsetStore: SourceOffsetStore;
  dataPlane: DataPlane;
  plugins: PluginCatalog;
  membership: ClusterMembership;
  work: AssignedWork;
  logger: Logger;
  version: string;
  clusterId: string;
  /** This worker's advertised `host:port` (the worker_id of its statuses). */
  workerId: () => string;
  /** How long a leader-only request waits for a rebalance under way to complete before it answers 409 (default 30 s). */
  rebalanceWaitMs?: number;
}

const DEFAULT_REBALANCE_WAIT_MS = 30_000;
/** How long a read waits for the config topic to be read to its end before it answers from the view it has. */
const FRESH_WAIT_MS = 5_000;

const TARGET_OF: Record<InitialState, TargetState> = { RUNNING: 'STARTED', PAUSED: 'PAUSED', STOPPED: 'STOPPED' };
const REBALANCING = 'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.';

export class DistributedHerder extends HerderBase implements Herder {
  private refreshing: Promise<void> | undefined;

  constructor(private readonly deps: DistributedHerderDeps) {
    super(deps);
  }

  protected isReady(): boolean {
    return this.deps.work.ready;
  }

  // --- info --------------------------------------------------------------------------------------------------------

  async connectors(): Promise<string[]> {
    await this.fresh();
    return this.deps.configStore.view().connectors().sort();
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    await this.fresh();
    return this.info(name);
  }

  async connectorConfig(name: string): Promise<ConnectorConfig> {
    await this.fresh();
    return { ...this.config(name) };
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    await this.fresh();
    this.config(name);
    return this.deps.configStore.view().taskConfigs(name).map((config, task) => ({ id: { connector: name, task }, config: { ...config } }));
  }

  // --- config changes (leader) ---------------------------------------------------------------------------------------

  async createConnector(name: string, config: ConnectorConfig, initialState: InitialState = 'RUNNING'): Promise<ConnectorInfo> {
    await this.requireLeader(`create connector ${name}`);
    await this.store('read the config topic', () => this.deps.configStore.refresh());
    if (this.deps.configStore.view().connectorConfig(name)) throw new AlreadyExistsError(`Connector ${name} already exists`);
    const full = validatedConfig(name, config, this.deps.plugins);
    await this.store(`create connector ${name}`, () => this.deps.configStore.putConnectorConfig(name, full, TARGET_OF[initialState]));
    this.deps.logger.info('connector created', { connector: name, initial_state: initialState });
    return { name, config: { ...full }, tasks: [], type: connectorType(full, this.deps.plugins) };
  }

  async putConnectorConfig(name: string, config: ConnectorConfig): Promise<CreatedConnector> {
    await this.requireLeader(`update connector ${name}`);
    await this.store('read the config topic', () => this.deps.configStore.refresh());
    const existed = this.deps.configStore.view().connectorConfig(name) !== undefined;
    const full = validatedConfig(name, config, this.deps.plugins);
    const oldTasks = this.deps.configStore.view().taskConfigs(name).map((_, task) => ({ connector: name, task }));
    await this.store(`update connector ${name}`, () => this.deps.configStore.putConnectorConfig(name, full));
    this.deps.logger.info(existed ? 'connector config updated' : 'connector created', { connector: name });
    return { created: !existed, info: { name, config: { ...full }, tasks: oldTasks, type: connectorType(full, this.deps.plugins) } };
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    await this.requireLeader(`patch connector ${name}`);
    await this.store('read the config topic', () => this.deps.configStore.refresh());
    const merged: ConnectorConfig = { ...this.config(name) };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    return (await this.putConnectorConfig(name, merged)).info;
  }

  async deleteConnector(name: string): Promise<void> {
    await this.requireLeader(`delete connector ${name}`);
    await this.store('read the config topic', () => this.deps.configStore.refresh());
    this.config(name);
    await this.store(`delete connector ${name}`, () => this.deps.configStore.removeConnector(name));
    this.deps.logger.info('connector deleted', { connector: name });
  }

  // --- target states -------------------------------------------------------------------------------------------------

  async pauseConnector(name: string): Promise<void> {
    await this.setTarget(name, 'PAUSED');
  }

  async resumeConnector(name: string): Promise<void> {
    await this.setTarget(name, 'STARTED');
  }

  async stopConnector(name: string): Promise<void> {
    await this.requireLeader(`stop connector ${name}`);
    await this.store('read the config topic', () => this.deps.configStore.refresh());
    this.config(name);
    // As in Connect: the empty task set is written before the STOPPED target state.
    await this.store(`stop connector ${name}`, async () => {
      await this.deps.configStore.putTaskConfigs(name, []);
      await this.deps.configStore.putTargetState(name, 'STOPPED');
    });
    this.deps.logger.info('connector stopped', { connector: name });
  }

  // --- restarts ------------------------------------------------------------------------------------------------------

  async restartConnector(name: string): Promise<void> {
    await this.fresh();
    this.config(name);
    if (this.deps.work.ownsConnector(name)) return this.deps.work.restartConnector(name);
    throw this.ownerTarget(`connector ${name}`, this.deps.statusStore.connector(name)?.workerId);
  }

  async restartTask(name: string, task: number): Promise<void> {
    await this.fresh();
    this.config(name);
    if (!Number.isInteger(task) || task < 0 || task >= this.deps.configStore.view().taskConfigs(name).length) throw new NotFoundError(`Unknown task: ${name}-${task}`);
    if (this.deps.work.ownsTask(name, task)) return this.deps.work.restartTask(name, task);
    throw this.ownerTarget(`task ${name}-${task}`, this.deps.statusStore.task(name, task)?.workerId);
  }

  /** Leader-only, as in Connect: the leader writes a restart request to the config topic; the owners carry it out. */
  async restartConnectorAndTasks(request: RestartRequest): Promise<ConnectorStateInfo> {
    await this.requireLeader(`restart connector ${request.connector}`);
    const { answer } = restartPlan(await this.connectorStatus(request.connector), request);
    await this.store(`restart connector ${request.connector}`, () => this.deps.configStore.putRestartRequest(request));
    return answer;
  }

  // --- status --------------------------------------------------------------------------------------------------------

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    await this.fresh();
    const config = this.deps.configStore.view().connectorConfig(name);
    if (!config) throw new NotFoundError(`No status found for connector ${name}`);
    return connectorStatusOf(name, this.deps.configStore.view().taskConfigs(name).length, connectorType(config, this.deps.plugins), this.deps.statusStore);
  }

  async taskStatus(name: string, task: number): Promise<TaskState> {
    await this.fresh();
    return taskStatusOf(name, task, this.deps.configStore.view().taskConfigs(name).length, this.deps.statusStore);
  }

  // --- offsets -------------------------------------------------------------------------------------------------------

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    this.requireKafka(`read the offsets of connector ${name}`, this.deps.offsetStore.health?.());
    await this.fresh();
    await this.store(`read the offsets of connector ${name}`, async () => this.deps.offsetStore.refresh?.());
    const stored = this.stored(name);
    return listOffsets(name, stored, connectorType(stored.config, this.deps.plugins), this.deps);
  }

  /** The leader writes task configs that the connector's owner generated (a Java Connect worker sends them here). */
  async putTaskConfigs(name: string, configs: readonly Record<string, string>[]): Promise<void> {
    await this.requireLeader(`write task configs of connector ${name}`);
    await this.store('read the config topic', () => this.deps.configStore.refresh());
    this.config(name);
    await this.store(`write task configs of connector ${name}`, () => this.deps.configStore.putTaskConfigs(name, configs));
    this.deps.logger.info('task configs written for another worker', { connector: name, tasks: configs.length });
  }

  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string> {
    return this.changeOffsets(name, offsets, 'altered');
  }

  resetConnectorOffsets(name: string): Promise<string> {
    return this.changeOffsets(name, null, 'reset');
  }

  // --- internals -----------------------------------------------------------------------------------------------------

  private async changeOffsets(name: string, offsets: ConnectorOffsets | null, verb: 'altered' | 'reset'): Promise<string> {
    await this.requireLeader(`change the offsets of connector ${name}`);
    this.requireKafka(`change the offsets of connector ${name}`, this.deps.offsetStore.health?.());
    await this.store(`change the offsets of connector ${name}`, async () => {
      await this.deps.configStore.refresh();
      await this.deps.offsetStore.refresh?.();
    });
    return changeStoppedConnectorOffsets(name, this.stored(name), (c) => this.deps.plugins.findConnector(c), offsets, verb, this.deps);
  }

  private async setTarget(name: string, target: TargetState): Promise<void> {
    const verb = target === 'PAUSED' ? 'pause' : 'resume';
    this.requireKafka(`${verb} connector ${name}`, this.deps.configStore.health?.());
    await this.store(`${verb} connector ${name}`, () => this.deps.configStore.refresh());
    const current = this.deps.configStore.view().targetState(name);
    if (current === undefined) throw new NotFoundError(`Connector ${name} not found`);
    if (current === target) return;
    await this.store(`${verb} connector ${name}`, () => this.deps.configStore.putTargetState(name, target));
    this.deps.logger.info(target === 'PAUSED' ? 'connector paused' : 'connector resumed', { connector: name });
  }

  /**
   * Leader-only operations: elsewhere they are forwarded to the leader. Mid-rebalance the request waits for the
   * rebalance to complete (up to rebalanceWaitMs), as Connect's herder thread runs queued requests only after it;
   * 409 when it does not complete in time, or when no leader is known afterwards.
   */
  private async requireLeader(what: string): Promise<void> {
    this.requireKafka(what, this.deps.configStore.health?.());
    if (!(await this.deps.membership.whenStable(this.deps.rebalanceWaitMs ?? DEFAULT_REBALANCE_WAIT_MS))) throw new RequestTargetError(REBALANCING, undefined);
    const m = this.deps.membership.state();
    if (!m.isLeader) throw new RequestTargetError(`Cannot ${what}: this worker is not the leader`, m.leaderUrl);
  }

  /**
   * Refuses at once, with 503 and the cause, an operation that needs a topic the worker cannot reach now (the broker
   * is down): it would otherwise wait out the store's 30 s budget and answer 500.
   */
  private requireKafka(what: string, health: LogHealth | undefined): void {
    if (health && !health.reachable) throw new ServiceUnavailableError(`Cannot ${what} now: the Kafka cluster cannot be reached (${health.reason}). Try again once it is back.`);
  }

  /** Runs a store operation; a store that failed (the broker went away meanwhile) answers 503 with its message. */
  private async store<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      if (e instanceof StoreError) throw new ServiceUnavailableError(`Cannot ${what} now: the Kafka cluster did not answer in time (${e.message}). The change may still be applied once it is back.`, { cause: e });
      throw e;
    }
  }

  /** The worker that runs an item, from its last status; 409 when nobody is known to run it (e.g. mid-rebalance). */
  private ownerTarget(what: string, workerId: string | undefined): Error {
    if (!workerId || workerId === this.deps.workerId()) return new ConflictError(`Cannot restart ${what}: it is not running on any worker right now, likely because a rebalance is underway`);
    return new RequestTargetError(`Cannot restart ${what} here: it runs on ${workerId}`, `http://${workerId}`);
  }

  /**
   * Reads the config topic to the end (concurrent reads share one round trip), for at most FRESH_WAIT_MS. While the
   * broker cannot be reached, or the read takes longer or fails, the answer comes from the view already read — as
   * Connect answers every read from its snapshot.
   */
  private async fresh(): Promise<void> {
    const health = this.deps.configStore.health?.();
    if (health && !health.reachable) return;
    this.refreshing ??= this.deps.configStore.refresh().finally(() => (this.refreshing = undefined));
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, FRESH_WAIT_MS)));
    try {
      await Promise.race([this.refreshing.catch((e: unknown) => this.deps.logger.debug(`answering from the last view of the config topic: ${String(e)}`)), bound]);
    } finally {
      clearTimeout(timer);
    }
  }

  private config(name: string): ConnectorConfig {
    const config = this.deps.configStore.view().connectorConfig(name);
    if (!config) throw new NotFoundError(`Connector ${name} not found`);
    return config;
  }

  private stored(name: string): StoredConnector {
    const view = this.deps.configStore.view();
    return { config: this.config(name), targetState: view.targetState(name) ?? 'STARTED', taskConfigs: view.taskConfigs(name) };
  }

  private info(name: string): ConnectorInfo {
    const config = this.config(name);
    const tasks = this.deps.configStore.view().taskConfigs(name).map((_, task) => ({ connector: name, task }));
    return { name, config: { ...config }, tasks, type: connectorType(config, this.deps.plugins) };
  }
}
