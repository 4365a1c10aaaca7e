/**
 * Raw cluster access for distributed mode (RawClusterPort in kafka-port.ts): Connect's group membership and internal
 * topic reads over kafkajs's Cluster and Broker.
 *
 * The Cluster is taken from the partition-assigner factory of a consumer that never connects (as KafkajsAdmin does),
 * not from the deep import `kafkajs/src/cluster/index.js`: that way kafkajs's own client builds it from the same
 * config as every other client here (logger, retry, SSL/SASL, socket factory, request timeouts) and nothing depends on
 * kafkajs's file layout; the deep import would also need its constructor options re-assembled by hand. The Broker
 * methods used are public in kafkajs's source (JSDoc @public) but missing from its index.d.ts, hence the local
 * declarations below, checked against kafkajs 2.2.4 (pinned exactly in package.json). Contract-tested against a real
 * broker by test/runtime/distributed/*.test.ts.
 */
import type { IHeaders } from 'kafkajs';
import type { StoredRecord } from '../../data-plane/data-plane.js';
import type { Logger } from '../../logger.js';
import type { ErrorInfo } from '../port/kafka-port.js';
import { InternalError } from '../../../diag/internal-error.js';
import { Kafka, PartitionAssigners } from './load.js';
import { classifyKafkaError, fromKafkaHeaders, kafkaConfig } from './common.js';
import type {
  FetchedPartition,
  FetchOptions,
  GenerationMember,
  GroupCoordinator,
  GroupDescription,
  JoinGroupRequest,
  JoinGroupResponse,
  PartitionPosition,
  RawClusterFactory,
  RawClusterPort,
  SyncGroupRequest,
} from '../port/kafka-port.js';

/** A record as kafkajs's RecordBatch decoder returns it (fetch responses). */
interface KafkajsFetchedRecord {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  headers?: IHeaders;
  isControlRecord: boolean;
  batchContext: { firstOffset: string; lastOffsetDelta: number };
}

/** kafkajs 2.2.4 `src/broker/index.js`: the methods used here, with the shapes of their parsed responses. */
interface KafkajsBroker {
  joinGroup(request: {
    groupId: string;
    sessionTimeout: number;
    rebalanceTimeout: number;
    memberId: string;
    protocolType: string;
    groupProtocols: { name: string; metadata: Buffer }[];
  }): Promise<{ generationId: number; groupProtocol: string; leaderId: string; memberId: string; members: { memberId: string; memberMetadata: Buffer | null }[] }>;
  syncGroup(request: { groupId: string; generationId: number; memberId: string; groupAssignment: { memberId: string; memberAssignment: Buffer }[] }): Promise<{ memberAssignment: Buffer | null }>;
  heartbeat(request: { groupId: string; groupGenerationId: number; memberId: string }): Promise<unknown>;
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
  describeGroups(request: { groupIds: string[] }): Promise<{
    groups: { groupId: string; state: string; protocolType: string; protocol: string; members: { memberId: string; clientId: string; clientHost: string }[] }[];
  }>;
  listOffsets(request: { replicaId: number; isolationLevel: number; topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[] }): Promise<{
    responses: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }>;
  fetch(request: {
    replicaId: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: { partition: number; highWatermark: string; messages: KafkajsFetchedRecord[] }[] }[] }>;
}

/** kafkajs 2.2.4 `src/cluster/index.js`: the methods used here. */
interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number }[];
  /** Partitions by leader node id. */
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(request: { nodeId: number | string }): Promise<KafkajsBroker>;
  findGroupCoordinatorMetadata(request: { groupId: string; coordinatorType: number }): Promise<{ coordinator: { nodeId: number; host: string; port: number } }>;
}

const READ_UNCOMMITTED = 0;
const GROUP_COORDINATOR = 0;
/** ListOffsets timestamps that ask for the log start / log end offset. */
const EARLIEST_TIMESTAMP = -2;
const LATEST_TIMESTAMP = -1;
const DEFAULT_PARTITION_MAX_BYTES = 1_048_576;
const DEFAULT_FETCH_MAX_BYTES = 52_428_800;

