/**
 * The in-process group coordinator: which open consumer owns which partition, and each group's committed offsets.
 * A group rebalances (round-robin, see assignment.ts) when a member joins or leaves and when a topic is created;
 * members learn their partitions through assign(). Committed offsets are kept in memory and persisted by
 * GroupOffsetStore; groups with no open member keep theirs.
 */
import { join } from 'node:path';
import { assignRoundRobin } from './assignment.js';
import type { AssignableMember, TopicShape } from './assignment.js';
import { DataPlaneError } from '../data-plane/data-plane-error.js';
import { GroupOffsetStore } from './offset-store.js';
import type { CommittedOffset } from './offset-store.js';
import type { TopicPartition } from '../data-plane/data-plane.js';

/** A consumer as the coordinator sees it. */
export interface GroupMember extends AssignableMember {
  /** Receives the member's partitions after each rebalance that concerns it (synchronously). */
  assign(partitions: readonly TopicPartition[]): void;
}

/** The key of a partition in maps: `topic-partition`, like Kafka's TopicPartition.toString(). */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/**
 * A committed offset or consumer position moved because it was outside the partition's log: past the log end (the
 * log lost its tail — a power loss under fsync 'interval'/'never', or a repair cut — so the offsets up to the old
 * position will be reused by new records) or before the log start (retention).
 */
export interface OffsetReset {
  groupId: string;
  topic: string;
  partition: number;
  /** The committed offset or position that was out of range. */
  from: number;
  /** Where it was moved. */
  to: number;
  reason: 'past-log-end' | 'before-log-start';
  /** 'open': a committed offset corrected when the log opened; 'fetch': a consumer's position at a fetch. */
  at: 'open' | 'fetch';
}

interface GroupState {
  members: Map<string, GroupMember>;
  /** partitionKey → clientId of the owner. */
  owners: Map<string, string>;
  committed: Map<string, CommittedOffset>;
}

export class GroupCoordinator {
  private readonly groups = new Map<string, GroupState>();
  private store!: GroupOffsetStore;

  private constructor(private readonly topics: () => readonly TopicShape[]) {}

  /** Loads committed offsets from `<root>/groups`. `topics` lists the topics to assign from. */
  static async open(root: string, topics: () => readonly TopicShape[]): Promise<GroupCoordinator> {
    const coordinator = new GroupCoordinator(topics);
    const { store, groups } = await GroupOffsetStore.open(join(root, 'groups'), (id) => coordinator.committedOffsets(id));
    coordinator.store = store;
    for (const [groupId, offsets] of groups) {
      const state = coordinator.group(groupId);
      for (const o of offsets) state.committed.set(partitionKey(o.topic, o.partition), { ...o });
    }
    return coordinator;
  }

  private group(groupId: string): GroupState {
    let state = this.groups.get(groupId);
    if (!state) {
      state = { members: new Map(), owners: new Map(), committed: new Map() };
      this.groups.set(groupId, state);
    }
    return state;
  }

  /** Adds a member and rebalances. Throws DataPlaneError(PIPECTL_LOG_DUPLICATE_MEMBER) if its clientId is taken. */
  join(groupId: string, member: GroupMember): void {
    const state = this.group(groupId);
    if (state.members.has(member.clientId)) {
      throw new DataPlaneError('PIPECTL_LOG_DUPLICATE_MEMBER', `group "${groupId}" already has an open consumer "${member.clientId}"`);
    }
    state.members.set(member.clientId, member);
    this.rebalance(state);
  }

  /** Removes a member (no-op if absent) and gives its partitions to the others. */
  leave(groupId: string, member: GroupMember): void {
    const state = this.groups.get(groupId);
    if (!state || state.members.get(member.clientId) !== member) return;
    state.members.delete(member.clientId);
    this.rebalance(state);
  }

  /** Rebalances every group with members — called when topics appear. */
  topicsChanged(): void {
    for (const state of this.groups.values()) if (state.members.size > 0) this.rebalance(state);
  }

