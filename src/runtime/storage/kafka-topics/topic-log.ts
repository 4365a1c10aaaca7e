/**
 * Connect's KafkaBasedLog in our terms: one internal topic (config, offsets or status) read in full by every worker,
 * without a consumer group, and written with acks=all. Reads go through the raw cluster port (ListOffsets, Fetch from
 * every partition's leader, read_uncommitted, starting at the log start); writes through the data plane's producer
 * (acks=all, partition by murmur2 of the key when none is given, transient failures retried). Also
 * ensureInternalTopic: the checks Connect makes of an internal topic before using it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataPlane, StoredRecord } from '../../data-plane/data-plane.js';
import type { RawClusterPort } from '../../kafka/port/kafka-port.js';
import type { Logger } from '../../logger.js';
import { DataPlaneError } from '../../data-plane/data-plane-error.js';
import { DistributedError } from '../../distributed-error.js';
import type { InternalLog, InternalLogRecord, InternalLogWrite, LogHealth } from './internal-log.js';

/** What the log needs of the raw cluster port; the log owns it (connects it in start, disconnects it in stop). */
export type TopicLogPort = Pick<RawClusterPort, 'connect' | 'disconnect' | 'partitionCount' | 'listOffsets' | 'fetch' | 'classify'>;

export interface TopicLogOptions {
  topic: string;
  port: TopicLogPort;
  /** Where writes go; only `produce` is used. */
  dataPlane: Pick<DataPlane, 'produce'>;
  logger: Logger;
  /** How long one fetch may wait at the broker for new records (default 500 ms): the delay of an idle read loop. */
  fetchMaxWaitMs?: number;
  /** Back-off after a failed request, doubling up to 1 s (default 100 ms). */
  retryBackoffMs?: number;
  /**
   * health() reports the topic unreachable when no fetch has been answered for this long (default 5 s; a healthy read
   * loop gets an answer at least every fetchMaxWaitMs), or at once when the last fetch failed.
   */
  staleAfterMs?: number;
  /** How long start() retries transient failures (a new topic's leader not known yet) before it rejects (default 30 s). */
  startTimeoutMs?: number;
  /**
   * How long start() treats UNKNOWN_TOPIC_OR_PARTITION as transient (default 10 s): a topic created a moment ago may
   * not be in every broker's metadata yet. After that a missing topic is final.
   */
  missingTopicGraceMs?: number;
}

interface Waiter {
  ends: ReadonlyMap<number, number>;
  resolve(): void;
  reject(error: Error): void;
}

// Kept short: while the broker is away the worker answers writes with 503 until a read succeeds again.
const MAX_BACKOFF_MS = 1000;

/**
 * One internal topic. onRecord is called in offset order per partition, never concurrently with itself, never after
 * stop() resolved; an onRecord that throws is logged and the read goes on. The partition count is read at start():
 * partitions added later are not read (as in Connect).
 */
export class TopicLog implements InternalLog {
  private state: 'new' | 'started' | 'stopped' = 'new';
  private onRecord: (record: InternalLogRecord) => void = () => undefined;
  private readonly positions = new Map<number, number>();
  private waiters: Waiter[] = [];
  private readonly sending = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  private failing = false;
  /** When the last fetch was answered, and why the last one failed (cleared by the next answer). */
  private lastAnswerAt = Date.now();
  private failure: { reason: string; since: number } | undefined;

  constructor(private readonly o: TopicLogOptions) {}

  /** Reachable while fetches are answered; see TopicLogOptions.staleAfterMs. */
  health(): LogHealth {
    if (this.state !== 'started') return { reachable: false, reason: `internal topic "${this.o.topic}" is not being read (log ${this.state})`, sinceMs: 0 };
    if (this.failure) return { reachable: false, reason: this.failure.reason, sinceMs: Date.now() - this.failure.since };
    const silentMs = Date.now() - this.lastAnswerAt;
    if (silentMs > (this.o.staleAfterMs ?? 5000)) return { reachable: false, reason: `no answer from the Kafka cluster for internal topic "${this.o.topic}" for ${silentMs} ms`, sinceMs: silentMs };
    return { reachable: true };
  }