/** kafkajs names some errors as Kafka did before 2.x; the raw port speaks Kafka's current names. */
const CURRENT_ERROR_NAMES: Readonly<Record<string, string>> = {
  NOT_COORDINATOR_FOR_GROUP: 'NOT_COORDINATOR',
  GROUP_COORDINATOR_NOT_AVAILABLE: 'COORDINATOR_NOT_AVAILABLE',
  GROUP_LOAD_IN_PROGRESS: 'COORDINATOR_LOAD_IN_PROGRESS',
  NOT_LEADER_FOR_PARTITION: 'NOT_LEADER_OR_FOLLOWER',
};

/** classifyKafkaError with Kafka's current error names. */
export function classifyRawClusterError(error: unknown): ErrorInfo {
  const info = classifyKafkaError(error);
  const current = info.type === undefined ? undefined : CURRENT_ERROR_NAMES[info.type];
  return current ? { ...info, type: current } : info;
}

/** Errors after which the cached partition leaders may be wrong. */
const STALE_LEADERS = new Set(['NOT_LEADER_OR_FOLLOWER', 'LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH']);

/** A Cluster of its own (own connections), built by kafkajs from `kafka`'s config; it never auto-creates topics. */
function captureCluster(kafka: InstanceType<typeof Kafka>): KafkajsCluster {
  let cluster: KafkajsCluster | undefined;
  kafka.consumer({
    groupId: 'pipectl-raw-cluster-unused',
    allowAutoTopicCreation: false,
    readUncommitted: true,
    partitionAssigners: [
      (ctx) => {
        cluster = (ctx as unknown as { cluster: KafkajsCluster }).cluster;
        return PartitionAssigners.roundRobin(ctx);
      },
    ],
  });
  if (!cluster) throw new InternalError('kafkajs did not hand over its cluster (unexpected kafkajs version?)');
  return cluster;
}

/**
 * Records of one fetched partition. The next offset comes from the batches (firstOffset + lastOffsetDelta + 1), so a
 * batch whose last records were compacted away is not fetched again.
 */
function fetchedPartition(topic: string, fetchOffset: number, p: { partition: number; highWatermark: string; messages: KafkajsFetchedRecord[] }): FetchedPartition {
  let nextOffset = fetchOffset;
  const records: StoredRecord[] = [];
  for (const m of p.messages) {
    nextOffset = Math.max(nextOffset, Number(m.batchContext.firstOffset) + m.batchContext.lastOffsetDelta + 1);
    const offset = Number(m.offset);
    if (m.isControlRecord || offset < fetchOffset) continue;
    records.push({ topic, partition: p.partition, offset, key: m.key, value: m.value, headers: fromKafkaHeaders(m.headers), timestamp: Number(m.timestamp) });
  }
  return { partition: p.partition, records, nextOffset, highWatermark: Number(p.highWatermark) };
}

class KafkajsRawCluster implements RawClusterPort {
  private readonly cluster: KafkajsCluster;
  /** JoinGroup/SyncGroup requests in flight: a LeaveGroup on the same connection would wait behind them. */
  private blocking = 0;

  constructor(private readonly kafka: InstanceType<typeof Kafka>) {
    this.cluster = captureCluster(kafka);
  }

  async connect(): Promise<void> {
    await this.cluster.connect();
    await this.cluster.refreshMetadataIfNecessary();
  }

  disconnect(): Promise<void> {
    return this.cluster.disconnect();
  }

  classify(error: unknown): ErrorInfo {
    return classifyRawClusterError(error);
  }

  async findCoordinator(groupId: string): Promise<GroupCoordinator> {
    await this.connect();
    const { coordinator } = await this.cluster.findGroupCoordinatorMetadata({ groupId, coordinatorType: GROUP_COORDINATOR });
    return { groupId, nodeId: coordinator.nodeId, host: coordinator.host, port: coordinator.port };
  }

