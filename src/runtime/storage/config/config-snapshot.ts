/**
 * An immutable view of the config topic as read up to an offset (Connect's ClusterConfigState), as the config store
 * hands it out. Connector and task configs are frozen objects shared between views.
 */
import type { ConnectorConfig, TargetState } from '../../../herder/types.js';
import type { ConfigView, SessionKey } from './config-store.js';

/** An immutable view of the config topic as read up to `offset` (Connect's ClusterConfigState). */
export interface ConfigSnapshot extends ConfigView {
  /** Last consumed offset + 1; -1 before any record was read. */
  readonly offset: number;
  /** Connectors with a config, sorted. */
  connectors(): string[];
  /** The raw config (references unresolved), frozen; undefined for an unknown connector. */
  connectorConfig(name: string): ConnectorConfig | undefined;
  /** The stored target state, STARTED when the connector exists without one, undefined for an unknown connector. */
  targetState(name: string): TargetState | undefined;
  /** The task count of the last commit (0 before any). Counts also for an inconsistent connector. */
  taskCount(name: string): number;
  /** Committed task configs 0..taskCount-1, frozen; empty for an unknown or inconsistent connector. */
  taskConfigs(name: string): ConnectorConfig[];
  /** Connectors whose last commit found task configs missing (compaction, a writer that died mid-way), sorted. */
  inconsistentConnectors(): string[];
  /** Counts the applied task-config commits of a connector, from 0; undefined before the first. */
  taskConfigGeneration(name: string): number | undefined;
  /** The connector config in force when its task configs were last committed (Connect's AppliedConnectorConfig). */
  appliedConnectorConfig(name: string): ConnectorConfig | undefined;
}

/** What a snapshot is built from: copies of the store's maps, never changed afterwards. */
export interface SnapshotState {
  offset: number;
  configs: ReadonlyMap<string, ConnectorConfig>;
  targetStates: ReadonlyMap<string, TargetState>;
  taskCounts: ReadonlyMap<string, number>;
  tasks: ReadonlyMap<string, ReadonlyMap<number, ConnectorConfig>>;
  inconsistent: ReadonlySet<string>;
  generations: ReadonlyMap<string, number>;
  applied: ReadonlyMap<string, ConnectorConfig>;
  sessionKey: SessionKey | undefined;
}

export class Snapshot implements ConfigSnapshot {
  readonly offset: number;

  constructor(private readonly s: SnapshotState) {
    this.offset = s.offset;
  }

  connectors(): string[] {
    return [...this.s.configs.keys()].sort();
  }

  connectorConfig(name: string): ConnectorConfig | undefined {
    return this.s.configs.get(name);
  }

  targetState(name: string): TargetState | undefined {
    return this.s.targetStates.get(name) ?? (this.s.configs.has(name) ? 'STARTED' : undefined);
  }

  taskCount(name: string): number {
    return this.s.taskCounts.get(name) ?? 0;
  }

  taskConfigs(name: string): ConnectorConfig[] {
    if (this.s.inconsistent.has(name)) return [];
    const tasks = this.s.tasks.get(name);
    const out: ConnectorConfig[] = [];
    for (let i = 0; i < this.taskCount(name); i++) {
      const c = tasks?.get(i);
      if (c) out.push(c);
    }
    return out;
  }

  inconsistentConnectors(): string[] {
    return [...this.s.inconsistent].sort();
  }

  taskConfigGeneration(name: string): number | undefined {
    return this.s.generations.get(name);
  }

  appliedConnectorConfig(name: string): ConnectorConfig | undefined {
    return this.s.applied.get(name);
  }

  sessionKey(): SessionKey | undefined {
    return this.s.sessionKey;
  }
}
