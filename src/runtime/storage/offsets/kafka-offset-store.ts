/**
 * Source offsets on the offsets topic (Connect's KafkaOffsetBackingStore with its OffsetStorageWriter in front): the
 * SourceOffsetStore interface (source-offset-store.ts), as the standalone FileOffsetStore, so the worker and the
 * offsets REST API can use either.
 *
 * Record format, byte-compatible with Java workers (they look offsets up by the exact key bytes):
 * - key: the internal converter's JSON of `[connectorName, sourcePartition]`, compact, the partition's keys in the
 *   order given: `["local-file-source",{"filename":"/tmp/test.txt"}]`;
 * - value: the offset map's JSON (`{"position":4096}`), or a tombstone (null) that deletes the offset;
 * - partition: murmur2 of the key bytes (left to the log, Kafka's default partitioner).
 *
 * Not the standalone `offsetKey` (file-offset-store.ts): that one sorts the partition's keys, which Java does not,
 * so a multi-key partition would get different bytes than a Java worker writes for it.
 *
 * Views: `set` buffers in memory until `flush`; the topic's content arrives through the log (this worker's flushed
 * writes once read back, other workers' writes as they are consumed). `get`/`list` see the buffered writes first,
 * then writes flushed but not yet read back, then the topic.
 */
import type { SourceOffsetStore } from './source-offset-store.js';
import { silentLogger, type Logger } from '../../logger.js';
import { REACHABLE, decodeInternal, internalJsonText, isJsonObject, type InternalLog, type InternalLogRecord, type LogHealth } from '../kafka-topics/internal-log.js';
import { DEFAULT_STORE_TIMEOUT_MS, StoreError, assertStarted, readStep, realSleep, withinBudget, writeStep, type Budget, type Sleep } from '../kafka-topics/store-error.js';

type Json = Record<string, unknown>;

export interface KafkaOffsetStoreOptions {
  /** The offsets topic (any partition count). The store starts and stops it. */
  log: InternalLog;
  logger?: Logger;
  /** Budget of one flush (default 30 000 ms). */
  timeoutMs?: number;
  sleep?: Sleep;
}

/** One (connector, partition) entry; `offset` null = deleted (a tombstone). */
interface Entry {
  connector: string;
  partition: Json;
  offset: Json | null;
}

/**
 * The offsets key exactly as Java's JsonConverter (schemaless) writes it: `["<connector>",{partition}]`, compact,
 * keys in the order given. Throws StoreError PIPECTL_STORE_INVALID_OFFSET when the partition is not a map of
 * primitives.
 */
export function offsetTopicKey(connector: string, partition: Json): string {
  validateOffsetMap(partition, 'source partition');
  return internalJsonText([connector, partition]);
}

/**
 * Connect's OffsetUtils.validateFormat: a map of string keys to primitive values (null, string, number, bigint,
 * boolean, bytes). Throws StoreError PIPECTL_STORE_INVALID_OFFSET naming the field otherwise.
 */
export function validateOffsetMap(value: unknown, what: 'source partition' | 'source offset'): asserts value is Json {
  if (!isJsonObject(value)) throw new StoreError('PIPECTL_STORE_INVALID_OFFSET', `a ${what} must be a map (a JSON object)`);
  for (const [k, v] of Object.entries(value)) {
    const t = typeof v;
    const primitive = v === null || t === 'string' || t === 'number' || t === 'bigint' || t === 'boolean' || v instanceof Uint8Array;
    if (!primitive) throw new StoreError('PIPECTL_STORE_INVALID_OFFSET', `a ${what} may only hold primitive values, but field "${k}" holds ${Array.isArray(v) ? 'an array' : `a ${t}`}`);
  }
}

export class KafkaOffsetStore implements SourceOffsetStore {
  private readonly log: InternalLog;
  private readonly logger: Logger;
  private readonly budget: Budget;
  private state: 'new' | 'started' | 'stopped' = 'new';
  /** The topic as read, by key text. */
  private readonly data = new Map<string, Entry>();
  /** set() since the last flush. */
  private readonly pending = new Map<string, Entry>();
  /** Being flushed: sent, not yet acknowledged by the topic. */
  private readonly sending = new Map<string, Entry>();
  /** Flushed (acknowledged) and not yet known to be read back. */
  private readonly inflight = new Map<string, Entry>();
  private flushing: Promise<void> | undefined;
  private readonly sweeps = new Set<Promise<void>>();

  constructor(options: KafkaOffsetStoreOptions) {
    this.log = options.log;
    this.logger = options.logger ?? silentLogger;
    this.budget = { timeoutMs: options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS, sleep: options.sleep ?? realSleep };
  }

  /** Reads the whole topic, then follows it. Rejects when the log cannot be read. */
  async start(): Promise<void> {
    await this.log.start((r) => this.onRecord(r));
    if (this.state === 'new') this.state = 'started';
  }

  /** Stops the log. Writes set() but not flushed are dropped: flush first (the worker does on shutdown). */
  async stop(): Promise<void> {
    this.state = 'stopped';
    await Promise.allSettled([...this.sweeps]);
    await this.log.stop();
  }

