/**
 * The Debezium change events of one table: topic, key and value schemas, and the key, row and envelope values built
 * from pgoutput text values. Pure: built once per Relation message, then called for every change.
 */
import type { Schema } from '../../../plugins/connect-data.js';
import type { ColumnText, EventFormatOptions, PgTable } from './pg-table.js';
import type { SourceInfo } from './source-info.js';
import type { TypeCatalog } from './type-catalog.js';

/** Debezium's op codes: snapshot read, create, update, delete, truncate. */
export type EnvelopeOp = 'r' | 'c' | 'u' | 'd' | 't';

export class TableEventFormat {
  /** `<prefix>.<schema>.<table>` */
  readonly topic: string;
  /** `<prefix>.<schema>.<table>.Key`, or null when the table has no key columns. */
  readonly keySchema: Schema | null;
  /** `<prefix>.<schema>.<table>.Envelope`, version 2. */
  readonly valueSchema: Schema;
  /** `<prefix>.<schema>.<table>.Value` (optional): the schema of `before` and `after`. */
  readonly rowSchema: Schema;

  constructor(table: PgTable, _catalog: TypeCatalog, options: EventFormatOptions) {
    this.topic = `${options.topicPrefix}.${table.schema}.${table.name}`;
    this.keySchema = null;
    this.rowSchema = { type: 'struct', optional: true, name: `${this.topic}.Value`, fields: [] };
    this.valueSchema = { type: 'struct', optional: false, name: `${this.topic}.Envelope`, version: 2, fields: [] };
  }

  /**
   * The row struct (`before`/`after`) of one tuple. `texts` has one entry per table column, in table.columns order:
   * text form, null (SQL NULL) or undefined (unchanged TOAST: taken from `old` when it has the value, else the
   * placeholder). Throws a PluginError (PIPECTL_PLUGIN_FAILED) for a text that its type cannot parse.
   */
  row(_texts: readonly ColumnText[], _old?: readonly ColumnText[]): Record<string, unknown> {
    return {};
  }

  /** The key struct (texts as in row()), or null when the table has no key columns. */
  key(_texts: readonly ColumnText[]): Record<string, unknown> | null {
    return null;
  }

  /**
   * The `before` of a delete (or key change) under REPLICA IDENTITY DEFAULT: texts as in row() (pgoutput's `K`
   * tuple has every column, null outside the key); key columns set, others null, or the zero value when NOT NULL.
   */
  keyOnlyRow(_texts: readonly ColumnText[]): Record<string, unknown> {
    return {};
  }

  /** The envelope value; `processedNs` is when the connector processed the event (ts_ms/ts_us/ts_ns). */
  envelope(_op: EnvelopeOp, _before: Record<string, unknown> | null, _after: Record<string, unknown> | null, _source: SourceInfo, _processedNs: bigint): Record<string, unknown> {
    return {};
  }
}
