/**
 * The data plane: where records live between source and sink tasks. Two implementations sit behind this interface —
 * the embedded, file-backed log (standalone default, no broker) and Kafka (when `bootstrap.servers` is set) — so tasks
 * never know which one they use. Both throw the port's own DataPlaneError (data-plane-error.ts) with the same code for
 * the same condition; other errors (I/O, the Kafka client's) pass through as raised.
 */

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** A record as a source task hands it to the data plane (already converted to bytes). */
export interface ProducerRecord {
  topic: string;
  /** Explicit partition; when absent the data plane picks one (hash of the key, or round-robin for null keys). */
  partition?: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  /** Milliseconds since the epoch; the data plane stamps the append time when absent. */
  timestamp?: number;
}

/** A record as stored, with its place in the log. */
export interface StoredRecord {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  timestamp: number;
}

/** Where an appended record landed. */
export interface RecordMetadata {
  topic: string;
  partition: number;
  offset: number;
}

export interface TopicSettings {
  /** -1 = the data plane's default (the embedded log's `defaultPartitions`; Kafka's broker `num.partitions`). */
  partitions: number;
  /** -1 or absent = the data plane's default (Kafka's broker `default.replication.factor`; 1 for the embedded log). */
  replicationFactor?: number;
  /** Topic-level configs, Kafka's names (`retention.ms`, `retention.bytes`, `cleanup.policy`, …). */
  config?: Record<string, string>;
}

/**
 * What alterTopic changes on an existing topic — what Kafka allows without moving data: more partitions, and topic
 * configs. (The replication factor needs a partition reassignment and is not offered.)
 */
export interface TopicChanges {
  /** The new partition count: at least the current one; the current count itself is no change. */
  partitions?: number;
  /** A merge patch of topic-level configs: a value sets the key, null resets it to the default; others are kept. */
  config?: Readonly<Record<string, string | null>>;
}

export interface TopicDescription {
  name: string;
  partitions: number;
  replicationFactor: number;
  config: Record<string, string>;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** What a sink consumer subscribes to: a list of topics or a regex (Connect's `topics` / `topics.regex`). */
export type Subscription = { topics: readonly string[] } | { pattern: RegExp };

export interface ConsumerOptions {
  /** The consumer group; Connect uses `connect-<connector>` for sink connectors. */
  groupId: string;
  /** A stable id for this member within the group (e.g. `<connector>-<task>`). */
  clientId: string;
  subscription: Subscription;
  /** Where to start when the group has no committed offset for a partition (Connect's default: earliest). */
  autoOffsetReset?: 'earliest' | 'latest';
  /**
   * Kafka consumer configs for this consumer only: a connector's `consumer.override.*` keys without the prefix
   * (`max.poll.records`, `session.timeout.ms`, …). Applied over the worker's `consumer.*` keys by the Kafka data plane,
   * subject to `connector.client.config.override.policy`; the embedded log ignores them.
   */
  clientOverrides?: Readonly<Record<string, string>>;
}

export interface ProduceOptions {
  /**
   * Kafka producer configs for these records: a connector's `producer.override.*` keys without the prefix. The Kafka
   * data plane keeps one producer per distinct set (subject to `connector.client.config.override.policy`); the
   * embedded log ignores them.
   */
  clientOverrides?: Readonly<Record<string, string>>;
  /**
   * Stops the retries of a produce that has not been acknowledged yet (a task abandoned after its graceful timeout
   * must not go on writing, as Connect closes a cancelled task's producer): it then rejects with
   * PIPECTL_LOG_CANCELLED. A request already sent cannot be recalled. The embedded log ignores it (it does not retry).
   */
  signal?: AbortSignal;
  /**
   * Whether this worker may still write these records (distributed mode: its group session has not passed; see
   * WorkerSourceTask). The Kafka data plane asks right before each attempt goes to the broker, with no other request of
   * the same producer waiting ahead of it, and holds the attempt while it answers false (until `signal` aborts): a
   * batch queued inside the client behind another task's request would otherwise go out unchecked when a frozen
   * process resumes, after the task's new owner wrote. The embedded log ignores it (standalone has one owner).
   */
  mayWrite?: () => boolean;
}

/**
 * A group member that reads records. Partitions of the subscribed topics are shared among the group's open consumers;
 * the consumer's position starts at the group's committed offset.
 */
export interface Consumer {
  /**
   * Waits up to `timeoutMs` for records after the current position; resolves with at most `maxRecords` records
   * (possibly none). Never rejects because no data arrived.
   */
  poll(maxRecords: number, timeoutMs: number): Promise<StoredRecord[]>;
  /** Partitions this member currently owns. */
  assignment(): TopicPartition[];
  /** The log end offset of each assigned partition as last seen (Kafka: the high watermark of the last fetch), for lag. */
  endOffsets?(): (TopicPartition & { endOffset: number })[];
  /**
   * Commits, for each partition, the offset of the *next* record to read (Kafka's convention). Durable when it
   * resolves.
   */
  commit(offsets: ReadonlyMap<string, number> | readonly (TopicPartition & { offset: number })[]): Promise<void>;
  /** Moves the position of an owned partition (used after a failed put, to re-deliver). */
  seek(tp: TopicPartition, offset: number): void;
  /** Leaves the group; its partitions go to the remaining members. Idempotent. */
  close(): Promise<void>;
}

export interface DataPlane {
  /** Creates the topic if missing; resolves true when it created it, false when it already existed. */
  createTopic(name: string, settings: TopicSettings): Promise<boolean>;
  describeTopic(name: string): Promise<TopicDescription | undefined>;
  listTopics(): Promise<TopicDescription[]>;
  /**
   * Adds partitions and/or changes topic configs (see TopicChanges); resolves once the change is made. Throws
   * DataPlaneError: PIPECTL_LOG_UNKNOWN_TOPIC for a missing topic; PIPECTL_LOG_INVALID_ARGUMENT for fewer partitions than
   * the topic has, a count out of range, or a config value the data plane rejects. New partitions start empty; records
   * with a key may then land on another partition than before (as on Kafka).
   */
  alterTopic(name: string, changes: TopicChanges): Promise<void>;
  /**
   * Appends records. Resolves once they are acknowledged: for the embedded log, written to the OS (they survive a
   * `kill -9` of the worker); for Kafka, acknowledged by the broker with acks=all (a transient failure, such as the
   * broker being down, is retried until `delivery.timeout.ms`, by default forever, as Connect does). Rejects on failure,
   * in which case none of the records may be assumed written (some may be, and will be written again on a retry:
   * at-least-once). Creates a missing topic with the data plane's defaults.
   */
  produce(records: readonly ProducerRecord[], options?: ProduceOptions): Promise<RecordMetadata[]>;
  openConsumer(options: ConsumerOptions): Promise<Consumer>;
  /** Committed offsets of a group (next offset to read), for the offsets API. */
  committedOffsets(groupId: string): Promise<(TopicPartition & { offset: number })[]>;
  /** Replaces or removes a group's committed offsets (offsets alter/reset while the sink connector is STOPPED). */
  alterCommittedOffsets(groupId: string, offsets: readonly (TopicPartition & { offset: number | null })[]): Promise<void>;
  /** Flushes and releases resources; pending produces finish first. */
  close(): Promise<void>;
}
