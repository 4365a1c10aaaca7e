/**
 * Partition assignment for a consumer group — a pure function, Kafka's RoundRobinAssignor: every partition of every
 * subscribed topic, sorted by (topic, partition), is dealt to the members sorted by clientId, skipping members that do
 * not subscribe to the partition's topic.
 */
import type { TopicPartition } from '../data-plane/data-plane.js';

export interface AssignableMember {
  readonly clientId: string;
  subscribes(topic: string): boolean;
}

export interface TopicShape {
  name: string;
  partitions: number;
}

/** Maps each member's clientId to its partitions (every member gets an entry, possibly empty). */
export function assignRoundRobin(members: readonly AssignableMember[], topics: readonly TopicShape[]): Map<string, TopicPartition[]> {
  const sorted = [...members].sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
  const result = new Map<string, TopicPartition[]>(sorted.map((m) => [m.clientId, []]));
  if (sorted.length === 0) return result;
  const byName = [...topics].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let cursor = 0;
  for (const topic of byName) {
    const subscribers = sorted.filter((m) => m.subscribes(topic.name));
    if (subscribers.length === 0) continue;
    for (let partition = 0; partition < topic.partitions; partition++) {
      // Advance the shared cursor to the next member (in clientId order) that subscribes to this topic.
      let member = sorted[cursor % sorted.length]!;
      while (!member.subscribes(topic.name)) member = sorted[++cursor % sorted.length]!;
      cursor++;
      result.get(member.clientId)!.push({ topic: topic.name, partition });
    }
  }
  return result;
}
