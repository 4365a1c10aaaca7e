/**
 * The plugin contract: what a connector (and its tasks) must implement to run in pipectl's worker. It follows Kafka
 * Connect's Connector / SourceTask / SinkTask API, in TypeScript with promises instead of threads. Any method may be
 * sync or async; the worker bounds how long it waits for each (a plugin that hangs fails alone).
 */
import type { ConfigDef } from './config-def.js';
import type { SinkRecord, SourceRecord } from './connect-data.js';

type MaybePromise<T> = T | Promise<T>;

export interface ConnectorContext {
  /** Asks the runtime to call taskConfigs() again (e.g. the source system gained tables). */
  requestTaskReconfiguration(): void;
  /** Fails the connector from a background activity of the plugin. */
  raiseError(error: Error): void;
}

export interface Connector {
  start(config: Readonly<Record<string, string>>, context: ConnectorContext): MaybePromise<void>;
  /** At most `maxTasks` task configs; the worker adds `task.class` (and `topics`/`topics.regex` for sinks). */
  taskConfigs(maxTasks: number): MaybePromise<Record<string, string>[]>;
  stop(): MaybePromise<void>;
  /**
   * Optional: alter or reset (null offsets) offsets; return true when the connector manages nothing beyond what the
   * framework stores. Throw to reject a request (it becomes a 400).
   */
  alterOffsets?(config: Readonly<Record<string, string>>, offsets: Map<Record<string, unknown>, Record<string, unknown> | null>): MaybePromise<boolean>;
}

export interface OffsetStorageReader {
  /** The last committed offset of a source partition, or null. */
  offset(partition: Record<string, unknown>): Record<string, unknown> | null;
}

/** How a plugin logs through its worker (lines carry the connector and task); never pass secret values. */
export interface PluginLogger {
  info(message: string, fields?: Record<string, string | number | boolean | null | undefined>): void;
  warn(message: string, fields?: Record<string, string | number | boolean | null | undefined>): void;
  error(message: string, fields?: Record<string, string | number | boolean | null | undefined>): void;
}

export interface SourceTaskContext {
  offsetStorageReader: OffsetStorageReader;
  /** The worker's log, scoped to this task; absent when a test or library runs the task on its own. */
  logger?: PluginLogger;
}

export interface SourceTask {
  start(config: Readonly<Record<string, string>>, context: SourceTaskContext): MaybePromise<void>;
  /**
   * Returns the next records, or null/[] when there are none right now. Should not wait long when idle (the worker
   * calls it again); must return promptly after stop() has been called.
   */
  poll(): MaybePromise<SourceRecord[] | null>;
  /**
   * Optional (Connect's SourceTask.commit): called after an offset flush has made durable the offsets of records this
   * task returned from poll() and the data plane acknowledged; `committed.offset(partition)` is each partition's offset
   * as flushed (never one still only in memory). A source whose system must be told what it may release (a database
   * replication slot) confirms that much here, and no more. A throw is logged; the task goes on.
   */
  commit?(committed: OffsetStorageReader): MaybePromise<void>;
  stop(): MaybePromise<void>;
}

export interface SinkTaskContext {
  /** Topic-partitions currently assigned to this task. */
  assignment(): { topic: string; partition: number }[];
  /**
   * Connect's ErrantRecordReporter (KIP-610): reports one record of a put() the sink could not take, through the
   * connector's error handling. With `errors.tolerance=all` it is logged (errors.log.enable) and sent to the dead letter
   * queue as read from the log (with the context headers when enabled); it resolves once the DLQ has it, and the task
   * goes on. Absent with `errors.tolerance=none`, where a report could only fail the task (Connect instead hands one
   * out whenever a DLQ topic or the error log is set, whatever the tolerance), and when a task runs outside a worker
   * (tests, libraries): a sink then fails on a bad record, and need not keep records it has written for a report.
   */
  reportErrant?(record: SinkRecord, error: Error): Promise<void>;
  /** The worker's log, scoped to this task; absent when a test or library runs the task on its own. */
  logger?: PluginLogger;
}

export interface SinkTask {
  start(config: Readonly<Record<string, string>>, context: SinkTaskContext): MaybePromise<void>;
  put(records: readonly SinkRecord[]): MaybePromise<void>;
  /** Makes everything put so far durable in the sink; the worker commits consumer offsets only after it resolves. */
  flush(): MaybePromise<void>;
  stop(): MaybePromise<void>;
}

export type ConnectorKind = 'source' | 'sink';

/** A connector plugin as the registry knows it. */
export interface ConnectorPlugin {
  /** Fully qualified class name, e.g. org.apache.kafka.connect.file.FileStreamSourceConnector. */
  className: string;
  /** Other names accepted in connector.class (Connect accepts the simple name, and it without "Connector"). */
  aliases: readonly string[];
  kind: ConnectorKind;
  version: string;
  /** The connector's own config keys (the framework's common keys are added by the registry). */
  configDef: ConfigDef;
  createConnector(): Connector;
  /** `task.class` value given to tasks; defaults to `<className>Task`-like names for display only. */
  taskClassName: string;
  createTask(): SourceTask | SinkTask;
}

/**
 * Thrown by a plugin for a transient failure (Connect's RetriableException): the worker retries the operation
 * (`errors.retry.timeout`, `errors.retry.delay.max.ms`) or, for put(), re-delivers the same batch, instead of failing.
 */
export class RetriableError extends Error {
  readonly code = 'PIPECTL_PLUGIN_RETRIABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetriableError';
  }
}