  /**
   * Reads every partition from its log start up to the current end, then goes on reading in the background.
   * Rejects with PIPECTL_DISTRIBUTED_TOPIC_UNAVAILABLE when the topic does not exist, or cannot be read within
   * startTimeoutMs; with PIPECTL_DISTRIBUTED_STOPPED when stop() comes first.
   */
  async start(onRecord: (record: InternalLogRecord) => void): Promise<void> {
    if (this.state !== 'new') throw this.stoppedError('start');
    this.state = 'started';
    this.onRecord = onRecord;
    const { port, topic } = this.o;
    const deadline = Date.now() + (this.o.startTimeoutMs ?? 30_000);
    const missingUntil = Date.now() + (this.o.missingTopicGraceMs ?? 10_000);
    for (let backoff = this.o.retryBackoffMs ?? 100; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      try {
        await port.connect();
        const count = await port.partitionCount(topic);
        const start = await port.listOffsets(topic, [...Array(count).keys()], 'earliest');
        for (let p = 0; p < count; p++) this.positions.set(p, start.get(p) ?? 0);
        break;
      } catch (e) {
        // A new topic's leaders take a moment to be known everywhere (NOT_LEADER_OR_FOLLOWER, and for a short while
        // UNKNOWN_TOPIC_OR_PARTITION); a topic still missing after the grace is final.
        const { retriable, type } = port.classify(e);
        const missing = type === 'UNKNOWN_TOPIC_OR_PARTITION';
        if (this.state === 'started' && retriable && (!missing || Date.now() + backoff < missingUntil) && Date.now() + backoff < deadline) {
          await this.pause(backoff);
          continue;
        }
        if (this.state !== 'started') throw this.stoppedError('start');
        this.state = 'stopped';
        await port.disconnect().catch(() => undefined);
        throw new DistributedError('PIPECTL_DISTRIBUTED_TOPIC_UNAVAILABLE', `internal topic "${topic}" cannot be read: ${(e as Error).message}`, { cause: e });
      }
    }
    this.lastAnswerAt = Date.now();
    this.loop = this.fetchLoop();
    await this.readToEnd();
  }

  /**
   * Appends the records as one produce call (in order within each partition); resolves once all are acknowledged by
   * every in-sync replica. Rejects with the data plane's error (its `retriable` flag says whether to try again).
   */
  async send(records: readonly InternalLogWrite[]): Promise<void> {
    if (this.state !== 'started') throw this.stoppedError('send');
    const { topic } = this.o;
    const sent = this.o.dataPlane.produce(records.map((r) => ({ topic, key: r.key, value: r.value, ...(r.partition === undefined ? {} : { partition: r.partition }) })));
    this.sending.add(sent);
    try {
      await sent;
    } finally {
      this.sending.delete(sent);
    }
  }

  /**
   * Resolves once every record that existed when called (writes of this log still in flight included) has been passed
   * to onRecord. Transient failures to list the end offsets are retried; rejects with
   * PIPECTL_DISTRIBUTED_TOPIC_UNAVAILABLE when reading fails for good, PIPECTL_DISTRIBUTED_STOPPED on stop().
   */
  async readToEnd(): Promise<void> {
    if (this.state !== 'started') throw this.stoppedError('readToEnd');
    await Promise.allSettled([...this.sending]);
    const ends = await this.endOffsets();
    if (this.caughtUp(ends)) return;
    await new Promise<void>((resolve, reject) => this.waiters.push({ ends, resolve, reject }));
  }

  /** Stops reading (a pending readToEnd rejects with PIPECTL_DISTRIBUTED_STOPPED) and disconnects. Idempotent. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return this.loop;
    this.state = 'stopped';
    this.stopping.abort();
    this.rejectWaiters(this.stoppedError('readToEnd'));
    await this.o.port.disconnect().catch(() => undefined);
    await this.loop;
  }

  /** The next offset to read of each partition. */
  positionsNow(): Map<number, number> {
    return new Map(this.positions);
  }

  private async fetchLoop(): Promise<void> {
    const { port, topic } = this.o;
    const base = this.o.retryBackoffMs ?? 100;
    let backoff = base;
    while (this.state === 'started') {
      let fetched;
      try {
        const positions = [...this.positions].map(([partition, offset]) => ({ partition, offset }));
        fetched = await port.fetch(topic, positions, { maxWaitMs: this.o.fetchMaxWaitMs ?? 500 });
      } catch (e) {
        if (this.state !== 'started') return;
        this.failure ??= { reason: `reading internal topic "${topic}" failed: ${(e as Error).message ?? String(e)}`, since: Date.now() };
        await this.onFetchError(e);
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        continue;
      }
      backoff = base;
      this.lastAnswerAt = Date.now();
      this.failure = undefined;
      if (this.failing) this.o.logger.info(`reading internal topic "${topic}" again`, { topic });
      this.failing = false;
      for (const f of fetched) {
        for (const r of f.records) {
          if (this.state !== 'started') return;
          this.deliver(r);
        }
        if (f.nextOffset > (this.positions.get(f.partition) ?? 0)) this.positions.set(f.partition, f.nextOffset);
      }
      this.releaseWaiters();
    }
  }

  private deliver(r: StoredRecord): void {
    if (r.offset < (this.positions.get(r.partition) ?? 0)) return;
    this.positions.set(r.partition, r.offset + 1);
    try {
      this.onRecord({ partition: r.partition, offset: r.offset, key: r.key, value: r.value });
    } catch (e) {
      this.o.logger.error(`reading internal topic "${this.o.topic}": the record handler failed at ${r.partition}:${r.offset}: ${String(e)}`, { topic: this.o.topic });
    }
  }

