/**
 * TEMPORARY stand-in for TableEventFormat while ./event-format/ has stub bodies: the same API, with every column an
 * optional string (the real type mapping is the event format's). format-binding.ts picks it; deleted once the event
 * format's bodies are merged.
 */
import type { Schema } from '../../plugins/connect-data.js';
import type { ColumnText, EnvelopeOp, EventFormatOptions, PgTable, SourceInfo, TypeCatalog } from './event-format/index.js';
import { sequenceText } from './event-format/index.js';

const str = (field: string, optional = true): Schema & { field: string } => ({ type: 'string', optional, field });
const i64 = (field: string, optional = true): Schema & { field: string } => ({ type: 'int64', optional, field });

const SOURCE: Schema = {
  type: 'struct', optional: false, name: 'io.debezium.connector.postgresql.Source', version: 1,
  fields: [str('version', false), str('connector', false), str('name', false), i64('ts_ms', false), str('snapshot'), str('db', false), str('sequence'), i64('ts_us'), i64('ts_ns'), str('schema', false), str('table', false), i64('txId'), i64('lsn'), i64('xmin')],
};

export class ShimTableEventFormat {
  readonly topic: string;
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema;
  readonly rowSchema: Schema;
  private readonly included: boolean[];
  private readonly keyIdx: number[];

  constructor(private readonly table: PgTable, _catalog: TypeCatalog, private readonly options: EventFormatOptions) {
    this.topic = `${options.topicPrefix}.${table.schema}.${table.name}`;
    this.included = table.columns.map((c) => options.columnIncluded?.(table.schema, table.name, c.name) ?? true);
    this.keyIdx = table.keyColumns.map((k) => table.columns.findIndex((c) => c.name === k));
    this.keySchema = table.keyColumns.length === 0 ? null : { type: 'struct', optional: false, name: `${this.topic}.Key`, fields: table.keyColumns.map((k) => str(k, false)) };
    this.rowSchema = { type: 'struct', optional: true, name: `${this.topic}.Value`, fields: table.columns.filter((_, i) => this.included[i]).map((c) => str(c.name)) };
    this.valueSchema = {
      type: 'struct', optional: false, name: `${this.topic}.Envelope`, version: 2,
      fields: [{ ...this.rowSchema, field: 'before' }, { ...this.rowSchema, field: 'after' }, { ...SOURCE, field: 'source' }, str('op', false), i64('ts_ms'), i64('ts_us'), i64('ts_ns')],
    };
  }

  row(texts: readonly ColumnText[], old?: readonly ColumnText[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.table.columns.forEach((c, i) => {
      if (this.included[i]) out[c.name] = texts[i] === undefined ? (old?.[i] ?? this.options.unavailableValuePlaceholder) : texts[i];
    });
    return out;
  }

  key(texts: readonly ColumnText[]): Record<string, unknown> | null {
    if (this.keySchema === null) return null;
    const out: Record<string, unknown> = {};
    this.table.keyColumns.forEach((k, j) => (out[k] = texts[this.keyIdx[j]!]));
    return out;
  }

  keyOnlyRow(texts: readonly ColumnText[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.table.columns.forEach((c, i) => {
      if (this.included[i]) out[c.name] = this.table.keyColumns.includes(c.name) ? texts[i] : null;
    });
    return out;
  }

  envelope(op: EnvelopeOp, before: Record<string, unknown> | null, after: Record<string, unknown> | null, source: SourceInfo, processedNs: bigint): Record<string, unknown> {
    const ms = (us: bigint): number => Number(us / 1000n);
    return {
      before, after,
      source: {
        version: this.options.connectorVersion ?? 'pipectl', connector: 'postgresql', name: this.options.topicPrefix, ts_ms: ms(source.tsUs), snapshot: source.snapshot, db: source.db,
        sequence: source.sequence, ts_us: Number(source.tsUs), ts_ns: source.tsUs * 1000n, schema: source.schema, table: source.table, txId: source.txId,
        lsn: source.lsn === null ? null : Number(source.lsn), xmin: null,
      },
      op, ts_ms: Number(processedNs / 1_000_000n), ts_us: Number(processedNs / 1000n), ts_ns: processedNs,
    };
  }
}

export { sequenceText };
