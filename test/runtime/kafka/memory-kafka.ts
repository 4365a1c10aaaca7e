/**
 * An in-memory twin of the Kafka client port (src/runtime/kafka/kafka-port.ts), for running the Kafka data plane
 * in-process: topics with their partition counts and overrides, committed offsets, and which groups have live members.
 * It refuses what a broker refuses with the broker's error names (`type`), as kafkajs reports them, so that the data
 * plane's translation of client errors is what runs. Records are acknowledged but not kept (nothing reads them back).
 */
import type { RecordMetadata, TopicPartition } from '../../../src/runtime/data-plane/data-plane.js';
import type { AdminPort, ErrorInfo, GroupConsumerHandlers, GroupConsumerPort, KafkaClientFactory, ProducerPort, TopicShape } from '../../../src/runtime/kafka/port/kafka-port.js';

type Offset = TopicPartition & { offset: number };

/** A broker's refusal as kafkajs raises it: Kafka's error name in `type`, and whether it is worth retrying. */
export function brokerError(type: string, message: string, retriable = false): Error {
  return Object.assign(new Error(message), { type, retriable });
}

const LEGAL_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const NUMERIC_CONFIGS = new Set(['retention.ms', 'retention.bytes', 'segment.bytes']);

export class MemoryKafka implements KafkaClientFactory {
  readonly topics = new Map<string, { partitions: number; replicationFactor: number; config: Record<string, string> }>();
  readonly offsets = new Map<string, Map<string, Offset>>();
  /** Live members per group (consumers that started and have not stopped). */
  readonly members = new Map<string, number>();
  /** While set, every send fails with a retriable error (the broker is away). */
  unreachable = false;

  classify(error: unknown): ErrorInfo {
    const { retriable, type } = (error ?? {}) as { retriable?: unknown; type?: unknown };
    return { retriable: retriable === true, ...(typeof type === 'string' ? { type } : {}) };
  }

  admin(): AdminPort {
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      clusterId: async () => 'memory-kafka',
      createTopic: async (name, partitions, replicationFactor, config) => {
        if (!LEGAL_NAME.test(name) || name === '.' || name === '..') throw brokerError('INVALID_TOPIC_EXCEPTION', `Topic name "${name}" is illegal`);
        if (replicationFactor > 1) throw brokerError('INVALID_REPLICATION_FACTOR', `Replication factor: ${replicationFactor} larger than available brokers: 1.`);
        this.checkConfigs(config);
        if (this.topics.has(name)) return false;
        this.topics.set(name, { partitions, replicationFactor, config: { ...config } });
        return true;
      },
      listTopicNames: async () => [...this.topics.keys()],
      topicShapes: async (names) => names.flatMap((name): TopicShape[] => {
        const t = this.topics.get(name);
        return t ? [{ name, partitions: t.partitions, replicationFactor: t.replicationFactor }] : [];
      }),
      topicConfigs: async (names) => new Map(names.flatMap((name): [string, Record<string, string>][] => {
        const t = this.topics.get(name);
        return t ? [[name, { ...t.config }]] : [];
      })),
      createPartitions: async (name, count) => {
        const t = this.topic(name);
        if (count <= t.partitions) throw brokerError('INVALID_PARTITIONS', `Topic currently has ${t.partitions} partitions, which is higher than the requested ${count}.`);
        t.partitions = count;
      },
      replaceTopicConfigs: async (name, config) => {
        const t = this.topic(name);
        this.checkConfigs(config);
        t.config = { ...config };
      },
      brokerDefaults: async () => ({ partitions: 1, replicationFactor: 1 }),
      committedOffsets: async (groupId, topics) => [...(this.offsets.get(groupId)?.values() ?? [])].filter((o) => topics.includes(o.topic)),
      groupState: async (groupId) => ((this.members.get(groupId) ?? 0) > 0 ? 'Stable' : this.offsets.has(groupId) ? 'Empty' : 'Dead'),
      commitAsAdmin: async (groupId, offsets) => {
        if ((this.members.get(groupId) ?? 0) > 0) throw brokerError('UNKNOWN_MEMBER_ID', 'The coordinator is not aware of this member.');
        const group = this.offsets.get(groupId) ?? new Map<string, Offset>();
        for (const o of offsets) group.set(`${o.topic}-${o.partition}`, { ...o });
        this.offsets.set(groupId, group);
      },
      deleteGroup: async (groupId) => {
        if ((this.members.get(groupId) ?? 0) > 0) throw brokerError('NON_EMPTY_GROUP', 'The group is not empty.');
        this.offsets.delete(groupId);
      },
    };
  }

  producer(): ProducerPort {
    const next = new Map<string, number>();
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async (records, choose): Promise<RecordMetadata[]> => {
        if (this.unreachable) throw brokerError('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED', true);
        const chosen = records.map((r, i) => ({ topic: r.topic, partition: choose(r, i, this.topics.get(r.topic)?.partitions ?? 0) }));
        return chosen.map(({ topic, partition }) => {
          const key = `${topic}-${partition}`;
          const offset = next.get(key) ?? 0;
          next.set(key, offset + 1);
          return { topic, partition, offset };
        });
      },
    };
  }

  consumer(_client: unknown, settings: { groupId: string }): GroupConsumerPort {
    let live = false;
    const leave = (): void => {
      if (live) this.members.set(settings.groupId, (this.members.get(settings.groupId) ?? 1) - 1);
      live = false;
    };
    return {
      start: async (topics: readonly string[], _fromBeginning: boolean, handlers: GroupConsumerHandlers) => {
        live = true;
        this.members.set(settings.groupId, (this.members.get(settings.groupId) ?? 0) + 1);
        const assignment = topics.flatMap((topic) => Array.from({ length: this.topics.get(topic)?.partitions ?? 0 }, (_, partition) => ({ topic, partition })));
        handlers.onJoined(assignment, `${settings.groupId}-member`);
      },
      commit: async () => undefined,
      seek: () => undefined,
      stop: async () => leave(),
    };
  }

  private topic(name: string): { partitions: number; replicationFactor: number; config: Record<string, string> } {
    const t = this.topics.get(name);
    if (!t) throw brokerError('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition.');
    return t;
  }

  private checkConfigs(config: Readonly<Record<string, string>>): void {
    for (const [key, value] of Object.entries(config)) {
      if (NUMERIC_CONFIGS.has(key) && !/^-?\d+$/.test(value)) throw brokerError('INVALID_CONFIG', `Invalid value ${value} for configuration ${key}: Not a number of type LONG`);
      if (key === 'cleanup.policy' && !value.split(',').every((p) => p === 'delete' || p === 'compact')) throw brokerError('INVALID_CONFIG', `Invalid value ${value} for configuration cleanup.policy`);
    }
  }
}
