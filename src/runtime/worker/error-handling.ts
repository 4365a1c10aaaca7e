/**
 * Kafka Connect's error handling for the record path (RetryWithToleranceOperator, LogReporter, DeadLetterQueueReporter):
 * - `errors.retry.timeout` / `errors.retry.delay.max.ms`: RetriableErrors are retried with exponential backoff from
 *   300 ms, capped, for at most the timeout (-1: forever);
 * - `errors.tolerance`: `none` fails the task; `all` skips the record (converter and transformation stages: any error;
 *   other stages: only retriable ones once retries are exhausted), counts it, and reports it;
 * - `errors.log.enable` / `errors.log.include.messages`: one log line per failure;
 * - `errors.deadletterqueue.topic.name` (sinks): the original raw record goes to that topic, with the context headers
 *   when `errors.deadletterqueue.context.headers.enable` (and, for an ErrantRecordError a sink reported, one
 *   `__connect.errors.<name>` header per detail, e.g. the HTTP sink's `http.status` and `http.body`).
 */
import { ErrantRecordError } from '../../plugins/errant-record-error.js';
import { RetriableError } from '../../plugins/plugin.js';
import type { DataPlane, RecordHeader, StoredRecord } from '../data-plane/data-plane.js';
import type { Logger } from '../logger.js';
import { StageError } from './worker-task.js';
import type { Stage } from './worker-task.js';
import { newErrorCounters } from '../metrics/task-metrics.js';
import type { ErrorCounters } from '../metrics/task-metrics.js';

export interface ErrorHandlingConfig {
  retryTimeoutMs: number;
  retryDelayMaxMs: number;
  tolerance: 'none' | 'all';
  logEnable: boolean;
  logIncludeMessages: boolean;
  dlqTopic: string;
  dlqContextHeaders: boolean;
}

export function errorHandlingConfig(config: Readonly<Record<string, string>>): ErrorHandlingConfig {
  const bool = (k: string): boolean => (config[k] ?? 'false').trim().toLowerCase() === 'true';
  return {
    retryTimeoutMs: Number(config['errors.retry.timeout'] ?? '0'),
    retryDelayMaxMs: Number(config['errors.retry.delay.max.ms'] ?? '60000'),
    tolerance: (config['errors.tolerance'] ?? 'none').trim().toLowerCase() === 'all' ? 'all' : 'none',
    logEnable: bool('errors.log.enable'),
    logIncludeMessages: bool('errors.log.include.messages'),
    dlqTopic: (config['errors.deadletterqueue.topic.name'] ?? '').trim(),
    dlqContextHeaders: bool('errors.deadletterqueue.context.headers.enable'),
  };
}

/** Connect's names for the stages, used in DLQ headers and error logs. */
const CONNECT_STAGE: Partial<Record<Stage, string>> = {
  'key converter': 'KEY_CONVERTER',
  'value converter': 'VALUE_CONVERTER',
  'header converter': 'HEADER_CONVERTER',
  transformation: 'TRANSFORMATION',
  'task put': 'TASK_PUT',
  'task poll': 'TASK_POLL',
  'write to the log': 'KAFKA_PRODUCE',
  'read from the log': 'KAFKA_CONSUME',
};

const TOLERABLE_ANY: ReadonlySet<Stage> = new Set<Stage>(['key converter', 'value converter', 'header converter', 'transformation']);

/** What the failing operation was working on, for reports. */
export interface ErrantContext {
  stage: Stage;
  /** The plugin class of the stage (converter, transformation, task). */
  className: string;
  /** For sinks: the record as read from the log (the DLQ gets it unchanged). */
  consumed?: StoredRecord;
}

export const TOLERATED: unique symbol = Symbol('tolerated');

export class ToleranceOperator {
  /** Records skipped because of a tolerated error. */
  skipped = 0;
  private sleep: (ms: number) => Promise<void>;

