/**
 * The Kafka client port (kafka-port.ts) over kafkajs 2.2.4 — the only module of src/runtime that imports kafkajs.
 * It converts records and headers, maps the per-partition produce response to per-record offsets, turns kafkajs's
 * consumer events into handler calls, and sends the two admin requests kafkajs has no public API for (an offset commit
 * outside any generation) through the client's own Cluster. kafkajs logs go to our logger at debug level: the data
 * plane logs what matters itself.
 *
 * Longer than our usual ~300 lines on purpose: keeping every use of kafkajs (types, events, internals) in one module
 * is the point of the port, and this is that module.
 */
import { createRequire, Module } from 'node:module';
import type { Admin, Consumer, IHeaders, KafkaConfig, LogEntry, Message, Producer, SASLOptions } from 'kafkajs';
import type { ProducerRecord, RecordHeader, RecordMetadata, StoredRecord, TopicPartition } from '../data-plane/data-plane.js';
import type { Logger } from '../logger.js';
import type {
  AdminPort,
  ClientSettings,
  ConsumerSettings,
  ErrorInfo,
  FetchedBatch,
  GroupConsumerHandlers,
  GroupConsumerPort,
  KafkaClientFactory,
  PartitionChooser,
  ProducerPort,
  ProducerSettings,
  TopicShape,
} from './kafka-port.js';

/**
 * kafkajs 2.2.4 groups a produce call's messages by partition with `[...current, message]` for every message: O(n²)
 * in the batch size. With Connect-sized batches (2,000 records) that was 15% of a source task's CPU plus much of its
 * garbage collection (CPU profile of bench:kafka's source side). kafkajs is pinned exactly and has had no release
 * since 2023, so its producer is loaded here with a linear version of that one module in its place (same contract:
 * partition → messages in their original order). Loaded before anything else of kafkajs, hence require().
 */
function loadKafkajs(): typeof import('kafkajs') {
  const require = createRequire(import.meta.url);
  const path = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
  const linear = new Module(path);
  linear.filename = path;
  linear.loaded = true;
  linear.exports = ({ topic, partitionMetadata, messages, partitioner }: { topic: string; partitionMetadata: unknown[]; messages: unknown[]; partitioner: (a: { topic: string; partitionMetadata: unknown[]; message: unknown }) => number }) => {
    const out: Record<number, unknown[]> = {};
    if (partitionMetadata.length === 0) return out;
    for (const message of messages) (out[partitioner({ topic, partitionMetadata, message })] ??= []).push(message);
    return out;
  };
  require.cache[path] = linear;
  return require('kafkajs') as typeof import('kafkajs');
}

const { Kafka, logLevel, CompressionTypes, ConfigResourceTypes, PartitionAssigners } = loadKafkajs();

/** Thrown when kafkajs returned from a commit without committing (its consumer was not running). */
class NotCommittedError extends Error {
  readonly retriable = true;
  constructor() {
    super('the consumer is not running (rebalancing or restarting); nothing was committed');
    this.name = 'NotCommittedError';
  }
}

/** Errors kafkajs raises without a broker error code that are about connectivity, hence worth retrying. */
const TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSStaleTopicMetadataAssignment',
]);

/** Looks through kafkajs's wrappers (retries exceeded, non-retriable) to the original error. */
export function classifyKafkaError(error: unknown): ErrorInfo {
  const chain: Record<string, unknown>[] = [];
  for (let e: unknown = error; e && typeof e === 'object' && chain.length < 10; e = (e as { cause?: unknown }).cause) chain.push(e as Record<string, unknown>);
  const root = chain[chain.length - 1];
  if (!root) return { retriable: false };
  const type = chain.map((e) => e['type']).find((t): t is string => typeof t === 'string');
  const retriable = root['retriable'] === true || TRANSIENT_NAMES.has(String(root['name']));
  return type ? { retriable, type } : { retriable };
}

function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const { message, error } = log as { message: string; error?: unknown };
      logger.debug(`kafkajs ${logLevel[level] ?? level} [${namespace}] ${message}`, error === undefined ? undefined : { error: String(error) });
    };
}

function retryOptions(retry: ClientSettings['retry']): { retries?: number; initialRetryTime?: number; maxRetryTime?: number } {
  const r = retry ?? {};
  return {
    ...(r.retries !== undefined ? { retries: r.retries } : {}),
    ...(r.initialRetryTimeMs !== undefined ? { initialRetryTime: r.initialRetryTimeMs } : {}),
    ...(r.maxRetryTimeMs !== undefined ? { maxRetryTime: r.maxRetryTimeMs } : {}),
  };
}

function kafkaConfig(client: ClientSettings, logger: Logger): KafkaConfig {
  return {
    brokers: client.brokers,
    clientId: client.clientId,
    logLevel: logLevel.INFO,
    logCreator: kafkaLogCreator(logger),
    ...(client.requestTimeoutMs !== undefined ? { requestTimeout: client.requestTimeoutMs } : {}),
    ...(client.connectionTimeoutMs !== undefined ? { connectionTimeout: client.connectionTimeoutMs } : {}),
    ...(client.ssl ? { ssl: true } : {}),
    ...(client.sasl ? { sasl: { mechanism: client.sasl.mechanism, username: client.sasl.username, password: client.sasl.password } as SASLOptions } : {}),
    retry: retryOptions(client.retry),
  };
}

