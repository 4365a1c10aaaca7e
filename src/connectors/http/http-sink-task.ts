/**
 * HttpSinkTask: put() cuts records into batches (BatchBuffer) and sends the complete ones; a linger timer sends a batch
 * that waited `batch.linger.ms`; flush() sends everything buffered and resolves only once the endpoint acknowledged all
 * of it (2xx) — the worker commits offsets only after flush(), so what was not acknowledged is delivered again after a
 * crash. Requests go one at a time, in order, each with an Idempotency-Key naming its records' offset range (the same
 * key on every retry). Transient failures are retried with back-off (retry-policy.ts) up to `max.retries`, then the
 * task fails; a 4xx for a batch is narrowed down by halves to the refused record(s), each reported through
 * `context.reportErrant` (dead letter queue with errors.tolerance=all, a failed task with none).
 */
import type { SinkRecord } from '../../plugins/connect-data.js';
import { assertValidConfig } from '../../plugins/config-validation.js';
import { ErrantRecordError } from '../../plugins/errant-record-error.js';
import type { PluginLogger, SinkTask, SinkTaskContext } from '../../plugins/plugin.js';
import { BatchBuffer, batchBody, subBatch } from './batch-buffer.js';
import type { Batch } from './batch-buffer.js';
import { HTTP_SINK_CONFIG, parseHttpSinkSettings } from './http-sink-config.js';
import type { HttpSinkSettings } from './http-sink-config.js';
import { HttpSinkError } from './http-sink-error.js';
import { sendRequest } from './http-request.js';
import type { RequestOutcome, RequestSpec } from './http-request.js';
import { backoffDelay } from './retry-policy.js';

const QUIET: PluginLogger = { info() {}, warn() {}, error() {} };

/** Counters, for tests and benchmarks. */
export interface HttpSinkStats {
  requests: number;
  retries: number;
  /** Records the endpoint acknowledged. */
  delivered: number;
  /** Records reported as errant (refused by a 4xx on their own). */
  errant: number;
}

export interface HttpSinkTaskOptions {
  /** Jitter source, [0, 1). Default Math.random. */
  random?: () => number;
}

export class HttpSinkTask implements SinkTask {
  readonly stats: HttpSinkStats = { requests: 0, retries: 0, delivered: 0, errant: 0 };
  private settings!: HttpSinkSettings;
  private spec!: RequestSpec;
  private buffer!: BatchBuffer;
  private connector = 'http-sink';
  private context: SinkTaskContext = { assignment: () => [] };
  private log: PluginLogger = QUIET;
  private readonly stopping = new AbortController();
  /** Sends run one at a time, in order; this is the last one. */
  private chain: Promise<void> = Promise.resolve();
  /** The first failure of a send: every later put and flush rethrows it, and nothing more is sent. */
  private failure: unknown;
  private linger: NodeJS.Timeout | undefined;

  constructor(private readonly options: HttpSinkTaskOptions = {}) {}

  /** Throws a PluginError (PIPECTL_PLUGIN_INVALID_CONFIG) for an invalid config. */
  start(config: Readonly<Record<string, string>>, context: SinkTaskContext): void {
    assertValidConfig(HTTP_SINK_CONFIG, config);
    this.settings = parseHttpSinkSettings(config);
    this.connector = config['name'] ?? this.connector;
    this.context = context;
    this.log = context.logger ?? QUIET;
    const s = this.settings;
    this.spec = { url: s.url, method: s.method, headers: s.headers, secrets: s.secretValues, timeoutMs: s.requestTimeoutMs, stopSignal: this.stopping.signal };
    this.buffer = new BatchBuffer(this.connector, { maxRecords: s.maxRecords, maxBytes: s.maxBytes, includeMetadata: s.includeMetadata });
    this.log.info(`HTTP sink started: ${s.method} batches of up to ${s.maxRecords} records / ${s.maxBytes} bytes, linger ${s.lingerMs} ms, ${s.maxRetries} retries`);
  }

