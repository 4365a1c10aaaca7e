/**
 * Describes captured tables for the event format from the catalog: columns (name, type, typmod, nullability, in
 * attnum order as pgoutput sends them: no dropped or generated columns), the key (primary key, else the first unique
 * index without expressions or predicate, as Debezium); the event format applies the column filter. Cached by
 * relation OID; a Relation message replaces the entry (the table changed). The type catalog is read once, and again
 * when a column has a type it does not know (created after start).
 */
import type pg from 'pg';
import { TableEventFormat, TypeCatalog } from './event-format/index.js';
import type { EventFormatOptions, PgColumn, PgTable } from './event-format/index.js';
import type { RelationColumn } from './pgoutput-decoder.js';
import type { CaptureFilter } from './capture-filter.js';

/** A captured table ready to format. */
export interface CapturedTable {
  oid: number;
  /** The database (source.db). */
  db: string;
  schema: string;
  name: string;
  /** Every column of the incoming tuple (a Relation message's, or the catalog's for a snapshot), in order. */
  columnNames: string[];
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
    private readonly database: string,
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
    const readTypes = async (): Promise<TypeCatalog> => TypeCatalog.fromRows((await client.query(TypeCatalog.SQL)).rows);
    this.types ??= await readTypes();
    const catalog = (await client.query(COLUMNS_SQL(oid))).rows as { name: string; type: string; typmod: string; notnull: string }[];
    const notNull = new Map(catalog.map((c) => [c.name, c.notnull === 'true']));
    const columns = incoming ?? catalog.map((c) => ({ name: c.name, isKey: false, typeOid: Number(c.type), typeMod: Number(c.typmod) }));
    const keyRows = (await client.query(KEY_SQL(oid))).rows as { idx: string; name: string }[];
    const keyColumns = keyRows.filter((r) => r.idx === keyRows[0]?.idx).map((r) => r.name);
    const pgColumns: PgColumn[] = columns.map((c) => ({ name: c.name, typeOid: c.typeOid, typeMod: c.typeMod, optional: !(notNull.get(c.name) ?? false) }));
    if (pgColumns.some((c) => !this.types!.has(c.typeOid))) this.types = await readTypes();
    const table: PgTable = { schema, name, columns: pgColumns, keyColumns };
    const captured: CapturedTable = { oid, db: this.database, schema, name, columnNames: columns.map((c) => c.name), format: new TableEventFormat(table, this.types, this.options) };
    this.byOid.set(oid, captured);
    return captured;
  }
}
