/**
 * Turns the replication stream into records: it buffers the pgoutput messages the stream delivers (pausing the socket
 * while the buffer is full), frames them by BEGIN/COMMIT, describes relations from the catalog, skips changes the
 * resume point says were already emitted, and pushes the change records to the queue in order. It keeps the position
 * of the last record pushed (where a reconnect resumes) and the position below which everything is done (for
 * heartbeats on an idle database).
 */
import type pg from 'pg';
import type { PgoutputMessage } from './pgoutput-decoder.js';
import { PgSourceError } from './pg-source-error.js';
import type { RecordQueue } from './record-queue.js';
import type { ReplicationStream, StreamListener } from './replication-stream.js';
import type { TableCatalog } from './table-catalog.js';
import { changeRecords } from './change-records.js';
import type { Change } from './change-records.js';
import { alreadyEmitted } from './source-offset.js';
import type { ResumePoint } from './source-offset.js';

export interface StreamProcessorOptions {
  partition: Record<string, unknown>;
  tombstonesOnDelete: boolean;
  skipped: ReadonlySet<string>;
  /** Messages buffered before the socket is paused. */
  inboxLimit: number;
}

interface OpenTransaction {
  commitLsn: bigint;
  xid: number;
  tsUs: bigint;
  processedLsn: bigint | null;
}

export class StreamProcessor implements StreamListener {
  private inbox: { message: PgoutputMessage; walStart: bigint }[] = [];
  private head = 0;
  private endedWith: Error | null = null;
  private wakeUp: (() => void) | null = null;
  private paused = false;
  private txn: OpenTransaction | null = null;
  private busy = false;
  private lastCommitLsn: bigint | null = null;
  /** Every transaction committed below this was handled (and its records pushed). */
  doneBelow: bigint;

  constructor(
    private readonly stream: ReplicationStream,
    private readonly catalogClient: pg.Client,
    private readonly catalog: TableCatalog,
    private readonly queue: RecordQueue,
    /** Where emitted records end; updated as records are pushed. */
    public resume: ResumePoint,
    private readonly options: StreamProcessorOptions,
  ) {
    this.doneBelow = resume.commitLsn;
  }

  message(message: PgoutputMessage, walStart: bigint): void {
    this.inbox.push({ message, walStart });
    if (!this.paused && this.inbox.length - this.head > this.options.inboxLimit) {
      this.paused = true;
      this.stream.pause();
    }
    this.wakeUp?.();
  }

  keepalive(walEnd: bigint): void {
    if (this.idle() && walEnd > this.doneBelow) this.doneBelow = walEnd;
  }

  ended(error: Error): void {
    this.endedWith ??= error;
    this.wakeUp?.();
  }

  /** No transaction open, nothing buffered or being handled: doneBelow is exact. */
  idle(): boolean {
    return this.txn === null && !this.busy && this.inbox.length === this.head;
  }

  /** Handles messages until the stream ends (rejects with why) or `signal` aborts (resolves). */
  async run(signal: AbortSignal): Promise<void> {
    const abort = (): void => this.wakeUp?.();
    signal.addEventListener('abort', abort, { once: true });
    try {
      while (!signal.aborted) {
        // Messages buffered but not handled are sent again after the reconnect: resume is what was pushed.
        if (this.endedWith) throw this.endedWith;
        if (this.head === this.inbox.length) {
          await new Promise<void>((r) => (this.wakeUp = r));
          this.wakeUp = null;
          continue;
        }
        const item = this.inbox[this.head]!;
        this.inbox[this.head++] = undefined as never;
        if (this.head > 1024 && this.head * 2 > this.inbox.length) {
          this.inbox = this.inbox.slice(this.head);
          this.head = 0;
        }
        if (this.paused && this.inbox.length - this.head < this.options.inboxLimit / 2) {
          this.paused = false;
          this.stream.resume();
        }
        this.busy = true;
        try {
          await this.handle(item.message, item.walStart, signal);
        } finally {
          this.busy = false;
        }
      }
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  private async handle(m: PgoutputMessage, walStart: bigint, signal: AbortSignal): Promise<void> {
    switch (m.tag) {
      case 'begin':
        this.txn = { commitLsn: m.finalLsn, xid: m.xid, tsUs: m.commitTimeUs, processedLsn: null };
        return;
      case 'commit':
        this.txn = null;
        this.lastCommitLsn = m.commitLsn;
        if (m.endLsn > this.doneBelow) this.doneBelow = m.endLsn;
        if (this.resume.commitLsn <= m.commitLsn) this.resume = { commitLsn: m.endLsn, processedLsn: null };
        return;
      case 'relation':
        await this.catalog.describe(this.catalogClient, m.oid, m.schema, m.name, m.columns);
        return;
      case 'insert':
      case 'update':
      case 'delete':
        return this.change(m, walStart, signal);
      default:
        return; // truncate (never captured), type, origin, message
    }
  }

  private async change(m: Extract<PgoutputMessage, { tag: 'insert' | 'update' | 'delete' }>, walStart: bigint, signal: AbortSignal): Promise<void> {
    const txn = this.txn;
    if (txn === null) throw new PgSourceError('PIPECTL_PG_PROTOCOL', `a ${m.tag} outside a transaction (LSN ${walStart})`);
    const table = this.catalog.get(m.oid);
    if (table === undefined) throw new PgSourceError('PIPECTL_PG_PROTOCOL', `a ${m.tag} for relation ${m.oid}, which no Relation message described`);
    if (table === null || alreadyEmitted(this.resume, txn.commitLsn, walStart)) {
      txn.processedLsn = walStart;
      return;
    }
    const change: Change =
      m.tag === 'insert' ? { kind: 'insert', newRow: m.newRow } : m.tag === 'update' ? { kind: 'update', newRow: m.newRow, oldKey: m.oldKey, oldRow: m.oldRow } : { kind: 'delete', oldKey: m.oldKey, oldRow: m.oldRow };
    const messageType = m.tag === 'insert' ? 'INSERT' : m.tag === 'update' ? 'UPDATE' : 'DELETE';
    const records = changeRecords(table, change, {
      partition: this.options.partition,
      tombstonesOnDelete: this.options.tombstonesOnDelete,
      skipped: this.options.skipped,
      position: { commitLsn: txn.commitLsn, lsn: walStart, processedLsn: txn.processedLsn, txId: txn.xid, tsUs: txn.tsUs, messageType },
      lastCommitLsn: this.lastCommitLsn,
    });
    txn.processedLsn = walStart;
    if (records.length === 0) return;
    await this.queue.room(signal);
    this.queue.push(records);
    this.resume = { commitLsn: txn.commitLsn, processedLsn: walStart };
  }
}
