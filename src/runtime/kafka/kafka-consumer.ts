/**
 * A Kafka group member behind our pull-based Consumer interface. kafkajs pushes fetched batches (`eachBatch`); they go
 * into a bounded per-partition buffer that poll() drains. While a partition's buffer is full, the batch handler does
 * not return (it heartbeats meanwhile): kafkajs fetches a broker's next batch only after the handler returned, so this is
 * the back-pressure. (kafkajs's pause() would cost a whole `fetch.max.wait.ms` sleep after each resume: measured 7k
 * records/s end to end against 40k+ with a waiting handler.) Positions are ours: on every (re)join — a rebalance, or a
 * new client after the old one crashed (the broker went away) — buffers are dropped, partitions this member keeps are sought back
 * to the offset after the last record poll() returned, and records below what was already delivered are never
 * delivered twice by the same member. Commits carry explicit offsets (autoCommit off).
 */
import { DataPlaneError } from '../data-plane/data-plane-error.js';
import type { Consumer, StoredRecord, TopicPartition } from '../data-plane/data-plane.js';
import { offsetList, WakeableSleep } from '../data-plane/data-plane-support.js';
import type { Logger } from '../logger.js';
import type { ErrorInfo, FetchedBatch, GroupConsumerHandlers, GroupConsumerPort } from './port/kafka-port.js';
import { PartitionBuffers } from './partition-buffers.js';
import { RETRY_BACKOFF_MS, TopicWatcher } from './topic-watcher.js';

/** Broker errors about group membership: the commit is retried after the member rejoined, not a task failure. */
const MEMBERSHIP_ERRORS = new Set(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'GROUP_LOAD_IN_PROGRESS', 'FENCED_INSTANCE_ID']);

type Offset = TopicPartition & { offset: number };

/** How long offsets left pending wait before poll() sends them again. */
const PENDING_RETRY_MS = 1000;
/** How often a batch handler waiting for poll() to drain a full buffer heartbeats (kafkajs sends one at most every heartbeat.interval.ms). */
const FULL_BUFFER_CHECK_MS = 500;

export interface KafkaConsumerOptions {
  clientId: string;
  groupId: string;
  logger: Logger;
  /** Creates a fresh client; called again after every crash (kafkajs's own restart-on-crash is off). */
  newPort: () => GroupConsumerPort;
  classify: (error: unknown) => ErrorInfo;
  /** The topics to subscribe to now; a pattern subscription re-resolves them every `topicRefreshMs`. */
  resolveTopics: () => Promise<string[]>;
  /** Whether the subscription can gain topics (a pattern), so it is re-resolved. */
  dynamic: boolean;
  topicRefreshMs: number;
  fromBeginning: boolean;
  /** Records buffered per partition before its fetching waits. */
  bufferPerPartition: number;
  closed: (consumer: KafkaConsumer) => void;
}

