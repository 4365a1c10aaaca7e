/**
 * The in-memory herder with the extra behaviour apply tests need, kept beside them: a log of calls with their
 * arguments, calls that answer ConflictError N times (a rebalance), scripted status answers (tasks appearing late,
 * UNASSIGNED phases) and connectors that legitimately run zero tasks. Plus a fake clock whose sleep advances time.
 */
import { ConflictError } from '../../src/herder/errors.js';
import type { CreatedConnector, Herder } from '../../src/herder/herder.js';
import type { ConnectorConfig, ConnectorInfo, ConnectorStateInfo, InitialState, RestartRequest, TaskInfo } from '../../src/herder/types.js';
import { MEMORY_SINK, MEMORY_SOURCE, MemoryHerder } from '../support/memory-herder.js';

export type StatusEdit = (status: ConnectorStateInfo) => ConnectorStateInfo;

/** Status edits: the connector has started but reports no tasks yet / is not assigned yet. */
export const NO_TASKS_YET: StatusEdit = (s) => ({ ...s, tasks: [] });
export const UNASSIGNED: StatusEdit = (s) => ({ ...s, connector: { ...s.connector, state: 'UNASSIGNED' }, tasks: [] });
export const TASKS_UNASSIGNED: StatusEdit = (s) => ({ ...s, tasks: s.tasks.map((t) => ({ ...t, state: 'UNASSIGNED' as const })) });

export class ScriptedHerder extends MemoryHerder {
  /** Every apply-relevant call with its arguments, e.g. `createConnector orders PAUSED`. */
  readonly log: string[] = [];
  /** Method → how many more calls to reject with ConflictError before behaving normally. */
  readonly conflicts = new Map<keyof Herder, number>();
  /** Connector → edits applied to its next status answers, one per call. */
  readonly statusScript = new Map<string, StatusEdit[]>();
  /** Connectors that run with zero tasks (status without tasks, no task configs). */
  readonly zeroTasks = new Set<string>();
  /** Called after every status answer (to fail a task mid-wait, for example). */
  onStatus: (name: string, polls: number) => void = () => undefined;
  private statusPolls = 0;

  /** Creates a connector as if it were already live before apply (adds `name`, as the REST edge does); not logged. */
  async seed(name: string, config: ConnectorConfig, initialState?: InitialState): Promise<void> {
    await super.createConnector(name, { ...config, name }, initialState);
  }

  private conflict(method: keyof Herder): Promise<never> | undefined {
    const left = this.conflicts.get(method) ?? 0;
    if (left <= 0) return undefined;
    this.conflicts.set(method, left - 1);
    this.calls.push(method);
    return Promise.reject(new ConflictError('Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.'));
  }

  override createConnector(name: string, config: ConnectorConfig, initialState?: InitialState): Promise<ConnectorInfo> {
    this.log.push(`createConnector ${name} ${initialState ?? '(default)'}`);
    return this.conflict('createConnector') ?? super.createConnector(name, config, initialState);
  }
  override putConnectorConfig(name: string, config: ConnectorConfig): Promise<CreatedConnector> {
    this.log.push(`putConnectorConfig ${name}`);
    return this.conflict('putConnectorConfig') ?? super.putConnectorConfig(name, config);
  }
  override connectorConfig(name: string): Promise<ConnectorConfig> {
    this.log.push(`connectorConfig ${name}`);
    return this.conflict('connectorConfig') ?? super.connectorConfig(name);
  }
  override pauseConnector(name: string): Promise<void> {
    this.log.push(`pauseConnector ${name}`);
    return this.conflict('pauseConnector') ?? super.pauseConnector(name);
  }
  override resumeConnector(name: string): Promise<void> {
    this.log.push(`resumeConnector ${name}`);
    return this.conflict('resumeConnector') ?? super.resumeConnector(name);
  }
  override stopConnector(name: string): Promise<void> {
    this.log.push(`stopConnector ${name}`);
    return this.conflict('stopConnector') ?? super.stopConnector(name);
  }
  override deleteConnector(name: string): Promise<void> {
    this.log.push(`deleteConnector ${name}`);
    return this.conflict('deleteConnector') ?? super.deleteConnector(name);
  }
  override restartConnectorAndTasks(request: RestartRequest): Promise<ConnectorStateInfo> {
    this.log.push(`restartConnectorAndTasks ${request.connector} includeTasks=${request.includeTasks} onlyFailed=${request.onlyFailed}`);
    return this.conflict('restartConnectorAndTasks') ?? super.restartConnectorAndTasks(request);
  }
  override async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const conflict = this.conflict('connectorStatus');
    if (conflict) return conflict;
    let status = await super.connectorStatus(name);
    if (this.zeroTasks.has(name)) status = { ...status, tasks: [] };
    const edit = this.statusScript.get(name)?.shift();
    if (edit) status = edit(status);
    this.onStatus(name, ++this.statusPolls);
    return status;
  }
  override async taskConfigs(name: string): Promise<TaskInfo[]> {
    const configs = await super.taskConfigs(name);
    return this.zeroTasks.has(name) ? [] : configs;
  }
}

export function sourceConfig(extra: Record<string, string> = {}): ConnectorConfig {
  return { 'connector.class': MEMORY_SOURCE, 'tasks.max': '1', topic: 'orders', 'pipectl.owner': 'shop', ...extra };
}

export function sinkConfig(extra: Record<string, string> = {}): ConnectorConfig {
  return { 'connector.class': MEMORY_SINK, 'tasks.max': '1', topics: 'orders', 'pipectl.owner': 'shop', ...extra };
}

/**
 * A clock that only moves when apply sleeps (or when a test calls `advance`); timers set with `every` fire as time
 * passes over them, in order, with `now()` at their due time.
 */
export class FakeClock {
  /** 2023-11-14T22:13:20.000Z */
  t = 1_700_000_000_000;
  readonly sleeps: number[] = [];
  private readonly timers: { due: number; ms: number; tick: () => void; live: boolean }[] = [];
  readonly now = (): number => this.t;
  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.advance(ms);
  };
  readonly every = (ms: number, tick: () => void): (() => void) => {
    const timer = { due: this.t + ms, ms, tick, live: true };
    this.timers.push(timer);
    return () => void (timer.live = false);
  };
  /** Timers set with `every` and not cancelled. */
  get activeTimers(): number {
    return this.timers.filter((t) => t.live).length;
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.live && t.due <= end).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.t = next.due;
      next.due += next.ms;
      next.tick();
    }
    this.t = end;
  }
}
