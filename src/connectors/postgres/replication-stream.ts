/**
 * The replication connection's side of the streaming protocol, over `pg`'s connection: creating the slot, START_REPLICATION,
 * CopyData frames (XLogData → pgoutput messages, keepalives) and standby status updates. It reports only the
 * position it is told is confirmed (confirm()): on a keepalive that asks for a reply, every status_update interval,
 * and at once when confirm() moves it. write = flush = apply = that position; never beyond it, never backwards.
 */
import type pg from 'pg';
import { formatLsn, parseLsn } from './lsn.js';
import { decodePgoutput, PG_EPOCH_US } from './pgoutput-decoder.js';
import type { PgoutputMessage } from './pgoutput-decoder.js';
import { PgSourceError } from './pg-source-error.js';
import { quoteIdent, quoteLiteral } from './pg-connect.js';

export interface CreatedSlot {
  consistentPoint: bigint;
  /** The exported snapshot, valid until the next command on this connection; null with NOEXPORT_SNAPSHOT. */
  snapshotName: string | null;
}

export interface StreamListener {
  /** One pgoutput message; `walStart` is the XLogData start (the change's LSN). Called in stream order. */
  message(message: PgoutputMessage, walStart: bigint): void;
  /** A keepalive: everything before `walEnd` has been sent. */
  keepalive(walEnd: bigint): void;
  /** The stream ended (connection lost, server shut down, error); no more calls follow. */
  ended(error: Error): void;
}

interface PgConnectionInternals {
  on(event: 'copyData', fn: (msg: { chunk: Buffer }) => void): void;
  once(event: 'replicationStart', fn: () => void): void;
  removeAllListeners(event: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  stream: { pause(): void; resume(): void };
}

/** `pg`'s internal connection: undocumented, but it is how replication is done with `pg` (pg-logical-replication too). */
function internals(client: pg.Client): PgConnectionInternals {
  return (client as unknown as { connection: PgConnectionInternals }).connection;
}

export class ReplicationStream {
  private confirmed: bigint;
  private timer: NodeJS.Timeout | undefined;
  private streaming = false;

  /** `confirmed`: the slot's confirmed position at start (status updates never report less). */
  constructor(
    private readonly client: pg.Client,
    confirmed: bigint,
    private readonly statusIntervalMs: number,
  ) {
    this.confirmed = confirmed;
  }

  /** The position last reported to the server as flushed. */
  get confirmedLsn(): bigint {
    return this.confirmed;
  }

  /** CREATE_REPLICATION_SLOT … LOGICAL pgoutput, exporting a snapshot when asked. Rejects with pg's error (42710: exists). */
  async createSlot(slot: string, exportSnapshot: boolean): Promise<CreatedSlot> {
    const res = await this.client.query(`CREATE_REPLICATION_SLOT ${quoteIdent(slot)} LOGICAL pgoutput${exportSnapshot ? '' : ' NOEXPORT_SNAPSHOT'}`);
    const row = res.rows[0] as { consistent_point: string; snapshot_name: string | null };
    const point = parseLsn(row.consistent_point);
    if (point === null) throw new PgSourceError('PIPECTL_PG_PROTOCOL', `CREATE_REPLICATION_SLOT answered consistent_point ${row.consistent_point}`);
    if (point > this.confirmed) this.confirmed = point;
    return { consistentPoint: point, snapshotName: row.snapshot_name ?? null };
  }

  /**
   * START_REPLICATION from `startLsn` (the server starts at the slot's confirmed position if that is later). Resolves
   * once the server streams; rejects with pg's error when it refuses (55006: the slot is active elsewhere).
   */
  start(slot: string, startLsn: bigint, publication: string, listener: StreamListener): Promise<void> {
    const conn = internals(this.client);
    const sql = `START_REPLICATION SLOT ${quoteIdent(slot)} LOGICAL ${formatLsn(startLsn)} (proto_version '1', publication_names ${quoteLiteral(quoteIdent(publication))})`;
    return new Promise<void>((resolve, reject) => {
      conn.once('replicationStart', () => {
        this.streaming = true;
        this.timer = setInterval(() => this.sendStatus(false), this.statusIntervalMs);
        this.timer.unref();
        resolve();
      });
      conn.on('copyData', ({ chunk }) => {
        try {
          this.frame(chunk, listener);
        } catch (e) {
          this.client.end().catch(() => {});
          listener.ended(e as Error);
        }
      });
      this.client.query(sql).then(
        () => this.finish(listener, new PgSourceError('PIPECTL_PG_CONNECTION', 'the replication stream ended')),
        (e: Error) => (this.streaming ? this.finish(listener, e) : reject(e)),
      );
    });
  }

  private finish(listener: StreamListener, error: Error): void {
    clearInterval(this.timer);
    this.streaming = false;
    listener.ended(error);
  }

  private frame(chunk: Buffer, listener: StreamListener): void {
    const kind = chunk[0];
    if (kind === 0x77 /* w */) {
      listener.message(decodePgoutput(chunk.subarray(25)), chunk.readBigUInt64BE(1));
    } else if (kind === 0x6b /* k */) {
      listener.keepalive(chunk.readBigUInt64BE(1));
      if (chunk[17] === 1) this.sendStatus(false);
    }
  }

  /** Moves the confirmed position forward (never back) and tells the server at once. */
  confirm(lsn: bigint): void {
    if (lsn <= this.confirmed) return;
    this.confirmed = lsn;
    this.sendStatus(false);
  }

  private sendStatus(replyRequested: boolean): void {
    if (!this.streaming) return;
    const buf = Buffer.alloc(34);
    buf[0] = 0x72; // r
    buf.writeBigUInt64BE(this.confirmed, 1); // written
    buf.writeBigUInt64BE(this.confirmed, 9); // flushed: the slot's confirmed_flush_lsn
    buf.writeBigUInt64BE(this.confirmed, 17); // applied
    buf.writeBigInt64BE(BigInt(Date.now()) * 1000n - PG_EPOCH_US, 25);
    buf[33] = replyRequested ? 1 : 0;
    try {
      internals(this.client).sendCopyFromChunk(buf);
    } catch {
      // the connection is going away; its end is reported through the listener
    }
  }

  /** Stops reading from the socket (the server then waits): back-pressure while the task's queue is full. */
  pause(): void {
    internals(this.client).stream.pause();
  }

  resume(): void {
    internals(this.client).stream.resume();
  }

  /** Stops the status timer; the owner closes the client. */
  close(): void {
    clearInterval(this.timer);
    this.streaming = false;
  }
}
