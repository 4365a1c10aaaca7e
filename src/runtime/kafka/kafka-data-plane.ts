/**
 * The Kafka data plane: the DataPlane interface over a Kafka cluster (kafkajs), used by the standalone worker when its
 * config has `bootstrap.servers`. Records go to real topics with acks=all; sink tasks read as members of consumer
 * group `connect-<connector>` and commit only what the sink flushed. See README.md for what maps to what.
 */
import { InflightWork } from '../data-plane/data-plane-support.js';
import { DataPlaneError } from '../data-plane/data-plane-error.js';
import type {
  Consumer,
  ConsumerOptions,
  DataPlane,
  ProduceOptions,
  ProducerRecord,
  RecordMetadata,
  Subscription,
  TopicChanges,
  TopicDescription,
  TopicPartition,
  TopicSettings,
} from '../data-plane/data-plane.js';
import type { Logger } from '../logger.js';
import { kafkajsClientFactory } from './kafka-client.js';
import { adminConfig, allowedOverrides, clientKeys, consumerConfig, overridePolicy, producerConfig } from './kafka-config.js';
import type { OverridePolicy } from './kafka-config.js';
import { KafkaConsumer } from './kafka-consumer.js';
import type { AdminPort, KafkaClientFactory } from './port/kafka-port.js';
import { ProducerPool } from './kafka-producer.js';
import { alterGroupOffsets, isInternalTopic, listGroupOffsets } from './group-offsets.js';
import { connectFailure } from './connect-failure.js';

export interface KafkaDataPlaneOptions {
  /** The worker config: `bootstrap.servers`, `producer.*`, `consumer.*`, `admin.*`, `connector.client.config.override.policy`. */
  workerConfig: Readonly<Record<string, string>>;
  logger: Logger;
  /** The Kafka client; kafkajs by default. */
  factory?: KafkaClientFactory;
}

/** How long alterTopic waits for a change to show in the broker's metadata before it resolves anyway. */
const ALTER_VISIBLE_TIMEOUT_MS = 10_000;

/** Kafka's answers to a CreateTopics request that mean "your request is wrong" (the REST edge answers 400). */
const INVALID_TOPIC_REQUEST = new Set(['INVALID_TOPIC_EXCEPTION', 'INVALID_PARTITIONS', 'INVALID_REPLICATION_FACTOR', 'INVALID_REPLICA_ASSIGNMENT', 'INVALID_CONFIG', 'POLICY_VIOLATION', 'INVALID_REQUEST']);

export class KafkaDataPlane implements DataPlane {
  private readonly consumers = new Set<KafkaConsumer>();
  private readonly inflight = new InflightWork();
  private readonly producers: ProducerPool;
  private brokerDefaults: Promise<{ partitions: number; replicationFactor: number }> | undefined;
  private closing: Promise<void> | undefined;
  /** Resolved as soon as close() is called: producer retries stop waiting. */
  private closeRequested: Promise<void> | undefined;

  /** @internal use openKafkaDataPlane() */
  constructor(
    private readonly workerConfig: Readonly<Record<string, string>>,
    private readonly logger: Logger,
    private readonly factory: KafkaClientFactory,
    private readonly admin: AdminPort,
    private readonly policy: OverridePolicy,
    /** The Kafka cluster id, for the worker's `GET /`. */
    readonly clusterId: string,
  ) {
    this.producers = new ProducerPool(factory, logger, () => this.closeRequested);
  }

  private checkOpen(): void {
    if (this.closing) throw new DataPlaneError('PIPECTL_LOG_CLOSED', 'the Kafka data plane is closed');
  }

  private track<T>(work: Promise<T>): Promise<T> {
    return this.inflight.track(work);
  }

