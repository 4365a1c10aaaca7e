/**
 * Turns one captured change into its records, as Debezium does: `c`, `u`, `d` (+ tombstone), and a key-changing
 * update as `d` (header __debezium.newkey) + tombstone + `c` (header __debezium.oldkey). `before` follows what the
 * REPLICA IDENTITY made pgoutput send: the old row with FULL, the key columns only (others null) with DEFAULT on a
 * delete, null on an update that kept its key. Only the last record of a change carries the change's LSN as lsn_proc.
 */
import type { Header, SourceRecord } from '../../plugins/connect-data.js';
import { sequenceText } from './event-format/index.js';
import type { ColumnText, SourceInfo } from './event-format/index.js';
import type { CapturedTable } from './table-catalog.js';
import { changeOffset } from './source-offset.js';
import type { ChangePosition, Offset } from './source-offset.js';

type TextValue = ColumnText;

export type Change =
  | { kind: 'insert'; newRow: TextValue[] }
  | { kind: 'update'; newRow: TextValue[]; oldKey: TextValue[] | null; oldRow: TextValue[] | null }
  | { kind: 'delete'; oldKey: TextValue[] | null; oldRow: TextValue[] | null };

export interface ChangeContext {
  partition: Record<string, unknown>;
  tombstonesOnDelete: boolean;
  /** Of c, u, d. */
  skipped: ReadonlySet<string>;
  /** Position of this change; processedLsn is what the records before the last one carry. */
  position: ChangePosition;
  lastCommitLsn: bigint | null;
}

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

/** The source block's facts for one event of `table` (in a snapshot Debezium writes `sequence` as [null, consistent point]). */
export function sourceInfo(table: CapturedTable, tsUs: bigint, snapshot: SourceInfo['snapshot'], txId: number | null, lsn: bigint | null, sequence: string | null): SourceInfo {
  return { tsUs, snapshot, db: table.db, sequence, schema: table.schema, table: table.name, txId, lsn };
}

function sameKey(table: CapturedTable, a: readonly TextValue[], b: readonly TextValue[]): boolean {
  const keys = table.format.keySchema === null ? [] : (table.format.key(a) ?? {});
  const other = table.format.key(b) ?? {};
  return Object.entries(keys).every(([k, v]) => other[k] === v);
}

/** The records of one change (empty when its operation is skipped). */
export function changeRecords(table: CapturedTable, change: Change, ctx: ChangeContext): SourceRecord[] {
  const fmt = table.format;
  const pos = ctx.position;
  const source = sourceInfo(table, pos.tsUs, 'false', pos.txId, pos.lsn, sequenceText(ctx.lastCommitLsn, pos.lsn));
  const out: { key: unknown; value: unknown; headers?: Header[] }[] = [];

  if (change.kind === 'insert') {
    if (ctx.skipped.has('c')) return [];
    const row = change.newRow;
    out.push({ key: fmt.key(row), value: fmt.envelope('c', null, fmt.row(row), source, nowNs()) });
  } else if (change.kind === 'update') {
    const row = change.newRow;
    const oldRow = change.oldRow;
    const oldKeyRow = change.oldKey ?? oldRow;
    if (oldKeyRow !== null && fmt.keySchema !== null && !sameKey(table, oldKeyRow, row)) {
      // The key changed: a delete of the old key and a create of the new one, linked by headers.
      const oldKey = fmt.key(oldKeyRow);
      const newKey = fmt.key(row);
      const before = oldRow !== null ? fmt.row(oldRow) : fmt.keyOnlyRow(oldKeyRow);
      if (!ctx.skipped.has('d')) {
        const newKeyHeader: Header[] = [{ key: '__debezium.newkey', value: newKey, schema: fmt.keySchema }];
        out.push({ key: oldKey, value: fmt.envelope('d', before, null, source, nowNs()), headers: newKeyHeader });
        if (ctx.tombstonesOnDelete) out.push({ key: oldKey, value: null, headers: newKeyHeader }); // Debezium's tombstone carries it too
      }
      if (!ctx.skipped.has('c')) out.push({ key: newKey, value: fmt.envelope('c', null, fmt.row(row, oldRow ?? undefined), source, nowNs()), headers: [{ key: '__debezium.oldkey', value: oldKey, schema: fmt.keySchema }] });
    } else if (!ctx.skipped.has('u')) {
      out.push({ key: fmt.key(row), value: fmt.envelope('u', oldRow === null ? null : fmt.row(oldRow), fmt.row(row, oldRow ?? undefined), source, nowNs()) });
    }
  } else {
    if (ctx.skipped.has('d')) return [];
    const oldRow = change.oldRow;
    const oldKeyRow = change.oldKey ?? oldRow;
    if (oldKeyRow === null) return []; // REPLICA IDENTITY NOTHING: nothing identifies the row
    const key = fmt.key(oldKeyRow);
    out.push({ key, value: fmt.envelope('d', oldRow !== null ? fmt.row(oldRow) : fmt.keyOnlyRow(oldKeyRow), null, source, nowNs()) });
    if (ctx.tombstonesOnDelete) out.push({ key, value: null });
  }

  return out.map((r, i) => {
    // Only the last record says the change is completely processed.
    const offset: Offset = changeOffset(i === out.length - 1 ? { ...pos, processedLsn: pos.lsn } : pos);
    return {
      topic: fmt.topic,
      keySchema: fmt.keySchema,
      key: r.key,
      valueSchema: r.value === null ? null : fmt.valueSchema,
      value: r.value,
      sourcePartition: ctx.partition,
      sourceOffset: offset,
      ...(r.headers ? { headers: r.headers } : {}),
    };
  });
}
