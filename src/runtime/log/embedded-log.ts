/**
 * The embedded log: the standalone runtime's default data plane — a durable, file-backed, partitioned topic log with
 * in-process consumer groups and no broker. See README.md for the layout, the durability contract and its cost.
 */
import { InflightWork } from '../data-plane/data-plane-support.js';
import { mkdir } from 'node:fs/promises';
import { acquireDirLock } from './dir-lock.js';
import type { DirLock } from './dir-lock.js';
import { EmbeddedConsumer } from './embedded-consumer.js';
import { GroupCoordinator } from './group-coordinator.js';
import type { OffsetReset } from './group-coordinator.js';
import { DataPlaneError } from '../data-plane/data-plane-error.js';
import type { DeletedSegment, FsyncPolicy, PartitionLog, TruncatedTail } from './partition-log.js';
import { StickyRoundRobin } from './partitioner.js';
import { encodeBatch } from './record-format.js';
import { routeRecords } from './record-router.js';
import type { LogDamage, RecoveryMode } from './segment-recovery.js';
import { SyncScheduler } from './sync-scheduler.js';
import { TopicCatalog } from './topic-catalog.js';
import type { Topic } from './topic-catalog.js';
import type {
  Consumer,
  ConsumerOptions,
  DataPlane,
  ProducerRecord,
  RecordMetadata,
  StoredRecord,
  TopicChanges,
  TopicDescription,
  TopicPartition,
  TopicSettings,
} from '../data-plane/data-plane.js';

export type { FsyncPolicy, DeletedSegment, TruncatedTail } from './partition-log.js';
export type { LogDamage, RecoveryMode } from './segment-recovery.js';
export { LogDamageError } from './segment-recovery.js';
export type { OffsetReset } from './group-coordinator.js';

/** Time source for append timestamps and retention; tests inject a fake one. */
export interface Clock {
  now(): number;
}

export interface EmbeddedLogOptions {
  /** Directory holding topics, segments and committed offsets; created if missing; one live process at a time. */
  dir: string;
  /** When appends are fdatasync'ed: 'always' (before produce resolves), 'interval' (default), 'never' (only on close). */
  fsync?: FsyncPolicy;
  /** For fsync='interval': longest time written data stays unsynced (default 1000 ms). */
  fsyncIntervalMs?: number;
  /** Partitions of topics created implicitly by produce() (default 1). */
  defaultPartitions?: number;
  /** Segment size for topics without `segment.bytes` (default 64 MiB). */
  segmentBytes?: number;
  /** How often retention runs in the background (default 5 min, Kafka's); 0 disables it (call enforceRetention()). */
  retentionCheckIntervalMs?: number;
  /** Bytes between sparse-index entries (default 4096, Kafka's index.interval.bytes). */
  indexIntervalBytes?: number;
  clock?: Clock;
  /** Receives errors of background work (interval fsync, retention); the log never prints. */
  onBackgroundError?: (error: Error, during: 'fsync' | 'retention') => void;
  /**
   * Damage found on open (anything but a torn tail of a last segment): 'refuse' (default) throws LogDamageError;
   * 'repair' cuts the partition at the damage and reports it in `recovery.repaired` (`pipectl worker repair`).
   */
  recovery?: RecoveryMode;
  /** Told when a consumer's position outside its partition's log is moved at a fetch (the log never prints). */
  onOffsetReset?: (reset: OffsetReset) => void;
}

/** What open found and repaired. */
export interface RecoveryReport {
  topics: number;
  partitions: number;
  /** Torn tails cut from last segments (expected after a kill -9 mid-write or a power loss). */
  truncated: TruncatedTail[];
  /** Damage cut in mode 'repair' (empty otherwise: damage refuses the open). */
  repaired: LogDamage[];
  /** Committed offsets that were past their partition's log end and were moved to it. */
  offsetsReset: OffsetReset[];
}

