/**
 * Connector configs, target states and task configs (Connect's ConfigBackingStore). Two contracts, side by side,
 * because the two modes keep them differently and neither herder could use the other's without pretending:
 *
 * - StandaloneConfigStore (twin: file-config-store.ts under `data.dir`). One writer, this process. A connector is ONE
 *   record — config, target state and task configs together — replaced as a whole, so a crash leaves either the old
 *   or the new record, never a config without its tasks. Reads are synchronous and always current: nothing else
 *   writes, so there is nothing to refresh, no listener, and restarts are handled in-process (no restart records).
 * - ClusterConfigStore (twin: kafka-config-store.ts on the config topic). Many writers share one ordered log. Connector
 *   config, task configs (made effective together by a commit record, written by the leader) and target state are
 *   separate records written at different times by different workers, and restart requests are records too. Reads
 *   are an immutable view as of a log position, which must be refreshed to see other workers' acknowledged writes;
 *   other workers' changes arrive through a listener.
 *
 * Connect runs its standalone herder on the cluster contract (MemoryConfigBackingStore), at the cost of callbacks and
 * snapshots a single process has no use for; here each herder gets the contract it needs.
 */
import type { ConnectorConfig, RestartRequest, TargetState } from '../../../herder/types.js';
import type { LogHealth } from '../kafka-topics/internal-log.js';

/** One connector as the standalone store keeps it (and as the herders hand it to the offsets API). */
export interface StoredConnector {
  config: ConnectorConfig;
  targetState: TargetState;
  /** Task configs as last generated; empty when STOPPED or not yet generated. */
  taskConfigs: ConnectorConfig[];
}

/** The standalone herder's config store: one record per connector, written whole. */
export interface StandaloneConfigStore {
  /** The connectors, sorted by name. */
  names(): string[];
  /** The connector's record (shared: do not mutate it), or undefined for an unknown connector. */
  get(name: string): StoredConnector | undefined;
  /**
   * Replaces a connector's record; resolves once it is durable. Rejects when it cannot be saved, and the record read
   * back is then the previous one again (the file twin: StoreWriteError).
   */
  put(name: string, value: StoredConnector): Promise<void>;
  /** Deletes a connector's record. Rejects when it cannot be deleted (the record stays). */
  remove(name: string): Promise<void>;
}

/** The cluster's KIP-507 session key, as the leader last wrote it to the config topic. Never logged. */
export interface SessionKey {
  readonly key: Buffer;
  /** The JCA name of the key generator (e.g. HmacSHA256). */
  readonly algorithm: string;
  /** Epoch ms. */
  readonly creationTimestamp: number;
}

/** An immutable view of the config topic as read up to `offset`. */
export interface ConfigView {
  /** The config topic position this view was read at (last consumed offset + 1). */
  readonly offset: number;
  connectors(): string[];
  connectorConfig(name: string): ConnectorConfig | undefined;
  /** STARTED when the connector exists without a target-state record; undefined for an unknown connector. */
  targetState(name: string): TargetState | undefined;
  /** The committed task configs (empty before the first commit, or when STOPPED). */
  taskConfigs(name: string): ConnectorConfig[];
  /** The last well-formed session key record; undefined before one was read. */
  sessionKey(): SessionKey | undefined;
}

/** Changes read from the config topic after start, as they happen (any worker's writes). */
export interface ConfigChangeListener {
  onConnectorConfig(name: string): void;
  onConnectorRemoved(name: string): void;
  onTaskConfigs(name: string): void;
  onTargetState(name: string): void;
  onRestartRequest(request: RestartRequest): void;
  /** A session key record was read (KIP-507); the leader checks whether it must rotate it. */
  onSessionKey?(): void;
}

/**
 * The distributed herder's config store: the config topic, shared by every worker of the cluster. Writes reject when
 * the topic cannot be written within the store's budget (the Kafka twin: StoreError).
 */
export interface ClusterConfigStore {
  view(): ConfigView;
  /** Optional: whether the config topic has been readable lately; absent means always. */
  health?(): LogHealth;
  /** Reads to the end of the config topic: every write acknowledged before the call is in view() afterwards. */
  refresh(): Promise<void>;
  /** Writes the target state first when given (so a new connector never starts in the wrong state), then the config. */
  putConnectorConfig(name: string, config: ConnectorConfig, targetState?: TargetState): Promise<void>;
  removeConnector(name: string): Promise<void>;
  /** Task records, then the commit record that makes them effective together. */
  putTaskConfigs(name: string, configs: readonly ConnectorConfig[]): Promise<void>;
  putTargetState(name: string, state: TargetState): Promise<void>;
  putRestartRequest(request: RestartRequest): Promise<void>;
  /** Writes a session key record (the leader only) and reads it back. */
  putSessionKey(key: SessionKey): Promise<void>;
}