  /**
   * Creates the topic (replication factor: the given one, else the broker's `default.replication.factor`; partitions
   * -1: the broker's `num.partitions`); resolves false when it exists. Throws DataPlaneError(PIPECTL_LOG_INVALID_TOPIC /
   * PIPECTL_LOG_INVALID_ARGUMENT) when Kafka rejects the name, partition count, replication factor or a config; other
   * errors as the client raised them.
   */
  async createTopic(name: string, settings: TopicSettings): Promise<boolean> {
    this.checkOpen();
    const { replicationFactor, config = {} } = settings;
    const partitions = settings.partitions === -1 ? (await this.defaults()).partitions : settings.partitions;
    if (!Number.isSafeInteger(partitions) || partitions < 1) throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `topic "${name}": partitions must be a positive integer or -1, got ${partitions}`);
    const rf = replicationFactor === undefined || replicationFactor === -1 ? (await this.defaults()).replicationFactor : replicationFactor;
    try {
      return await this.track(this.admin.createTopic(name, partitions, rf, config));
    } catch (e) {
      const type = this.factory.classify(e).type;
      if (type === 'INVALID_TOPIC_EXCEPTION') throw new DataPlaneError('PIPECTL_LOG_INVALID_TOPIC', `topic "${name}": ${(e as Error).message}`, { cause: e });
      if (type && INVALID_TOPIC_REQUEST.has(type)) throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `topic "${name}": ${(e as Error).message}`, { cause: e });
      throw e;
    }
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    return (await this.describe([name]))[0];
  }

  /**
   * Changes an existing topic (DataPlane.alterTopic). Configs first, partitions last: added partitions cannot be taken
   * back, so a config Kafka rejects must not leave them behind. kafkajs has no IncrementalAlterConfigs, so configs go
   * through AlterConfigs with the topic's current overrides merged with the patch: a change someone else makes between
   * that read and the write is overwritten. Resolves once describeTopic shows the change (or after 10 s regardless).
   * Throws DataPlaneError PIPECTL_LOG_UNKNOWN_TOPIC, or PIPECTL_LOG_INVALID_ARGUMENT for fewer partitions than the topic has
   * and for counts or configs Kafka rejects; other errors as the client raised them.
   */
  async alterTopic(name: string, changes: TopicChanges): Promise<void> {
    this.checkOpen();
    const current = await this.describeTopic(name);
    if (!current) throw new DataPlaneError('PIPECTL_LOG_UNKNOWN_TOPIC', `topic "${name}" does not exist`);
    const partitions = changes.partitions ?? current.partitions;
    if (!Number.isSafeInteger(partitions) || partitions < current.partitions) {
      throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `topic "${name}" has ${current.partitions} partitions; the count can only grow (Kafka cannot remove partitions), got ${partitions}`);
    }
    const config: Record<string, string> = { ...current.config };
    for (const [key, value] of Object.entries(changes.config ?? {})) {
      if (value === null) delete config[key];
      else config[key] = value;
    }
    const configChanged = !sameConfig(config, current.config);
    try {
      if (configChanged) await this.track(this.admin.replaceTopicConfigs(name, config));
      if (partitions > current.partitions) await this.track(this.admin.createPartitions(name, partitions));
    } catch (e) {
      const type = this.factory.classify(e).type;
      const what = `topic "${name}"${configChanged ? ` (configs ${Object.keys(changes.config ?? {}).join(', ')})` : ''}`;
      if (type === 'UNKNOWN_TOPIC_OR_PARTITION') throw new DataPlaneError('PIPECTL_LOG_UNKNOWN_TOPIC', `${what}: ${(e as Error).message}`, { cause: e });
      if (type && INVALID_TOPIC_REQUEST.has(type)) throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `${what}: ${(e as Error).message}`, { cause: e });
      throw e;
    }
    await this.untilVisible(name, partitions, config);
  }

  /** Waits (bounded) until the broker describes the topic with these partitions and overrides: its metadata may lag. */
  private async untilVisible(name: string, partitions: number, config: Readonly<Record<string, string>>): Promise<void> {
    const deadline = Date.now() + ALTER_VISIBLE_TIMEOUT_MS;
    for (let delay = 20; Date.now() < deadline; delay = Math.min(delay * 2, 500)) {
      const seen = await this.describeTopic(name);
      if (seen && seen.partitions >= partitions && sameConfig(seen.config, config)) return;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    this.logger.warn('a topic change is not visible in the broker metadata yet', { topic: name });
  }

  /** Every topic, internal ones (`__consumer_offsets`) included, sorted by name. */
  async listTopics(): Promise<TopicDescription[]> {
    return this.describe(await this.admin.listTopicNames());
  }

  private async describe(names: readonly string[]): Promise<TopicDescription[]> {
    const shapes = await this.admin.topicShapes(names);
    const configs = await this.admin.topicConfigs(shapes.map((s) => s.name));
    return shapes.map((s) => ({ ...s, config: configs.get(s.name) ?? {} })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Sends the records as one batch with acks=all; see DataPlane.produce. Transient failures are retried until
   * `delivery.timeout.ms` (default: forever) or close. `options.clientOverrides` select a producer with those configs.
   * Throws KafkaConfigError for malformed producer configs.
   */
  produce(records: readonly ProducerRecord[], options?: ProduceOptions): Promise<RecordMetadata[]> {
    try {
      this.checkOpen();
      if (records.length === 0) return Promise.resolve([]);
      const overrides = this.allowed(options?.clientOverrides, 'producer');
      const keys = clientKeys(this.workerConfig, 'producer', overrides);
      const sender = this.producers.sender(keys, () => producerConfig(keys, 'pipectl-producer'));
      return this.track(sender.send(records, options?.signal, options?.mayWrite));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Joins the group with a kafkajs consumer and resolves once it has tried to join; when Kafka is unreachable it keeps
   * trying in the background (poll() returns nothing meanwhile). Throws KafkaConfigError for malformed consumer
   * configs and the client's error for a non-retriable failure.
   */
  async openConsumer(options: ConsumerOptions): Promise<Consumer> {
    this.checkOpen();
    const keys = clientKeys(this.workerConfig, 'consumer', this.allowed(options.clientOverrides, 'consumer'));
    const config = consumerConfig(keys, options.clientId, options.autoOffsetReset ?? 'earliest');
    for (const w of config.warnings) this.logger.warn(`consumer config: ${w}`, { client: options.clientId });
    if (config.ignored.length > 0) this.logger.debug('consumer configs ignored by the kafkajs client', { client: options.clientId, keys: config.ignored.join(',') });
    const consumer = new KafkaConsumer({
      clientId: options.clientId,
      groupId: options.groupId,
      logger: this.logger,
      newPort: () => this.factory.consumer(config.client, { groupId: options.groupId, ...config.consumer }),
      classify: (e) => this.factory.classify(e),
      resolveTopics: this.topicResolver(options.subscription),
      dynamic: !('topics' in options.subscription),
      topicRefreshMs: config.metadataMaxAgeMs,
      fromBeginning: config.autoOffsetReset === 'earliest',
      bufferPerPartition: config.maxPollRecords,
      closed: (c) => this.consumers.delete(c),
    });
    this.consumers.add(consumer);
    try {
      await consumer.start();
    } catch (e) {
      await consumer.close();
      throw e;
    }
    return consumer;
  }

  async committedOffsets(groupId: string): Promise<(TopicPartition & { offset: number })[]> {
    return listGroupOffsets(this.admin, groupId);
  }

  /** See alterGroupOffsets: DataPlaneError PIPECTL_LOG_GROUP_NOT_EMPTY / _UNKNOWN_TOPIC / _UNKNOWN_PARTITION / _INVALID_ARGUMENT. */
  async alterCommittedOffsets(groupId: string, offsets: readonly (TopicPartition & { offset: number | null })[]): Promise<void> {
    this.checkOpen();
    await this.track(alterGroupOffsets(this.admin, (e) => this.factory.classify(e), groupId, offsets));
  }

  /** Lets pending produces finish (retries stop), closes consumers (they leave their groups) and every client. Idempotent. */
  close(): Promise<void> {
    this.closeRequested ??= Promise.resolve();
    this.closing ??= (async () => {
      await this.inflight.settled();
      await Promise.allSettled([...this.consumers].map((c) => c.close()));
      await this.producers.close();
      await this.admin.disconnect().catch(() => undefined);
    })();
    return this.closing;
  }

  private defaults(): Promise<{ partitions: number; replicationFactor: number }> {
    this.brokerDefaults ??= this.admin.brokerDefaults().catch((e: unknown) => {
      this.brokerDefaults = undefined;
      throw e;
    });
    return this.brokerDefaults;
  }

  /** A connector's overrides that `connector.client.config.override.policy` allows; the others are logged and dropped. */
  private allowed(overrides: Readonly<Record<string, string>> | undefined, kind: 'producer' | 'consumer'): Record<string, string> {
    const { allowed, rejected } = allowedOverrides(this.policy, overrides);
    if (rejected.length > 0) this.logger.warn(`${kind}.override.* keys not allowed by connector.client.config.override.policy=${this.policy} are ignored`, { keys: rejected.join(',') });
    return allowed;
  }

  private topicResolver(subscription: Subscription): () => Promise<string[]> {
    if ('topics' in subscription) {
      const topics = [...new Set(subscription.topics)];
      return async () => topics;
    }
    // A whole-name match, like Java's Pattern.matches() behind Connect's `topics.regex`.
    const whole = new RegExp(`^(?:${subscription.pattern.source})$`, subscription.pattern.flags.replace(/[gy]/g, ''));
    return async () => (await this.admin.listTopicNames()).filter((t) => !isInternalTopic(t) && whole.test(t));
  }
}

function sameConfig(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * Checks the worker's Kafka client configs, connects the admin client and reads the cluster id. Throws
 * KafkaConfigError for a malformed config, and KafkaError (the client's as its cause) when the cluster cannot be reached
 * after the client's retries, as Connect's worker does not start without its Kafka cluster: PIPECTL_KAFKA_AUTHENTICATION_FAILED
 * (SASL refused the credentials), PIPECTL_KAFKA_TLS_FAILED (the handshake failed), else PIPECTL_KAFKA_UNREACHABLE.
 */
export async function openKafkaDataPlane(options: KafkaDataPlaneOptions): Promise<KafkaDataPlane> {
  const worker = options.workerConfig;
  const factory = options.factory ?? kafkajsClientFactory(options.logger);
  const policy = overridePolicy(worker);
  const admin = adminConfig(clientKeys(worker, 'admin'));
  // Map the worker-level producer and consumer configs once, so that mistakes stop the worker at start.
  producerConfig(clientKeys(worker, 'producer'), 'pipectl-producer');
  consumerConfig(clientKeys(worker, 'consumer'), 'pipectl-consumer', 'earliest');
  const client = factory.admin(admin.client);
  try {
    await client.connect();
    const clusterId = await client.clusterId();
    options.logger.info('connected to Kafka', { bootstrap_servers: admin.client.brokers.join(','), cluster_id: clusterId });
    return new KafkaDataPlane(worker, options.logger, factory, client, policy, clusterId);
  } catch (e) {
    await client.disconnect().catch(() => undefined);
    throw connectFailure(e, factory.classify(e), admin.client);
  }
}
