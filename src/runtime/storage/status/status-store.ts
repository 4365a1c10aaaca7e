/**
 * Statuses of connectors and tasks as the worker reports them (Connect's StatusBackingStore). In memory for the
 * standalone worker; the distributed worker will publish them on the status topic.
 */
import type { ConnectorState, StatusState } from '../../../herder/types.js';

export interface StatusRecord {
  state: StatusState;
  workerId: string;
  /** Stack trace of a failure; absent otherwise. */
  trace?: string;
  /** The plugin's version (Connect 4.x status records carry it); absent when the plugin is unknown. */
  version?: string;
}

/**
 * What the worker and herders need from a status store: in memory for the standalone worker, the status topic in
 * distributed mode (where reads show the whole cluster's statuses, as last read back from the topic).
 */
export interface StatusStore {
  putConnector(name: string, status: StatusRecord): void;
  putTask(connector: string, task: number, status: StatusRecord): void;
  connector(name: string): StatusRecord | undefined;
  task(connector: string, task: number): StatusRecord | undefined;
  removeTask(connector: string, task: number): void;
  removeConnector(name: string): void;
}

export class MemoryStatusStore implements StatusStore {
  private readonly connectors = new Map<string, StatusRecord>();
  private readonly tasks = new Map<string, Map<number, StatusRecord>>();

  putConnector(name: string, status: StatusRecord): void {
    this.connectors.set(name, status);
  }

  putTask(connector: string, task: number, status: StatusRecord): void {
    let m = this.tasks.get(connector);
    if (!m) this.tasks.set(connector, (m = new Map()));
    m.set(task, status);
  }

  connector(name: string): StatusRecord | undefined {
    return this.connectors.get(name);
  }

  task(connector: string, task: number): StatusRecord | undefined {
    return this.tasks.get(connector)?.get(task);
  }

  /** Task statuses of a connector, sorted by task id. */
  connectorTasks(connector: string): [number, StatusRecord][] {
    return [...(this.tasks.get(connector) ?? new Map<number, StatusRecord>())].sort((a, b) => a[0] - b[0]);
  }

  removeTask(connector: string, task: number): void {
    this.tasks.get(connector)?.delete(task);
  }

  /** DESTROYED: forget everything about a deleted connector. */
  removeConnector(name: string): void {
    this.connectors.delete(name);
    this.tasks.delete(name);
  }
}

export function toConnectorState(s: StatusRecord): ConnectorState {
  return { state: s.state, worker_id: s.workerId, ...(s.trace ? { trace: s.trace } : {}), ...(s.version ? { version: s.version } : {}) };
}
