/**
 * The work this worker runs in a distributed cluster: the connectors and tasks the group assigned to it, kept in step
 * with the config topic. It reacts to three sources, one at a time (a serial queue): rebalances (stop what was
 * revoked, start what was assigned), config-topic changes written by any worker (a new config restarts an owned
 * connector; new task configs restart owned tasks; a target state is applied to what runs here; restart requests are
 * carried out by the owner), and the Worker (a started connector generates its task configs; when they differ from
 * the committed ones, the leader writes them: this worker itself when it leads, else the leader it sends them to,
 * as Connect does, over a KIP-507 signed request — task-config-sender.ts).
 */
import type { ConnectorTaskId, RestartRequest } from '../../herder/types.js';
import type { Logger } from '../logger.js';
import { SerialQueue } from '../herder-base/serial-queue.js';
import type { StatusStore } from '../storage/status/status-store.js';
import type { Worker } from '../worker/worker.js';
import type { AssignmentListener, WorkItem } from './cluster-ports.js';
import type { ClusterConfigStore, ConfigChangeListener } from '../storage/config/config-store.js';
import type { ConnectorConfig } from '../../herder/types.js';
import type { TaskConfigRoute, TaskConfigSender } from './task-config-sender.js';

export interface AssignedWorkDeps {
  configStore: ClusterConfigStore;
  statusStore: StatusStore;
  logger: Logger;
  /** Asked for a rebalance when the set of work changed (connector added or removed, task count changed). */
  requestRebalance: () => void;
  /** Whether this worker leads the group now (the leader asks for rebalances after config changes). */
  isLeader: () => boolean;
  /** Sends task configs to the leader when this worker does not lead; absent: this worker writes them itself. */
  sender?: Pick<TaskConfigSender, 'publish'>;
  /** A session key record was read from the config topic (the leader's rotation checks it). */
  onSessionKey?: () => void;
}

const taskKey = (connector: string, task: number): string => `${connector}\u0000${task}`;

export class AssignedWork implements AssignmentListener, ConfigChangeListener {
  private readonly queue = new SerialQueue();
  private worker!: Worker;
  private readonly connectors = new Set<string>();
  private readonly tasks = new Map<string, ConnectorTaskId>();
  /** Connectors known from the config topic, to tell a new connector (rebalance) from an updated one (restart). */
  private readonly known = new Set<string>();
  private assignedOnce = false;

  constructor(private readonly deps: AssignedWorkDeps) {}

  attachWorker(worker: Worker): void {
    this.worker = worker;
    for (const name of this.deps.configStore.view().connectors()) this.known.add(name);
  }

  /** True once the first rebalance completed (the worker is ready then). */
  get ready(): boolean {
    return this.assignedOnce;
  }

  ownsConnector(name: string): boolean {
    return this.connectors.has(name);
  }

  ownsTask(name: string, task: number): boolean {
    return this.tasks.has(taskKey(name, task));
  }

  // --- rebalances ----------------------------------------------------------------------------------------------

  onAssignment(change: { assigned: WorkItem[]; revoked: WorkItem[]; generation: number }): Promise<void> {
    return this.queue.run(async () => {
      await this.stopItems(change.revoked);
      await this.deps.configStore.refresh();
      const view = this.deps.configStore.view();
      for (const item of change.assigned) {
        if (item.task === undefined) {
          this.connectors.add(item.connector);
          const config = view.connectorConfig(item.connector);
          if (config) await this.worker.startConnector(item.connector, config, view.targetState(item.connector) ?? 'STARTED');
        } else {
          this.tasks.set(taskKey(item.connector, item.task), { connector: item.connector, task: item.task });
          this.startTask(item.connector, item.task);
        }
      }
      this.assignedOnce = true;
      if (change.assigned.length + change.revoked.length > 0) {
        this.deps.logger.info('assignment applied', { generation: change.generation, assigned: describe(change.assigned), revoked: describe(change.revoked) });
      }
    });
  }

  onAssignmentLost(): Promise<void> {
    return this.queue.run(async () => {
      const all: WorkItem[] = [...[...this.connectors].map((connector) => ({ connector })), ...this.tasks.values()];
      if (all.length > 0) this.deps.logger.warn('group membership lost: stopping everything this worker runs', { items: all.length });
      await this.stopItems(all);
    });
  }