/** Log start and end of a partition: records [startOffset, endOffset) are readable. */
export interface PartitionOffsets {
  partition: number;
  startOffset: number;
  endOffset: number;
}

const systemClock: Clock = { now: () => Date.now() };

export class EmbeddedLog implements DataPlane {
  private readonly consumers = new Set<EmbeddedConsumer>();
  private readonly inflight = new InflightWork();
  private readonly sticky = new StickyRoundRobin();
  private retentionTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  /** @internal use openEmbeddedLog() */
  constructor(
    private readonly options: Required<Omit<EmbeddedLogOptions, 'onBackgroundError' | 'recovery' | 'onOffsetReset'>>,
    private readonly catalog: TopicCatalog,
    private readonly coordinator: GroupCoordinator,
    private readonly syncer: SyncScheduler,
    private readonly lock: DirLock,
    private readonly onBackgroundError: (error: Error, during: 'fsync' | 'retention') => void,
    private readonly onOffsetReset: (reset: OffsetReset) => void,
    readonly recovery: RecoveryReport,
  ) {
    if (options.retentionCheckIntervalMs > 0) {
      this.retentionTimer = setInterval(() => {
        this.enforceRetention().catch((err: Error) => this.onBackgroundError(err, 'retention'));
      }, options.retentionCheckIntervalMs).unref();
    }
  }

  private checkOpen(): void {
    if (this.closing) throw new DataPlaneError('PIPECTL_LOG_CLOSED', 'the embedded log is closed');
  }

  private track<T>(work: Promise<T>): Promise<T> {
    return this.inflight.track(work);
  }

  /** See DataPlane.createTopic; partitions -1 means `defaultPartitions`. */
  async createTopic(name: string, settings: TopicSettings): Promise<boolean> {
    this.checkOpen();
    const resolved = settings.partitions === -1 ? { ...settings, partitions: this.options.defaultPartitions } : settings;
    const created = await this.track(this.catalog.create(name, resolved));
    if (created) this.coordinator.topicsChanged();
    return created;
  }

  /**
   * Adds partitions (new, empty partition directories) and/or changes topic configs; see DataPlane.alterTopic. Retention
   * and segment size follow the new config from their next run; consumer groups rebalance onto added partitions.
   */
  async alterTopic(name: string, changes: TopicChanges): Promise<void> {
    this.checkOpen();
    const added = await this.track(this.catalog.alter(name, changes));
    if (added) this.coordinator.topicsChanged();
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const topic = this.catalog.get(name);
    return topic ? copyDescription(topic) : undefined;
  }

  async listTopics(): Promise<TopicDescription[]> {
    return this.catalog.list().map(copyDescription);
  }

