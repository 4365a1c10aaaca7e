/**
 * The narrow Kafka client port the Kafka data plane is written against: what it needs of an admin client, a producer
 * and a group consumer, in our types. `kafka-client.ts` implements it over kafkajs (the only module of src/runtime that
 * imports kafkajs); a test can implement it in memory.
 */
import type { ProducerRecord, RecordMetadata, StoredRecord, TopicPartition } from '../data-plane/data-plane.js';

/** Retries of one client call (kafkajs's retrier): exponential back-off from `initialRetryTimeMs`, capped. */
export interface RetrySettings {
  retries?: number;
  initialRetryTimeMs?: number;
  maxRetryTimeMs?: number;
}

export interface SaslSettings {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

/** Connection settings of one client: Kafka's common client configs, already mapped (see kafka-config.ts). */
export interface ClientSettings {
  brokers: string[];
  clientId: string;
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  retry?: RetrySettings;
  ssl?: boolean;
  sasl?: SaslSettings;
}

export interface ProducerSettings {
  /** kafkajs's idempotent producer (acks must be -1; one request in flight per broker). */
  idempotent: boolean;
  acks: -1 | 0 | 1;
  /** Unanswered produce requests per broker connection (Kafka's max.in.flight.requests.per.connection). */
  maxInFlightRequests: number;
  /** How long the broker may take to reach `acks` (the produce request's timeout). */
  ackTimeoutMs: number;
  compression: 'none' | 'gzip';
}

export interface ConsumerSettings {
  groupId: string;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxBytesPerPartition?: number;
  maxBytes?: number;
  minBytes?: number;
  maxWaitTimeMs?: number;
  readUncommitted?: boolean;
}

/** Picks the partition of `record` given the topic's partition count in the client's current metadata. */
export type PartitionChooser = (record: ProducerRecord, index: number, partitionCount: number) => number;

export interface ProducerPort {
  connect(): Promise<void>;
  /**
   * Sends the records in one batch (one produce request per partition leader, kafkajs's `sendBatch`). Resolves, in
   * input order, where each record landed once the broker acknowledged them with the producer's `acks`. Rejects with
   * the client's error (classify it with `KafkaClientFactory.classify`).
   */
  send(records: readonly ProducerRecord[], choosePartition: PartitionChooser): Promise<RecordMetadata[]>;
  disconnect(): Promise<void>;
}

/** One fetched batch of one partition, converted to our records (control records filtered out). */
export interface FetchedBatch {
  topic: string;
  partition: number;
  records: StoredRecord[];
  /** Offset of the batch's last entry (may be a filtered control record); resolving it moves the fetch past it. */
  lastOffset: number;
  /** True when a seek for this partition is pending: the batch was fetched from an outdated position. */
  isStale(): boolean;
  /** Moves this member's fetch position to `offset + 1` (nothing is committed). */
  resolveOffset(offset: number): void;
  /** Sends a heartbeat if one is due; rejects when the group is rebalancing (let it propagate). */
  heartbeat(): Promise<void>;
}

/** What a group consumer reports, called synchronously from the client's own loop. */
export interface GroupConsumerHandlers {
  onBatch(batch: FetchedBatch): Promise<void>;
  /** The member (re)joined the group with this assignment (eager protocol: everything else is revoked). */
  onJoined(assignment: TopicPartition[], memberId: string): void;
  /** A rebalance started: until the next onJoined the member owns nothing. */
  onRebalancing(): void;
  /** The client's loop failed; the client does not restart itself (the owner starts a new one). */
  onCrash(error: Error): void;
}

export interface GroupConsumerPort {
  /**
   * Connects, subscribes to `topics` and starts the fetch loop; resolves after the first join attempt. When
   * `staleMemberId` is given (the id this member had in a client that crashed), that member is first removed from the
   * group (LeaveGroup), so that the join does not wait for its session to time out.
   */
  start(topics: readonly string[], fromBeginning: boolean, handlers: GroupConsumerHandlers, staleMemberId?: string): Promise<void>;
  /** Commits next-offsets with this member's generation. Rejects with the client's error. */
  commit(offsets: readonly (TopicPartition & { offset: number })[]): Promise<void>;
  /** Sets the fetch position of an assigned partition (applied before the next fetch). */
  seek(tp: TopicPartition, offset: number): void;
  /** Leaves the group and disconnects. */
  stop(): Promise<void>;
}

export interface TopicShape {
  name: string;
  partitions: number;
  replicationFactor: number;
}

/** A classic group's state as DescribeGroups reports it (`Empty`, `Dead`, `Stable`, `PreparingRebalance`, …). */
export type GroupState = string;

export interface AdminPort {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  clusterId(): Promise<string>;
  /** Resolves false when the topic already exists. */
  createTopic(name: string, partitions: number, replicationFactor: number, config: Readonly<Record<string, string>>): Promise<boolean>;
  listTopicNames(): Promise<string[]>;
  /** Partition count and replication factor of existing topics (unknown names are left out). */
  topicShapes(names: readonly string[]): Promise<TopicShape[]>;
  /** Topic-level overrides only (config source TOPIC_CONFIG), by topic name. */
  topicConfigs(names: readonly string[]): Promise<Map<string, Record<string, string>>>;
  /** The broker's `num.partitions` and `default.replication.factor`. */
  brokerDefaults(): Promise<{ partitions: number; replicationFactor: number }>;
  /** Committed offsets (next offset to read) of a group for the given topics; partitions without one are left out. */
  committedOffsets(groupId: string, topics: readonly string[]): Promise<(TopicPartition & { offset: number })[]>;
  groupState(groupId: string): Promise<GroupState>;
  /** Commits offsets outside any generation (AdminClient.alterConsumerGroupOffsets); the broker refuses for a live group. */
  commitAsAdmin(groupId: string, offsets: readonly (TopicPartition & { offset: number })[]): Promise<void>;
  /** Deletes an empty group with all its offsets; rejects for a group with members. */
  deleteGroup(groupId: string): Promise<void>;
}

/** What the client tells about an error it threw. */
export interface ErrorInfo {
  /** Worth retrying: connection lost, leader moving, coordinator loading, rebalance, timeout, … */
  retriable: boolean;
  /** Kafka's error name when the broker answered with one (`NOT_LEADER_FOR_PARTITION`, `UNKNOWN_MEMBER_ID`, …). */
  type?: string;
}

export interface KafkaClientFactory {
  admin(client: ClientSettings): AdminPort;
  producer(client: ClientSettings, settings: ProducerSettings): ProducerPort;
  consumer(client: ClientSettings, settings: ConsumerSettings): GroupConsumerPort;
  classify(error: unknown): ErrorInfo;
}