/** kafkajs headers are an object (a repeated key holds an array); kafkajs cannot write a null value, so it becomes empty. */
function toKafkaHeaders(headers: readonly RecordHeader[] | undefined): IHeaders | undefined {
  if (!headers || headers.length === 0) return undefined;
  const out: IHeaders = Object.create(null) as IHeaders;
  for (const h of headers) {
    const value = h.value ?? Buffer.alloc(0);
    const prev = out[h.key];
    out[h.key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

function fromKafkaHeaders(headers: IHeaders | undefined): RecordHeader[] {
  const out: RecordHeader[] = [];
  if (!headers) return out;
  for (const [key, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) out.push({ key, value: v === undefined || v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(v) });
  }
  return out;
}

interface PendingMessage {
  record: ProducerRecord;
  index: number;
  choose: PartitionChooser;
  chosen: number[];
}

class KafkajsProducer implements ProducerPort {
  /** The partitioner kafkajs calls finds the record (and its send's chooser) through the message object. */
  private readonly pending = new WeakMap<Message, PendingMessage>();
  private readonly producer: Producer;

  constructor(
    kafka: InstanceType<typeof Kafka>,
    private readonly settings: ProducerSettings,
  ) {
    this.producer = kafka.producer({
      idempotent: settings.idempotent,
      maxInFlightRequests: settings.maxInFlightRequests,
      allowAutoTopicCreation: true,
      createPartitioner: () => ({ partitionMetadata, message }) => {
        const p = this.pending.get(message)!;
        const partition = p.choose(p.record, p.index, partitionMetadata.length);
        p.chosen[p.index] = partition;
        return partition;
      },
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async send(records: readonly ProducerRecord[], choose: PartitionChooser): Promise<RecordMetadata[]> {
    const chosen = new Array<number>(records.length);
    const byTopic = new Map<string, Message[]>();
    records.forEach((record, index) => {
      const headers = toKafkaHeaders(record.headers);
      const message: Message = { key: record.key, value: record.value, ...(headers ? { headers } : {}), ...(record.timestamp !== undefined ? { timestamp: String(record.timestamp) } : {}) };
      this.pending.set(message, { record, index, choose, chosen });
      let list = byTopic.get(record.topic);
      if (!list) byTopic.set(record.topic, (list = []));
      list.push(message);
    });
    const response = await this.producer.sendBatch({
      acks: this.settings.acks,
      timeout: this.settings.ackTimeoutMs,
      compression: this.settings.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    // One answer per partition: its base offset; records of a partition were sent in input order.
    const next = new Map<string, number>();
    for (const r of response) next.set(`${r.topicName}\u0000${r.partition}`, Number(r.baseOffset ?? -1));
    return records.map((record, i) => {
      const key = `${record.topic}\u0000${chosen[i]}`;
      const offset = next.get(key) ?? -1;
      if (offset >= 0) next.set(key, offset + 1);
      return { topic: record.topic, partition: chosen[i]!, offset };
    });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

class KafkajsGroupConsumer implements GroupConsumerPort {
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
          return PartitionAssigners.roundRobin(ctx);
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

/** The few methods of kafkajs's (untyped) Cluster and Broker used for commits outside a generation. */
interface GroupCoordinatorBroker {
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
  offsetCommit(request: { groupId: string; groupGenerationId: number; memberId: string; topics: { topic: string; partitions: { partition: number; offset: string }[] }[] }): Promise<unknown>;
}
interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<GroupCoordinatorBroker>;
}

class KafkajsAdmin implements AdminPort {
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
      return await this.admin.createTopics({ waitForLeaders: true, topics: [{ topic: name, numPartitions: partitions, replicationFactor, configEntries }] });
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
    if (!cluster) throw new Error('kafkajs did not hand over its cluster (unexpected kafkajs version?)');
    await cluster.connect();
    this.cluster = cluster;
    return cluster;
  }
}

/** The Kafka client factory over kafkajs; kafkajs's own logs go to `logger.debug`. */
export function kafkajsClientFactory(logger: Logger): KafkaClientFactory {
  return {
    admin: (client) => new KafkajsAdmin(new Kafka(kafkaConfig(client, logger))),
    producer: (client, settings) => new KafkajsProducer(new Kafka(kafkaConfig(client, logger)), settings),
    consumer: (client, settings) => new KafkajsGroupConsumer(new Kafka(kafkaConfig(client, logger)), settings, client.retry),
    classify: classifyKafkaError,
  };
}

// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Raw cluster access for distributed mode (RawClusterPort in kafka-port.ts): Connect's group membership and internal
// topic reads over kafkajs's Cluster and Broker.
//
// The Cluster is taken from the partition-assigner factory of a consumer that never connects (as KafkajsAdmin does),
// not from the deep import `kafkajs/src/cluster/index.js`: that way kafkajs's own client builds it from the same
// config as every other client here (logger, retry, SSL/SASL, socket factory, request timeouts) and nothing depends on
// kafkajs's file layout; the deep import would also need its constructor options re-assembled by hand. The Broker
// methods used are public in kafkajs's source (JSDoc @public) but missing from its index.d.ts, hence the local
// declarations below, checked against kafkajs 2.2.4 (pinned exactly in package.json). Contract-tested against a real
// broker by test/runtime/distributed/*.test.ts.
// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
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
} from './kafka-port.js';

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
  if (!cluster) throw new Error('kafkajs did not hand over its cluster (unexpected kafkajs version?)');
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
