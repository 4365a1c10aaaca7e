/**
 * What the distributed herder needs from the cluster around it, declared here where it is consumed: the config
 * topic (one ordered log of connector configs, task configs and target states, shared by every worker) and the
 * group membership (who leads, what this worker is assigned). Implemented over Kafka by kafka-config-store.ts and
 * cluster-membership.ts; in-memory twins make the herder testable without a broker.
 */
import type { ConnectorConfig, RestartRequest, TargetState } from '../../herder/types.js';
import type { LogHealth } from '../storage/kafka-topics/internal-log.js';

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
}

/** Changes read from the config topic after start, as they happen (any worker's writes). */
export interface ConfigChangeListener {
  onConnectorConfig(name: string): void;
  onConnectorRemoved(name: string): void;
  onTaskConfigs(name: string): void;
  onTargetState(name: string): void;
  onRestartRequest(request: RestartRequest): void;
}

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
}

/** One unit of work: a Connector instance (task undefined) or one of its tasks. */
export interface WorkItem {
  connector: string;
  task?: number;
}

/** This worker's place in the group, as of its last completed rebalance. */
export interface MembershipState {
  /** False while a rebalance is under way (or before the first one): leader-only writes answer 409 meanwhile. */
  stable: boolean;
  isLeader: boolean;
  /** The leader's REST URL; undefined when unknown. */
  leaderUrl: string | undefined;
  generation: number;
}

/** The herder's side of the membership: what to run, and when. */
export interface AssignmentListener {
  /** Stop `revoked`, then start `assigned` (incremental). Resolves when both are done; the next rebalance waits. */
  onAssignment(change: { assigned: WorkItem[]; revoked: WorkItem[]; generation: number }): Promise<void>;
  /** The membership was lost (session expired, coordinator unreachable): stop everything this worker runs. */
  onAssignmentLost(): Promise<void>;
}

export interface ClusterMembership {
  state(): MembershipState;
  /**
   * Resolves true once a rebalance has completed and this worker is stable in the group (at once when it is), false
   * when `timeoutMs` passes first. Connect queues requests on its herder thread until the rebalance completes; this
   * lets the herder do the same instead of answering 409.
   */
  whenStable(timeoutMs: number): Promise<boolean>;
  /** Ask the group to rebalance (e.g. a connector was added or removed, or its task count changed). */
  requestRebalance(): void;
}