  /** Stops everything (shutdown); the group is left afterwards by the caller. */
  stopAll(): Promise<void> {
    return this.onAssignmentLost();
  }

  // --- config topic changes --------------------------------------------------------------------------------------

  onConnectorConfig(name: string): void {
    const isNew = !this.known.has(name);
    this.known.add(name);
    if (isNew && this.deps.isLeader()) this.deps.requestRebalance();
    if (!this.connectors.has(name)) return;
    this.inBackground(async () => {
      const view = this.deps.configStore.view();
      const config = view.connectorConfig(name);
      if (!config || !this.connectors.has(name)) return;
      this.deps.logger.info('connector config changed: restarting it', { connector: name });
      await this.worker.startConnector(name, config, view.targetState(name) ?? 'STARTED');
    });
  }

  onConnectorRemoved(name: string): void {
    this.known.delete(name);
    if (this.deps.isLeader()) {
      this.deps.statusStore.removeConnector(name);
      this.deps.requestRebalance();
    }
    this.inBackground(() => this.stopItems([{ connector: name }, ...[...this.tasks.values()].filter((t) => t.connector === name)]));
  }

  onTaskConfigs(name: string): void {
    if (this.deps.isLeader()) this.deps.requestRebalance();
    this.clearTasksOfStopped(name);
    this.inBackground(async () => {
      const owned = [...this.tasks.values()].filter((t) => t.connector === name);
      if (owned.length === 0) return;
      const count = this.deps.configStore.view().taskConfigs(name).length;
      await this.worker.stopTasks(owned);
      for (const t of owned) {
        if (t.task < count) this.startTask(name, t.task);
        else this.tasks.delete(taskKey(name, t.task)); // the next rebalance revokes it anyway
      }
    });
  }

  onSessionKey(): void {
    this.deps.onSessionKey?.();
  }

  onTargetState(name: string): void {
    this.clearTasksOfStopped(name);
    this.inBackground(async () => {
      const target = this.deps.configStore.view().targetState(name);
      if (!target) return;
      if (this.connectors.has(name) || [...this.tasks.values()].some((t) => t.connector === name)) await this.worker.setTargetState(name, target);
    });
  }

  onRestartRequest(request: RestartRequest): void {
    this.inBackground(async () => {
      const view = this.deps.configStore.view();
      const config = view.connectorConfig(request.connector);
      if (!config) return;
      const failed = (state: string | undefined): boolean => !request.onlyFailed || state === 'FAILED';
      if (this.connectors.has(request.connector) && failed(this.deps.statusStore.connector(request.connector)?.state)) {
        await this.worker.startConnector(request.connector, config, view.targetState(request.connector) ?? 'STARTED');
      }
      if (!request.includeTasks) return;
      for (const t of [...this.tasks.values()].filter((x) => x.connector === request.connector)) {
        if (failed(this.deps.statusStore.task(t.connector, t.task)?.state)) await this.restartTaskNow(t.connector, t.task);
      }
    });
  }

  // --- operations the herder routes here (this worker owns the item) ----------------------------------------------

  restartConnector(name: string): Promise<void> {
    return this.queue.run(async () => {
      const view = this.deps.configStore.view();
      const config = view.connectorConfig(name);
      if (config && this.connectors.has(name)) await this.worker.startConnector(name, config, view.targetState(name) ?? 'STARTED');
    });
  }

  restartTask(name: string, task: number): Promise<void> {
    return this.queue.run(() => this.restartTaskNow(name, task));
  }

  // --- from the worker -------------------------------------------------------------------------------------------

