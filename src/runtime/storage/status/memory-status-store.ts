/**
 * The standalone worker's status store (status-store.ts), in memory: a restarted worker reports every status anew as
 * it starts its connectors and tasks. The distributed twin is kafka-status-store.ts.
 */
import type { StatusRecord, StatusStore } from './status-store.js';

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