  async joinGroup(coordinator: GroupCoordinator, r: JoinGroupRequest): Promise<JoinGroupResponse> {
    const broker = await this.broker(coordinator.nodeId);
    this.blocking++;
    try {
      const response = await broker.joinGroup({
        groupId: r.groupId,
        sessionTimeout: r.sessionTimeoutMs,
        rebalanceTimeout: r.rebalanceTimeoutMs,
        memberId: r.memberId,
        protocolType: r.protocolType,
        groupProtocols: r.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
      });
      return {
        generationId: response.generationId,
        protocol: response.groupProtocol,
        leaderId: response.leaderId,
        memberId: response.memberId,
        members: response.members.map((m) => ({ memberId: m.memberId, metadata: m.memberMetadata ?? Buffer.alloc(0) })),
      };
    } finally {
      this.blocking--;
    }
  }

  async syncGroup(coordinator: GroupCoordinator, r: SyncGroupRequest): Promise<Buffer> {
    const broker = await this.broker(coordinator.nodeId);
    this.blocking++;
    try {
      const groupAssignment = r.assignments.map((a) => ({ memberId: a.memberId, memberAssignment: a.assignment }));
      const response = await broker.syncGroup({ groupId: r.groupId, generationId: r.generationId, memberId: r.memberId, groupAssignment });
      return response.memberAssignment ?? Buffer.alloc(0);
    } finally {
      this.blocking--;
    }
  }

  async heartbeat(coordinator: GroupCoordinator, m: GenerationMember): Promise<void> {
    await (await this.broker(coordinator.nodeId)).heartbeat({ groupId: m.groupId, groupGenerationId: m.generationId, memberId: m.memberId });
  }

  async leaveGroup(coordinator: GroupCoordinator, member: { groupId: string; memberId: string }): Promise<void> {
    if (this.blocking === 0) {
      await (await this.broker(coordinator.nodeId)).leaveGroup(member);
      return;
    }
    // The broker answers one request per connection at a time: a pending JoinGroup would hold this one back.
    const side = captureCluster(this.kafka);
    try {
      await side.connect();
      await side.refreshMetadata();
      await (await side.findBroker({ nodeId: coordinator.nodeId })).leaveGroup(member);
    } finally {
      await side.disconnect().catch(() => undefined);
    }
  }

