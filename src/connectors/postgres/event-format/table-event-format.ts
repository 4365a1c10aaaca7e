/**
 * One captured table's change events as Debezium 3.x writes them: topic `<prefix>.<schema>.<table>`, key struct
 * `…Key` (the key columns), row struct `…Value` (every mapped column, in table order) and the `…Envelope` (version 2)
 * with before, after, source, transaction, op and the processing time in ms, µs and ns.
 */
import type { Schema } from '../../../plugins/connect-data.js';
import { int64, mapColumnType } from './column-mapping.js';
import type { ColumnMapping, MappingOptions } from './column-mapping.js';
import { SOURCE_SCHEMA, sourceStruct, TRANSACTION_SCHEMA } from './source-block.js';
import type { TypeCatalog } from './type-catalog.js';
import { EVENT_FORMAT_DEFAULTS } from './types.js';
import type { EventFormatOptions, PgTable, SourceInfo, TextValue } from './types.js';

export type EnvelopeOp = 'r' | 'c' | 'u' | 'd';


interface MappedColumn {
  name: string;
  /** Its place in the texts a row arrives as (every column of the table, in order). */
  index: number;
  optional: boolean;
  mapping: ColumnMapping;
}

export class TableEventFormat {
  readonly topic: string;
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema;
  /** The row struct (`…Value`) of `before` and `after`. */
  readonly rowSchema: Schema;
  private readonly columns: MappedColumn[];
  private readonly keyColumns: MappedColumn[];
  private readonly placeholder: string;

  constructor(private readonly table: PgTable, catalog: TypeCatalog, private readonly options: EventFormatOptions) {
    const mappingOptions: MappingOptions = { ...options, moneyFractionDigits: options.moneyFractionDigits ?? EVENT_FORMAT_DEFAULTS.moneyFractionDigits! };
    this.placeholder = options.unavailableValuePlaceholder;
    this.columns = [];
    const included = options.columnIncluded ?? (() => true);
    table.columns.forEach((c, index) => {
      // Key columns are always kept in the key (as Debezium does), whatever the column lists say.
      if (!included(table.schema, table.name, c.name) && !table.keyColumns.includes(c.name)) return;
      const mapping = mapColumnType(c.typeOid, c.typeMod, catalog, mappingOptions);
      if (mapping) this.columns.push({ name: c.name, index, optional: c.optional, mapping });
    });
    const base = `${options.topicPrefix}.${table.schema}.${table.name}`;
    this.topic = base;
    const field = (c: MappedColumn, optional: boolean): Schema & { field: string } => ({ ...c.mapping.schema, optional, field: c.name });
    this.keyColumns = table.keyColumns.map((k) => this.columns.find((c) => c.name === k)).filter((c): c is MappedColumn => c !== undefined);
    this.keySchema = this.keyColumns.length === 0 ? null : { type: 'struct', optional: false, name: `${base}.Key`, fields: this.keyColumns.map((c) => field(c, false)) };
    const row: Schema = { type: 'struct', optional: true, name: `${base}.Value`, fields: this.columns.map((c) => field(c, c.optional)) };
    this.rowSchema = row;
    this.valueSchema = {
      type: 'struct',
      optional: false,
      name: `${base}.Envelope`,
      version: 2,
      fields: [
        { ...row, field: 'before' },
        { ...row, field: 'after' },
        { ...SOURCE_SCHEMA, field: 'source' },
        { ...TRANSACTION_SCHEMA, field: 'transaction' },
        { type: 'string', optional: false, field: 'op' },
        { type: 'int64', optional: true, field: 'ts_ms' },
        { type: 'int64', optional: true, field: 'ts_us' },
        { type: 'int64', optional: true, field: 'ts_ns' },
      ],
    };
  }

  private value(c: MappedColumn, text: TextValue, old: readonly TextValue[] | null | undefined): unknown {
    if (text === null) return null;
    if (text === undefined) {
      // Unchanged TOAST: the old value when the old row has it (REPLICA IDENTITY FULL), else the placeholder.
      const previous = old?.[c.index];
      if (previous !== undefined && previous !== null) return c.mapping.convert(previous);
      if (previous === null) return null;
      return c.mapping.placeholder(this.placeholderText());
    }
    return c.mapping.convert(text);
  }

  /** The placeholder as text; a `hex:` placeholder stands for bytes, whose text form is used for string columns too. */
  private placeholderText(): string {
    return this.placeholder.startsWith('hex:') ? Buffer.from(this.placeholder.slice(4), 'hex').toString('latin1') : this.placeholder;
  }

  /** A row struct from its texts (one per table column, in table order); `old` fills unchanged TOASTed values. */
  row(texts: readonly TextValue[], old?: readonly TextValue[] | null): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const c of this.columns) out[c.name] = this.value(c, texts[c.index], old);
    return out;
  }

  /** The key struct of a row, or null for a table without key columns. */
  key(texts: readonly TextValue[]): Record<string, unknown> | null {
    if (this.keySchema === null) return null;
    const out: Record<string, unknown> = {};
    for (const c of this.keyColumns) out[c.name] = this.value(c, texts[c.index], null);
    return out;
  }

  /** The `before` of a delete under REPLICA IDENTITY DEFAULT: key columns set, the others null or their type's zero. */
  keyOnlyRow(texts: readonly TextValue[]): Record<string, unknown> {
    const keys = new Set(this.keyColumns.map((c) => c.name));
    const out: Record<string, unknown> = {};
    for (const c of this.columns) {
      const t = texts[c.index];
      out[c.name] = keys.has(c.name) && t !== undefined && t !== null ? c.mapping.convert(t) : c.optional ? null : c.mapping.zero;
    }
    return out;
  }

  envelope(op: EnvelopeOp, before: Record<string, unknown> | null, after: Record<string, unknown> | null, source: SourceInfo, processedNs: bigint): Record<string, unknown> {
    return {
      before,
      after,
      source: sourceStruct(source, this.options.topicPrefix, this.options.connectorVersion),
      transaction: null,
      op,
      ts_ms: int64(processedNs / 1_000_000n),
      ts_us: int64(processedNs / 1000n),
      ts_ns: processedNs,
    };
  }
}
