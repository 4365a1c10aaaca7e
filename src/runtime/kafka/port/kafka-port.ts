/**
 * The narrow Kafka client port the Kafka data plane is written against: what it needs of an admin client, a producer
 * and a group consumer, in our types. `kafkajs/` implements it over kafkajs (the only folder of src/runtime that
 * imports kafkajs); a test can implement it in memory.
 */
import type { ProducerRecord, RecordMetadata, StoredRecord, TopicPartition } from '../../data-plane/data-plane.js';

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

/**
 * TLS of one client, mapped from Kafka's `ssl.*` keys (see kafka-security.ts) with the key and trust material already
 * read from its files. Holds secrets (`passphrase`, `key`, `pfx`): never log it.
 */
export interface TlsSettings {
  /** Trusted CA certificates (PEM); undefined: Node's default CAs, as Java's default truststore is the JVM's. */
  ca?: string[];
  /** Client certificate chain (PEM) for mutual TLS. */
  cert?: string;
  /** Client private key (PEM, possibly encrypted with `passphrase`). */
  key?: string;
  /** Client key and certificate as PKCS12 (with `passphrase`). */
  pfx?: Buffer;
  passphrase?: string;
  /** `ssl.endpoint.identification.algorithm=https` (the default): the certificate must name the broker's host. */
  verifyHostname: boolean;
  minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** Where the trusted CAs came from (`ssl.truststore.location=<file>`, …), for error messages. */
  trustSource: string;
}

/** Connection settings of one client: Kafka's common client configs, already mapped (see kafka-config.ts). */
export interface ClientSettings {
  brokers: string[];
  clientId: string;
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  retry?: RetrySettings;
  /** Set for security.protocol SSL and SASL_SSL. */
  ssl?: TlsSettings;
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
  /** The partition's high watermark as the broker answered this fetch. */
  highWatermark: number;
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
  /** Raises the partition count of an existing topic to `count` (CreatePartitions); rejects with the client's error. */
  createPartitions(name: string, count: number): Promise<void>;
  /**
   * Replaces every topic-level override of `name` with `config` (AlterConfigs: a key left out returns to the broker's
   * default); rejects with the client's error.
   */
  replaceTopicConfigs(name: string, config: Readonly<Record<string, string>>): Promise<void>;
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
  /**
   * Set when the connection failed for a security reason, which no retry fixes: SASL refused the credentials
   * ('authentication'), or the TLS handshake failed ('tls': an untrusted or misnamed broker certificate, a client
   * certificate the broker refused, TLS spoken to a plaintext port). `reason` is the client's words (never a secret).
   */
  security?: { kind: 'authentication' | 'tls'; reason: string; broker?: string; code?: string };
}

