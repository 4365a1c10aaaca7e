/**
 * What the sink knows of its target tables (columns and their types, read from pg_catalog once per table and again
 * after DDL) and the only DDL it runs: CREATE TABLE for auto.create, ADD COLUMN (nullable) for auto.evolve. DDL runs
 * outside the write transaction and tolerates another task having done the same (IF NOT EXISTS).
 */
import type pg from 'pg';
import { columnType } from './column-types.js';
import type { Column, RowOp, TableName } from './record-mapper.js';
import { quoteIdent } from './record-mapper.js';
import { PgSinkError } from './pg-sink-error.js';

export interface TableInfo {
  /** Column name → the type to cast its parameters to: format_type()'s, without a length that a cast would cut to. */
  columns: Map<string, string>;
  /**
   * The column sets (uniqueKeyOf's form) of the table's unique indexes that a plain INSERT checks row by row: valid,
   * immediate (not deferrable), on columns (no expressions), not partial. A COPY straight into the table fails on a
   * duplicate of one of these as `INSERT … ON CONFLICT` would find it.
   */
  uniqueKeys: Set<string>;
  /** Row-level security is on: COPY FROM is refused (0A000), INSERT is not. */
  rowSecurity: boolean;
}

/** A set of column names (as stored) in one comparable string: sorted, NUL-separated. */
export function uniqueKeyOf(names: readonly string[]): string {
  return [...names].sort().join('\u0000');
}

/**
 * A column name as Postgres stores it: identifiers are cut to 63 bytes (NAMEDATALEN - 1), on a character boundary, so a
 * field of 40 Cyrillic letters is a column of 31. Lookups of a field's column go through this.
 */
export function storedName(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length <= 63) return name;
  let end = 63;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // not inside a multi-byte character
  return bytes.subarray(0, end).toString('utf8');
}

/**
 * The type a parameter is cast to for a column of type `formatted` (format_type's text). An explicit cast to
 * varchar(n), char(n) or bit(n) silently cuts a longer value (and a bare `character` or `bit` means length 1), while
 * storing it into the column refuses it (22001, 22026), as COPY and the JDBC sinks' uncast parameters do: so those
 * types are cast without their length and the column's own assignment checks it. Other modifiers (numeric(p,s),
 * timestamp(p) …) round the same way either way.
 */
export function castTypeOf(formatted: string): string {
  return formatted
    .replace(/^character varying\(\d+\)/, 'character varying')
    .replace(/^character\(\d+\)/, 'bpchar')
    .replace(/^bit varying\(\d+\)/, 'bit varying')
    .replace(/^bit\(\d+\)/, 'varbit');
}

export class TableManager {
  private readonly cache = new Map<string, TableInfo>();

  constructor(private readonly options: { autoCreate: boolean; autoEvolve: boolean }) {}

  /** Forget what was read (after a reconnect, or an error that may come from a changed table). */
  clear(): void {
    this.cache.clear();
  }