  constructor(
    readonly config: ErrorHandlingConfig,
    private readonly ids: { connector: string; task: number },
    private readonly logger: Logger,
    private readonly dataPlane: DataPlane | undefined,
    sleep?: (ms: number) => Promise<void>,
    /** Connect's task-error-metrics, bumped here. */
    private readonly counts: ErrorCounters = newErrorCounters(),
  ) {
    this.sleep = sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /**
   * Runs `op`, retrying RetriableErrors within the retry budget. Resolves with its value, or TOLERATED when the error
   * was tolerated (already reported); rejects with a StageError when it must fail the task.
   */
  async execute<T>(ctx: ErrantContext, op: () => T | Promise<T>): Promise<T | typeof TOLERATED> {
    try {
      return await op();
    } catch (e) {
      return this.recover(ctx, e, op);
    }
  }

  /**
   * Handles a failure of `op` (already attempted once): retries while retriable and within budget, then tolerates or
   * fails. Lets hot paths call synchronous operations directly and come here only when they throw.
   */
  async recover<T>(ctx: ErrantContext, firstError: unknown, op: () => T | Promise<T>): Promise<T | typeof TOLERATED> {
    const started = Date.now();
    let delay = 300;
    let error = firstError;
    for (;;) {
      this.counts.recordFailures++;
      this.counts.lastErrorTimestamp = Date.now();
      const retriable = error instanceof RetriableError;
      const budgetLeft = this.config.retryTimeoutMs < 0 || Date.now() - started + delay <= this.config.retryTimeoutMs;
      if (retriable && budgetLeft) {
        this.counts.retries++;
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.config.retryDelayMaxMs);
        try {
          return await op();
        } catch (e) {
          error = e;
          continue;
        }
      }
      this.counts.recordErrors++;
      const tolerable = this.config.tolerance === 'all' && (TOLERABLE_ANY.has(ctx.stage) || retriable);
      if (!tolerable) throw new StageError(ctx.stage, error);
      await this.report(ctx, error);
      return TOLERATED;
    }
  }

  /**
   * A failure the plugin reports itself (a sink's errant record): no retry; tolerated and reported with
   * `errors.tolerance=all`, else a StageError that fails the task.
   */
  async reportFailed(ctx: ErrantContext, error: unknown): Promise<void> {
    this.counts.recordFailures++;
    this.counts.recordErrors++;
    this.counts.lastErrorTimestamp = Date.now();
    if (this.config.tolerance !== 'all') throw new StageError(ctx.stage, error);
    await this.report(ctx, error);
  }

  private async report(ctx: ErrantContext, error: unknown): Promise<void> {
    this.skipped++;
    this.counts.recordsSkipped++;
    const err = error instanceof Error ? error : new Error(String(error));
    if (this.config.logEnable) {
      this.counts.errorsLogged++;
      const where = ctx.consumed ? `, where consumed record is {topic='${ctx.consumed.topic}', partition=${ctx.consumed.partition}, offset=${ctx.consumed.offset}}` : '';
      const message = this.config.logIncludeMessages ? `: ${err.message}` : '';
      this.logger.error(`Error encountered in task ${this.ids.connector}-${this.ids.task}. Executing stage '${CONNECT_STAGE[ctx.stage] ?? ctx.stage}' with class '${ctx.className}'${where}${message}`, {
        connector: this.ids.connector,
        task: this.ids.task,
        skipped: this.skipped,
      });
    }
    if (this.config.dlqTopic && ctx.consumed && this.dataPlane) {
      const headers: RecordHeader[] = [...ctx.consumed.headers];
      if (this.config.dlqContextHeaders) headers.push(...contextHeaders(ctx, err, this.ids));
      // Awaited: the sink's offset moves past this record only once the DLQ has it (at-least-once for the DLQ too).
      this.counts.dlqProduceRequests++;
      try {
        await this.dataPlane.produce([{ topic: this.config.dlqTopic, key: ctx.consumed.key, value: ctx.consumed.value, headers, timestamp: ctx.consumed.timestamp }]);
      } catch (e) {
        this.counts.dlqProduceFailures++;
        throw e;
      }
    }
  }
}

function contextHeaders(ctx: ErrantContext, err: Error, ids: { connector: string; task: number }): RecordHeader[] {
  const h = (key: string, value: string): RecordHeader => ({ key: `__connect.errors.${key}`, value: Buffer.from(value) });
  const out = [
    h('topic', ctx.consumed!.topic),
    h('partition', String(ctx.consumed!.partition)),
    h('offset', String(ctx.consumed!.offset)),
    h('connector.name', ids.connector),
    h('task.id', String(ids.task)),
    h('stage', CONNECT_STAGE[ctx.stage] ?? ctx.stage),
    h('class.name', ctx.className),
    h('exception.class.name', err.name),
    h('exception.message', err.message),
  ];
  if (err.stack) out.push(h('exception.stacktrace', err.stack));
  // A sink's details of the refusal (pipectl's addition): Connect's own header names cannot be overridden by them.
  if (err instanceof ErrantRecordError) {
    const taken = new Set(out.map((x) => x.key));
    for (const [name, value] of Object.entries(err.details)) {
      const header = h(name, value);
      if (!taken.has(header.key)) out.push(header);
    }
  }
  return out;
}
