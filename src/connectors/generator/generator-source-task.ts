/**
 * GeneratorSourceTask: produces pseudo-random records (see GeneratorRecordFactory) as fast as it may or at `rate`
 * records/s. Its source partition is `{generator: <connector name, or topic>, task: <id>}` and each record's offset
 * `{seq: <its sequence number>}`; on start it continues after the stored offset, so a restarted task produces exactly
 * the records it would have produced next, and `count` counts records across restarts.
 */
import type { SourceRecord } from '../../plugins/connect-data.js';
import type { SourceTask, SourceTaskContext } from '../../plugins/plugin.js';
import { javaTrim } from '../../plugins/config-validation.js';
import { PluginError } from '../../plugins/plugin-error.js';
import { parseGeneratorConfig } from './generator-config.js';
import type { GeneratorSettings } from './generator-config.js';
import { GeneratorRecordFactory } from './record-factory.js';
import { SYSTEM_CLOCK, TokenBucket } from './token-bucket.js';
import type { Clock } from './token-bucket.js';

export interface GeneratorSourceTaskOptions {
  /** Drives rate limiting and idle waits; default the system clock. Tests inject a manual one. */
  clock?: Clock;
  /** The Kafka timestamp of records; default Date.now. (Values never depend on it.) */
  wallClock?: () => number;
  /** How long poll() waits before returning null once `count` records exist. Default 1000 ms. */
  idleWaitMs?: number;
}

/** With a rate, a poll waits up to this long to gather a batch instead of returning a few records at a time. */
const LINGER_MS = 50;
/** The longest a poll waits for its first token (at very low rates), before returning null for the worker. */
const MAX_POLL_WAIT_MS = 1000;
/** The bucket holds at most this much time's worth of records: the burst after a pause. */
const BURST_SECONDS = 0.1;

/** The sequence number to continue from: 0 without a stored offset. Throws when the stored offset is malformed. */
export function nextSequence(offset: Record<string, unknown> | null): number {
  if (offset === null || offset === undefined || offset['seq'] === undefined || offset['seq'] === null) return 0;
  const raw = offset['seq'];
  const seq = typeof raw === 'bigint' ? Number(raw) : raw;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < -1) throw new PluginError('PIPECTL_PLUGIN_FAILED', `Invalid generator offset: seq must be an integer >= -1, got ${JSON.stringify(String(raw))}`);
  return seq + 1;
}

export class GeneratorSourceTask implements SourceTask {
  private readonly clock: Clock;
  private readonly wallClock: () => number;
  private readonly idleWaitMs: number;
  private readonly abort = new AbortController();
  private settings: GeneratorSettings | undefined;
  private factory: GeneratorRecordFactory | undefined;
  private bucket: TokenBucket | null = null;
  private nextSeq = 0;
  private end = Infinity;
  private stopped = false;

  constructor(options: GeneratorSourceTaskOptions = {}) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.wallClock = options.wallClock ?? Date.now;
    this.idleWaitMs = options.idleWaitMs ?? 1000;
  }

  /** The source partition of a generator task. */
  static partition(generator: string, task: number): Readonly<Record<string, unknown>> {
    return Object.freeze({ generator, task });
  }

  /** Throws when the config is invalid or the stored offset is malformed. */
  start(config: Readonly<Record<string, string>>, context: SourceTaskContext): void {
    const s = parseGeneratorConfig(config);
    const name = javaTrim(config['name'] ?? '') || s.topic;
    const partition = GeneratorSourceTask.partition(name, s.taskId);
    this.settings = s;
    this.nextSeq = nextSequence(context.offsetStorageReader.offset(partition));
    this.end = s.count ?? Infinity;
    this.factory = new GeneratorRecordFactory(s, partition);
    this.bucket = s.rate > 0 ? new TokenBucket(s.rate, Math.max(1, Math.min(s.batchSize, Math.ceil(s.rate * BURST_SECONDS))), this.clock) : null;
  }

  /** The sequence number the next record will have. */
  get position(): number {
    return this.nextSeq;
  }

  /**
   * Up to `batch.size` records. Without a rate it returns a full batch at once. With one, it waits (never spins) for
   * tokens — up to 50 ms to gather more than one record, up to 1 s for the first — and returns null if none came.
   * After `count` records it waits `idleWaitMs` and returns null. stop() makes a pending poll return null at once.
   */
  async poll(): Promise<SourceRecord[] | null> {
    const { settings, factory } = this;
    if (this.stopped || !settings || !factory) return null;
    const remaining = this.end - this.nextSeq;
    if (remaining <= 0) {
      await this.clock.sleep(this.idleWaitMs, this.abort.signal);
      return null;
    }
    let n = Math.min(settings.batchSize, remaining);
    if (this.bucket) {
      const bucket = this.bucket;
      const waitMs = Math.min(Math.max(bucket.msUntil(1), Math.min(bucket.msUntil(n), LINGER_MS)), MAX_POLL_WAIT_MS);
      if (waitMs > 0) await this.clock.sleep(waitMs, this.abort.signal);
      if (this.stopped) return null;
      n = bucket.take(n);
      if (n === 0) return null;
    }
    const timestamp = this.wallClock();
    const records: SourceRecord[] = new Array(n);
    const first = this.nextSeq;
    for (let i = 0; i < n; i++) records[i] = factory.record(first + i, timestamp);
    this.nextSeq = first + n;
    return records;
  }

  /** Makes a pending poll return promptly; later polls return null. Idempotent; safe before start. */
  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }
}
