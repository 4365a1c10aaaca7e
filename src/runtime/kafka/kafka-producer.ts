/**
 * Producing to Kafka the way Connect does: acks=all, and a send that fails for a transient reason (broker down, leader
 * moving, not enough replicas) is retried with back-off until `delivery.timeout.ms` (Connect: forever) instead of
 * failing the source task. One producer per distinct set of client overrides (the worker's own keys for records
 * produced without overrides). A record's partition: explicit, else Kafka's murmur2 of the key, else one partition per
 * produce call and topic, rotating between calls (as the embedded log does).
 */
import { DataPlaneError } from '../data-plane/data-plane-error.js';
import { partitionForKey, StickyRoundRobin } from '../log/partitioner.js';
import type { ProducerRecord, RecordMetadata } from '../data-plane/data-plane.js';
import type { Logger } from '../logger.js';
import type { ProducerConfig } from './kafka-config.js';
import { splitByRequestSize } from './request-size.js';
import type { KafkaClientFactory, PartitionChooser, ProducerPort } from './port/kafka-port.js';

/** Broker errors after which the idempotent producer's id or sequence numbers are unusable: start a new producer. */
const NEEDS_NEW_PRODUCER = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING', 'PRODUCER_FENCED']);

/** How often a send that keeps failing is logged again while it retries. */
const REPEAT_WARNING_MS = 30_000;

/** A record the partitioner refuses; not retriable. */
class InvalidPartitionError extends DataPlaneError {
  readonly retriable = false;
}

/** How often a held attempt asks `mayWrite` again. */
const HOLD_POLL_MS = 50;