  /** A connector this worker runs has started: generate its task configs and publish them when they changed. */
  onConnectorStarted(name: string): void {
    this.inBackground(async () => {
      const view = this.deps.configStore.view();
      const config = view.connectorConfig(name);
      if (!config || !this.connectors.has(name) || view.targetState(name) !== 'STARTED' || !this.worker.isConnectorStarted(name)) return;
      let configs: Record<string, string>[];
      try {
        configs = await this.worker.connectorTaskConfigs(name, Number(config['tasks.max'] ?? '1'));
      } catch (e) {
        this.worker.failConnector(name, e, 'to generate task configs');
        return;
      }
      // Generating took a while: a stop (or a new config) written meanwhile must win over these task configs.
      try {
        await this.deps.configStore.refresh();
      } catch (e) {
        this.deps.logger.warn(`task configs of connector ${name} not written: the config topic cannot be read (${String(e)}); they are generated again when the connector next starts`);
        return;
      }
      const now = this.deps.configStore.view();
      if (now.targetState(name) !== 'STARTED' || now.connectorConfig(name) !== config || !this.connectors.has(name)) return;
      if (JSON.stringify(configs) === JSON.stringify(now.taskConfigs(name))) return;
      if (this.deps.sender && !this.deps.isLeader()) {
        // Not awaited: the sender retries with back-off, which must not hold up the other work of this queue.
        void this.deps.sender.publish(name, configs, () => this.taskConfigRoute(name, config, configs), () => this.deps.configStore.putTaskConfigs(name, configs));
        return;
      }
      await this.deps.configStore.putTaskConfigs(name, configs);
      this.deps.logger.info('task configs generated', { connector: name, tasks: configs.length });
    });
  }

  /** Before each attempt to publish task configs: still wanted (same config, STARTED, owned here, changed), and by whom. */
  private async taskConfigRoute(name: string, config: ConnectorConfig, configs: readonly Record<string, string>[]): Promise<TaskConfigRoute> {
    await this.deps.configStore.refresh();
    const view = this.deps.configStore.view();
    if (view.targetState(name) !== 'STARTED' || view.connectorConfig(name) !== config || !this.connectors.has(name)) return 'drop';
    if (JSON.stringify(configs) === JSON.stringify(view.taskConfigs(name))) return 'drop';
    return this.deps.isLeader() ? 'write' : 'send';
  }

  // --- internals -----------------------------------------------------------------------------------------------

  /**
   * Queues work that nobody awaits (a reaction to the config topic or to the worker): a failure is logged, never an
   * unhandled rejection, which would end the worker process.
   */
  private inBackground(op: () => Promise<unknown>): void {
    this.queue.run(op).catch((e: unknown) => this.deps.logger.error(`distributed worker: a background step failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  /**
   * The leader keeps a STOPPED connector without tasks. A stop writes the empty task set, then STOPPED; an owner that
   * generated task configs just before it read STOPPED may write them in between (it checks the target state, then
   * writes: no compare-and-set on a log), which would leave a stopped connector with tasks nobody runs. Whoever leads
   * when such a record is read writes the empty set again, so the cluster converges.
   */
  private clearTasksOfStopped(name: string): void {
    if (!this.deps.isLeader()) return;
    const view = this.deps.configStore.view();
    if (view.targetState(name) !== 'STOPPED' || view.taskConfigs(name).length === 0) return;
    this.deps.logger.warn('task configs were written for a stopped connector: clearing them', { connector: name, tasks: view.taskConfigs(name).length });
    void this.deps.configStore.putTaskConfigs(name, []).catch((e: unknown) => this.deps.logger.error(`clearing the task configs of stopped connector ${name} failed: ${String(e)}`));
  }

  private startTask(name: string, task: number): void {
    const view = this.deps.configStore.view();
    const config = view.connectorConfig(name);
    const taskConfig = view.taskConfigs(name)[task];
    const id = { connector: name, task };
    if (!config || !taskConfig || this.worker.hasTask(id)) return;
    this.worker.startTask(id, config, taskConfig, view.targetState(name) ?? 'STARTED');
  }

  private async restartTaskNow(name: string, task: number): Promise<void> {
    if (!this.tasks.has(taskKey(name, task))) return;
    await this.worker.stopTasks([{ connector: name, task }]);
    this.startTask(name, task);
    this.deps.logger.info('task restarted', { connector: name, task });
  }

  private async stopItems(items: readonly WorkItem[]): Promise<void> {
    const tasks = items.filter((i): i is ConnectorTaskId => i.task !== undefined);
    for (const t of tasks) this.tasks.delete(taskKey(t.connector, t.task));
    await this.worker.stopTasks(tasks);
    for (const c of items.filter((i) => i.task === undefined)) {
      this.connectors.delete(c.connector);
      await this.worker.stopConnector(c.connector);
    }
  }
}

function describe(items: readonly WorkItem[]): string {
  return items.map((i) => (i.task === undefined ? i.connector : `${i.connector}-${i.task}`)).join(',');
}
