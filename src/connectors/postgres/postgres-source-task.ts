/**
 * The Postgres source task: one per connector. In the background it prepares the database (publication, slot), takes
 * the initial snapshot when the plan says so, then streams; poll() hands out what that produced. commit() confirms to
 * the slot the position of the offsets the worker has flushed — the only place the slot advances. A lost connection
 * is retried with back-off and resumes from the last record handed over; a problem the user must fix fails the task.
 */
import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import { STRING_SCHEMA } from '../../plugins/connect-data.js';
import type { Header, SourceRecord } from '../../plugins/connect-data.js';
import type { OffsetStorageReader, PluginLogger, SourceTask, SourceTaskContext } from '../../plugins/plugin.js';
import { capturedTables, checkServer, checkSlot, ensurePublication, publishedTables, readSlot } from './database-setup.js';
import { heartbeatRecord } from './heartbeat.js';
import { formatLsn } from './lsn.js';
import { closePgClient, openPgClient, quoteLiteral } from './pg-connect.js';
import { PgSourceError } from './pg-source-error.js';
import { parsePostgresSettings } from './postgres-settings.js';
import type { PostgresSourceSettings } from './postgres-settings.js';
import { RecordQueue } from './record-queue.js';
import { ReplicationStream } from './replication-stream.js';
import { isConnectionLoss, reconnectDelayMs, sleep, withSlotRetries } from './retry-policy.js';
import { runSnapshot } from './snapshot-reader.js';
import { confirmableLsn, partitionFor, readStoredOffset } from './source-offset.js';
import type { ResumePoint } from './source-offset.js';
import { planStart } from './start-plan.js';
import { StreamProcessor } from './stream-processor.js';
import { TableCatalog } from './table-catalog.js';

const QUIET: PluginLogger = { info() {}, warn() {}, error() {} };

export class PostgresSourceTask implements SourceTask {
  private settings!: PostgresSourceSettings;
  private partition: Record<string, unknown> = {};
  private log: PluginLogger = QUIET;
  private queue!: RecordQueue;
  private readonly abort = new AbortController();
  private failure: Error | null = null;
  private running: Promise<void> | null = null;
  private normal: pg.Client | null = null;
  private replication: pg.Client | null = null;
  private stream: ReplicationStream | null = null;
  private processor: StreamProcessor | null = null;
  /** Where emitted records end: a reconnect resumes here. Null until the start plan is known. */
  private resume: ResumePoint | null = null;
  /** The highest position confirmed to the slot (from flushed offsets), kept across reconnects. */
  private confirmed = 0n;
  private lastHeartbeatMs = Date.now();
  /** Debezium 3.x's `__debezium.context.*` headers, after a change event's own headers on every one of them. */
  private contextHeaders: Header[] = [];
  private idle = false;

  /** Throws PIPECTL_PLUGIN_INVALID_CONFIG for a bad config, PIPECTL_PG_OFFSET for a malformed stored offset. */
  start(config: Readonly<Record<string, string>>, context: SourceTaskContext): void {
    this.settings = parsePostgresSettings(config);
    this.log = context.logger ?? QUIET;
    this.partition = partitionFor(this.settings.topicPrefix);
    this.queue = new RecordQueue(this.settings.maxQueueSize);
    this.contextHeaders = debeziumContextHeaders(this.settings.topicPrefix, config['task.id'] ?? '0');
    const stored = readStoredOffset(context.offsetStorageReader.offset(this.partition));
    this.running = this.run(stored);
  }

  /** Up to max.batch.size records, waiting up to poll.interval.ms; throws what failed the background work. */
  async poll(): Promise<SourceRecord[] | null> {
    if (this.failure) throw this.failure;
    if (this.abort.signal.aborted) return null;
    const records = await this.queue.take(this.settings.maxBatchSize, this.settings.pollIntervalMs, this.abort.signal);
    if (this.failure) throw this.failure;
    if (records.length === 0) {
      const hb = this.heartbeat();
      return hb ? [hb] : null;
    }
    return records.map((r) => ({ ...r, headers: [...(r.headers ?? []), ...this.contextHeaders] }));
  }

  /** Confirms the flushed offset's position to the slot (never beyond it; never backwards). */
  commit(committed: OffsetStorageReader): void {
    const lsn = confirmableLsn(committed.offset(this.partition));
    if (lsn === null || lsn <= this.confirmed) return;
    this.confirmed = lsn;
    this.stream?.confirm(lsn);
  }

