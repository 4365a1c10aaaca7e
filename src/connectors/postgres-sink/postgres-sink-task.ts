/**
 * PostgresSinkTask: put() maps the records to row operations and queues them; a writer loop writes the queue in chunks
 * of batch.size, each in one transaction, while the worker reads and converts the next records (the database and the
 * worker's CPU work at the same time instead of in turn). flush() waits until everything put has committed, so the
 * worker's offset commit (after flush) never covers an uncommitted row. Transient failures (connection lost,
 * serialization failure, deadlock) are retried max.retries times, retry.backoff.ms apart, on a new connection when
 * needed; if they persist, the next put() or flush() gives back a RetriableError — put() before it takes its records,
 * so the worker re-delivers exactly those, and the queue keeps its order. A chunk the database refuses for its data is
 * redone record by record to find the bad records, which go to the errant record reporter (the DLQ with
 * errors.tolerance=all) while the others are written.
 */
import type pg from 'pg';
import type { SinkRecord } from '../../plugins/connect-data.js';
import { RetriableError } from '../../plugins/plugin.js';
import type { PluginLogger, SinkTask, SinkTaskContext } from '../../plugins/plugin.js';
import { closePgClient, openPgClient } from '../postgres/pg-connect.js';
import { isConnectionLoss } from '../postgres/retry-policy.js';
import { BatchWriter } from './batch-writer.js';
import type { WritePath } from './batch-writer.js';
import { PgSinkError } from './pg-sink-error.js';
import { RecordMapper } from './record-mapper.js';
import type { RowOp } from './record-mapper.js';
import { parseSinkSettings } from './sink-settings.js';
import type { PostgresSinkSettings } from './sink-settings.js';
import { TableManager } from './table-manager.js';

/** serialization_failure, deadlock_detected, lock_not_available, query_canceled (statement timeout), class 53 (resources). */
const TRANSIENT_SQLSTATE = /^(40001|40P01|55P03|57014|53)/;
/**
 * Class 22 (data exception), 23 (integrity constraint violation), 42804 (datatype mismatch), 54000 (a value too large),
 * 21000 (one statement affecting a row twice: two keys whose texts differ but which the column's type holds equal, such
 * as `a` and `a ` in char(n) or `ABC` and `abc` in citext; redone record by record, in order, the last one wins).
 */
const RECORD_SQLSTATE = /^(22|23|42804|54000|21000)/;

/** Whether an error is worth retrying the same transaction for. */
export function isTransient(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return isConnectionLoss(e) || (typeof code === 'string' && TRANSIENT_SQLSTATE.test(code));
}

