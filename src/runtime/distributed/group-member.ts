/**
 * Connect's group membership (WorkerGroupMember / AbstractCoordinator) as a small state machine over the raw cluster
 * port: JoinGroup and SyncGroup with protocol type "connect", heartbeats in the background, LeaveGroup on stop. The
 * protocol metadata and the assignments are opaque bytes here (connect-protocol.ts encodes Connect's formats).
 *
 * What the member does with each broker answer (as Kafka's AbstractCoordinator does):
 * - REBALANCE_IN_PROGRESS: rejoin with the same member id; the current assignment stays valid until onAssigned.
 * - ILLEGAL_GENERATION: the group moved on without this member: onLost, then rejoin with the same member id.
 * - UNKNOWN_MEMBER_ID: the coordinator forgot this member (session expired): onLost, forget the id, rejoin as new.
 * - NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS: find the coordinator again and retry;
 *   the new coordinator answers with one of the above when a rejoin is needed.
 * - MEMBER_ID_REQUIRED (KIP-394): handled by the port, which re-sends the join with the id the broker assigned.
 * - connection errors and timeouts: retried (heartbeats every heartbeat interval, joins after a back-off doubling
 *   from retryBackoffMs to retryBackoffMaxMs), finding the coordinator again each time.
 * - any other error that is not retriable (another protocol type in the group, authorization, session timeout out of
 *   the broker's bounds, group full): PIPECTL_DISTRIBUTED_GROUP_REFUSED through onFailed, and the member stops.
 *
 * - no answer from the coordinator for session.timeout.ms (see session-deadline.ts for why that long): onLost, rejoin.
 */
import type { GroupCoordinator, GroupProtocol, RawClusterPort } from '../kafka/port/kafka-port.js';
import type { Logger } from '../logger.js';
import { DistributedError } from '../distributed-error.js';
import { SessionDeadline } from './session-deadline.js';

/** What the member needs of the raw cluster port; it owns the port (disconnects it on stop). */
export type GroupMemberPort = Pick<RawClusterPort, 'findCoordinator' | 'joinGroup' | 'syncGroup' | 'heartbeat' | 'leaveGroup' | 'disconnect' | 'classify'>;

/** One completed rebalance, as this member saw it. */
export interface Generation {
  generationId: number;
  memberId: string;
  leaderId: string;
  /** The protocol name the group settled on. */
  protocol: string;
}

/** The leader's input: every member's metadata for the chosen protocol (the leader's own included). */
export interface LeaderInput extends Generation {
  members: { memberId: string; metadata: Buffer }[];
}

export interface GroupMemberOptions {
  groupId: string;
  /** Default "connect". */
  protocolType?: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  /** Must be below sessionTimeoutMs. */
  heartbeatIntervalMs: number;
  /** Back-off between join attempts that failed for a transient reason (default 100, doubling up to retryBackoffMaxMs). */
  retryBackoffMs?: number;
  retryBackoffMaxMs?: number;
  /** The protocols with their metadata, in preference order; called before every JoinGroup. */
  protocols(): readonly GroupProtocol[];
  /** Leader only: each member's assignment bytes. A member left out gets empty bytes. Throwing stops the member. */
  assign(input: LeaderInput): ReadonlyMap<string, Buffer>;
  /** A rebalance completed with this member's assignment (empty bytes when the leader gave it none). */
  onAssigned(assignment: Buffer, generation: Generation): void | Promise<void>;
  /** Before each rejoin of a member that was in a generation (eager protocol: stop everything here). */
  onJoinPrepare?(info: { reason: string; generation: Generation | undefined }): void | Promise<void>;
  /** The assignment is no longer this member's (see the module comment): stop everything it runs, now. */
  onLost?(reason: string): void | Promise<void>;
  /** A non-retriable failure; the member leaves the group and stops on its own. */
  onFailed?(error: DistributedError): void;
  port: GroupMemberPort;
  logger: Logger;
}

export type MemberPhase = 'new' | 'joining' | 'stable' | 'stopped';

/** Resolves waiters on notify(), or each after its own timeout. */
class Wakeup {
  private waiters = new Set<() => void>();

