/**
 * Debezium's `source` block (io.debezium.connector.postgresql.Source) and the `transaction` block (event.block): their
 * schemas, field for field in Debezium's order, and the source value of one event.
 */
import { BUNDLED_PLUGIN_VERSION } from '../../../plugins/bundled-version.js';
import type { Schema } from '../../../plugins/connect-data.js';
import { int64 } from './column-mapping.js';
import type { SourceInfo } from './types.js';

type Field = Schema & { field: string };
const f = (field: string, type: Schema['type'], optional: boolean, extra: Partial<Schema> = {}): Field => ({ type, optional, ...extra, field });

export const SNAPSHOT_ALLOWED = 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental';

export const SOURCE_SCHEMA: Schema = {
  type: 'struct',
  optional: false,
  name: 'io.debezium.connector.postgresql.Source',
  version: 1,
  fields: [
    f('version', 'string', false),
    f('connector', 'string', false),
    f('name', 'string', false),
    f('ts_ms', 'int64', false),
    f('snapshot', 'string', true, { name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: SNAPSHOT_ALLOWED }, default: 'false' }),
    f('db', 'string', false),
    f('sequence', 'string', true),
    f('ts_us', 'int64', true),
    f('ts_ns', 'int64', true),
    f('schema', 'string', false),
    f('table', 'string', false),
    f('txId', 'int64', true),
    f('lsn', 'int64', true),
    f('xmin', 'int64', true),
    f('origin', 'string', true),
    f('origin_lsn', 'int64', true),
  ],
};

export const TRANSACTION_SCHEMA: Schema = {
  type: 'struct',
  optional: true,
  name: 'event.block',
  version: 1,
  fields: [f('id', 'string', false), f('total_order', 'int64', false), f('data_collection_order', 'int64', false)],
};

/** Debezium's `sequence` text: a JSON array of two decimal LSN strings, either may be null. */
export function sequenceText(lastCommitLsn: bigint | null, lsn: bigint | null): string {
  return JSON.stringify([lastCommitLsn === null ? null : String(lastCommitLsn), lsn === null ? null : String(lsn)]);
}

/** The source value of one event; `version` is pipectl's unless the options name another. */
export function sourceStruct(info: SourceInfo, topicPrefix: string, version: string = BUNDLED_PLUGIN_VERSION): Record<string, unknown> {
  return {
    version,
    connector: 'postgresql',
    name: topicPrefix,
    ts_ms: int64(info.tsUs / 1000n),
    snapshot: info.snapshot,
    db: info.db,
    sequence: info.sequence,
    ts_us: int64(info.tsUs),
    ts_ns: info.tsUs * 1000n,
    schema: info.schema,
    table: info.table,
    txId: info.txId,
    lsn: info.lsn === null ? null : int64(info.lsn),
    xmin: null,
    origin: null,
    origin_lsn: null,
  };
}