export class KafkaConsumer implements Consumer {
  private port: GroupConsumerPort | undefined;
  private readonly buffers: PartitionBuffers;
  /** Per "topic\u0000partition": the high watermark of its last fetch (for the lag metrics). */
  private readonly highWatermarks = new Map<string, number>();
  private readonly watcher: TopicWatcher;
  private joined = false;
  /** This member's id in the group while joined; after a crash, the id the next client removes from the group. */
  private memberId: string | undefined;
  private fatal: Error | undefined;
  /** Offsets not committed yet (a transient failure, or the member was rejoining); sent again later. */
  private readonly pending = new Map<string, Offset>();
  /** Commits run one at a time, so that an older one never lands after a newer one. */
  private commits: Promise<void> = Promise.resolve();
  private lastCommitAttempt = 0;
  private readonly sleeper = new WakeableSleep();
  /** Where a batch handler waits while its partition's buffer is full; woken when poll() takes records. */
  private readonly drained = new WakeableSleep();
  private polling = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly o: KafkaConsumerOptions) {
    this.buffers = new PartitionBuffers(o.bufferPerPartition);
    this.watcher = new TopicWatcher(
      o,
      () => this.closing !== undefined,
      (topics) => this.restart(topics),
      (error) => this.failFor(error),
    );
  }

  /**
   * Subscribes and joins. A transient failure (broker unreachable) does not reject: the member keeps trying in the
   * background and poll() returns nothing meanwhile. Rejects for a non-retriable one (e.g. authorization).
   */
  async start(): Promise<void> {
    await this.watcher.start();
  }

  /** (Re)starts the kafkajs consumer on these topics; resolves after its first join attempt. */
  private async restart(topics: readonly string[]): Promise<void> {
    await this.stopPort();
    if (topics.length === 0 || this.closing) return;
    const port = this.o.newPort();
    this.port = port;
    await port.start(topics, this.o.fromBeginning, this.handlers(port), this.memberId);
  }

  /** Stops the client (it leaves the group if it can reach it; else the next client removes its member id). */
  private async stopPort(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    this.leaveGeneration();
    await port?.stop().catch(() => undefined);
  }

  private handlers(port: GroupConsumerPort): GroupConsumerHandlers {
    const current = (): boolean => this.port === port && !this.closing;
    return {
      onBatch: (batch) => (current() ? this.onBatch(port, batch) : Promise.resolve()),
      onJoined: (assignment, memberId) => current() && this.onJoined(port, assignment, memberId),
      onRebalancing: () => current() && this.leaveGeneration(),
      onCrash: (error) => current() && this.onCrash(error),
    };
  }

  private async onBatch(port: GroupConsumerPort, batch: FetchedBatch): Promise<void> {
    if (!this.joined || batch.isStale()) return; // a seek is pending: kafkajs fetches again from there
    this.highWatermarks.set(`${batch.topic}\u0000${batch.partition}`, batch.highWatermark);
    const added = this.buffers.add(batch);
    if (added === undefined) return; // not ours any more
    batch.resolveOffset(batch.lastOffset);
    if (added > 0) this.wakeUp();
    // Holding the handler holds the next fetch. A rebalance surfaces as an error from heartbeat(), which kafkajs handles.
    const held = (): boolean => this.buffers.isFull(batch) && this.port === port && this.joined && !this.closing && !batch.isStale();
    if (held()) this.o.logger.debug('partition buffer full: fetching waits for the task', { group: this.o.groupId, client: this.o.clientId, topic: batch.topic, partition: batch.partition });
    while (held()) {
      await this.drained.sleep(FULL_BUFFER_CHECK_MS);
      await batch.heartbeat();
    }
    await batch.heartbeat();
  }

  private onJoined(port: GroupConsumerPort, assignment: TopicPartition[], memberId: string): void {
    this.memberId = memberId;
    for (const s of this.buffers.assign(assignment)) port.seek(s, s.offset);
    this.joined = true;
    this.o.logger.debug('consumer joined its group', { group: this.o.groupId, client: this.o.clientId, partitions: assignment.length });
    this.wakeUp();
  }

  /** Until the next join this member owns nothing: buffered records may belong to another member soon. */
  private leaveGeneration(): void {
    this.joined = false;
    this.buffers.clear();
    this.drained.wake();
  }

  /** A transient failure (broker gone, coordinator moving) restarts the client; it rejoins under a new member id. */
  private onCrash(error: Error): void {
    this.leaveGeneration();
    if (!this.o.classify(error).retriable) return this.failFor(error);
    this.o.logger.warn(`consumer lost its connection to Kafka, reconnecting: ${error.message}`, { group: this.o.groupId, client: this.o.clientId });
    this.watcher.restartSoon(RETRY_BACKOFF_MS);
  }

  /** The member cannot recover (e.g. not authorized): poll() rethrows the error, so the task fails with it. */
  private failFor(error: Error): void {
    this.fatal = error;
    this.wakeUp();
  }

  /**
   * Returns up to `maxRecords` buffered records (taking turns between partitions), or waits up to `timeoutMs` for
   * some; [] while the member is (re)joining. Throws DataPlaneError for a closed consumer, bad arguments or a concurrent
   * poll, and the client's error when the member failed for good (e.g. authorization).
   */
  async poll(maxRecords: number, timeoutMs: number): Promise<StoredRecord[]> {
    if (this.closing) throw new DataPlaneError('PIPECTL_LOG_CLOSED', `consumer "${this.o.clientId}" is closed`);
    if (!Number.isSafeInteger(maxRecords) || maxRecords < 1 || !(timeoutMs >= 0)) {
      throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `poll(${maxRecords}, ${timeoutMs}): maxRecords must be ≥ 1 and timeoutMs ≥ 0`);
    }
    if (this.polling) throw new DataPlaneError('PIPECTL_LOG_POLL_IN_PROGRESS', `consumer "${this.o.clientId}" is already polling`);
    this.polling = true;
    try {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        if (this.fatal) throw this.fatal;
        this.retryPendingCommit();
        const records = this.joined ? this.buffers.take(maxRecords) : [];
        if (records.length > 0) {
          this.drained.wake();
          return records;
        }
        const remaining = deadline - performance.now();
        if (remaining <= 0 || this.closing) return [];
        await this.sleep(remaining);
      }
    } finally {
      this.polling = false;
    }
  }

  endOffsets(): (TopicPartition & { endOffset: number })[] {
    return this.assignment().flatMap((tp) => {
      const hw = this.highWatermarks.get(`${tp.topic}\u0000${tp.partition}`);
      return hw === undefined ? [] : [{ ...tp, endOffset: hw }];
    });
  }

  assignment(): TopicPartition[] {
    return this.buffers.owned();
  }

  /**
   * Commits next-offsets. Offsets of partitions this member does not own, or has not delivered records of since it
   * got them, are ignored (as Connect ignores them). Resolves without committing when the member is (re)joining or
   * the commit failed for a transient reason: those offsets are sent again by the next commit, by poll() after a
   * second, and on close (a crash meanwhile re-delivers; at-least-once). Rejects for a non-retriable broker error.
   */
  async commit(offsets: ReadonlyMap<string, number> | readonly Offset[]): Promise<void> {
    if (this.closing) throw new DataPlaneError('PIPECTL_LOG_CLOSED', `consumer "${this.o.clientId}" is closed`);
    for (const o of offsetList(offsets)) {
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `offset ${o.offset} must be a non-negative integer`);
      this.pending.set(`${o.topic}\u0000${o.partition}`, o);
    }
    await this.flushPending();
  }

  /** Offsets left pending are retried from poll() (the worker may have nothing new to commit for a while). */
  private retryPendingCommit(): void {
    if (this.pending.size === 0 || !this.joined || Date.now() - this.lastCommitAttempt < PENDING_RETRY_MS) return;
    this.flushPending().catch((e: Error) => this.o.logger.warn(`offset commit failed: ${e.message}`, { group: this.o.groupId, client: this.o.clientId }));
  }

  private flushPending(): Promise<void> {
    const run = this.commits.then(() => this.commitPending());
    this.commits = run.catch(() => undefined);
    return run;
  }

  private async commitPending(): Promise<void> {
    const port = this.port;
    if (!this.joined || !port || this.pending.size === 0) return;
    const batch: Offset[] = [];
    for (const [key, o] of this.pending) {
      if (this.buffers.committable(o)) batch.push(o);
      else this.pending.delete(key); // another member owns it now and commits its own progress
    }
    if (batch.length === 0) return;
    this.lastCommitAttempt = Date.now();
    try {
      await port.commit(batch);
      for (const o of batch) {
        const key = `${o.topic}\u0000${o.partition}`;
        if (this.pending.get(key) === o) this.pending.delete(key);
      }
    } catch (e) {
      const info = this.o.classify(e);
      if (!info.retriable && info.type && !MEMBERSHIP_ERRORS.has(info.type)) throw e;
      this.o.logger.warn(`offset commit failed; it is retried: ${e instanceof Error ? e.message : String(e)}`, { group: this.o.groupId, client: this.o.clientId });
    }
  }

  /** Moves the position of an owned partition; buffered records of it are dropped. Throws DataPlaneError(PIPECTL_LOG_NOT_OWNER). */
  seek(tp: TopicPartition, offset: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0) throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `seek offset ${offset} must be a non-negative integer`);
    if (!this.buffers.seek(tp, offset)) throw new DataPlaneError('PIPECTL_LOG_NOT_OWNER', `consumer "${this.o.clientId}" does not own ${tp.topic}-${tp.partition}`);
    this.port?.seek(tp, offset);
    this.drained.wake();
    this.wakeUp();
  }

  /** Commits what is still pending (best effort), leaves the group and ends a pending poll with []. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.wakeUp();
      this.drained.wake();
      this.watcher.stop();
      await this.flushPending().catch((e: Error) => this.o.logger.warn(`final offset commit failed: ${e.message}`, { group: this.o.groupId, client: this.o.clientId }));
      await this.stopPort();
      this.o.closed(this);
    })();
    return this.closing;
  }

  private sleep(ms: number): Promise<void> {
    return this.sleeper.sleep(ms);
  }

  private wakeUp(): void {
    this.sleeper.wake();
  }
}