  wait(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  notify(): void {
    for (const done of [...this.waiters]) done();
  }
}

type Outcome = 'done' | 'now' | 'later';

/**
 * A member of a classic Kafka group with any protocol type. Callbacks run one at a time, in order, never after stop()
 * resolved; heartbeats go on while onAssigned runs, and the member rejoins only once the callbacks before have settled.
 */
export class GroupMember {
  private phase: MemberPhase = 'new';
  private memberId = '';
  private generation: Generation | undefined;
  private coordinator: GroupCoordinator | undefined;
  private rejoinReason: string | undefined = 'first join';
  private assigned = false;
  /** The generation onJoinPrepare was last called for (once per generation, however many join attempts follow). */
  private preparedFor: Generation | undefined;
  private inGroupRequest = false;
  private readonly deadline: SessionDeadline;
  private failing = false;
  private callbacks: Promise<void> = Promise.resolve();
  private readonly wake = new Wakeup();
  private readonly stopWake = new Wakeup();
  private first: { promise: Promise<void>; resolve(): void; reject(e: Error): void } | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly o: GroupMemberOptions) {
    if (!(o.heartbeatIntervalMs > 0 && o.heartbeatIntervalMs < o.sessionTimeoutMs)) {
      throw new RangeError(`heartbeat.interval.ms (${o.heartbeatIntervalMs}) must be positive and below session.timeout.ms (${o.sessionTimeoutMs})`);
    }
    this.deadline = new SessionDeadline(o.sessionTimeoutMs, () => {
      this.generation = undefined;
      this.lose(`no answer from the group coordinator for session.timeout.ms (${o.sessionTimeoutMs} ms)`);
      this.rejoin('the group coordinator could not be reached');
    });
  }