  private rebalance(state: GroupState): void {
    const assignment = assignRoundRobin([...state.members.values()], this.topics());
    state.owners.clear();
    for (const [clientId, partitions] of assignment) {
      for (const tp of partitions) state.owners.set(partitionKey(tp.topic, tp.partition), clientId);
    }
    for (const [clientId, partitions] of assignment) state.members.get(clientId)!.assign(partitions);
  }

  /** The group's committed offset (next offset to read) for a partition, or undefined. */
  committedOffset(groupId: string, topic: string, partition: number): number | undefined {
    return this.groups.get(groupId)?.committed.get(partitionKey(topic, partition))?.offset;
  }

  /** All committed offsets of a group, sorted by topic then partition (empty for an unknown group). */
  committedOffsets(groupId: string): CommittedOffset[] {
    const state = this.groups.get(groupId);
    if (!state) return [];
    return [...state.committed.values()]
      .map((o) => ({ ...o }))
      .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  }

  /**
   * Commits offsets for partitions the member owns; durable when it resolves. Throws DataPlaneError(PIPECTL_LOG_NOT_OWNER),
   * committing nothing, when any partition is not owned by `member` (the group rebalanced since it was read).
   */
  async commit(groupId: string, member: GroupMember, offsets: readonly CommittedOffset[]): Promise<void> {
    const state = this.group(groupId);
    const notOwned = offsets.filter((o) => state.owners.get(partitionKey(o.topic, o.partition)) !== member.clientId);
    if (notOwned.length > 0 || state.members.get(member.clientId) !== member) {
      const list = notOwned.map((o) => partitionKey(o.topic, o.partition)).join(', ');
      throw new DataPlaneError('PIPECTL_LOG_NOT_OWNER', `consumer "${member.clientId}" of group "${groupId}" does not own ${list || 'any partition'}`);
    }
    for (const o of offsets) checkOffset(o.offset);
    if (offsets.length === 0) return;
    for (const o of offsets) state.committed.set(partitionKey(o.topic, o.partition), { topic: o.topic, partition: o.partition, offset: o.offset });
    await this.store.save(groupId);
  }

  /**
   * Sets (or, with a null offset, removes) committed offsets of a group that has no open consumer.
   * Throws DataPlaneError(PIPECTL_LOG_GROUP_NOT_EMPTY) when it has one. Partitions are validated by the caller.
   */
  async alter(groupId: string, offsets: readonly (TopicPartition & { offset: number | null })[]): Promise<void> {
    const state = this.group(groupId);
    if (state.members.size > 0) {
      throw new DataPlaneError('PIPECTL_LOG_GROUP_NOT_EMPTY', `group "${groupId}" has ${state.members.size} open consumer(s); stop them before altering offsets`);
    }
    for (const o of offsets) if (o.offset !== null) checkOffset(o.offset);
    for (const o of offsets) {
      const key = partitionKey(o.topic, o.partition);
      if (o.offset === null) state.committed.delete(key);
      else state.committed.set(key, { topic: o.topic, partition: o.partition, offset: o.offset });
    }
    await this.store.save(groupId);
  }

  /**
   * Moves every committed offset past its partition's log end to that end, and persists the groups changed. Offsets
   * up to the old committed offset were consumed; the records past the new end are gone, and new records will reuse
   * their offsets, so the consumer must resume at the end — not at the old offset (new records would be skipped) and
   * not at the log start (the whole partition would be replayed). `endOf` is undefined for unknown partitions, which
   * are left alone.
   */
  async resetPastLogEnd(endOf: (topic: string, partition: number) => number | undefined): Promise<OffsetReset[]> {
    const resets: OffsetReset[] = [];
    for (const [groupId, state] of this.groups) {
      let changed = false;
      for (const o of state.committed.values()) {
        const end = endOf(o.topic, o.partition);
        if (end === undefined || o.offset <= end) continue;
        resets.push({ groupId, topic: o.topic, partition: o.partition, from: o.offset, to: end, reason: 'past-log-end', at: 'open' });
        o.offset = end;
        changed = true;
      }
      if (changed) await this.store.save(groupId);
    }
    return resets;
  }

  /** Waits for offset writes in flight. */
  close(): Promise<void> {
    return this.store.close();
  }
}

function checkOffset(offset: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `offset ${offset} must be a non-negative integer`);
  }
}
