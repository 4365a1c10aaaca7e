/**
 * The source offset of the Postgres source (partition {"server": <topic.prefix>}), with Debezium's key names, and
 * where a restarted task resumes from it.
 *
 * Only commit LSNs are ordered across transactions, so a position is (commit LSN of the transaction, last change LSN
 * completely processed in it):
 * - `lsn_commit` — the commit LSN of the transaction the record belongs to (BEGIN's final LSN); for a heartbeat or a
 *   completed snapshot, the LSN below which every transaction is done.
 * - `lsn_proc` — the last change LSN of that transaction whose records are all emitted (a key-changing update is three
 *   records at one LSN: only the last carries it). `lsn` — this record's change LSN.
 * - `messageType` — INSERT, UPDATE, DELETE for changes; HEARTBEAT; absent in snapshot offsets.
 * - `snapshot`, `last_snapshot_record`, `snapshot_completed` — while the initial snapshot runs.
 * The slot is confirmed at `lsn_commit` of the flushed offset: the server then re-sends that transaction (its commit is
 * not below the confirmed position) and the task skips the changes at or below `lsn_proc`.
 */
import { lsnFromOffset, lsnToOffset } from './lsn.js';
import { PgSourceError } from './pg-source-error.js';

export type Offset = Record<string, string | number | boolean | null>;

/** Where to resume: transactions committed below `commitLsn` are done; in the one at `commitLsn`, changes ≤ `processedLsn`. */
export interface ResumePoint {
  commitLsn: bigint;
  /** Null: nothing of the transaction at commitLsn was emitted. */
  processedLsn: bigint | null;
}

export interface StoredState {
  resume: ResumePoint | null;
  /** The offset shows a snapshot that started and did not complete: redo it. */
  snapshotIncomplete: boolean;
  /** The offset shows a completed snapshot or streaming. */
  hasPosition: boolean;
}

export const partitionFor = (topicPrefix: string): Record<string, unknown> => ({ server: topicPrefix });

/** Reads a stored offset. Throws PIPECTL_PG_OFFSET when an LSN in it is malformed. */
export function readStoredOffset(offset: Record<string, unknown> | null): StoredState {
  if (offset === null) return { resume: null, snapshotIncomplete: false, hasPosition: false };
  const lsn = (key: string): bigint | null => {
    if (offset[key] === undefined || offset[key] === null) return null;
    const v = lsnFromOffset(offset[key]);
    if (v === null) throw new PgSourceError('PIPECTL_PG_OFFSET', `The stored offset has ${key}=${JSON.stringify(String(offset[key]))}, not an LSN (a non-negative integer). Reset the connector's offsets to start again.`);
    return v;
  };
  const inSnapshot = offset['snapshot'] !== undefined && offset['snapshot'] !== null && offset['snapshot'] !== false;
  if (inSnapshot && offset['snapshot_completed'] !== true) return { resume: null, snapshotIncomplete: true, hasPosition: false };
  const commit = lsn('lsn_commit') ?? lsn('lsn_proc') ?? lsn('lsn');
  if (commit === null) return { resume: null, snapshotIncomplete: false, hasPosition: false };
  const isChange = ['INSERT', 'UPDATE', 'DELETE'].includes(String(offset['messageType']));
  return { resume: { commitLsn: commit, processedLsn: isChange ? lsn('lsn_proc') : null }, snapshotIncomplete: false, hasPosition: true };
}

/** The LSN to confirm to the slot for a flushed offset: its lsn_commit (else lsn_proc); null when it has none. */
export function confirmableLsn(offset: Record<string, unknown> | null): bigint | null {
  if (offset === null) return null;
  const state = (() => {
    try {
      return readStoredOffset(offset);
    } catch {
      return null;
    }
  })();
  return state?.resume?.commitLsn ?? null;
}

export interface ChangePosition {
  commitLsn: bigint;
  lsn: bigint;
  processedLsn: bigint | null;
  txId: number;
  tsUs: bigint;
  messageType: 'INSERT' | 'UPDATE' | 'DELETE';
}

export function changeOffset(p: ChangePosition): Offset {
  return {
    lsn: lsnToOffset(p.lsn),
    lsn_proc: p.processedLsn === null ? null : lsnToOffset(p.processedLsn),
    lsn_commit: lsnToOffset(p.commitLsn),
    txId: p.txId,
    ts_usec: Number(p.tsUs),
    messageType: p.messageType,
  };
}

/** A heartbeat's offset: every transaction committed below `doneBelow` is done. */
export function heartbeatOffset(doneBelow: bigint, tsUs: bigint): Offset {
  return { lsn: lsnToOffset(doneBelow), lsn_proc: lsnToOffset(doneBelow), lsn_commit: lsnToOffset(doneBelow), ts_usec: Number(tsUs), messageType: 'HEARTBEAT' };
}

/** A snapshot record's offset; the last record of the snapshot marks it completed. */
export function snapshotOffset(consistentPoint: bigint, tsUs: bigint, txId: number | null, last: boolean): Offset {
  return {
    lsn: lsnToOffset(consistentPoint),
    lsn_commit: lsnToOffset(consistentPoint),
    txId,
    ts_usec: Number(tsUs),
    snapshot: 'INITIAL',
    last_snapshot_record: last,
    snapshot_completed: last,
  };
}

/** Whether a change is already emitted per the resume point. */
export function alreadyEmitted(resume: ResumePoint | null, commitLsn: bigint, changeLsn: bigint): boolean {
  if (resume === null) return false;
  if (commitLsn < resume.commitLsn) return true;
  if (commitLsn > resume.commitLsn) return false;
  return resume.processedLsn !== null && changeLsn <= resume.processedLsn;
}