export interface KafkaClientFactory {
  admin(client: ClientSettings): AdminPort;
  producer(client: ClientSettings, settings: ProducerSettings): ProducerPort;
  consumer(client: ClientSettings, settings: ConsumerSettings): GroupConsumerPort;
  classify(error: unknown): ErrorInfo;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Raw cluster access for distributed mode (src/runtime/distributed): Connect's group membership (JoinGroup, SyncGroup,
// Heartbeat, LeaveGroup with any protocol type and opaque metadata bytes) and reading internal topics without a
// consumer group (ListOffsets, Fetch). One RawClusterPort is one set of broker connections: every group member needs
// its own, because the broker answers one request per connection at a time and a pending JoinGroup (which waits for
// the whole group) would hold up another member's heartbeats. Errors are classified with `classify`, whose `type` is
// Kafka's own error name (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, REBALANCE_IN_PROGRESS, …), not the client's.
// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/** The broker that coordinates a group, as FindCoordinator answered; pass it back to the group calls. */
export interface GroupCoordinator {
  groupId: string;
  nodeId: number;
  host: string;
  port: number;
}

/** One protocol a member supports; `metadata` is opaque here (Connect's formats are encoded elsewhere). */
export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupRequest {
  groupId: string;
  /** '' for a new member. A broker that answers MEMBER_ID_REQUIRED (KIP-394) is asked again with the id it assigned. */
  memberId: string;
  protocolType: string;
  /** In preference order; the group settles on the first one every member supports. */
  protocols: readonly GroupProtocol[];
  sessionTimeoutMs: number;
  /** How long the coordinator waits for every member to rejoin; the request itself may take that long. */
  rebalanceTimeoutMs: number;
}

export interface JoinGroupResponse {
  generationId: number;
  /** The protocol name the group settled on. */
  protocol: string;
  leaderId: string;
  memberId: string;
  /** Every member with its metadata for `protocol` on the leader; empty on the other members. */
  members: { memberId: string; metadata: Buffer }[];
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  /** The leader's assignment of every member (followers send none); bytes are opaque. */
  assignments: readonly { memberId: string; assignment: Buffer }[];
}

/** A member of one generation, as Heartbeat needs it. */
export interface GenerationMember {
  groupId: string;
  generationId: number;
  memberId: string;
}

/** A group as DescribeGroups reports it (assignments and metadata left out). */
export interface GroupDescription {
  groupId: string;
  /** `Empty`, `PreparingRebalance`, `CompletingRebalance`, `Stable` or `Dead`. */
  state: string;
  protocolType: string;
  protocol: string;
  members: { memberId: string; clientId: string; clientHost: string }[];
}

/** Where to fetch one partition from. */
export interface PartitionPosition {
  partition: number;
  offset: number;
}

/** What one fetch returned for one partition. */
export interface FetchedPartition {
  partition: number;
  /** Data records at or after the fetch offset, in offset order (control records and earlier records left out). */
  records: StoredRecord[];
  /**
   * Where the next fetch of this partition starts: after the last batch returned (batches may end with records that
   * compaction removed), or the fetch offset when nothing was returned.
   */
  nextOffset: number;
  /** The partition's high watermark (offset of the next record to be written and replicated). */
  highWatermark: number;
}

export interface FetchOptions {
  /** How long the broker may wait for data before answering with none. */
  maxWaitMs: number;
  /** Upper bound of the response (the broker still returns one whole batch when the first is larger). */
  maxBytes?: number;
  maxBytesPerPartition?: number;
}

export interface RawClusterPort {
  connect(): Promise<void>;
  /** Closes every connection; requests still in flight reject. */
  disconnect(): Promise<void>;
  /** FindCoordinator for a group (retried by the client while the coordinator is loading). */
  findCoordinator(groupId: string): Promise<GroupCoordinator>;
  /** JoinGroup; resolves when the coordinator completes the join phase (up to the rebalance timeout). */
  joinGroup(coordinator: GroupCoordinator, request: JoinGroupRequest): Promise<JoinGroupResponse>;
  /** SyncGroup; resolves with this member's assignment (empty when the leader gave it none). */
  syncGroup(coordinator: GroupCoordinator, request: SyncGroupRequest): Promise<Buffer>;
  heartbeat(coordinator: GroupCoordinator, member: GenerationMember): Promise<void>;
  /** LeaveGroup; sent on a separate connection when a JoinGroup or SyncGroup of this port is still pending. */
  leaveGroup(coordinator: GroupCoordinator, member: { groupId: string; memberId: string }): Promise<void>;
  describeGroup(groupId: string): Promise<GroupDescription>;
  /** Partition count of an existing topic; rejects with UNKNOWN_TOPIC_OR_PARTITION (never creates the topic). */
  partitionCount(topic: string): Promise<number>;
  /** Log start (`earliest`) or end (`latest`, the high watermark) offsets of the given partitions. */
  listOffsets(topic: string, partitions: readonly number[], which: 'earliest' | 'latest'): Promise<Map<number, number>>;
  /** One Fetch per partition leader (read_uncommitted, no fetch session, no consumer group). */
  fetch(topic: string, positions: readonly PartitionPosition[], options: FetchOptions): Promise<FetchedPartition[]>;
  classify(error: unknown): ErrorInfo;
}

export interface RawClusterFactory {
  /** A new, unconnected set of connections. Never creates topics as a side effect of metadata requests. */
  rawCluster(client: ClientSettings): RawClusterPort;
}
