/**
 * Connect's WorkerCoordinator in our terms: joins the group offering the protocols of its `connect.protocol` mode
 * (sessioned → sessioned, compatible, default; compatible → compatible, default), learns which one the group chose
 * (the highest every member offers: `sessioned` turns KIP-507 request verification on), and as the leader computes
 * each round with the assignor from the members' metadata and the config topic. Each member applies its incremental
 * assignment through the AssignmentListener, rejoins at once when something was revoked (the second phase of a
 * cooperative rebalance), and again after the leader's `delay`. A leader whose view of the config topic is behind a
 * member's answers CONFIG_MISMATCH; everyone then reads to the end and rejoins.
 *
 * A config change that arrives while a rebalance is under way (between JoinGroup and SyncGroup the member has no
 * generation, so it cannot tell it leads) must not be lost: the leader remembers the set of work its round assigned,
 * and once the round's assignment is applied it compares that set with the config topic as it is now, and starts
 * another round when they differ.
 */
import type { Logger } from '../logger.js';
import { performAssignment } from './assignor.js';
import type { AssignorMemory } from './assignor.js';
import type { AssignmentListener, ClusterMembership, MembershipState, WorkItem } from './cluster-ports.js';
import type { ClusterConfigStore, ConfigView } from '../storage/config/config-store.js';
import { ASSIGNMENT_CONFIG_MISMATCH, ASSIGNMENT_NO_ERROR, decodeAssignment, decodeMemberMetadata, encodeAssignment, joinGroupProtocols } from './connect-protocol.js';
import type { ConnectorsAndTasks, ConnectProtocolName } from './connect-protocol.js';
import type { ConnectProtocolMode } from '../config/inter-worker-keys.js';
import { GroupMember } from './group-member.js';
import type { Generation, GroupMemberPort, LeaderInput } from './group-member.js';

export interface ClusterMembershipOptions {
  groupId: string;
  /** This worker's advertised REST URL (sent to the others for forwarding); read at each join. */
  url: () => string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  heartbeatIntervalMs: number;
  scheduledRebalanceMaxDelayMs: number;
  /** `connect.protocol` (default compatible). */
  protocol?: ConnectProtocolMode;
  configStore: ClusterConfigStore;
  listener: AssignmentListener;
  port: GroupMemberPort;
  logger: Logger;
  /** Called when the member fails for good (e.g. not authorized); the worker should exit. */
  onFailed: (error: Error) => void;
  now?: () => number;
}

const EMPTY: ConnectorsAndTasks = { connectors: [], tasks: [] };

export class KafkaClusterMembership implements ClusterMembership {
  private readonly member: GroupMember;
  /** What this worker runs, as the group assigned it (reported in the next JoinGroup). */
  private current: ConnectorsAndTasks = EMPTY;
  private leaderUrl: string | undefined;
  private stable = false;
  private memory: AssignorMemory | null = null;
  private lastCompletedGeneration = -1;
  private followUp: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  /** The configured work (connectors and task counts) the leader's last round assigned; undefined on followers. */
  private assignedWork: string | undefined;
  private readonly stableWaiters = new Set<() => void>();
  /** The protocol of the last completed rebalance; undefined before the first. */
  private protocol: ConnectProtocolName | undefined;

  constructor(private readonly o: ClusterMembershipOptions) {
    this.now = o.now ?? Date.now;
    this.member = new GroupMember({
      groupId: o.groupId,
      sessionTimeoutMs: o.sessionTimeoutMs,
      rebalanceTimeoutMs: o.rebalanceTimeoutMs,
      heartbeatIntervalMs: o.heartbeatIntervalMs,
      port: o.port,
      logger: o.logger,
      protocols: () => joinGroupProtocols({ url: o.url(), configOffset: o.configStore.view().offset, assignment: this.currentAsAssignment() }, o.protocol ?? 'compatible'),
      assign: (input) => this.assign(input),
      onAssigned: (bytes, generation) => this.onAssigned(bytes, generation),
      onJoinPrepare: () => void (this.stable = false),
      onLost: async (reason) => {
        this.stable = false;
        this.assignedWork = undefined;
        this.current = EMPTY;
        this.o.logger.warn(`group membership lost (${reason}): stopping this worker's connectors and tasks`);
        await this.o.listener.onAssignmentLost();
      },
      onFailed: (e) => this.o.onFailed(e),
    });
  }

