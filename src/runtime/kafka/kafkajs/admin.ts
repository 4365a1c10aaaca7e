/** AdminPort over the kafkajs admin client, plus the offset commit outside a generation it has no public API for. */
import type { Admin } from 'kafkajs';
import type { TopicPartition } from '../../data-plane/data-plane.js';
import type { AdminPort, TopicShape } from '../port/kafka-port.js';
import { InternalError } from '../../../diag/internal-error.js';
import { createTopicsAndAwaitLeaders } from './create-topics.js';
import { ConfigResourceTypes, PartitionAssigners } from './load.js';
import type { Kafka } from './load.js';
import type { RawCluster } from './common.js';

export class KafkajsAdmin implements AdminPort {
  private readonly admin: Admin;
  private cluster: RawCluster | undefined;

  constructor(private readonly kafka: InstanceType<typeof Kafka>) {
    this.admin = kafka.admin();
  }

  connect(): Promise<void> {
    return this.admin.connect();
  }

  async disconnect(): Promise<void> {
    await this.admin.disconnect();
    await this.cluster?.disconnect();
  }

  async createTopic(name: string, partitions: number, replicationFactor: number, config: Readonly<Record<string, string>>): Promise<boolean> {
    const configEntries = Object.entries(config).map(([n, value]) => ({ name: n, value }));
    try {
      return await createTopicsAndAwaitLeaders(this.admin, [{ topic: name, numPartitions: partitions, replicationFactor, configEntries }]);
    } catch (e) {
      throw (e as { errors?: unknown[] }).errors?.[0] ?? e; // an aggregate of one error per topic
    }
  }

  async clusterId(): Promise<string> {
    return (await this.admin.describeCluster()).clusterId;
  }

  listTopicNames(): Promise<string[]> {
    return this.admin.listTopics();
  }

  async topicShapes(names: readonly string[]): Promise<TopicShape[]> {
    const existing = new Set(await this.admin.listTopics());
    const wanted = names.filter((n) => existing.has(n));
    if (wanted.length === 0) return [];
    const { topics } = await this.admin.fetchTopicMetadata({ topics: wanted });
    return topics.map((t) => ({ name: t.name, partitions: t.partitions.length, replicationFactor: t.partitions[0]?.replicas.length ?? 0 }));
  }

  async topicConfigs(names: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>();
    if (names.length === 0) return out;
    const { resources } = await this.admin.describeConfigs({ includeSynonyms: false, resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })) });
    for (const r of resources) {
      const config: Record<string, string> = {};
      // configSource 1 = TOPIC_CONFIG: set on the topic, not inherited from the broker.
      for (const e of r.configEntries as { configName: string; configValue: string | null; configSource?: number }[]) {
        if (e.configSource === 1 && e.configValue !== null) config[e.configName] = e.configValue;
      }
      out.set(r.resourceName, config);
    }
    return out;
  }

  async createPartitions(name: string, count: number): Promise<void> {
    await this.admin.createPartitions({ topicPartitions: [{ topic: name, count }] });
  }

  /**
   * kafkajs 2.2.4 has no IncrementalAlterConfigs, so this is the classic AlterConfigs, which sets the complete list of
   * a topic's overrides at once (the data plane reads the current ones and sends them back with its changes).
   */
  async replaceTopicConfigs(name: string, config: Readonly<Record<string, string>>): Promise<void> {
    const configEntries = Object.entries(config).map(([n, value]) => ({ name: n, value }));
    await this.admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name, configEntries }] });
  }

  async brokerDefaults(): Promise<{ partitions: number; replicationFactor: number }> {
    const { brokers } = await this.admin.describeCluster();
    const nodeId = brokers[0]?.nodeId;
    if (nodeId === undefined) return { partitions: 1, replicationFactor: 1 };
    const { resources } = await this.admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(nodeId), configNames: ['num.partitions', 'default.replication.factor'] }],
    });
    const value = (name: string): number => Number(resources[0]?.configEntries.find((e) => e.configName === name)?.configValue ?? 1) || 1;
    return { partitions: value('num.partitions'), replicationFactor: Math.min(value('default.replication.factor'), brokers.length) };
  }

  async committedOffsets(groupId: string, topics: readonly string[]): Promise<(TopicPartition & { offset: number })[]> {
    if (topics.length === 0) return [];
    const fetched = await this.admin.fetchOffsets({ groupId, topics: [...topics] });
    return fetched.flatMap(({ topic, partitions }) => partitions.map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) })).filter((o) => o.offset >= 0));
  }

  async groupState(groupId: string): Promise<string> {
    const { groups } = await this.admin.describeGroups([groupId]);
    return groups.find((g) => g.groupId === groupId)?.state ?? 'Dead';
  }

  async commitAsAdmin(groupId: string, offsets: readonly (TopicPartition & { offset: number })[]): Promise<void> {
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const o of offsets) {
      let list = byTopic.get(o.topic);
      if (!list) byTopic.set(o.topic, (list = []));
      list.push({ partition: o.partition, offset: String(o.offset) });
    }
    const coordinator = await (await this.rawCluster()).findGroupCoordinator({ groupId });
    // Generation -1 and no member id: the broker accepts it only for a group without members.
    await coordinator.offsetCommit({ groupId, groupGenerationId: -1, memberId: '', topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) });
  }

  async deleteGroup(groupId: string): Promise<void> {
    try {
      await this.admin.deleteGroups([groupId]);
    } catch (e) {
      const inner = (e as { groups?: { error?: { type?: string } }[] }).groups?.[0]?.error;
      if (inner?.type === 'GROUP_ID_NOT_FOUND') return;
      throw inner ?? e;
    }
  }

  /**
   * kafkajs's Cluster is not public; its consumer hands one to each partition-assigner factory, synchronously, when
   * the consumer is created (see /work/shared/reference/kafka-broker-and-groups.md A1). This consumer never connects.
   */
  private async rawCluster(): Promise<RawCluster> {
    if (this.cluster) return this.cluster;
    let cluster: RawCluster | undefined;
    this.kafka.consumer({
      groupId: 'pipectl-admin-unused',
      partitionAssigners: [
        (ctx) => {
          cluster = (ctx as unknown as { cluster: RawCluster }).cluster;
          return PartitionAssigners.roundRobin(ctx);
        },
      ],
    });
    if (!cluster) throw new InternalError('kafkajs did not hand over its cluster (unexpected kafkajs version?)');
    await cluster.connect();
    this.cluster = cluster;
    return cluster;
  }
}

/** The Kafka client factory over kafkajs; kafkajs's own logs go to `logger.debug`. */
