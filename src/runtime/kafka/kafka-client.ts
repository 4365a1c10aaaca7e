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
import kafkajs from 'kafkajs';
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

const { Kafka, logLevel, CompressionTypes, ConfigResourceTypes, PartitionAssigners } = kafkajs;

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