  /** Ends the background work and closes both connections; drops the slot with slot.drop.on.stop. */
  async stop(): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.queue?.wake();
    this.stream?.close();
    await Promise.all([closePgClient(this.replication), closePgClient(this.normal)]);
    await Promise.race([this.running?.catch(() => {}), sleep(5000, new AbortController().signal)]);
    if (this.settings?.slotDropOnStop) await this.dropSlot();
  }

  private heartbeat(): SourceRecord | null {
    const s = this.settings;
    const p = this.processor;
    if (s.heartbeatIntervalMs <= 0 || p === null || !p.idle() || this.queue.size > 0) return null;
    const now = Date.now();
    if (now - this.lastHeartbeatMs < s.heartbeatIntervalMs) return null;
    this.lastHeartbeatMs = now;
    return heartbeatRecord(s.heartbeatTopic, s.topicPrefix, this.partition, p.doneBelow, now);
  }

  private async run(stored: ReturnType<typeof readStoredOffset>): Promise<void> {
    let attempt = 0;
    while (!this.abort.signal.aborted && !this.idle) {
      try {
        await this.session(stored, () => (attempt = 0));
      } catch (e) {
        if (this.abort.signal.aborted) return;
        if (!isConnectionLoss(e)) {
          this.failure = e as Error; // poll() throws it: the task fails with it
          this.queue.wake();
          return;
        }
        attempt += 1;
        const delay = reconnectDelayMs(attempt);
        this.log.warn(`Postgres connection lost (${(e as Error).message}); reconnecting in ${delay} ms`, { attempt, resumeLsn: this.resume ? formatLsn(this.resume.commitLsn) : null });
        await sleep(delay, this.abort.signal);
      } finally {
        this.stream?.close();
        await Promise.all([closePgClient(this.replication), closePgClient(this.normal)]);
        this.replication = this.normal = null;
        this.stream = this.processor = null;
      }
    }
  }

  /** One connection lifetime: (first time) plan and snapshot, then stream until the connection ends. */
  private async session(stored: ReturnType<typeof readStoredOffset>, connected: () => void): Promise<void> {
    const s = this.settings;
    const signal = this.abort.signal;
    const name = `pipectl-${s.topicPrefix}`;
    this.normal = await openPgClient(s.connection, 'normal', name);
    const catalog = new TableCatalog(s.filter, s.eventFormat, s.connection.database);
    const slotRetry = <T>(op: () => Promise<T>): Promise<T> =>
      withSlotRetries(s.slotName, s.slotMaxRetries, s.slotRetryDelayMs, signal, (n, e) => this.log.warn(`replication slot ${s.slotName} is busy (${e.message}); retrying`, { attempt: n }), op);

    if (this.resume === null) {
      await checkServer(this.normal, s.connection.user);
      const captured = await capturedTables(this.normal, s);
      let slot = s.snapshotMode === 'initial_only' ? null : await readSlot(this.normal, s.slotName);
      if (slot) checkSlot(slot, s);
      const plan = planStart(s.snapshotMode, stored, slot);
      if (plan.kind === 'idle') {
        this.idle = true;
        return;
      }
      if (s.snapshotMode !== 'initial_only') await ensurePublication(this.normal, s, captured);
      if (plan.kind === 'snapshot') {
        this.log.info(`snapshot starts: ${plan.why}`, { tables: captured.length });
        await this.snapshot(catalog, captured, plan.dropSlot, slotRetry);
        if (this.idle || signal.aborted) return;
      } else {
        if (plan.warning) this.log.warn(plan.warning);
        this.replication = await openPgClient(s.connection, 'replication', name);
        if (plan.createSlot) {
          const created = await slotRetry(() => new ReplicationStream(this.replication!, 0n, s.statusUpdateIntervalMs).createSlot(s.slotName, false));
          slot = { plugin: 'pgoutput', database: s.connection.database, active: false, confirmedFlushLsn: created.consistentPoint };
        }
        this.resume = plan.resume ?? { commitLsn: slot!.confirmedFlushLsn ?? 0n, processedLsn: null };
      }
    }
    this.replication ??= await openPgClient(s.connection, 'replication', name);
    const slot = await readSlot(this.normal, s.slotName);
    if (slot === null) throw new PgSourceError('PIPECTL_PG_SETUP', `The replication slot ${s.slotName} was dropped while the task ran; changes since are lost to it. Restart the connector (with snapshot.mode=when_needed it snapshots again).`);
    if (slot.confirmedFlushLsn !== null && slot.confirmedFlushLsn > this.confirmed) this.confirmed = slot.confirmedFlushLsn;
    await this.stream_(catalog, slotRetry, connected);
  }

  private async snapshot(catalog: TableCatalog, captured: { schema: string; name: string }[], dropSlot: boolean, slotRetry: <T>(op: () => Promise<T>) => Promise<T>): Promise<void> {
    const s = this.settings;
    let consistentPoint = 0n;
    let snapshotName: string | null = null;
    let tables = captured;
    if (s.snapshotMode !== 'initial_only') {
      if (dropSlot) await slotRetry(() => this.normal!.query(`SELECT pg_drop_replication_slot(${quoteLiteral(s.slotName)})`));
      this.replication = await openPgClient(s.connection, 'replication', `pipectl-${s.topicPrefix}`);
      const created = await slotRetry(() => new ReplicationStream(this.replication!, 0n, s.statusUpdateIntervalMs).createSlot(s.slotName, true));
      consistentPoint = created.consistentPoint;
      snapshotName = created.snapshotName;
      const published = new Set((await publishedTables(this.normal!, s.publicationName)).map((t) => `${t.schema}.${t.name}`));
      tables = captured.filter((t) => published.has(`${t.schema}.${t.name}`));
    }
    const count = await runSnapshot(this.normal!, tables, catalog, {
      snapshotName, consistentPoint, fetchSize: s.snapshotFetchSize, partition: this.partition,
      emit: async (records) => {
        await this.queue.room(this.abort.signal);
        this.queue.push(records);
      },
      stopped: () => this.abort.signal.aborted,
    });
    if (count === false) return;
    this.log.info('snapshot completed', { records: count, lsn: formatLsn(consistentPoint) });
    catalog.clear();
    if (s.snapshotMode === 'initial_only') this.idle = true;
    this.resume = { commitLsn: consistentPoint, processedLsn: null };
  }

  private async stream_(catalog: TableCatalog, slotRetry: <T>(op: () => Promise<T>) => Promise<T>, connected: () => void): Promise<void> {
    const s = this.settings;
    const stream = new ReplicationStream(this.replication!, this.confirmed, s.statusUpdateIntervalMs);
    const processor = new StreamProcessor(stream, this.normal!, catalog, this.queue, this.resume!, {
      partition: this.partition, tombstonesOnDelete: s.tombstonesOnDelete, skipped: s.skippedOperations, inboxLimit: s.maxQueueSize,
    });
    this.stream = stream;
    this.processor = processor;
    // A server shutting down ends normal sessions first, and waits for walsenders until their client confirms
    // everything sent (which this task never does before the offsets are flushed): so when the catalog connection
    // goes, the stream is closed too, letting the shutdown finish; the task reconnects.
    const lost = (e?: Error): void => processor.ended(new PgSourceError('PIPECTL_PG_CONNECTION', `the catalog connection was lost${e ? `: ${e.message}` : ''}`));
    this.normal!.on('error', lost);
    this.normal!.on('end', () => lost());
    const start = this.resume!.commitLsn;
    await slotRetry(() => stream.start(s.slotName, start, s.publicationName, processor));
    this.log.info('streaming', { slot: s.slotName, from: formatLsn(start), confirmed: formatLsn(this.confirmed) });
    connected();
    try {
      await processor.run(this.abort.signal);
    } finally {
      this.resume = processor.resume;
    }
  }

  private async dropSlot(): Promise<void> {
    const s = this.settings;
    const client = await openPgClient(s.connection, 'normal', `pipectl-${s.topicPrefix}`).catch(() => null);
    if (!client) return;
    try {
      const gone = new AbortController();
      setTimeout(() => gone.abort(), 10_000).unref();
      await withSlotRetries(s.slotName, 20, 250, gone.signal, () => {}, () => client.query(`SELECT pg_drop_replication_slot(${quoteLiteral(s.slotName)}) WHERE EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ${quoteLiteral(s.slotName)})`));
    } catch (e) {
      this.log.warn(`could not drop replication slot ${s.slotName}: ${(e as Error).message}`);
    } finally {
      await closePgClient(client);
    }
  }
}

/**
 * What Debezium 3.x writes on every change event (snapshot and streaming): the logical name (topic.prefix), the task
 * id, the connector type and an id of this task start (a new one each start, as Debezium's runId).
 */
function debeziumContextHeaders(topicPrefix: string, taskId: string): Header[] {
  const header = (name: string, value: string): Header => ({ key: `__debezium.context.${name}`, value, schema: STRING_SCHEMA });
  return [header('connectorLogicalName', topicPrefix), header('taskId', taskId), header('connectorName', 'postgresql'), header('runId', randomUUID())];
}