  /**
   * Appends records: one batch and one write per partition touched. Resolves, in input order, where each record landed
   * once all are written to the OS (and synced, with fsync='always'). Creates missing topics with defaultPartitions.
   * Rejects with DataPlaneError (invalid record, unknown partition, closed) before writing anything, or with the fs error.
   */
  produce(records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
    try {
      this.checkOpen();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.track(this.doProduce(records));
  }

  private async doProduce(records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    const topics = new Map<string, Topic>();
    for (const r of records) {
      if (topics.has(r.topic)) continue;
      let topic = this.catalog.get(r.topic);
      if (!topic) {
        await this.createTopic(r.topic, { partitions: this.options.defaultPartitions });
        topic = this.catalog.get(r.topic)!;
      }
      topics.set(r.topic, topic);
    }
    const routes = routeRecords(records, topics, this.sticky);
    const now = this.options.clock.now();
    const batches = routes.map((route) => ({ route, batch: encodeBatch(route.records, now) }));
    const bases = await Promise.all(batches.map(({ route, batch }) => route.log.append(batch)));
    const result = new Array<RecordMetadata>(records.length);
    for (let i = 0; i < batches.length; i++) {
      const { log, indexes } = batches[i]!.route;
      const base = bases[i]!;
      for (let j = 0; j < indexes.length; j++) result[indexes[j]!] = { topic: log.topic, partition: log.partition, offset: base + j };
    }
    return result;
  }

  /** Opens a group member; see Consumer. Throws DataPlaneError(PIPECTL_LOG_DUPLICATE_MEMBER) for a clientId in use. */
  async openConsumer(options: ConsumerOptions): Promise<Consumer> {
    this.checkOpen();
    const consumer = new EmbeddedConsumer(options, {
      coordinator: this.coordinator,
      partitionLog: (topic, partition) => this.catalog.get(topic)?.partitions[partition],
      closed: (c) => this.consumers.delete(c),
      offsetReset: (reset) => this.onOffsetReset(reset),
    });
    this.coordinator.join(options.groupId, consumer);
    this.consumers.add(consumer);
    return consumer;
  }

  async committedOffsets(groupId: string): Promise<(TopicPartition & { offset: number })[]> {
    return this.coordinator.committedOffsets(groupId);
  }

  /**
   * Sets or (offset null) removes committed offsets of a group with no open consumer. Throws DataPlaneError:
   * PIPECTL_LOG_GROUP_NOT_EMPTY, PIPECTL_LOG_UNKNOWN_TOPIC, PIPECTL_LOG_UNKNOWN_PARTITION, PIPECTL_LOG_INVALID_ARGUMENT.
   */
  async alterCommittedOffsets(groupId: string, offsets: readonly (TopicPartition & { offset: number | null })[]): Promise<void> {
    this.checkOpen();
    for (const o of offsets) this.partitionLog(o.topic, o.partition);
    await this.track(this.coordinator.alter(groupId, offsets));
  }

  /**
   * Reads up to `maxRecords` records of a partition from `offset`, outside any group. Throws DataPlaneError for an unknown
   * topic or partition, or an offset outside [startOffset, endOffset].
   */
  async read(tp: TopicPartition, offset: number, maxRecords: number): Promise<StoredRecord[]> {
    this.checkOpen();
    return this.partitionLog(tp.topic, tp.partition).read(offset, maxRecords);
  }

  /** Start and end offsets of each partition of a topic. Throws DataPlaneError(PIPECTL_LOG_UNKNOWN_TOPIC). */
  async listOffsets(topic: string): Promise<PartitionOffsets[]> {
    const t = this.catalog.get(topic);
    if (!t) throw new DataPlaneError('PIPECTL_LOG_UNKNOWN_TOPIC', `topic "${topic}" does not exist`);
    return t.partitions.map((p) => ({ partition: p.partition, startOffset: p.startOffset, endOffset: p.endOffset }));
  }

  /** Runs retention now on every partition (the background check does the same); returns the deleted segments. */
  async enforceRetention(): Promise<DeletedSegment[]> {
    const now = this.options.clock.now();
    const deleted: DeletedSegment[] = [];
    for (const topic of this.catalog.list()) {
      for (const p of topic.partitions) deleted.push(...(await p.enforceRetention(now)));
    }
    return deleted;
  }

  /** fdatasyncs every partition now, whatever the policy. */
  async flush(): Promise<void> {
    await Promise.all(this.catalog.list().flatMap((t) => t.partitions.map((p) => p.sync())));
  }

  private partitionLog(topic: string, partition: number): PartitionLog {
    const t = this.catalog.get(topic);
    if (!t) throw new DataPlaneError('PIPECTL_LOG_UNKNOWN_TOPIC', `topic "${topic}" does not exist`);
    const log = t.partitions[partition];
    if (!log) throw new DataPlaneError('PIPECTL_LOG_UNKNOWN_PARTITION', `topic "${topic}" has no partition ${partition}`);
    return log;
  }

  /**
   * Lets pending produces and commits finish, closes consumers (pending polls resolve []), syncs and closes every file
   * and releases the directory. Idempotent; later calls return the same promise.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.retentionTimer);
      await this.inflight.settled();
      await Promise.all([...this.consumers].map((c) => c.close()));
      await this.syncer.stop();
      await this.catalog.close();
      await this.coordinator.close();
      await this.lock.release();
    })();
    return this.closing;
  }
}

function copyDescription(topic: Topic): TopicDescription {
  return { ...topic.description, config: { ...topic.description.config } };
}

function positiveInteger(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `${name} must be an integer ≥ ${min}, got ${value}`);
  }
  return value;
}

/**
 * Opens (creating if needed) an embedded log in `options.dir`, recovering every partition: segments are validated,
 * a torn tail of a last segment is truncated, committed offsets past a log end are moved to it (all reported in
 * `recovery`). Throws LogError: PIPECTL_LOG_LOCKED when another live process uses the directory, PIPECTL_LOG_CORRUPT
 * when a group or topic file is damaged, or (as LogDamageError, unless `recovery: 'repair'`) when a segment is
 * damaged anywhere but in a torn tail; DataPlaneError(PIPECTL_LOG_INVALID_ARGUMENT) for bad options.
 */
export async function openEmbeddedLog(options: EmbeddedLogOptions): Promise<EmbeddedLog> {
  const resolved = {
    dir: options.dir,
    fsync: options.fsync ?? 'interval',
    fsyncIntervalMs: positiveInteger('fsyncIntervalMs', options.fsyncIntervalMs ?? 1000, 1),
    defaultPartitions: positiveInteger('defaultPartitions', options.defaultPartitions ?? 1, 1),
    segmentBytes: positiveInteger('segmentBytes', options.segmentBytes ?? 64 * 1024 * 1024, 1),
    retentionCheckIntervalMs: positiveInteger('retentionCheckIntervalMs', options.retentionCheckIntervalMs ?? 300_000, 0),
    indexIntervalBytes: positiveInteger('indexIntervalBytes', options.indexIntervalBytes ?? 4096, 1),
    clock: options.clock ?? systemClock,
  } satisfies Required<Omit<EmbeddedLogOptions, 'onBackgroundError' | 'recovery' | 'onOffsetReset'>>;
  if (!['always', 'interval', 'never'].includes(resolved.fsync)) {
    throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `fsync must be 'always', 'interval' or 'never', got '${String(resolved.fsync)}'`);
  }
  const onBackgroundError = options.onBackgroundError ?? (() => undefined);
  await mkdir(resolved.dir, { recursive: true });
  const lock = await acquireDirLock(resolved.dir);
  const syncer = new SyncScheduler(resolved.fsyncIntervalMs, (err) => onBackgroundError(err, 'fsync'));
  const catalog = new TopicCatalog({
    root: resolved.dir,
    fsync: resolved.fsync,
    segmentBytes: resolved.segmentBytes,
    indexIntervalBytes: resolved.indexIntervalBytes,
    onDirty: (log) => syncer.markDirty(log),
    recovery: options.recovery ?? 'refuse',
  });
  try {
    const { truncated, repaired } = await catalog.load();
    const coordinator = await GroupCoordinator.open(resolved.dir, () =>
      catalog.list().map((t) => ({ name: t.description.name, partitions: t.partitions.length })),
    );
    const offsetsReset = await coordinator.resetPastLogEnd((topic, partition) => catalog.get(topic)?.partitions[partition]?.endOffset);
    const topics = catalog.list();
    const partitions = topics.reduce((n, t) => n + t.partitions.length, 0);
    const recovery: RecoveryReport = { topics: topics.length, partitions, truncated, repaired, offsetsReset };
    return new EmbeddedLog(resolved, catalog, coordinator, syncer, lock, onBackgroundError, options.onOffsetReset ?? (() => undefined), recovery);
  } catch (err) {
    await catalog.close().catch(() => undefined);
    await lock.release();
    throw err;
  }
}