  /** Whether the offsets topic has been readable lately (see LogHealth). */
  health(): LogHealth {
    return this.log.health?.() ?? REACHABLE;
  }

  /** Reads to the end of the topic, so that get() sees every offset flushed before (by any worker). */
  async refresh(): Promise<void> {
    assertStarted(this.state, 'offset store');
    const what = 'reading the offsets topic';
    await withinBudget(what, this.budget, (signal) => readStep(what, signal, () => this.log.readToEnd()));
  }

  /** The last offset of a partition, or null. The object is shared: do not mutate it. Throws on an invalid partition. */
  get(connector: string, partition: Json): Json | null {
    const key = offsetTopicKey(connector, partition);
    return (this.pending.get(key) ?? this.sending.get(key) ?? this.inflight.get(key) ?? this.data.get(key))?.offset ?? null;
  }

  /**
   * Buffers an acknowledged offset until the next flush; a null offset deletes the partition (a tombstone). Throws
   * StoreError PIPECTL_STORE_INVALID_OFFSET when the partition or offset holds anything but primitive values (Connect
   * would fail every later flush instead).
   */
  set(connector: string, partition: Json, offset: Json | null): void {
    const key = offsetTopicKey(connector, partition);
    if (offset !== null) validateOffsetMap(offset, 'source offset');
    this.pending.delete(key); // keep the latest write last
    this.pending.set(key, { connector, partition, offset });
  }

  /** Every partition of a connector with its offset (deleted ones left out), as this worker sees them now. */
  list(connector: string): { partition: Json; offset: Json }[] {
    return entriesOf(new Map<string, Entry>([...this.data, ...this.inflight, ...this.sending, ...this.pending]), connector);
  }

  /** The partitions of a connector with the offsets the topic acknowledged (deleted ones left out). */
  committed(connector: string): { partition: Json; offset: Json }[] {
    return entriesOf(new Map<string, Entry>([...this.data, ...this.inflight]), connector);
  }

  /**
   * Sends the buffered writes and resolves once the topic acknowledged them; concurrent calls run one after the
   * other. On failure (StoreError WRITE_FAILED or TIMEOUT) the writes go back into the buffer, behind newer set()s.
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    if (this.pending.size === 0) return;
    assertStarted(this.state, 'offset store');
    const batch = [...this.pending];
    this.pending.clear();
    for (const [k, e] of batch) this.sending.set(k, e);
    const what = `flushing ${batch.length} source offset(s)`;
    const records = batch.map(([k, e]) => ({ key: Buffer.from(k, 'utf8'), value: e.offset === null ? null : Buffer.from(internalJsonText(e.offset), 'utf8') }));
    this.flushing = withinBudget(what, this.budget, (signal) => writeStep(what, signal, () => this.log.send(records)));
    try {
      await this.flushing;
    } catch (e) {
      for (const [k, entry] of batch) {
        if (this.sending.get(k) === entry) this.sending.delete(k);
        if (!this.pending.has(k)) this.pending.set(k, entry);
      }
      throw e;
    } finally {
      this.flushing = undefined;
    }
    for (const [k, entry] of batch) {
      if (this.sending.get(k) === entry) this.sending.delete(k);
      this.inflight.set(k, entry);
    }
    this.sweepInflight();
  }

  /** Once the topic has been read past the writes in flight now, the topic view holds them: drop the overlay. */
  private sweepInflight(): void {
    const settled = [...this.inflight];
    const sweep = this.log.readToEnd().then(
      () => {
        for (const [k, e] of settled) if (this.inflight.get(k) === e) this.inflight.delete(k);
      },
      (e: unknown) => this.logger.warn(`offsets topic: reading back flushed offsets failed: ${(e as Error).message}`),
    );
    this.sweeps.add(sweep);
    void sweep.finally(() => this.sweeps.delete(sweep));
  }

  private onRecord(r: InternalLogRecord): void {
    if (r.key === null) return this.skip(r, 'the key is null');
    const keyText = r.key.toString('utf8');
    let key: unknown;
    let offset: unknown;
    try {
      key = decodeInternal(r.key);
      offset = decodeInternal(r.value);
    } catch (e) {
      return this.skip(r, `not JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(key) || key.length !== 2 || typeof key[0] !== 'string' || !isJsonObject(key[1])) return this.skip(r, 'the key is not ["<connector>",{partition}]');
    if (offset !== null && !isJsonObject(offset)) {
      this.data.delete(keyText);
      return this.skip(r, 'the offset is not a JSON object');
    }
    if (offset === null) this.data.delete(keyText);
    else this.data.set(keyText, { connector: key[0], partition: key[1], offset });
  }

  private skip(r: InternalLogRecord, reason: string): void {
    this.logger.warn(`offsets topic: ignoring a record: ${reason}`, { partition: r.partition, offset: r.offset });
  }
}

function entriesOf(entries: ReadonlyMap<string, Entry>, connector: string): { partition: Json; offset: Json }[] {
  const out: { partition: Json; offset: Json }[] = [];
  for (const e of entries.values()) if (e.connector === connector && e.offset !== null) out.push({ partition: e.partition, offset: e.offset });
  return out;
}
