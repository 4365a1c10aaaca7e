/**
 * Topic creation that waits until every new partition has a leader, tolerating the broker that answers metadata before
 * it has learned of the topic.
 *
 * kafkajs's `createTopics({ waitForLeaders: true })` retries only LEADER_NOT_AVAILABLE. On a KRaft broker the
 * CreateTopics answer comes from the controller, and the broker serving the next Metadata request can still answer
 * UNKNOWN_TOPIC_OR_PARTITION for a moment (its metadata cache has not applied the record yet); kafkajs then fails the
 * whole call for a topic that was in fact created. Seen on a busy CI machine: "This server does not host this
 * topic-partition" from a worker's first start and from a test creating its topic.
 */
import type { Admin, ITopicConfig } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaError } from '../port/kafka-error.js';

/** The errors a just-created topic may show until every broker has applied its metadata. */
const NOT_YET_VISIBLE = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/** True when the topics were created, false when they all existed already (as kafkajs's createTopics). */
export async function createTopicsAndAwaitLeaders(admin: Admin, topics: ITopicConfig[], timeoutMs = 30_000): Promise<boolean> {
  const created = await admin.createTopics({ waitForLeaders: false, topics });
  if (created) await awaitLeaders(admin, topics.map((t) => t.topic), timeoutMs);
  return created;
}

async function awaitLeaders(admin: Admin, names: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 1_000)) {
    let missing: string;
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const led = (name: string): boolean => {
        const partitions = topics.find((t) => t.name === name)?.partitions ?? [];
        return partitions.length > 0 && partitions.every((p) => p.leader >= 0);
      };
      const waiting = names.filter((n) => !led(n));
      if (waiting.length === 0) return;
      missing = `no leader yet for ${waiting.join(', ')}`;
    } catch (e) {
      if (!NOT_YET_VISIBLE.has((e as { type?: string }).type ?? '')) throw e;
      missing = (e as Error).message;
    }
    if (Date.now() >= deadline) throw new KafkaError('PIPECTL_KAFKA_TOPIC_NOT_READY', `created topics ${names.join(', ')} but they had no leader within ${timeoutMs} ms (${missing})`);
    await sleep(delayMs);
  }
}
