/** GroupConsumerPort over a kafkajs consumer: events become handler calls; stale members are removed on restart. */
import type { Assigner, Cluster, Consumer } from 'kafkajs';
import type { StoredRecord, TopicPartition } from '../../data-plane/data-plane.js';
import type { ClientSettings, ConsumerSettings, FetchedBatch, GroupConsumerHandlers, GroupConsumerPort } from '../port/kafka-port.js';
import { AssignerProtocol } from './load.js';
import { rangeAssignment } from '../port/range-assignment.js';
import { NotCommittedError } from '../port/kafka-error.js';
import type { Kafka } from './load.js';
import { fromKafkaHeaders, retryOptions } from './common.js';
import type { RawCluster } from './common.js';



export class KafkajsGroupConsumer implements GroupConsumerPort {
  private readonly consumer: Consumer;
  private cluster: RawCluster | undefined;
  private commits = 0;

  constructor(
    kafka: InstanceType<typeof Kafka>,
    private readonly settings: ConsumerSettings,
    retry: ClientSettings['retry'],
  ) {
    const s = settings;
    this.consumer = kafka.consumer({
      groupId: s.groupId,
      allowAutoTopicCreation: true,
      // The consumer hands its Cluster to assigner factories: kept for LeaveGroup of a stale member id.
      partitionAssigners: [
        (ctx) => {
          this.cluster = (ctx as unknown as { cluster: RawCluster }).cluster;
          return rangeAssigner(ctx.cluster);
        },
      ],
      // kafkajs restarts a crashed consumer as a new member, and may do so after disconnect(): the owner restarts it.
      retry: { ...retryOptions(retry), restartOnFailure: async () => false },
      ...(s.sessionTimeoutMs !== undefined ? { sessionTimeout: s.sessionTimeoutMs } : {}),
      ...(s.rebalanceTimeoutMs !== undefined ? { rebalanceTimeout: s.rebalanceTimeoutMs } : {}),
      ...(s.heartbeatIntervalMs !== undefined ? { heartbeatInterval: s.heartbeatIntervalMs } : {}),
      ...(s.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: s.maxBytesPerPartition } : {}),
      ...(s.maxBytes !== undefined ? { maxBytes: s.maxBytes } : {}),
      ...(s.minBytes !== undefined ? { minBytes: s.minBytes } : {}),
      ...(s.maxWaitTimeMs !== undefined ? { maxWaitTimeInMs: s.maxWaitTimeMs } : {}),
      readUncommitted: s.readUncommitted ?? false,
    });
    this.consumer.on(this.consumer.events.COMMIT_OFFSETS, () => void this.commits++);
  }

  async start(topics: readonly string[], fromBeginning: boolean, handlers: GroupConsumerHandlers, staleMemberId?: string): Promise<void> {
    const c = this.consumer;
    c.on(c.events.GROUP_JOIN, (e) => handlers.onJoined(Object.entries(e.payload.memberAssignment).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition }))), e.payload.memberId));
    c.on(c.events.REBALANCING, () => handlers.onRebalancing());
    c.on(c.events.CRASH, (e) => handlers.onCrash(e.payload.error));
    await c.connect();
    if (staleMemberId) await this.leave(staleMemberId);
    await c.subscribe({ topics: [...topics], fromBeginning });
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isStale }) => {
        const records: StoredRecord[] = batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: Number(m.offset),
          key: m.key,
          value: m.value,
          headers: fromKafkaHeaders(m.headers),
          timestamp: Number(m.timestamp),
        }));
        const fetched: FetchedBatch = {
          topic: batch.topic,
          partition: batch.partition,
          records,
          lastOffset: Number(batch.lastOffset()),
          highWatermark: Number(batch.highWatermark),
          isStale,
          resolveOffset: (offset) => resolveOffset(String(offset)),
          heartbeat,
        };
        await handlers.onBatch(fetched);
      },
    });
  }

  /** Removes a member id left behind by a crashed client; "unknown member" means it is already gone. */
  private async leave(memberId: string): Promise<void> {
    if (!this.cluster) return;
    try {
      const coordinator = await this.cluster.findGroupCoordinator({ groupId: this.settings.groupId });
      await coordinator.leaveGroup({ groupId: this.settings.groupId, memberId });
    } catch {
      // Best effort: otherwise the join waits until the stale member's session times out.
    }
  }

  async commit(offsets: readonly (TopicPartition & { offset: number })[]): Promise<void> {
    if (offsets.length === 0) return;
    const before = this.commits;
    await this.consumer.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })));
    if (this.commits === before) throw new NotCommittedError();
  }

  seek(tp: TopicPartition, offset: number): void {
    this.consumer.seek({ topic: tp.topic, partition: tp.partition, offset: String(offset) });
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}


/**
 * The `range` assigner (Kafka's RangeAssignor) in kafkajs's assigner shape: a group that also has Java consumers
 * (a Java Connect worker's sink task) can only form when every member offers a common protocol name, and the Java
 * consumer offers `range` and `cooperative-sticky`. Subscriptions and assignments use the consumer protocol's version 0
 * (Java reads it, and kafkajs reads the prefix of Java's later versions).
 */
function rangeAssigner(cluster: Pick<Cluster, 'findTopicPartitionMetadata'>): Assigner {
  const version = 0;
  return {
    name: 'range',
    version,
    async assign({ members, topics }) {
      const subscriptions = members.map((m) => ({ memberId: m.memberId, topics: AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? topics }));
      const plan = rangeAssignment(subscriptions, (topic) => cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId));
      return members.map((m) => ({
        memberId: m.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version, assignment: plan.get(m.memberId) ?? {}, userData: Buffer.alloc(0) }),
      }));
    },
    protocol({ topics }) {
      return { name: 'range', metadata: AssignerProtocol.MemberMetadata.encode({ version, topics, userData: Buffer.alloc(0) }) };
    },
  };
}
