/**
 * A consumer group's committed offsets through the admin client: listing them (for GET /connectors/{n}/offsets) and
 * altering or removing them while the group is empty (PATCH / DELETE of a STOPPED sink connector's offsets), as
 * Connect does with AdminClient.alterConsumerGroupOffsets / deleteConsumerGroupOffsets.
 *
 * kafkajs cannot send OffsetDelete, so removing offsets of some partitions deletes the (empty) group and commits the
 * offsets that remain; between the two calls the group has no offsets (a failure there is reported, and loses them).
 */
import { DataPlaneError } from '../data-plane/data-plane-error.js';
import type { TopicPartition } from '../data-plane/data-plane.js';
import type { AdminPort, ErrorInfo } from './port/kafka-port.js';

type Offset = TopicPartition & { offset: number };
type Change = TopicPartition & { offset: number | null };

/** Broker answers meaning "the group has members": an offset commit outside a generation, or DeleteGroups, refused. */
const GROUP_LIVE_ERRORS = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'NON_EMPTY_GROUP', 'REBALANCE_IN_PROGRESS']);

/** Internal topics (`__consumer_offsets`, …) are left out of listings and pattern subscriptions. */
export function isInternalTopic(name: string): boolean {
  return name.startsWith('__');
}

const byTopicPartition = (a: TopicPartition, b: TopicPartition): number => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);

/** The group's committed offsets on every non-internal topic, sorted by topic then partition. */
export async function listGroupOffsets(admin: AdminPort, groupId: string): Promise<Offset[]> {
  const topics = (await admin.listTopicNames()).filter((t) => !isInternalTopic(t));
  return (await admin.committedOffsets(groupId, topics)).sort(byTopicPartition);
}

/**
 * Sets (or, with null, removes) committed offsets of a group with no members. Throws DataPlaneError like the embedded log:
 * PIPECTL_LOG_INVALID_ARGUMENT (bad offset), PIPECTL_LOG_UNKNOWN_TOPIC / PIPECTL_LOG_UNKNOWN_PARTITION, and
 * PIPECTL_LOG_GROUP_NOT_EMPTY when the group has members.
 */
export async function alterGroupOffsets(admin: AdminPort, classify: (e: unknown) => ErrorInfo, groupId: string, changes: readonly Change[]): Promise<void> {
  for (const c of changes) {
    if (c.offset !== null && (!Number.isSafeInteger(c.offset) || c.offset < 0)) {
      throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `offset ${c.offset} must be a non-negative integer`);
    }
  }
  await checkPartitions(admin, changes);
  const state = await admin.groupState(groupId);
  if (state !== 'Empty' && state !== 'Dead') throw groupNotEmpty(groupId, state);
  const sets = changes.filter((c): c is Offset => c.offset !== null);
  const removed = new Set(changes.filter((c) => c.offset === null).map((c) => `${c.topic}\u0000${c.partition}`));
  try {
    if (removed.size === 0) {
      if (sets.length > 0) await admin.commitAsAdmin(groupId, sets);
      return;
    }
    const remaining = new Map<string, Offset>();
    for (const o of await listGroupOffsets(admin, groupId)) if (!removed.has(`${o.topic}\u0000${o.partition}`)) remaining.set(`${o.topic}\u0000${o.partition}`, o);
    for (const o of sets) remaining.set(`${o.topic}\u0000${o.partition}`, o);
    await admin.deleteGroup(groupId);
    if (remaining.size > 0) await admin.commitAsAdmin(groupId, [...remaining.values()]);
  } catch (e) {
    const type = classify(e).type;
    if (type && GROUP_LIVE_ERRORS.has(type)) throw groupNotEmpty(groupId, `refused with ${type}`);
    throw e;
  }
}

async function checkPartitions(admin: AdminPort, changes: readonly Change[]): Promise<void> {
  const topics = [...new Set(changes.map((c) => c.topic))];
  const shapes = new Map((await admin.topicShapes(topics)).map((s) => [s.name, s.partitions]));
  for (const c of changes) {
    const partitions = shapes.get(c.topic);
    if (partitions === undefined) throw new DataPlaneError('PIPECTL_LOG_UNKNOWN_TOPIC', `topic "${c.topic}" does not exist`);
    if (!Number.isSafeInteger(c.partition) || c.partition < 0 || c.partition >= partitions) {
      throw new DataPlaneError('PIPECTL_LOG_UNKNOWN_PARTITION', `topic "${c.topic}" has no partition ${c.partition}`);
    }
  }
}

function groupNotEmpty(groupId: string, state: string): DataPlaneError {
  return new DataPlaneError('PIPECTL_LOG_GROUP_NOT_EMPTY', `consumer group "${groupId}" has members (state ${state}); stop its consumers before altering offsets`);
}
