/**
 * Connector and task statuses on the status topic (Connect's KafkaStatusBackingStore), so every worker can answer
 * GET /connectors/{name}/status for the whole cluster. The StatusStore interface (status-store.ts), as its memory twin,
 * plus the writer's group generation in each record.
 *
 * Records: key `status-connector-<name>` or `status-task-<name>-<n>` (UTF-8; the task id is the number after the last
 * '-'), value `{"state":"RUNNING","trace":null,"worker_id":"host:port","generation":12}` in the internal converter's
 * JSON; DESTROYED (a removal) is a tombstone. Topic-tracking records (`status-topic-…`) are read past.
 *
 * As in Connect: writes are asynchronous (put* return at once; failures are logged, and retriable ones retried while
 * the generation is unchanged); the local view is updated ONLY when a record is read back from the topic, so reads
 * are eventually consistent, also for this worker's own writes. A safe put (putSafe) writes only when there is no
 * previous status, the previous one came from the same worker, or its generation is ≤ the new one; by default
 * UNASSIGNED and FAILED are written safely, as Connect's AbstractHerder does.
 *
 * Every record read is taken as it is (the last one of a key wins, as in Connect), so that every worker — one started
 * a moment ago included — holds the same view of the same log. Stale reports are kept out at the writer instead: a
 * safe write first reads the topic to its end (bounded), so that it is checked against what other workers wrote
 * meanwhile, and an UNASSIGNED (a worker reporting that it stopped a task it ran) may replace another worker's status
 * only when that status is of an OLDER generation — at the same generation the other worker is the task's new owner,
 * and the report is a late one (a task that took long to stop, a worker that was frozen).
 */
import type { StatusState } from '../../../herder/types.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { StatusRecord, StatusStore } from './status-store.js';
import { parseTaskSuffix } from '../config/config-records.js';
import { decodeInternal, encodeInternal, isJsonObject, type InternalLog, type InternalLogRecord } from '../kafka-topics/internal-log.js';
import { DEFAULT_STORE_TIMEOUT_MS, assertStarted, readStep, realSleep, withinBudget, type Budget, type Sleep } from '../kafka-topics/store-error.js';

/** A status as read from the topic: who wrote it, in which group generation. */
export interface DistributedStatusRecord extends StatusRecord {
  generation: number;
}

/** A status to write; without `generation`, the store's `generation()` (the worker's current one) is used. */
export type StatusWrite = StatusRecord & { generation?: number };

export interface PutOptions {
  /** Connect's putSafe. Default: true for UNASSIGNED and FAILED, false otherwise (as Connect's AbstractHerder). */
  safe?: boolean;
}

export interface KafkaStatusStoreOptions {
  /** The status topic (any partition count). The store starts and stops it. */
  log: InternalLog;
  /** This worker's current group generation (for writes that do not carry one). */
  generation: () => number;
  logger?: Logger;
  /** Retries of a write that failed with a retriable error, while the generation is unchanged (default 5). */
  maxRetries?: number;
  /** Budget of refresh() (default 30 000 ms). */
  timeoutMs?: number;
  sleep?: Sleep;
}

const CONNECTOR_PREFIX = 'status-connector-';
const TASK_PREFIX = 'status-task-';
const TOPIC_PREFIX = 'status-topic-';
/** How long a safe write waits to read the status topic to its end before it is checked (see catchUp). */
const SAFE_WRITE_READ_MS = 2000;