  /** Buffers the records; sends (and waits for) the batches they complete. Rejects with the first send failure. */
  async put(records: readonly SinkRecord[]): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const ready = this.buffer.add(records, Date.now());
    if (ready.length > 0) await this.enqueue(ready);
    this.armLinger();
  }

  /** Sends everything buffered; resolves once the endpoint acknowledged every record put so far (or it was reported errant). */
  async flush(): Promise<void> {
    this.disarmLinger();
    await this.enqueue(this.buffer.drain());
    if (this.failure !== undefined) throw this.failure;
  }

  /** Abandons requests and back-off waits in progress and what is buffered (the worker flushed before, on a clean stop). */
  async stop(): Promise<void> {
    this.disarmLinger();
    this.stopping.abort();
    this.buffer?.clear();
    await this.chain;
  }

  private enqueue(batches: readonly Batch[]): Promise<void> {
    const run = this.chain.then(async () => {
      for (const b of batches) {
        if (this.failure !== undefined) throw this.failure;
        await this.deliver(b);
      }
    });
    this.chain = run.catch((e: unknown) => {
      this.failure ??= e;
    });
    return run;
  }

  private armLinger(): void {
    const since = this.buffer.oldest();
    if (this.settings.lingerMs <= 0 || since === undefined || this.linger !== undefined || this.stopping.signal.aborted) return;
    this.linger = setTimeout(() => {
      this.linger = undefined;
      const due = this.buffer.drain(Date.now() - this.settings.lingerMs);
      if (due.length > 0) this.enqueue(due).catch(() => undefined); // a failure is kept in this.failure for put/flush
      this.armLinger();
    }, Math.max(0, since + this.settings.lingerMs - Date.now()));
    this.linger.unref();
  }

  private disarmLinger(): void {
    clearTimeout(this.linger);
    this.linger = undefined;
  }

  /** Sends one batch until acknowledged, retrying transient failures; narrows a 4xx down to the refused record(s). */
  private async deliver(batch: Batch): Promise<void> {
    const body = batchBody(batch);
    const n = batch.records.length;
    const { maxRetries, backoffMs, backoffMaxMs } = this.settings;
    for (let attempt = 0; ; attempt++) {
      const outcome = await sendRequest(this.spec, batch.key, body);
      this.stats.requests++;
      if (outcome.kind === 'ok') {
        this.stats.delivered += n;
        return;
      }
      if (outcome.kind === 'refused') {
        throw new HttpSinkError('PIPECTL_HTTP_ENDPOINT_REFUSED', `HTTP ${outcome.status} for batch ${batch.key} (${n} records): the endpoint refuses the request as a whole; check http.url, its credentials and permissions. Response: ${outcome.body}`);
      }
      if (outcome.kind === 'rejected') return this.isolate(batch, outcome);
      if (attempt >= maxRetries) {
        throw new HttpSinkError('PIPECTL_HTTP_RETRIES_EXHAUSTED', `batch ${batch.key} (${n} records) was not acknowledged after ${maxRetries} retries; last: ${outcome.reason}`);
      }
      const delay = backoffDelay(attempt + 1, backoffMs, backoffMaxMs, this.options.random ?? Math.random, outcome.retryAfterMs);
      this.stats.retries++;
      this.log.warn(`HTTP sink: retry ${attempt + 1}/${maxRetries} of batch ${batch.key} (${n} records) in ${delay} ms after ${outcome.reason}`);
      await this.sleep(delay);
    }
  }

  /** A 4xx for `batch`: one record is reported errant; a larger batch is sent again in halves (each with its own key). */
  private async isolate(batch: Batch, outcome: Extract<RequestOutcome, { kind: 'rejected' }>): Promise<void> {
    const n = batch.records.length;
    if (n === 1) return this.reportRejected(batch.records[0]!, outcome);
    this.log.warn(`HTTP sink: HTTP ${outcome.status} for batch ${batch.key} (${n} records); sending it again in halves to find the refused record(s)`);
    const mid = Math.ceil(n / 2);
    await this.deliver(subBatch(batch, 0, mid, this.connector));
    await this.deliver(subBatch(batch, mid, n, this.connector));
  }

  private async reportRejected(record: SinkRecord, outcome: Extract<RequestOutcome, { kind: 'rejected' }>): Promise<void> {
    const where = `${record.topic}-${record.kafkaPartition}@${record.kafkaOffset}`;
    const error = new ErrantRecordError(`HTTP ${outcome.status} from the endpoint for the record at ${where}: ${outcome.body}`, { 'http.status': String(outcome.status), 'http.body': outcome.body });
    this.stats.errant++;
    if (!this.context.reportErrant) throw new HttpSinkError('PIPECTL_HTTP_RECORD_REJECTED', error.message, { cause: error });
    this.log.warn(`HTTP sink: the endpoint refused the record at ${where} with HTTP ${outcome.status}; reporting it as errant`);
    await this.context.reportErrant(record, error);
  }

  /** Waits `ms`, or rejects as soon as the task stops. */
  private sleep(ms: number): Promise<void> {
    const signal = this.stopping.signal;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
