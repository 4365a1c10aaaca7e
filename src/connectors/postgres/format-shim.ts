/**
 * TEMPORARY stand-in for ./event-format/ (owned by the event-format work, not merged yet): the same API, with every
 * column written as an optional string. Deleted when the real module is merged.
 */
import type { Schema } from '../../plugins/connect-data.js';

export interface PgColumn { name: string; typeOid: number; typeMod: number; optional: boolean }
export interface PgTable { schema: string; name: string; columns: PgColumn[]; keyColumns: string[] }
export interface EventFormatOptions { topicPrefix: string; database: string; decimalHandlingMode?: string; timePrecisionMode?: string; binaryHandlingMode?: string }
export type SnapshotMarker = 'true' | 'first' | 'first_in_data_collection' | 'last_in_data_collection' | 'last' | 'false';
export interface SourceInfo { tsUs: bigint; snapshot: SnapshotMarker; txId: number | null; lsn: bigint | null; lastCommitLsn: bigint | null }
export type TextValue = string | null | undefined;

export const SESSION_SETTINGS: Readonly<Record<string, string>> = { DateStyle: 'ISO', TimeZone: 'UTC', extra_float_digits: '3', bytea_output: 'hex', IntervalStyle: 'postgres' };

export class TypeCatalog {
  static readonly SQL = 'SELECT oid::text, typname FROM pg_type';
  static fromRows(_rows: unknown[]): TypeCatalog {
    return new TypeCatalog();
  }
}

const opt = (): Schema => ({ type: 'string', optional: true });

export class TableEventFormat {
  readonly topic: string;
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema;
  private readonly rowSchema: Schema;
  private readonly keyIdx: number[];

  constructor(private readonly table: PgTable, _catalog: TypeCatalog, private readonly options: EventFormatOptions) {
    const base = `${options.topicPrefix}.${table.schema}.${table.name}`;
    this.topic = base;
    this.keyIdx = table.keyColumns.map((k) => table.columns.findIndex((c) => c.name === k));
    this.keySchema = table.keyColumns.length === 0 ? null : { type: 'struct', optional: false, name: `${base}.Key`, fields: table.keyColumns.map((k) => ({ ...opt(), optional: false, field: k })) };
    this.rowSchema = { type: 'struct', optional: true, name: `${base}.Value`, fields: table.columns.map((c) => ({ ...opt(), field: c.name })) };
    this.valueSchema = { type: 'struct', optional: false, name: `${base}.Envelope`, version: 2, fields: [{ ...this.rowSchema, field: 'before' }, { ...this.rowSchema, field: 'after' }, { type: 'struct', optional: false, field: 'source', fields: [{ type: 'string', optional: false, field: 'connector' }, { type: 'string', optional: false, field: 'name' }, { type: 'string', optional: false, field: 'db' }, { type: 'string', optional: false, field: 'schema' }, { type: 'string', optional: false, field: 'table' }, { type: 'string', optional: true, field: 'snapshot' }, { type: 'int64', optional: true, field: 'lsn' }, { type: 'int64', optional: true, field: 'txId' }, { type: 'int64', optional: false, field: 'ts_ms' }] }, { type: 'string', optional: false, field: 'op' }, { type: 'int64', optional: true, field: 'ts_ms' }] };
  }

  row(texts: readonly TextValue[], old?: readonly TextValue[] | null): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.table.columns.forEach((c, i) => (out[c.name] = texts[i] === undefined ? (old?.[i] ?? '__debezium_unavailable_value') : texts[i]));
    return out;
  }

  key(texts: readonly TextValue[]): Record<string, unknown> | null {
    if (this.keySchema === null) return null;
    const out: Record<string, unknown> = {};
    this.table.keyColumns.forEach((k, j) => (out[k] = texts[this.keyIdx[j]!]));
    return out;
  }

  keyOnlyRow(texts: readonly TextValue[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.table.columns.forEach((c, i) => (out[c.name] = this.table.keyColumns.includes(c.name) ? texts[i] : null));
    return out;
  }

  envelope(op: 'r' | 'c' | 'u' | 'd', before: Record<string, unknown> | null, after: Record<string, unknown> | null, source: SourceInfo, processedNs: bigint): Record<string, unknown> {
    return {
      before, after,
      source: { connector: 'postgresql', name: this.options.topicPrefix, db: this.options.database, schema: this.table.schema, table: this.table.name, snapshot: source.snapshot, lsn: source.lsn === null ? null : Number(source.lsn), txId: source.txId, ts_ms: Number(source.tsUs / 1000n) },
      op, ts_ms: Number(processedNs / 1_000_000n),
    };
  }
}
