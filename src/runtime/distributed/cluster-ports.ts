/**
 * What the distributed herder needs from the group membership around it (who leads, what this worker is assigned),
 * declared here where it is consumed. Implemented over Kafka by cluster-membership.ts; in-memory twins make the herder
 * testable without a broker. The config topic's contract (ClusterConfigStore) is the config store's, in
 * storage/config/config-store.ts.
 */

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
  /** The protocol the group chose at the last completed rebalance (`sessioned`: KIP-507 verification on). */
  protocol?: 'default' | 'compatible' | 'sessioned';
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