  async describeGroup(groupId: string): Promise<GroupDescription> {
    const coordinator = await this.findCoordinator(groupId);
    const { groups } = await (await this.broker(coordinator.nodeId)).describeGroups({ groupIds: [groupId] });
    const g = groups.find((x) => x.groupId === groupId);
    if (!g) return { groupId, state: 'Dead', protocolType: '', protocol: '', members: [] };
    return { groupId, state: g.state, protocolType: g.protocolType, protocol: g.protocol, members: g.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, clientHost: m.clientHost })) };
  }

  async partitionCount(topic: string): Promise<number> {
    return this.withLeaders(async () => {
      await this.cluster.addTargetTopic(topic);
      return this.cluster.findTopicPartitionMetadata(topic).length;
    });
  }

  async listOffsets(topic: string, partitions: readonly number[], which: 'earliest' | 'latest'): Promise<Map<number, number>> {
    const timestamp = which === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP;
    const out = new Map<number, number>();
    await this.perLeader(topic, partitions, async (broker, ps) => {
      const { responses } = await broker.listOffsets({ replicaId: -1, isolationLevel: READ_UNCOMMITTED, topics: [{ topic, partitions: ps.map((partition) => ({ partition, timestamp })) }] });
      for (const r of responses) for (const p of r.partitions) if (r.topic === topic) out.set(p.partition, Number(p.offset));
    });
    return out;
  }

  async fetch(topic: string, positions: readonly PartitionPosition[], options: FetchOptions): Promise<FetchedPartition[]> {
    const at = new Map(positions.map((p) => [p.partition, p.offset]));
    const partitionMaxBytes = options.maxBytesPerPartition ?? DEFAULT_PARTITION_MAX_BYTES;
    const fetchOnce = async (broker: KafkajsBroker, ps: readonly number[], maxWaitTime: number): Promise<FetchedPartition[]> => {
      const { responses } = await broker.fetch({
        replicaId: -1,
        isolationLevel: READ_UNCOMMITTED,
        maxWaitTime,
        minBytes: 1,
        maxBytes: options.maxBytes ?? DEFAULT_FETCH_MAX_BYTES,
        topics: [{ topic, partitions: ps.map((partition) => ({ partition, fetchOffset: String(at.get(partition)!), maxBytes: partitionMaxBytes })) }],
      });
      return responses.filter((r) => r.topicName === topic).flatMap((r) => r.partitions.map((p) => fetchedPartition(topic, at.get(p.partition)!, p)));
    };
    const out: FetchedPartition[] = [];
    await this.perLeader(topic, [...at.keys()], async (broker, ps) => {
      for (const fetched of await fetchOnce(broker, ps, options.maxWaitMs)) {
        const offset = at.get(fetched.partition)!;
        if (fetched.nextOffset > offset || fetched.highWatermark <= offset || ps.length === 1) {
          out.push(this.pastEmptyBatches(fetched, offset, ps.length === 1));
          continue;
        }
        // Nothing returned below the high watermark: the response size limit was reached, or only record-less batches
        // are there. Asked alone, the broker returns at least one batch, so an empty answer means the latter.
        for (const alone of await fetchOnce(broker, [fetched.partition], 0)) out.push(this.pastEmptyBatches(alone, offset, true));
      }
    });
    return out;
  }

  /**
   * kafkajs's decoder drops record batches with no records (compaction keeps the last batch of an idempotent producer
   * even when all its records are removed), so their offsets cannot be seen: when a fetch of this partition alone
   * returned nothing below the high watermark, those batches are all there is up to it.
   */
  private pastEmptyBatches(fetched: FetchedPartition, offset: number, alone: boolean): FetchedPartition {
    if (!alone || fetched.nextOffset > offset || fetched.highWatermark <= offset) return fetched;
    return { ...fetched, nextOffset: fetched.highWatermark };
  }

  private async broker(nodeId: number): Promise<KafkajsBroker> {
    await this.cluster.connect();
    return this.cluster.findBroker({ nodeId });
  }

  /** Runs `action` once per partition leader, in parallel; stale leader metadata is refreshed when it fails. */
  private async perLeader(topic: string, partitions: readonly number[], action: (broker: KafkajsBroker, partitions: number[]) => Promise<void>): Promise<void> {
    await this.withLeaders(async () => {
      await this.cluster.addTargetTopic(topic);
      await this.cluster.refreshMetadataIfNecessary();
      const byLeader = this.cluster.findLeaderForPartitions(topic, [...partitions]);
      await Promise.all(Object.entries(byLeader).map(async ([nodeId, ps]) => action(await this.cluster.findBroker({ nodeId }), ps)));
    });
  }

  private async withLeaders<T>(action: () => Promise<T>): Promise<T> {
    try {
      await this.cluster.connect();
      return await action();
    } catch (e) {
      const info = classifyRawClusterError(e);
      if (info.retriable || (info.type !== undefined && STALE_LEADERS.has(info.type))) await this.cluster.refreshMetadata().catch(() => undefined);
      throw e;
    }
  }
}

/** RawClusterPort over kafkajs; each call of `rawCluster` opens its own connections. kafkajs logs go to `logger.debug`. */
export function kafkajsRawClusterFactory(logger: Logger): RawClusterFactory {
  return { rawCluster: (client) => new KafkajsRawCluster(new Kafka(kafkaConfig(client, logger))) };
}