  /** Logs; resets positions outside the log to its start; a non-retriable error fails the pending readToEnd calls. */
  private async onFetchError(error: unknown): Promise<void> {
    const { topic } = this.o;
    const { type, retriable } = this.o.port.classify(error);
    const message = (error as Error).message ?? String(error);
    if (type === 'OFFSET_OUT_OF_RANGE') {
      // Connect's consumer has auto.offset.reset=earliest: records below the log start were deleted; start over there.
      try {
        const partitions = [...this.positions.keys()];
        const [start, end] = await Promise.all([this.o.port.listOffsets(topic, partitions, 'earliest'), this.o.port.listOffsets(topic, partitions, 'latest')]);
        for (const [p, at] of this.positions) {
          const first = start.get(p) ?? 0;
          if (at < first || at > (end.get(p) ?? at)) {
            this.o.logger.warn(`internal topic "${topic}" partition ${p}: offset ${at} is outside the log; reading from ${first}`, { topic });
            this.positions.set(p, first);
          }
        }
      } catch {
        // retried with the next fetch
      }
      return;
    }
    if (!retriable) {
      this.o.logger.error(`reading internal topic "${topic}" failed: ${message}`, { topic, error_type: type });
      this.rejectWaiters(new DistributedError('PIPECTL_DISTRIBUTED_TOPIC_UNAVAILABLE', `internal topic "${topic}" cannot be read: ${message}`, { cause: error }));
      return;
    }
    if (!this.failing) this.o.logger.warn(`reading internal topic "${topic}" failed, retrying: ${message}`, { topic, error_type: type });
    this.failing = true;
  }

  /** End offsets of every partition, retrying transient failures until they answer or the log stops. */
  private async endOffsets(): Promise<Map<number, number>> {
    const { port, topic } = this.o;
    for (let backoff = this.o.retryBackoffMs ?? 100; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      try {
        return await port.listOffsets(topic, [...this.positions.keys()], 'latest');
      } catch (e) {
        if (this.state !== 'started') throw this.stoppedError('readToEnd');
        if (!port.classify(e).retriable) {
          throw new DistributedError('PIPECTL_DISTRIBUTED_TOPIC_UNAVAILABLE', `internal topic "${topic}": listing its end offsets failed: ${(e as Error).message}`, { cause: e });
        }
        await this.pause(backoff);
      }
    }
  }

  private caughtUp(ends: ReadonlyMap<number, number>): boolean {
    for (const [p, end] of ends) if ((this.positions.get(p) ?? 0) < end) return false;
    return true;
  }

  private releaseWaiters(): void {
    const waiting: Waiter[] = [];
    for (const w of this.waiters) {
      if (this.caughtUp(w.ends)) w.resolve();
      else waiting.push(w);
    }
    this.waiters = waiting;
  }

  private rejectWaiters(error: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(error);
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }

  private stoppedError(what: string): DistributedError {
    return new DistributedError('PIPECTL_DISTRIBUTED_STOPPED', `internal topic "${this.o.topic}": ${what}() after the log was ${this.state === 'new' ? 'never started' : 'stopped'}`);
  }
}

/** An internal topic as the worker config describes it (`<prefix>.topic`, `.partitions`, `.replication.factor`, …). */
export interface InternalTopicSpec {
  name: string;
  /** -1: the broker's default. Ignored for the config and lease topics, which are created with one partition. */
  partitions: number;
  /** -1: the broker's default. */
  replicationFactor: number;
  /** Other topic configs; cleanup.policy is always compact. */
  configs?: Readonly<Record<string, string>>;
  /** `lease`: pipectl's lease topic (`pipectl.lease.storage.topic`), which Connect does not have. */
  role: 'config' | 'offset' | 'status' | 'lease';
}

/** How long ensureInternalTopic retries transient failures (a new topic's metadata not propagated yet) by default. */
export const INTERNAL_TOPIC_TIMEOUT_MS = 60_000;

/**
 * Creates a missing internal topic, compacted (the config and lease topics with one partition; an existing lease topic
 * with more still works, as each lease's records share a key); checks an existing one as Connect does: cleanup.policy must be exactly
 * `compact` (PIPECTL_DISTRIBUTED_TOPIC_NOT_COMPACTED), and the config topic must have one partition
 * (PIPECTL_DISTRIBUTED_CONFIG_TOPIC_PARTITIONS). Only configs set on the topic are seen: a topic that relies on a
 * broker-wide `log.cleanup.policy=compact` is refused too (the message says how to set it on the topic).
 *
 * A topic the broker has just created (by this worker or by another starting at the same moment) is not at once
 * known everywhere: describing it or waiting for its leaders can fail with UNKNOWN_TOPIC_OR_PARTITION or
 * LEADER_NOT_AVAILABLE for a while. Such transient failures are retried (describe again, create again — creating an
 * existing topic is harmless) until `timeoutMs`; invalid settings and authorization failures are final. What is
 * still failing then rejects with PIPECTL_DISTRIBUTED_TOPIC_UNAVAILABLE. Resolves whether this call created the topic.
 */
