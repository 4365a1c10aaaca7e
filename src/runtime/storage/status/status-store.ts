/**
 * Statuses of connectors and tasks as the worker reports them (Connect's StatusBackingStore): the one interface and
 * its record. Twins: memory-status-store.ts (the standalone worker; statuses are re-reported after a restart) and
 * kafka-status-store.ts (the status topic, so that any worker of a cluster answers for all of them).
 */
import type { ConnectorState, StatusState, TaskState } from '../../../herder/types.js';

export interface StatusRecord {
  state: StatusState;
  workerId: string;
  /** Stack trace of a failure; absent otherwise. */
  trace?: string;
  /** The plugin's version (Connect 4.x status records carry it); absent when the plugin is unknown. */
  version?: string;
  /**
   * Tasks only, pipectl's own: restarts by the restart policy since the task was last started by anything else;
   * absent when none (Connect's readers ignore a field they do not know).
   */
  restarts?: number;
}

/**
 * What the worker and herders need from a status store: in memory for the standalone worker, the status topic in
 * distributed mode (where reads show the whole cluster's statuses, as last read back from the topic). Writes return
 * at once and do not report a failed write (the Kafka twin logs it); reads are undefined for a status never reported
 * (or, on the Kafka twin, not yet read back).
 */
export interface StatusStore {
  putConnector(name: string, status: StatusRecord): void;
  putTask(connector: string, task: number, status: StatusRecord): void;
  connector(name: string): StatusRecord | undefined;
  task(connector: string, task: number): StatusRecord | undefined;
  removeTask(connector: string, task: number): void;
  /** DESTROYED: forgets the connector's status and every one of its tasks'. */
  removeConnector(name: string): void;
}

/**
 * A status record as the Herder API reports it (Connect's snake_case `worker_id`; trace and version when set). The
 * restart count is added by the task answers only (taskStateOf).
 */
export function toConnectorState(s: StatusRecord): ConnectorState {
  return { state: s.state, worker_id: s.workerId, ...(s.trace ? { trace: s.trace } : {}), ...(s.version ? { version: s.version } : {}) };
}

/** A task's entry in a status answer: Connect's fields, plus pipectl's `restarts` when the restart policy restarted it. */
export function taskStateOf(id: number, s: StatusRecord): TaskState {
  return { id, ...toConnectorState(s), ...(s.restarts ? { restarts: s.restarts } : {}) };
}