const STATES: readonly string[] = ['UNASSIGNED', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED', 'RESTARTING'];

export const connectorStatusKey = (name: string): string => `${CONNECTOR_PREFIX}${name}`;
export const taskStatusKey = (connector: string, task: number): string => `${TASK_PREFIX}${connector}-${task}`;

/** The cached status of one connector or task, and the bookkeeping of writes to it (Connect's CacheEntry). */
interface CacheEntry {
  value: DistributedStatusRecord | undefined;
  /** Counts writes, so a retry can tell it has been overtaken by a newer one. */
  sequence: number;
  deleted: boolean;
  /** The last write of this key: the next one waits for it, so two statuses of one key land in the order written. */
  lastWrite: Promise<unknown> | undefined;
}

export class KafkaStatusStore implements StatusStore {
  private readonly log: InternalLog;
  private readonly logger: Logger;
  private readonly currentGeneration: () => number;
  private readonly maxRetries: number;
  private readonly budget: Budget;
  private state: 'new' | 'started' | 'stopped' = 'new';
  private readonly connectorEntries = new Map<string, CacheEntry>();
  private readonly taskEntries = new Map<string, Map<number, CacheEntry>>();
  /** Generation of the latest write (Connect's `generation` field): retries of older generations stop. */
  private lastWriteGeneration = -1;
  /** A read to the end shared by the safe writes waiting for it (catchUp). */
  private catchingUp: Promise<void> | undefined;
  private readonly writes = new Set<Promise<void>>();

  constructor(options: KafkaStatusStoreOptions) {
    this.log = options.log;
    this.logger = options.logger ?? silentLogger;
    this.currentGeneration = options.generation;
    this.maxRetries = options.maxRetries ?? 5;
    this.budget = { timeoutMs: options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS, sleep: options.sleep ?? realSleep };
  }

  /** Reads the whole topic, then follows it. Rejects when the log cannot be read. */
  async start(): Promise<void> {
    await this.log.start((r) => this.onRecord(r));
    if (this.state === 'new') this.state = 'started';
  }

  /** Waits for the writes in flight, then stops the log. */
  async stop(): Promise<void> {
    await this.flush();
    this.state = 'stopped';
    await this.log.stop();
  }

  /**
   * Sends a connector status (asynchronously). Returns false when a safe put was refused (a newer status from
   * another worker is cached) or the store is stopped, true when the write was sent. Throws StoreError
   * PIPECTL_STORE_NOT_STARTED before start().
   */
  putConnector(name: string, status: StatusWrite, options?: PutOptions): boolean {
    return this.send(connectorStatusKey(name), this.entry(name), this.complete(status), options);
  }

  /** Sends a task status; see putConnector. */
  putTask(connector: string, task: number, status: StatusWrite, options?: PutOptions): boolean {
    return this.send(taskStatusKey(connector, task), this.entry(connector, task), this.complete(status), options);
  }

  /** The connector's status as last read from the topic. */
  connector(name: string): DistributedStatusRecord | undefined {
    return this.connectorEntries.get(name)?.value;
  }

  task(connector: string, task: number): DistributedStatusRecord | undefined {
    return this.taskEntries.get(connector)?.get(task)?.value;
  }

  /** Task statuses of a connector as last read, sorted by task id. */
  connectorTasks(connector: string): [number, DistributedStatusRecord][] {
    const out: [number, DistributedStatusRecord][] = [];
    for (const [id, e] of this.taskEntries.get(connector) ?? []) if (e.value) out.push([id, e.value]);
    return out.sort((a, b) => a[0] - b[0]);
  }

  /** Connectors that have a status, sorted. */
  connectors(): string[] {
    return [...this.connectorEntries].filter(([, e]) => e.value).map(([n]) => n).sort();
  }

  /** DESTROYED for one task: a tombstone (e.g. after its connector's task count shrank). */
  removeTask(connector: string, task: number): void {
    this.send(taskStatusKey(connector, task), this.entry(connector, task), null, { safe: false });
  }

  /** DESTROYED for a deleted connector: tombstones for each task with a status, then for the connector. */
  removeConnector(name: string): void {
    for (const [task] of this.connectorTasks(name)) this.removeTask(name, task);
    this.send(connectorStatusKey(name), this.entry(name), null, { safe: false });
  }

  /** Resolves once every write sent so far was acknowledged or finally failed (failures are logged, not thrown). */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  /** Reads to the end: afterwards the view holds every status acknowledged before the call (by any worker). */
  async refresh(): Promise<void> {
    assertStarted(this.state, 'status store');
    const what = 'reading the status topic';
    await withinBudget(what, this.budget, (signal) => readStep(what, signal, () => this.log.readToEnd()));
  }

  /**
   * Reads the topic to its end before a safe write, for at most SAFE_WRITE_READ_MS (a slow or failed read leaves the
   * check to the view as it is); concurrent calls share one read.
   */
  private catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, SAFE_WRITE_READ_MS)));
      try {
        await Promise.race([this.log.readToEnd().catch(() => undefined), bound]);
      } finally {
        clearTimeout(timer);
        this.catchingUp = undefined;
      }
    })();
    return this.catchingUp;
  }

  private complete(status: StatusWrite): DistributedStatusRecord {
    return { ...status, generation: status.generation ?? this.currentGeneration() };
  }

  /** `status` null: DESTROYED (a tombstone). */
  private send(key: string, entry: CacheEntry, status: DistributedStatusRecord | null, options?: PutOptions): boolean {
    if (this.state === 'stopped') {
      // A late report (a task stopping after shutdown began) must not throw into the worker: drop it, visibly.
      this.logger.warn(`status topic: dropping a status written after stop: ${key}`);
      return false;
    }
    assertStarted(this.state, 'status store');
    const generation = status?.generation ?? this.currentGeneration();
    this.lastWriteGeneration = generation;
    const safe = status !== null && (options?.safe ?? (status.state === 'UNASSIGNED' || status.state === 'FAILED'));
    if (safe && !canWriteSafely(entry, status)) return false;
    const sequence = ++entry.sequence;
    const value = status && encodeInternal({ state: status.state, trace: status.trace ?? null, worker_id: status.workerId, generation: status.generation, ...(status.version ? { version: status.version } : {}), ...(status.restarts ? { restarts: status.restarts } : {}) });
    const record = { key: Buffer.from(key, 'utf8'), value };
    const previous = entry.lastWrite;
    const write = (async () => {
      // Concurrent sends may reach the broker in any order (e.g. one waits for metadata): UNASSIGNED then RUNNING
      // of a connector starting must not end as UNASSIGNED.
      if (previous) await previous; // (none pending: the send starts synchronously)
      if (safe) {
        await this.catchUp();
        if (!canWriteSafely(entry, status) || entry.sequence !== sequence) {
          return this.logger.debug(`status topic: not writing ${key} ${status.state}: a newer status was read meanwhile`);
        }
      }
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.log.send([record]);
        } catch (e) {
          const superseded = entry.deleted || generation !== this.lastWriteGeneration || (safe && (!canWriteSafely(entry, status) || entry.sequence !== sequence));
          if (superseded) return;
          if ((e as { retriable?: unknown }).retriable !== true || attempt >= this.maxRetries) {
            return this.logger.error(`status topic: writing ${key} failed: ${(e as Error).message}`);
          }
        }
      }
    })();
    entry.lastWrite = write;
    this.writes.add(write);
    void write.finally(() => {
      this.writes.delete(write);
      if (entry.lastWrite === write) entry.lastWrite = undefined;
    });
    return true;
  }

  private entry(connector: string, task?: number): CacheEntry {
    if (task === undefined) return getOrAdd(this.connectorEntries, connector);
    let tasks = this.taskEntries.get(connector);
    if (!tasks) this.taskEntries.set(connector, (tasks = new Map()));
    return getOrAdd(tasks, task);
  }

  private onRecord(r: InternalLogRecord): void {
    if (r.key === null) return this.skip(r, 'the key is null');
    const key = r.key.toString('utf8');
    if (key.startsWith(CONNECTOR_PREFIX)) {
      const name = key.slice(CONNECTOR_PREFIX.length);
      if (name === '') return this.skip(r, 'no connector name', key);
      if (r.value === null) return this.removeConnectorEntries(name);
      const status = this.parse(r, key);
      if (status) this.entry(name).value = status;
    } else if (key.startsWith(TASK_PREFIX)) {
      const id = parseTaskSuffix(key, TASK_PREFIX.length);
      if (!id) return this.skip(r, 'no task id', key);
      if (r.value === null) return this.removeTaskEntry(id.connector, id.task);
      const status = this.parse(r, key);
      if (!status) return;
      this.entry(id.connector, id.task).value = status;
    } else if (!key.startsWith(TOPIC_PREFIX)) {
      this.skip(r, 'unknown key', key);
    }
  }

  private parse(r: InternalLogRecord, key: string): DistributedStatusRecord | undefined {
    let v: unknown;
    try {
      v = decodeInternal(r.value);
    } catch (e) {
      return void this.skip(r, `the value is not JSON: ${(e as Error).message}`, key);
    }
    if (!isJsonObject(v)) return void this.skip(r, 'the value is not a JSON object', key);
    const { state, trace, worker_id: workerId, generation, version, restarts } = v;
    const valid = typeof state === 'string' && STATES.includes(state) && (trace === null || trace === undefined || typeof trace === 'string') &&
      typeof workerId === 'string' && typeof generation === 'number' && Number.isSafeInteger(generation);
    if (!valid) return void this.skip(r, 'the value is not a status (state, trace, worker_id, generation)', key);
    return { state: state as StatusState, workerId, generation, ...(typeof trace === 'string' ? { trace } : {}), ...(typeof version === 'string' ? { version } : {}), ...(typeof restarts === 'number' && Number.isSafeInteger(restarts) && restarts > 0 ? { restarts } : {}) };
  }

  /**
   * A connector's tombstone forgets the connector's own status only. Its tasks go with their own tombstones, which
   * removeConnector (and Connect's herder) writes before the connector's. Connect's reader also drops the tasks here,
   * but the task records can sit on another partition than the connector's: a worker reading the topic from the start
   * takes the partitions one after the other, so a tombstone could drop a task status written after it — a worker
   * started later then showed a task RUNNING elsewhere as UNASSIGNED, unlike the others (chaos test, under load).
   */
  private removeConnectorEntries(name: string): void {
    const entry = this.connectorEntries.get(name);
    if (entry) entry.deleted = true;
    this.connectorEntries.delete(name);
  }

  private removeTaskEntry(connector: string, task: number): void {
    const tasks = this.taskEntries.get(connector);
    const entry = tasks?.get(task);
    if (entry) entry.deleted = true;
    tasks?.delete(task);
  }

  private skip(r: InternalLogRecord, reason: string, key?: string): void {
    this.logger.warn(`status topic: ignoring a record: ${reason}`, { key: key ?? null, partition: r.partition, offset: r.offset });
  }
}

function getOrAdd<K>(map: Map<K, CacheEntry>, key: K): CacheEntry {
  let e = map.get(key);
  if (!e) map.set(key, (e = { value: undefined, sequence: 0, deleted: false, lastWrite: undefined }));
  return e;
}

/**
 * Connect's CacheEntry.canWriteSafely: no previous status, the same worker, or a generation not newer than ours; for an
 * UNASSIGNED report, strictly older (see the module comment).
 */
function canWriteSafely(entry: CacheEntry, status: DistributedStatusRecord): boolean {
  const previous = entry.value;
  if (!previous || previous.workerId === status.workerId) return true;
  return status.state === 'UNASSIGNED' ? previous.generation < status.generation : previous.generation <= status.generation;
}