/** Whether an error is one record's fault (its values), not the table's or the connection's. */
export function isRecordError(e: unknown): boolean {
  if (e instanceof PgSinkError) return e.code === 'PIPECTL_PGSINK_RECORD';
  const code = (e as { code?: string })?.code;
  return typeof code === 'string' && RECORD_SQLSTATE.test(code);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A pg error's message with its SQLSTATE; never the statement or its parameters. */
function describe(e: unknown): string {
  const err = e as { message?: string; code?: string; detail?: string };
  return `${err.message ?? String(e)}${err.code ? ` (SQLSTATE ${err.code})` : ''}`;
}

export class PostgresSinkTask implements SinkTask {
  private settings!: PostgresSinkSettings;
  private context: SinkTaskContext = { assignment: () => [] };
  private logger: PluginLogger | undefined;
  private client: pg.Client | null = null;
  private mapper!: RecordMapper;
  private tables!: TableManager;
  private writer!: BatchWriter;
  private stopped = false;
  /** Row operations taken by put() and not yet committed, in order; the writer loop takes batch.size at a time. */
  private queue: RowOp[] = [];
  /** The running writer loop, if any. */
  private writing: Promise<void> | null = null;
  /** Why the writer loop stopped with operations left; given back by the next put() or flush(). */
  private failure: unknown = null;
  private progressWaiters: (() => void)[] = [];

  /** `writePath` is for the benchmark and tests; the connector always uses `auto`. */
  constructor(private readonly writePath: WritePath = 'auto') {}

  async start(config: Readonly<Record<string, string>>, context: SinkTaskContext): Promise<void> {
    this.settings = parseSinkSettings(config);
    this.context = context;
    this.logger = (context as { logger?: PluginLogger }).logger;
    this.mapper = new RecordMapper(this.settings);
    this.tables = new TableManager(this.settings);
    this.writer = new BatchWriter(this.tables, this.settings.insertMode, this.writePath);
    const { connectionAttempts, connectionBackoffMs } = this.settings;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.connection();
        return;
      } catch (e) {
        if (attempt >= connectionAttempts || !isConnectionLoss(e)) {
          throw new PgSinkError('PIPECTL_PGSINK_CONNECTION', `Cannot connect to Postgres at ${this.settings.connection.host}:${this.settings.connection.port}/${this.settings.connection.database} after ${attempt} attempt(s): ${describe(e)}`, { cause: e });
        }
        await sleep(connectionBackoffMs);
      }
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const c = this.settings.connection;
    this.client = await openPgClient({ host: c.host, port: c.port, user: c.user ?? '', password: c.password, database: c.database, sslMode: c.sslMode, keepAlive: true }, 'normal', c.applicationName);
    return this.client;
  }

  private async dropConnection(): Promise<void> {
    const c = this.client;
    this.client = null;
    this.tables.clear();
    await closePgClient(c, 1000);
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    // A failure of the writer loop is dealt with before this batch is taken: a RetriableError then re-delivers exactly it.
    if (this.failure !== null) await this.catchUp();
    // Without a reporter a refused record fails the task: the queue then keeps no records (see RowOp.record).
    const keepRecords = this.context.reportErrant !== undefined;
    for (const r of records) {
      try {
        const op = this.mapper.map(r);
        if (op) {
          if (!keepRecords) op.record = null;
          this.queue.push(op);
        }
      } catch (e) {
        if (!isRecordError(e)) throw e;
        await this.reportErrant(r, e as Error);
      }
    }
    this.startWriting();
    // Back-pressure: the queue holds the chunk being written until it commits; at most one more chunk waits behind it.
    while (this.queue.length > 2 * this.settings.batchSize && this.writing) await new Promise<void>((r) => this.progressWaiters.push(r));
  }

  private startWriting(): void {
    if (this.writing || this.failure !== null || this.queue.length === 0) return;
    this.writing = this.writeQueue()
      .catch((e: unknown) => {
        this.failure = e;
      })
      .finally(() => {
        this.writing = null;
        this.wakeWaiters();
      });
  }

  private wakeWaiters(): void {
    const waiters = this.progressWaiters;
    this.progressWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Writes the queue, chunk by chunk, in order; a chunk leaves the queue only once committed. */
  private async writeQueue(): Promise<void> {
    while (this.queue.length > 0) {
      const chunk = this.queue.slice(0, this.settings.batchSize);
      const errant = await this.writeChunk(chunk);
      this.queue.splice(0, chunk.length);
      this.wakeWaiters();
      for (const { record, error } of errant) await this.reportErrant(record, error);
    }
  }

  /**
   * Waits for the writer loop and gives back its failure once: the worker backs off and calls again (put() with the
   * same batch, or flush()), and then the operations left are written here, with the same retries. A failure that is
   * not transient stays: the task has failed.
   */
  private async catchUp(): Promise<void> {
    if (this.writing) await this.writing;
    const failure = this.failure;
    if (failure !== null) {
      if (failure instanceof RetriableError) this.failure = null;
      throw failure;
    }
    if (this.queue.length > 0) {
      // Tracked like the writer loop, so that stop() waits for it.
      const run = this.writeQueue();
      this.writing = run
        .catch((e: unknown) => {
          // As in startWriting: a failure that is not transient stays, so that no later flush() reports success
          // over a record refused here (its chunk has left the queue).
          if (!(e instanceof RetriableError)) this.failure = e;
        })
        .finally(() => {
          this.writing = null;
          this.wakeWaiters();
        });
      await run;
    }
  }

  /** One chunk, retried on transient failures; returns the records the database refused. */
  private async writeChunk(chunk: RowOp[]): Promise<{ record: SinkRecord | null; error: Error }[]> {
    let oneByOne = false;
    for (let attempt = 0; ; attempt++) {
      // Once stopped, no attempt (and no new connection, which nothing would close): the successor writes these rows.
      if (this.stopped) throw new RetriableError('the task is stopping; what it had not committed will be re-delivered');
      try {
        const client = await this.connection();
        if (!oneByOne) {
          await this.writer.write(client, chunk);
          return [];
        }
        const failed = await this.writer.writeEach(client, chunk, isRecordError);
        return failed.map(({ op, error }) => ({ record: op.record, error: new PgSinkError('PIPECTL_PGSINK_RECORD', `Postgres refused the record at ${op.topic}-${op.partition}@${op.offset} for ${op.table.qualified}: ${describe(error)}`, { cause: error }) }));
      } catch (e) {
        if (isRecordError(e) && !oneByOne) {
          oneByOne = true; // find the bad records
          attempt--;
          continue;
        }
        if (!isTransient(e)) {
          this.tables.clear();
          if (this.client) this.writer.forgetStaging(this.client);
          if (e instanceof PgSinkError) throw e;
          throw new PgSinkError('PIPECTL_PGSINK_SCHEMA', `Writing to Postgres failed: ${describe(e)}`, { cause: e });
        }
        if (isConnectionLoss(e)) await this.dropConnection();
        if (attempt >= this.settings.maxRetries || this.stopped) {
          throw new RetriableError(`Postgres write failed ${attempt + 1} time(s) for a transient reason: ${describe(e)}; the batch will be re-delivered`, { cause: e });
        }
        this.logger?.warn(`Postgres write failed (${describe(e)}); retry ${attempt + 1} of ${this.settings.maxRetries} in ${this.settings.retryBackoffMs} ms`);
        await sleep(this.settings.retryBackoffMs);
      }
    }
  }

  private async reportErrant(record: SinkRecord | null, error: Error): Promise<void> {
    if (!this.context.reportErrant || record === null) throw error;
    await this.context.reportErrant(record, error);
  }

  /** Everything put so far, committed; a RetriableError if the database is still unreachable after the retries. */
  async flush(): Promise<void> {
    await this.catchUp();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.writing;
    await this.dropConnection();
  }
}