/** Sends records with one kafkajs producer, retrying transient failures. */
export class RecordSender {
  private port: ProducerPort | undefined;
  private connecting: Promise<ProducerPort> | undefined;
  /** Checked sends (those with `mayWrite`) go one at a time, so that the check is made when the request can go out. */
  private checkedTurn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: ProducerConfig,
    private readonly factory: KafkaClientFactory,
    private readonly logger: Logger,
    private readonly sticky: StickyRoundRobin,
    private readonly closing: () => Promise<void> | undefined,
  ) {}

  /**
   * Sends the records, in order, in as few requests as max.request.size allows; resolves where each landed once all are
   * acknowledged. Retries transient failures with exponential back-off (retry.backoff.ms … retry.backoff.max.ms) until
   * delivery.timeout.ms or close; rejects at once for a non-retriable one (record too large, invalid partition,
   * authorization) — requests sent before it stay written (at least once: the caller sends them again).
   */
  async send(records: readonly ProducerRecord[], signal?: AbortSignal, mayWrite?: () => boolean): Promise<RecordMetadata[]> {
    const runs = splitByRequestSize(records, this.config.maxRequestBytes);
    if (runs.length === 1) return this.sendRequest(runs[0]!, signal, mayWrite);
    const landed: RecordMetadata[] = [];
    for (const run of runs) landed.push(...(await this.sendRequest(run, signal, mayWrite)));
    return landed;
  }

  /** One produce request, retried as send() says. */
  private async sendRequest(records: readonly ProducerRecord[], signal?: AbortSignal, mayWrite?: () => boolean): Promise<RecordMetadata[]> {
    const { deliveryTimeoutMs, retryBackoffMs, retryBackoffMaxMs } = this.config;
    const started = Date.now();
    let backoff = retryBackoffMs;
    let lastWarning = 0;
    for (let attempt = 1; ; attempt++) {
      // An abort ends the back-off early; it must also end the retries, not lead to one more attempt.
      if (attempt > 1 && signal?.aborted) throw new DataPlaneError('PIPECTL_LOG_CANCELLED', `the produce was cancelled; ${records.length} record(s) were not acknowledged`);
      let error: unknown;
      try {
        const port = await this.connected();
        const result = mayWrite ? await this.checkedSend(port, records, mayWrite, signal) : await port.send(records, this.chooser());
        if (attempt > 1) this.logger.info('produce succeeded after retrying', { attempts: attempt, ms: Date.now() - started });
        return result;
      } catch (e) {
        error = e;
      }
      const info = this.factory.classify(error);
      const message = error instanceof Error ? error.message : String(error);
      if (info.type && NEEDS_NEW_PRODUCER.has(info.type)) this.reset();
      else if (!info.retriable) throw error;
      const elapsed = Date.now() - started;
      if (this.closing()) throw new DataPlaneError('PIPECTL_LOG_CLOSED', `the Kafka data plane is closing; ${records.length} record(s) were not acknowledged: ${message}`, { cause: error });
      if (signal?.aborted) throw new DataPlaneError('PIPECTL_LOG_CANCELLED', `the produce was cancelled; ${records.length} record(s) were not acknowledged: ${message}`, { cause: error });
      if (elapsed + backoff > deliveryTimeoutMs) {
        throw new DataPlaneError('PIPECTL_LOG_DELIVERY_TIMEOUT', `produce of ${records.length} record(s) not acknowledged within delivery.timeout.ms=${deliveryTimeoutMs}: ${message}`, { cause: error });
      }
      if (Date.now() - lastWarning >= REPEAT_WARNING_MS) {
        lastWarning = Date.now();
        this.logger.warn(`produce failed, retrying until acknowledged: ${message}`, { attempt, elapsed_ms: elapsed, error_type: info.type });
      }
      await this.sleep(backoff, signal);
      backoff = Math.min(backoff * 2, retryBackoffMaxMs);
    }
  }

  /**
   * One attempt of a checked send, in its turn among the checked sends of this producer: the producer carries one
   * request at a time, so a request handed to it while another waits for its answer would sit in the client's queue
   * and go out later without a check (after a freeze, before this process's timers notice). In its turn the attempt
   * is held while `mayWrite` answers false; an abort while held rejects with PIPECTL_LOG_CANCELLED.
   */
  private checkedSend(port: ProducerPort, records: readonly ProducerRecord[], mayWrite: () => boolean, signal?: AbortSignal): Promise<RecordMetadata[]> {
    const attempt = this.checkedTurn.then(async () => {
      for (;;) {
        // Checked again in its turn, whatever mayWrite says: a task abandoned while its batch waited (e.g. its worker
        // lost and regained its session during a broker outage) must not write after its successor started.
        if (signal?.aborted || this.closing()) throw new DataPlaneError('PIPECTL_LOG_CANCELLED', `the produce was cancelled before it was sent; ${records.length} record(s) were not sent`);
        if (mayWrite()) break;
        await this.sleep(HOLD_POLL_MS, signal);
      }
      return port.send(records, this.chooser());
    });
    this.checkedTurn = attempt.catch(() => undefined);
    return attempt;
  }

  /** Per send: explicit partition (checked), murmur2 of the key, or one sticky partition per topic for null keys. */
  private chooser(): PartitionChooser {
    const nullKey = new Map<string, number>();
    return (record, _index, count) => {
      if (count < 1) throw new InvalidPartitionError('PIPECTL_LOG_UNKNOWN_TOPIC', `topic "${record.topic}" has no partitions`);
      if (record.partition !== undefined) {
        if (!Number.isSafeInteger(record.partition) || record.partition < 0 || record.partition >= count) {
          throw new InvalidPartitionError('PIPECTL_LOG_UNKNOWN_PARTITION', `topic "${record.topic}" has ${count} partition(s); there is no partition ${record.partition}`);
        }
        return record.partition;
      }
      if (record.key !== null) return partitionForKey(record.key, count);
      let p = nullKey.get(record.topic);
      if (p === undefined || p >= count) nullKey.set(record.topic, (p = this.sticky.take(record.topic, count)));
      return p;
    };
  }

  private connected(): Promise<ProducerPort> {
    if (this.port) return Promise.resolve(this.port);
    this.connecting ??= (async () => {
      const port = this.factory.producer(this.config.client, this.config.producer);
      try {
        await port.connect();
      } catch (e) {
        await port.disconnect().catch(() => undefined);
        throw e;
      }
      this.port = port;
      return port;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Drops the producer; the next attempt starts a new one (a new producer id). */
  private reset(): void {
    const old = this.port;
    this.port = undefined;
    void old?.disconnect().catch(() => undefined);
  }

  /** Waits `ms`, less when the data plane closes or `signal` aborts (the next check then gives up). */
  private async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    await Promise.race([new Promise((r) => (timer = setTimeout(r, ms))), this.closing() ?? new Promise(() => undefined), aborted]);
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }

  async close(): Promise<void> {
    const port = this.port ?? (await this.connecting?.catch(() => undefined));
    this.port = undefined;
    await port?.disconnect().catch(() => undefined);
  }
}

/** One RecordSender per distinct producer config (keyed by the merged client keys). */
export class ProducerPool {
  private readonly senders = new Map<string, RecordSender>();
  private readonly sticky = new StickyRoundRobin();

  constructor(
    private readonly factory: KafkaClientFactory,
    private readonly logger: Logger,
    private readonly closing: () => Promise<void> | undefined,
  ) {}

  /** The sender for these merged keys; `build` maps them (it may throw KafkaConfigError) the first time only. */
  sender(keys: Readonly<Record<string, string>>, build: () => ProducerConfig): RecordSender {
    const id = JSON.stringify(Object.entries(keys).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let sender = this.senders.get(id);
    if (!sender) {
      const config = build();
      for (const w of config.warnings) this.logger.warn(`producer config: ${w}`);
      if (config.ignored.length > 0) this.logger.debug('producer configs ignored by the kafkajs client', { keys: config.ignored.join(',') });
      sender = new RecordSender(config, this.factory, this.logger, this.sticky, this.closing);
      this.senders.set(id, sender);
    }
    return sender;
  }

  async close(): Promise<void> {
    await Promise.all([...this.senders.values()].map((s) => s.close()));
    this.senders.clear();
  }
}