  /**
   * Starts joining in the background. Resolves at the first assignment (after onAssigned was queued); rejects with
   * the DistributedError of a non-retriable failure, or PIPECTL_DISTRIBUTED_STOPPED when stop() comes first. Calling
   * it again returns the same promise.
   */
  start(): Promise<void> {
    if (this.first) return this.first.promise;
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => undefined); // the caller may not wait for it; a rejection is also reported through onFailed
    this.first = { promise, resolve, reject };
    if (this.stopped) reject(this.stoppedError());
    else {
      this.phase = 'joining';
      for (const loop of [this.joinLoop(), this.heartbeatLoop()]) {
        loop.catch((e: unknown) => this.o.logger.error(`group member loop failed: ${String(e)}`, { group: this.o.groupId }));
      }
    }
    return promise;
  }

  /**
   * Rejoins the group (JoinGroup with the same member id); a no-op after stop(). The coordinator starts a new
   * generation when the leader rejoins or when this member's protocols() metadata changed; a follower that rejoins
   * with unchanged metadata gets the current generation back (onAssigned again, same generationId) — as in Kafka.
   */
  requestRejoin(reason = 'requested by the worker'): void {
    if (!this.stopped) this.rejoin(reason);
  }

  /** Whether the member still holds its assignment by the clock (see SessionDeadline.valid). */
  assignmentValid(): boolean {
    return !this.stopped && this.deadline.valid();
  }

  /** Where the member stands; `generation` is the last completed one (undefined while it has none). */
  state(): { phase: MemberPhase; memberId: string; generation: Generation | undefined; isLeader: boolean } {
    const g = this.generation;
    return { phase: this.phase, memberId: this.memberId, generation: g, isLeader: g !== undefined && g.leaderId === g.memberId };
  }

  /**
   * Leaves the group at once (LeaveGroup, so that the others rebalance now rather than after the session timeout),
   * disconnects the port (waiting for requests in flight up to session.timeout.ms) and waits for a callback already
   * running — so do not await stop() inside a callback. Calls no callback itself: the owner stops its work. Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private get stopped(): boolean {
    return this.phase === 'stopped';
  }

  private async shutdown(): Promise<void> {
    this.phase = 'stopped';
    this.deadline.watch(false);
    this.deadline.dispose();
    this.wake.notify();
    this.stopWake.notify();
    this.first?.reject(this.stoppedError());
    const { memberId, coordinator } = this;
    if (memberId && coordinator) {
      try {
        await this.o.port.leaveGroup(coordinator, { groupId: this.o.groupId, memberId });
        this.o.logger.info('left the group', { group: this.o.groupId, member: memberId });
      } catch (e) {
        this.o.logger.debug(`LeaveGroup failed (the coordinator drops the member after session.timeout.ms): ${String(e)}`, { group: this.o.groupId });
      }
    }
    // The client waits for requests in flight before it disconnects; a JoinGroup of a member whose id is not known
    // yet (KIP-394's second join) can only end with the rebalance. Bounded, so that stop() does not wait for that.
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.o.sessionTimeoutMs)));
    await Promise.race([this.o.port.disconnect().catch(() => undefined), bound]);
    clearTimeout(timer);
    await this.callbacks;
  }

  private stoppedError(): DistributedError {
    return new DistributedError('PIPECTL_DISTRIBUTED_STOPPED', `the member of group "${this.o.groupId}" was stopped`);
  }

  private async joinLoop(): Promise<void> {
    let backoff = this.o.retryBackoffMs ?? 100;
    while (!this.stopped) {
      if (this.rejoinReason === undefined) {
        await this.wake.wait();
        continue;
      }
      const outcome = await this.joinRound(this.rejoinReason);
      if (outcome === 'later') {
        await this.wake.wait(backoff);
        backoff = Math.min(backoff * 2, this.o.retryBackoffMaxMs ?? 2000);
      } else backoff = this.o.retryBackoffMs ?? 100;
    }
  }

  /** onJoinPrepare, JoinGroup, the leader's assign, SyncGroup, onAssigned. */
  private async joinRound(reason: string): Promise<Outcome> {
    const { groupId, port } = this.o;
    if (this.phase === 'stable') this.phase = 'joining';
    const previous = this.generation;
    if (previous && this.preparedFor !== previous) {
      this.preparedFor = previous;
      void this.enqueue(() => this.o.onJoinPrepare?.({ reason, generation: previous }));
    }
    await this.callbacks;
    if (this.stopped) return 'done';
    let step = 'FindCoordinator';
    try {
      const coordinator = (this.coordinator ??= await port.findCoordinator(groupId));
      this.rejoinReason = undefined; // a rejoin requested from here on needs another round
      this.setInGroupRequest(true);
      step = 'JoinGroup';
      this.o.logger.debug('joining the group', { group: groupId, member: this.memberId || undefined, reason });
      const joinSentAt = Date.now();
      const protocols = this.o.protocols();
      const joined = await port.joinGroup(coordinator, { groupId, memberId: this.memberId, protocolType: this.o.protocolType ?? 'connect', protocols, sessionTimeoutMs: this.o.sessionTimeoutMs, rebalanceTimeoutMs: this.o.rebalanceTimeoutMs });
      if (this.stopped) return 'done';
      this.deadline.answered(joinSentAt);
      this.memberId = joined.memberId;
      this.generation = undefined; // the group is in a new generation; the old one cannot heartbeat any more
      const generation: Generation = { generationId: joined.generationId, memberId: joined.memberId, leaderId: joined.leaderId, protocol: joined.protocol };
      const assignments = generation.leaderId === generation.memberId ? this.leaderAssignments({ ...generation, members: joined.members }) : [];
      step = 'SyncGroup';
      const syncSentAt = Date.now();
      const assignment = await port.syncGroup(coordinator, { groupId, generationId: generation.generationId, memberId: generation.memberId, assignments });
      if (this.stopped) return 'done';
      this.generation = generation;
      this.assigned = true;
      this.failing = false;
      this.phase = 'stable';
      this.setInGroupRequest(false);
      this.deadline.answered(syncSentAt);
      this.deadline.watch(true);
      this.o.logger.info('joined the group', { group: groupId, member: generation.memberId, generation: generation.generationId, leader: generation.leaderId, protocol: generation.protocol });
      void this.enqueue(() => this.o.onAssigned(assignment, generation));
      this.first?.resolve();
      return 'done';
    } catch (e) {
      this.setInGroupRequest(false);
      if (this.stopped) return 'done';
      if (e instanceof DistributedError) return this.fail(e);
      this.rejoinReason ??= reason;
      return this.onGroupError(e, step);
    }
  }

  private leaderAssignments(input: LeaderInput): { memberId: string; assignment: Buffer }[] {
    try {
      return [...this.o.assign(input)].map(([memberId, assignment]) => ({ memberId, assignment }));
    } catch (e) {
      const message = `group "${this.o.groupId}": the assignor failed for generation ${input.generationId} (${input.members.length} members): ${(e as Error).message}`;
      throw new DistributedError('PIPECTL_DISTRIBUTED_ASSIGN_FAILED', message, { cause: e });
    }
  }

  private async heartbeatLoop(): Promise<void> {
    const { groupId, port } = this.o;
    while (!this.stopped) {
      await this.stopWake.wait(this.o.heartbeatIntervalMs);
      const generation = this.generation;
      if (this.stopped || !generation || this.inGroupRequest) continue;
      const sentAt = Date.now();
      try {
        const coordinator = (this.coordinator ??= await port.findCoordinator(groupId));
        await port.heartbeat(coordinator, { groupId, generationId: generation.generationId, memberId: generation.memberId });
        if (this.generation !== generation) continue;
        this.deadline.answered(sentAt);
        if (this.failing) this.o.logger.info('the group coordinator answers again', { group: groupId });
        this.failing = false;
      } catch (e) {
        if (!this.stopped && this.generation === generation) this.onGroupError(e, 'Heartbeat', sentAt);
      }
    }
  }

  /** Applies the answer table of the module comment; tells the join loop whether to retry now or after a back-off. */
  private onGroupError(error: unknown, step: string, sentAt?: number): Outcome {
    const { type, retriable } = this.o.port.classify(error);
    const fields = { group: this.o.groupId, member: this.memberId || undefined, error_type: type };
    const message = error instanceof Error ? error.message : String(error);
    switch (type) {
      case 'REBALANCE_IN_PROGRESS':
        if (sentAt !== undefined) this.deadline.answered(sentAt); // the coordinator still counts this member in
        this.rejoin('the group is rebalancing');
        return 'now';
      case 'ILLEGAL_GENERATION':
        this.generation = undefined;
        this.lose(`${step}: the group moved to a newer generation without this member`);
        this.rejoin('stale generation');
        return 'now';
      case 'UNKNOWN_MEMBER_ID':
        this.generation = undefined;
        this.lose(`${step}: the coordinator no longer knows member ${this.memberId}`);
        this.memberId = '';
        this.rejoin('unknown member id');
        return 'now';
      case 'NOT_COORDINATOR':
      case 'COORDINATOR_NOT_AVAILABLE':
      case 'COORDINATOR_LOAD_IN_PROGRESS':
        this.coordinator = undefined;
        this.o.logger.info(`${step}: finding the group coordinator again (${type})`, fields);
        return 'later';
    }
    if (!retriable) {
      const what = `group "${this.o.groupId}": ${step} failed${type ? ` with ${type}` : ''}: ${message}`;
      return this.fail(new DistributedError('PIPECTL_DISTRIBUTED_GROUP_REFUSED', what, { cause: error }));
    }
    this.coordinator = undefined;
    if (!this.failing) this.o.logger.warn(`${step} failed, retrying: ${message}`, fields);
    this.failing = true;
    return 'later';
  }

  private fail(error: DistributedError): Outcome {
    if (this.stopped) return 'done';
    this.o.logger.error(error.message, { group: this.o.groupId, code: error.code });
    this.first?.reject(error);
    this.o.onFailed?.(error);
    void this.stop();
    return 'done';
  }

  private rejoin(reason: string): void {
    this.rejoinReason ??= reason;
    this.wake.notify();
  }

  private lose(reason: string): void {
    this.deadline.watch(false);
    if (!this.assigned) return;
    this.assigned = false;
    this.o.logger.warn(`assignment lost: ${reason}`, { group: this.o.groupId, member: this.memberId || undefined });
    void this.enqueue(() => this.o.onLost?.(reason));
  }

  private setInGroupRequest(pending: boolean): void {
    this.inGroupRequest = pending;
    this.deadline.pause(pending);
  }

  /** Queues a callback after the ones before it; one that throws is logged. Skipped once the member stopped. */
  private enqueue(callback: () => void | Promise<void>): Promise<void> {
    this.callbacks = this.callbacks.then(async () => {
      if (this.stopped) return;
      try {
        await callback();
      } catch (e) {
        this.o.logger.error(`a group member callback threw: ${String(e)}`, { group: this.o.groupId });
      }
    });
    return this.callbacks;
  }
}
