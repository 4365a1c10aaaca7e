/**
 * The initial snapshot: every captured table read inside one REPEATABLE READ transaction that imports the slot's
 * exported snapshot (so it meets the stream exactly at the slot's consistent point), through a cursor
 * (snapshot.fetch.size rows a round trip: a table never sits whole in memory), as `r` records with Debezium's
 * source.snapshot markers: first, first_in_data_collection, true, last_in_data_collection, last. Every record's
 * offset says the snapshot is in progress; the last one's says it completed.
 */
import type pg from 'pg';
import { sequenceText } from './event-format/index.js';
import type { SourceRecord } from '../../plugins/connect-data.js';
import type { ColumnText, SourceInfo } from './event-format/index.js';
import type { TableCatalog, CapturedTable } from './table-catalog.js';
import { quoteIdent, quoteLiteral } from './pg-connect.js';
import { sourceInfo } from './change-records.js';
import { snapshotOffset } from './source-offset.js';
import type { TableName } from './database-setup.js';

export interface SnapshotOptions {
  /** The slot's exported snapshot; null reads a fresh snapshot (initial_only, which creates no slot). */
  snapshotName: string | null;
  /** The LSN the stream starts from: the offsets' position once the snapshot completes. */
  consistentPoint: bigint;
  fetchSize: number;
  partition: Record<string, unknown>;
  /** Hands over a batch of records; resolves when there is room for more. */
  emit(records: SourceRecord[]): Promise<void>;
  /** True once the task is stopping: the snapshot ends early (it is redone at the next start). */
  stopped(): boolean;
}

interface Pending {
  table: CapturedTable;
  row: ColumnText[];
  tsUs: bigint;
  firstInTable: boolean;
  lastInTable: boolean;
}

/** Reads every table; resolves with the number of records emitted (false when it stopped early). */
export async function runSnapshot(client: pg.Client, tables: TableName[], catalog: TableCatalog, options: SnapshotOptions): Promise<number | false> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    if (options.snapshotName !== null) await client.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(options.snapshotName)}`);
    const txId = Number((await client.query('SELECT txid_snapshot_xmin(txid_current_snapshot())::text AS x')).rows[0].x) >>> 0;
    let pending: Pending | null = null;
    let count = 0;
    let batch: SourceRecord[] = [];
    const build = (p: Pending, last: boolean): SourceRecord => {
      // As Debezium 3.6 writes them (seen in test/connectors/postgres/debezium-parity.test.ts): the first row of every
      // table, the first table's included, is first_in_data_collection (never `first`); a table's last row wins over its first.
      const marker: SourceInfo['snapshot'] = last ? 'last' : p.lastInTable ? 'last_in_data_collection' : p.firstInTable ? 'first_in_data_collection' : 'true';
      const fmt = p.table.format;
      const row = p.row;
      count += 1;
      return {
        topic: fmt.topic, keySchema: fmt.keySchema, key: fmt.key(row), valueSchema: fmt.valueSchema,
        value: fmt.envelope('r', null, fmt.row(row), sourceInfo(p.table, p.tsUs, marker, txId, options.consistentPoint, sequenceText(null, options.consistentPoint)), BigInt(Date.now()) * 1_000_000n),
        sourcePartition: options.partition, sourceOffset: snapshotOffset(options.consistentPoint, p.tsUs, txId, last),
      };
    };
    for (const t of tables) {
      const oid = Number((await client.query(`SELECT ${quoteLiteral(`${quoteIdent(t.schema)}.${quoteIdent(t.name)}`)}::regclass::oid::int AS oid`)).rows[0].oid);
      const table = await catalog.describe(client, oid, t.schema, t.name);
      if (table === null) continue;
      const tsUs = BigInt((await client.query("SELECT (extract(epoch FROM CURRENT_TIMESTAMP) * 1000000)::bigint::text AS us")).rows[0].us);
      const columns = table.columnNames.map(quoteIdent).join(', ');
      await client.query(`DECLARE pipectl_snapshot NO SCROLL CURSOR FOR SELECT ${columns} FROM ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`);
      let firstInTable = true;
      for (;;) {
        if (options.stopped()) return false;
        const res = await client.query({ text: `FETCH FORWARD ${options.fetchSize} FROM pipectl_snapshot`, rowMode: 'array' });
        for (const row of res.rows as ColumnText[][]) {
          if (pending !== null) batch.push(build(pending, false));
          pending = { table, row, tsUs, firstInTable, lastInTable: false };
          firstInTable = false;
        }
        if (batch.length > 0) {
          await options.emit(batch);
          batch = [];
        }
        if (res.rows.length < options.fetchSize) break;
      }
      await client.query('CLOSE pipectl_snapshot');
      if (pending !== null && pending.table === table) pending.lastInTable = true;
    }
    if (pending !== null) await options.emit([build(pending, true)]);
    await client.query('COMMIT');
    return count;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
