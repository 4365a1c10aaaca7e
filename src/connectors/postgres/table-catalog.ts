/**
 * Describes captured tables for the event format from the catalog: columns (name, type, typmod, nullability, in
 * attnum order as pgoutput sends them: no dropped or generated columns), the key (primary key, else the first unique
 * index without expressions or predicate, as Debezium), and the column filter applied. Cached by relation OID; a
 * Relation message replaces the entry (the table changed).
 */
import type pg from 'pg';
import { TableEventFormat, TypeCatalog } from './format-shim.js';
import type { EventFormatOptions, PgColumn, PgTable } from './format-shim.js';
import type { RelationColumn } from './pgoutput-decoder.js';
import type { CaptureFilter } from './capture-filter.js';

/** A captured table ready to format: which incoming columns are kept (by position) and its event format. */
export interface CapturedTable {
  oid: number;
  schema: string;
  name: string;
  /** Every column of the incoming tuple (a Relation message's, or the catalog's for a snapshot), in order. */
  columnNames: string[];
  /** Positions, in the incoming tuple, of the columns written. */
  kept: number[];
  format: TableEventFormat;
}

const COLUMNS_SQL = (oid: number): string =>
  'SELECT a.attname AS name, a.atttypid::int AS type, a.atttypmod AS typmod, a.attnotnull::text AS notnull FROM pg_attribute a ' +
  `WHERE a.attrelid = ${oid} AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum`;

const KEY_SQL = (oid: number): string =>
  'SELECT i.indexrelid::text AS idx, a.attname AS name FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ' +
  'JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ' +
  `WHERE i.indrelid = ${oid} AND (i.indisprimary OR i.indisunique) AND i.indexprs IS NULL AND i.indpred IS NULL AND i.indisvalid ` +
  'ORDER BY i.indisprimary DESC, i.indexrelid, k.ord';

export class TableCatalog {
  private readonly byOid = new Map<number, CapturedTable | null>();
  private types: TypeCatalog | null = null;

  constructor(
    private readonly filter: CaptureFilter,
    private readonly options: EventFormatOptions,
  ) {}

  /** The cached table of a relation OID: undefined when unknown, null when not captured. */
  get(oid: number): CapturedTable | null | undefined {
    return this.byOid.get(oid);
  }

  /** Forgets what is cached (after a reconnect the server sends Relation messages again). */
  clear(): void {
    this.byOid.clear();
  }

  /** (Re)reads a table by OID; `incoming` are the columns of a Relation message (else the catalog's). */
  async describe(client: pg.Client, oid: number, schema: string, name: string, incoming?: RelationColumn[]): Promise<CapturedTable | null> {
    if (!this.filter.table(schema, name)) {
      this.byOid.set(oid, null);
      return null;
    }
    this.types ??= TypeCatalog.fromRows((await client.query(TypeCatalog.SQL)).rows);
    const catalog = (await client.query(COLUMNS_SQL(oid))).rows as { name: string; type: string; typmod: string; notnull: string }[];
    const notNull = new Map(catalog.map((c) => [c.name, c.notnull === 'true']));
    const columns = incoming ?? catalog.map((c) => ({ name: c.name, isKey: false, typeOid: Number(c.type), typeMod: Number(c.typmod) }));
    const keyRows = (await client.query(KEY_SQL(oid))).rows as { idx: string; name: string }[];
    const keyColumns = keyRows.filter((r) => r.idx === keyRows[0]?.idx).map((r) => r.name);
    const kept: number[] = [];
    const pgColumns: PgColumn[] = [];
    columns.forEach((c, i) => {
      if (!keyColumns.includes(c.name) && !this.filter.column(schema, name, c.name)) return;
      kept.push(i);
      pgColumns.push({ name: c.name, typeOid: c.typeOid, typeMod: c.typeMod, optional: !(notNull.get(c.name) ?? false) });
    });
    const table: PgTable = { schema, name, columns: pgColumns, keyColumns };
    const captured: CapturedTable = { oid, schema, name, columnNames: columns.map((c) => c.name), kept, format: new TableEventFormat(table, this.types, this.options) };
    this.byOid.set(oid, captured);
    return captured;
  }
}

/** The kept columns of a tuple, in the table's order; null stays null. */
export function project<T>(values: readonly T[] | null, kept: readonly number[]): T[] | null {
  if (values === null) return null;
  return kept.map((i) => values[i] as T);
}