export async function ensureInternalTopic(
  topics: Pick<DataPlane, 'createTopic' | 'describeTopic'>,
  spec: InternalTopicSpec,
  options: { timeoutMs?: number; retryBackoffMs?: number; logger?: Logger } = {},
): Promise<{ created: boolean }> {
  const setting = spec.role === 'lease' ? 'pipectl.lease.storage.topic' : `${spec.role}.storage.topic`;
  const what = `internal topic "${spec.name}" (${setting})`;
  const partitions = spec.role === 'config' || spec.role === 'lease' ? 1 : spec.partitions;
  const deadline = Date.now() + (options.timeoutMs ?? INTERNAL_TOPIC_TIMEOUT_MS);
  let created = false;
  let existing: Awaited<ReturnType<DataPlane['describeTopic']>>;
  for (let backoff = options.retryBackoffMs ?? 100, attempt = 1; ; backoff = Math.min(backoff * 2, 2000), attempt++) {
    let doing = 'describing it';
    try {
      existing = await topics.describeTopic(spec.name);
      if (!existing) {
        doing = `creating it (partitions ${partitions}, replication factor ${spec.replicationFactor})`;
        // false: it exists (another worker created it meanwhile, or an earlier attempt did): describe it again.
        if (await topics.createTopic(spec.name, { partitions, replicationFactor: spec.replicationFactor, config: { ...spec.configs, 'cleanup.policy': 'compact' } })) created = true;
        doing = 'describing it after creating it';
        existing = await topics.describeTopic(spec.name);
        if (!existing) throw Object.assign(new DistributedError('PIPECTL_DISTRIBUTED_TOPIC_UNAVAILABLE', `${spec.name} is not in the broker's metadata yet`), { retriable: true });
      }
      break;
    } catch (e) {
      if (!isTransientTopicError(e) || Date.now() + backoff >= deadline) {
        throw new DistributedError('PIPECTL_DISTRIBUTED_TOPIC_UNAVAILABLE', `${what}: ${doing} failed${attempt > 1 ? ` (attempt ${attempt})` : ''}: ${(e as Error).message}`, { cause: e });
      }
      options.logger?.info(`${what}: ${doing} failed, retrying: ${(e as Error).message}`, { topic: spec.name, attempt });
      await sleep(backoff);
    }
  }
  if (created) return { created: true };
  if (spec.role === 'config' && existing.partitions !== 1) {
    throw new DistributedError(
      'PIPECTL_DISTRIBUTED_CONFIG_TOPIC_PARTITIONS',
      `${what} has ${existing.partitions} partitions; the config topic must have exactly 1, so that every worker reads connector configs in the same order. Partitions cannot be removed: point ${setting} at a new topic (it is created with 1 partition).`,
    );
  }
  const policy = existing.config['cleanup.policy'];
  if (policy !== 'compact') {
    const found = policy === undefined ? 'no cleanup.policy of its own (the broker default applies, normally "delete")' : `cleanup.policy=${policy}`;
    throw new DistributedError(
      'PIPECTL_DISTRIBUTED_TOPIC_NOT_COMPACTED',
      `${what} has ${found}; internal topics must have cleanup.policy=compact exactly, or retention deletes configs, offsets and statuses. Fix: kafka-configs.sh --alter --entity-type topics --entity-name ${spec.name} --add-config cleanup.policy=compact, or point ${setting} at a new topic.`,
    );
  }
  return { created: false };
}

/**
 * Whether a failure to describe or create a topic may pass by itself: not for settings the broker refuses (the data
 * plane's DataPlaneError), authorization, or a client error that says it is not retriable; yes for the rest (metadata not
 * propagated, no leader yet, a connection lost, the client's own retries exhausted on one of those).
 */
function isTransientTopicError(e: unknown): boolean {
  if (e instanceof DataPlaneError) return false;
  const err = e as { retriable?: boolean; type?: string; name?: string; originalError?: unknown; cause?: unknown };
  if (typeof err.type === 'string' && /AUTHORIZATION|POLICY_VIOLATION|INVALID_/.test(err.type)) return false;
  if (err.name === 'KafkaJSNumberOfRetriesExceeded' || err.name === 'KafkaJSNonRetriableError') {
    const inner = err.originalError ?? err.cause;
    return inner === undefined ? true : isTransientTopicError(inner);
  }
  return err.retriable !== false;
}
