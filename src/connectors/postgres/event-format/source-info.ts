/**
 * Debezium's `source` block (io.debezium.connector.postgresql.Source, version 1): its schema, field for field in
 * Debezium's order, and its value built from what the connector knows of an event (SourceInfo).
 */
import type { Schema } from '../../../plugins/connect-data.js';

/** What the connector knows of one event. */
export interface SourceInfo {
  /** Commit time in µs since the epoch (streaming: the BEGIN's commit time; snapshot: read once per table). */
  tsUs: bigint;
  snapshot: 'true' | 'first' | 'first_in_data_collection' | 'last_in_data_collection' | 'last' | 'false';
  /** The database name. */
  db: string;
  /** `["<last commit LSN>","<this LSN>"]` as Debezium writes it (see sequenceText), or null. */
  sequence: string | null;
  schema: string;
  table: string;
  /** The transaction's xid (unsigned 32-bit, no epoch), or null. */
  txId: number | null;
  /** The change's WAL position (XLogData start), or null. */
  lsn: bigint | null;
}

/** The source schema, in Debezium's field order. */
export const SOURCE_SCHEMA: Schema = { type: 'struct', optional: false, name: 'io.debezium.connector.postgresql.Source', version: 1, fields: [] };

/** The `source` struct of one event; `name` is topic.prefix, `version` the connector's version string. */
export function sourceStruct(_info: SourceInfo, _name: string, _version: string): Record<string, unknown> {
  return {};
}

/** Debezium's `sequence` text: a JSON array of two decimal LSN strings, either may be null. */
export function sequenceText(lastCommitLsn: bigint | null, lsn: bigint | null): string {
  const item = (v: bigint | null): string => (v === null ? 'null' : `"${v}"`);
  return `[${item(lastCommitLsn)},${item(lsn)}]`;
}