  start(): Promise<void> {
    return this.member.start();
  }

  /** Leaves the group at once, so that the others rebalance now (SIGTERM). */
  async stop(): Promise<void> {
    clearTimeout(this.followUp);
    this.stable = false;
    await this.member.stop();
  }

  state(): MembershipState {
    const s = this.member.state();
    return { stable: this.stable && s.phase === 'stable', isLeader: s.isLeader, leaderUrl: this.leaderUrl, generation: s.generation?.generationId ?? -1, protocol: this.protocol };
  }

  whenStable(timeoutMs: number): Promise<boolean> {
    if (this.state().stable) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        const stable = this.state().stable;
        if (!stable && timer !== undefined) return; // woken by an assignment, but another round is already under way
        clearTimeout(timer);
        this.stableWaiters.delete(check);
        resolve(stable);
      };
      let timer: NodeJS.Timeout | undefined = setTimeout(() => {
        timer = undefined;
        check();
      }, timeoutMs);
      this.stableWaiters.add(check);
    });
  }

  /**
   * False once this worker's session may have expired at the coordinator (it may no longer own its work, even if the
   * loss has not been handled yet): its source tasks write nothing meanwhile.
   */
  ownsAssignment(): boolean {
    return this.member.assignmentValid();
  }

  requestRebalance(): void {
    this.member.requestRejoin('the set of connectors or tasks changed');
  }

  /** Logs a change of the group's protocol: a downgrade from sessioned turns request verification off. */
  private noteProtocol(protocol: ConnectProtocolName): void {
    const before = this.protocol;
    this.protocol = protocol;
    if (before === protocol) return;
    const wanted = this.o.protocol ?? 'compatible';
    if (protocol !== 'sessioned' && (before === 'sessioned' || (before === undefined && wanted === 'sessioned'))) {
      this.o.logger.warn(`the group runs the ${protocol} protocol, not sessioned (a member does not support it): internal requests between workers are neither signed nor verified`, { protocol });
    } else if (protocol === 'sessioned' && before !== undefined) {
      this.o.logger.info('the group runs the sessioned protocol again: internal requests between workers are signed and verified', { protocol });
    } else {
      this.o.logger.info('group protocol', { protocol });
    }
  }

  private setStable(): void {
    this.stable = true;
    for (const done of [...this.stableWaiters]) done();
  }

  private currentAsAssignment(): Parameters<typeof joinGroupProtocols>[0]['assignment'] {
    return { error: ASSIGNMENT_NO_ERROR, leader: '', leaderUrl: '', configOffset: this.o.configStore.view().offset, assigned: this.current, revoked: EMPTY, delay: 0 };
  }

  /** Leader: one round of the incremental cooperative assignor over every member's reported work. */
  private assign(input: LeaderInput): ReadonlyMap<string, Buffer> {
    const view = this.o.configStore.view();
    const members = input.members.map((m) => ({ memberId: m.memberId, meta: decodeMemberMetadata(m.metadata) }));
    const out = new Map<string, Buffer>();
    const version = input.protocol === 'sessioned' ? 2 : 1;
    const maxOffset = Math.max(...members.map((m) => m.meta.configOffset));
    if (maxOffset > view.offset) {
      // A member has read further than the leader: nobody may act on this round.
      this.o.logger.info('config topic behind a member: asking everyone to read to the end and rejoin', { leader_offset: view.offset, member_offset: maxOffset });
      const mismatch = encodeAssignment({ error: ASSIGNMENT_CONFIG_MISMATCH, leader: input.memberId, leaderUrl: this.o.url(), configOffset: view.offset, assigned: EMPTY, revoked: EMPTY, delay: 0 }, version);
      for (const m of members) out.set(m.memberId, mismatch);
      return out;
    }
    this.assignedWork = workSignature(view);
    const result = performAssignment({
      configured: view.connectors().map((name) => ({ name, taskCount: view.taskConfigs(name).length })),
      members: members.map((m) => ({ memberId: m.memberId, assignment: m.meta.assignment ? { connectors: m.meta.assignment.assigned.connectors, tasks: m.meta.assignment.assigned.tasks } : EMPTY })),
      memory: this.memory,
      generation: input.generationId,
      lastCompletedGeneration: this.lastCompletedGeneration,
      now: this.now(),
      scheduledRebalanceMaxDelayMs: this.o.scheduledRebalanceMaxDelayMs,
    });
    this.memory = result.memory;
    for (const m of members) {
      const a = result.assignments[m.memberId]!;
      out.set(m.memberId, encodeAssignment({ error: ASSIGNMENT_NO_ERROR, leader: input.memberId, leaderUrl: this.o.url(), configOffset: view.offset, assigned: a.assigned, revoked: a.revoked, delay: result.delay }, version));
    }
    return out;
  }

  private async onAssigned(bytes: Buffer, generation: Generation): Promise<void> {
    clearTimeout(this.followUp);
    if (bytes.length === 0) {
      // The leader gave this member nothing to decode (it joined after the leader's round): rejoin.
      this.member.requestRejoin('empty assignment');
      return;
    }
    const a = decodeAssignment(bytes);
    this.leaderUrl = a.leaderUrl || undefined;
    this.noteProtocol(generation.protocol as ConnectProtocolName);
    if (a.error === ASSIGNMENT_CONFIG_MISMATCH) {
      await this.o.configStore.refresh();
      this.member.requestRejoin('config topic offsets differed');
      return;
    }
    this.lastCompletedGeneration = generation.generationId;
    if (generation.leaderId !== generation.memberId) this.assignedWork = undefined;
    const revoked = toItems(a.revoked);
    const assigned = toItems(a.assigned);
    this.current = minus(union(this.current, a.assigned), a.revoked);
    await this.o.listener.onAssignment({ assigned, revoked, generation: generation.generationId });
    this.setStable();
    if (revoked.length > 0) this.member.requestRejoin('work was revoked: second phase of the cooperative rebalance');
    else if (this.assignedWork !== undefined && this.assignedWork !== workSignature(this.o.configStore.view())) {
      this.member.requestRejoin('the connectors or tasks changed while the group was rebalancing');
    } else if (a.delay > 0) this.followUp = setTimeout(() => this.member.requestRejoin('scheduled rebalance'), a.delay);
  }
}

/** The configured work as the assignor sees it (connector names and task counts), comparable as a string. */
function workSignature(view: ConfigView): string {
  return JSON.stringify(view.connectors().sort().map((name) => [name, view.taskConfigs(name).length]));
}

function toItems(set: ConnectorsAndTasks): WorkItem[] {
  return [...set.connectors.map((connector) => ({ connector })), ...set.tasks.map((t) => ({ connector: t.connector, task: t.task }))];
}

const taskKey = (t: { connector: string; task: number }): string => `${t.connector}\u0000${t.task}`;

function union(a: ConnectorsAndTasks, b: ConnectorsAndTasks): ConnectorsAndTasks {
  const tasks = new Map([...a.tasks, ...b.tasks].map((t) => [taskKey(t), t]));
  return { connectors: [...new Set([...a.connectors, ...b.connectors])], tasks: [...tasks.values()] };
}

function minus(a: ConnectorsAndTasks, b: ConnectorsAndTasks): ConnectorsAndTasks {
  const gone = new Set(b.tasks.map(taskKey));
  return { connectors: a.connectors.filter((c) => !b.connectors.includes(c)), tasks: a.tasks.filter((t) => !gone.has(taskKey(t))) };
}