  private async read(client: pg.Client, t: TableName): Promise<TableInfo | null> {
    let rows = await this.readColumns(client, t);
    if (rows.length === 0) {
      const exists = await client.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [t.qualified]);
      if (exists.rows[0]?.r === null || exists.rows[0]?.r === undefined) return null;
      // Another task's CREATE TABLE committed between the two statements: the first saw no table, this one does.
      // Read the columns again under a snapshot taken after that commit, or the table would look empty.
      rows = await this.readColumns(client, t);
    }
    const { uniqueKeys, rowSecurity } = await this.readConstraints(client, t);
    return { columns: new Map(rows.map((r) => [r.attname, castTypeOf(r.type)])), uniqueKeys, rowSecurity };
  }

  private async readConstraints(client: pg.Client, t: TableName): Promise<Pick<TableInfo, 'uniqueKeys' | 'rowSecurity'>> {
    // One row per key column of each unique index (the client gives every value as text): indkey's first indnkeyatts
    // entries are the key columns (an INCLUDE column does not make rows unique); attnum 0 is an expression.
    const indexes = await client.query<{ index: string; attnum: string; attname: string | null }>(
      `SELECT i.indexrelid::text AS index, k.attnum::text AS attnum, a.attname
         FROM pg_index i
         CROSS JOIN LATERAL unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) AS k(attnum)
         LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indimmediate AND i.indisvalid AND i.indpred IS NULL`,
      [t.qualified],
    );
    const columnsOf = new Map<string, string[] | null>(); // null: the index has an expression
    for (const r of indexes.rows) {
      const known = columnsOf.get(r.index);
      if (known === null) continue;
      if (r.attnum === '0' || r.attname === null) columnsOf.set(r.index, null);
      else columnsOf.set(r.index, [...(known ?? []), r.attname]);
    }
    const security = await client.query<{ rls: string | boolean | null }>('SELECT relrowsecurity AS rls FROM pg_class WHERE oid = to_regclass($1)', [t.qualified]);
    const rls = security.rows[0]?.rls;
    return {
      uniqueKeys: new Set([...columnsOf.values()].filter((c): c is string[] => c !== null).map(uniqueKeyOf)),
      rowSecurity: !(rls === false || rls === 'f'), // unknown counts as on: the staging way works either way
    };
  }

  private async readColumns(client: pg.Client, t: TableName): Promise<Array<{ attname: string; type: string }>> {
    const res = await client.query<{ attname: string; type: string }>(
      'SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum',
      [t.qualified],
    );
    return res.rows;
  }

  /**
   * The table of `op`, created or evolved as the settings allow so it has every column of the op's shape (null for a
   * delete from a table that does not exist). Throws
   * PIPECTL_PGSINK_SCHEMA when it cannot (missing table or columns with the DDL setting off, schemaless fields).
   */
  async ensure(client: pg.Client, op: RowOp): Promise<TableInfo | null> {
    const t = op.table;
    let info = this.cache.get(t.qualified) ?? (await this.read(client, t));
    const columns = [...op.keyColumns, ...op.valueColumns];
    if (!info && op.kind === 'delete') return null; // nothing to delete from
    if (!info) {
      if (!this.options.autoCreate) throw new PgSinkError('PIPECTL_PGSINK_SCHEMA', `Table ${t.qualified} is missing and auto.create is disabled (create it, or set auto.create=true)`);
      await this.create(client, op);
      info = await this.read(client, t);
      if (!info) throw new PgSinkError('PIPECTL_PGSINK_SCHEMA', `Table ${t.qualified} was created but cannot be read back`);
    }
    const missing = columns.filter((c) => !info!.columns.has(storedName(c.name)));
    if (missing.length > 0) {
      if (!this.options.autoEvolve) throw new PgSinkError('PIPECTL_PGSINK_SCHEMA', `Table ${t.qualified} is missing fields (${missing.map((c) => c.name).join(', ')}) and auto.evolve is disabled (add the columns, or set auto.evolve=true)`);
      for (const c of missing) {
        await client.query(`ALTER TABLE ${t.qualified} ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} ${typeOf(c, t)}`);
      }
      info = await this.read(client, t);
      if (!info) throw new PgSinkError('PIPECTL_PGSINK_SCHEMA', `Table ${t.qualified} disappeared while it was altered`);
    }
    this.cache.set(t.qualified, info);
    return info;
  }

  private async create(client: pg.Client, op: RowOp): Promise<void> {
    const t = op.table;
    const defs = [...op.keyColumns.map((c) => `${quoteIdent(c.name)} ${typeOf(c, t)} NOT NULL`), ...op.valueColumns.map((c) => `${quoteIdent(c.name)} ${typeOf(c, t)}${c.schema && c.schema.optional !== true ? ' NOT NULL' : ''}`)];
    if (op.keyColumns.length > 0) defs.push(`PRIMARY KEY (${op.keyColumns.map((c) => quoteIdent(c.name)).join(', ')})`);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS ${t.qualified} (${defs.join(', ')})`);
    } catch (e) {
      // Two tasks creating the same table at once: the loser sees a duplicate in pg_type; the table is there.
      if (!['23505', '42P07', '42710'].includes((e as { code?: string }).code ?? '')) throw e;
    }
  }
}

function typeOf(c: Column, t: TableName): string {
  if (!c.schema) throw new PgSinkError('PIPECTL_PGSINK_SCHEMA', `Column ${c.name} of ${t.qualified} comes from a schemaless record, so its type is unknown: create the table or column yourself, or use a converter with schemas`);
  return columnType(c.schema);
}
