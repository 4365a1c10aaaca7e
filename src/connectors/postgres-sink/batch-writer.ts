/**
 * Writes one chunk of row operations in ONE transaction: the tables are made ready first (auto.create/auto.evolve,
 * outside it), then the plan's steps run as multi-row statements — parameterised `INSERT … VALUES … ON CONFLICT`, or
 * the `copy` path (chosen by size; see the README's measurements): in insert mode COPY straight into the table (a
 * duplicate key fails the chunk as the INSERT would), in upsert mode first a try of the same (direct-copy.ts: new keys
 * only, rolled back at the first existing key), else COPY into a staging table then `INSERT … SELECT … ON CONFLICT`.
 * The staging table is made once per connection and row shape and empties itself at each commit (`ON COMMIT DELETE
 * ROWS`): creating and dropping one per chunk cost a catalog write each time. A chunk that is COPYs only (the common
 * case once the staging table exists) goes as ONE script, in one round trip (copyScript). When a chunk fails for a
 * reason that is the data's, writeEach() redoes it record by record in order, each under a savepoint, to find the
 * records the database refuses.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { copyIn, copyLine, copyScript } from './copy-in.js';
import { DirectCopyPolicy } from './direct-copy.js';
import type { Column, RowOp } from './record-mapper.js';
import { quoteIdent } from './record-mapper.js';
import type { InsertMode } from './sink-settings.js';
import { storedName } from './table-manager.js';
import type { TableInfo, TableManager } from './table-manager.js';
import { PgSinkError } from './pg-sink-error.js';
import { planWrites } from './write-plan.js';
import type { Step } from './write-plan.js';

/** unique_violation: a COPY straight into the table met an existing key. */
const UNIQUE_VIOLATION = '23505';
/**
 * exclusion_violation: met before the key's 23505 when an exclusion constraint's index is checked first (indexes are
 * checked in the order they were made); the staging way decides whether the row really violates it.
 */
const EXCLUSION_VIOLATION = '23P01';
/** feature_not_supported: COPY FROM into a table under row-level security (or the guard meeting a rule). */
const FEATURE_NOT_SUPPORTED = '0A000';

/** Most bind parameters in one statement (Postgres's limit is 65535). */
const MAX_PARAMS = 60_000;

export type WritePath = 'values' | 'copy' | 'auto';

/** With `auto`, a write step of at least this many rows goes through COPY. */
export const COPY_THRESHOLD_ROWS = 64;

export class BatchWriter {
  private staging = 0;
  private readonly stagePrefix = randomBytes(6).toString('hex');
  /** Per connection: the staging table of each row shape, once its creation has committed. */
  private readonly stages = new WeakMap<pg.Client, Map<string, string>>();
  /** Staging tables created in the open transaction: known only if it commits. */
  private creating: { client: pg.Client; shape: string; name: string }[] = [];
  private readonly direct = new DirectCopyPolicy();

  constructor(
    private readonly tables: TableManager,
    private readonly mode: InsertMode,
    private readonly path: WritePath = 'auto',
  ) {}

  /** Tables ready for every op (DDL, autocommitted); the TableInfo of each table, null for a table a delete misses. */
  private async prepare(client: pg.Client, ops: readonly RowOp[]): Promise<Map<string, TableInfo | null>> {
    const infos = new Map<string, TableInfo | null>();
    const seen = new Set<string>();
    for (const op of ops) {
      if (seen.has(op.shape)) continue;
      seen.add(op.shape);
      const info = await this.tables.ensure(client, op);
      if (info || !infos.has(op.table.qualified)) infos.set(op.table.qualified, info);
    }
    return infos;
  }

  /** All of `ops` in one transaction; rejects with the database's error after a rollback. */
  async write(client: pg.Client, ops: readonly RowOp[]): Promise<void> {
    const infos = await this.prepare(client, ops);
    const steps = planWrites(ops, this.mode);
    if (await this.writeDirect(client, steps, infos)) return;
    const script = this.script(client, steps, infos);
    if (script) {
      try {
        await copyScript(client, script.sql, script.copies);
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      }
      return;
    }
    await client.query('BEGIN');
    try {
      for (const step of steps) await this.run(client, step, infos.get(step.ops[0]!.table.qualified) ?? null);
      await client.query('COMMIT');
      this.settleStages(true);
    } catch (e) {
      this.settleStages(false);
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    }
  }

  /**
   * An upsert chunk as COPYs straight into its tables (direct-copy.ts), when the policy allows: true once committed;
   * false when it was not tried, or when a key already existed (rolled back: the caller writes the chunk the staging
   * way). Any other error rejects after a rollback.
   *
   * Before each COPY, the staging way's own statement on no rows (`INSERT … SELECT … FROM <table> WHERE false ON
   * CONFLICT …`): Postgres then checks now what that way would — a unique index matching the key (42P10 when the
   * cached one is gone: COPY would add a second row per key, silently), INSERT and UPDATE rules (COPY skips rules),
   * GENERATED ALWAYS columns (COPY writes them), the UPDATE privilege — and holds the table's lock until COMMIT, so
   * its indexes cannot change before the COPY. It costs no round trip.
   */
  private async writeDirect(client: pg.Client, steps: readonly Step[], infos: Map<string, TableInfo | null>): Promise<boolean> {
    if (this.mode !== 'upsert' || steps.length === 0) return false;
    const tables = new Set<string>();
    for (const step of steps) {
      const first = step.ops[0]!;
      const info = infos.get(first.table.qualified);
      if (step.kind === 'delete' || !info || !this.usesCopy(step) || !DirectCopyPolicy.conflictsSurface(first, info)) return false;
      tables.add(first.table.qualified);
    }
    let allowed = true;
    for (const table of tables) allowed = this.direct.shouldTry(table) && allowed; // every table counts its chunk
    if (!allowed) return false;
    const statements = ['BEGIN'];
    const copies: string[][] = [];
    for (const step of steps) {
      const first = step.ops[0]!;
      const list = columnList(first);
      statements.push(`INSERT INTO ${first.table.qualified} (${list}) SELECT ${list} FROM ${first.table.qualified} WHERE false${this.conflict(first)}`);
      statements.push(`COPY ${first.table.qualified} (${list}) FROM STDIN`);
      copies.push(step.ops.map(rowLine));
    }
    statements.push('COMMIT');
    try {
      await copyScript(client, statements.join('; '), copies);
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      const code = (e as { code?: string }).code;
      if (code === FEATURE_NOT_SUPPORTED) {
        // Row-level security turned on since the table was read (COPY FROM is refused there; INSERT is not): read it
        // again, and write this chunk the staging way (which fails the same way if this was a rule).
        this.tables.clear();
        return false;
      }
      if (code !== UNIQUE_VIOLATION && code !== EXCLUSION_VIOLATION) throw e;
      for (const table of tables) this.direct.failed(table);
      return false;
    }
    for (const table of tables) this.direct.succeeded(table);
    return true;
  }

  /**
   * The whole transaction as one script for copyScript (one round trip), when every step can go that way: rows to
   * write (no deletes, not update mode), enough of them for COPY, and in upsert mode a staging table this connection
   * already has; null otherwise (the statements then run one by one).
   */
  private script(client: pg.Client, steps: readonly Step[], infos: Map<string, TableInfo | null>): { sql: string; copies: string[][] } | null {
    if (this.mode === 'update') return null;
    for (const step of steps) {
      const first = step.ops[0]!;
      if (step.kind === 'delete' || !infos.get(first.table.qualified) || !this.usesCopy(step)) return null;
      if (this.conflict(first) !== '' && !this.stages.get(client)?.has(first.shape)) return null;
    }
    const statements = ['BEGIN'];
    const copies: string[][] = [];
    for (const step of steps) {
      const first = step.ops[0]!;
      const list = columnList(first);
      const conflict = this.conflict(first);
      if (conflict === '') {
        statements.push(`COPY ${first.table.qualified} (${list}) FROM STDIN`);
      } else {
        const stage = this.stages.get(client)!.get(first.shape)!;
        statements.push(`COPY ${stage} (${list}) FROM STDIN`, `INSERT INTO ${first.table.qualified} (${list}) SELECT ${list} FROM ${stage}${conflict}`);
      }
      copies.push(step.ops.map(rowLine));
    }
    statements.push('COMMIT');
    return { sql: statements.join('; '), copies };
  }

  private usesCopy(step: Step): boolean {
    return this.path === 'copy' || (this.path === 'auto' && step.ops.length >= COPY_THRESHOLD_ROWS);
  }

  /** After a COMMIT the staging tables created in it exist; after a ROLLBACK they do not. */
  private settleStages(committed: boolean): void {
    if (committed) {
      for (const { client, shape, name } of this.creating) {
        let byShape = this.stages.get(client);
        if (!byShape) this.stages.set(client, (byShape = new Map()));
        byShape.set(shape, name);
      }
    }
    this.creating = [];
  }

  /**
   * `ops` one by one in their order, each under a savepoint, in one transaction: returns the ops whose statement
   * failed with an error `isRecordError` accepts (the others are committed); any other error rolls back and rejects.
   */
  async writeEach(client: pg.Client, ops: readonly RowOp[], isRecordError: (e: unknown) => boolean): Promise<{ op: RowOp; error: Error }[]> {
    const infos = await this.prepare(client, ops);
    const failed: { op: RowOp; error: Error }[] = [];
    await client.query('BEGIN');
    try {
      for (const op of ops) {
        await client.query('SAVEPOINT pipectl_record');
        try {
          // Never COPY here: a staging table keeps its rows until COMMIT, so the next record's INSERT … SELECT would
          // write this one's row again (and meet it twice when the two share a key: 21000).
          await this.run(client, { kind: op.kind, ops: [op] }, infos.get(op.table.qualified) ?? null, false);
          await client.query('RELEASE SAVEPOINT pipectl_record');
        } catch (e) {
          if (!isRecordError(e)) throw e;
          await client.query('ROLLBACK TO SAVEPOINT pipectl_record');
          failed.push({ op, error: e as Error });
        }
      }
      await client.query('COMMIT');
      this.settleStages(true);
    } catch (e) {
      this.settleStages(false);
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    }
    return failed;
  }

  /** One step's statements; `mayCopy` false keeps to INSERT … VALUES whatever the write path. */
  private async run(client: pg.Client, step: Step, info: TableInfo | null, mayCopy = true): Promise<void> {
    if (!info) return; // a delete from a table that does not exist
    const first = step.ops[0]!;
    if (step.kind === 'delete') return this.deleteRows(client, step.ops, info);
    if (this.mode === 'update') return this.updateRows(client, step.ops, info);
    const columns = [...first.keyColumns, ...first.valueColumns];
    if (mayCopy && this.usesCopy(step)) return this.copyRows(client, first, step.ops);
    const rows = step.ops.map((op) => [...op.keyValues, ...op.values]);
    const casts = castsOf(columns, info);
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, columns.length)));
    for (let i = 0; i < rows.length; i += perStatement) {
      const slice = rows.slice(i, i + perStatement);
      const params: (string | null)[] = [];
      const tuples = slice.map((row) => `(${row.map((v, j) => { params.push(v); return `$${params.length}::${casts[j]}`; }).join(',')})`);
      await client.query(`INSERT INTO ${first.table.qualified} (${columns.map((c) => quoteIdent(c.name)).join(',')}) VALUES ${tuples.join(',')}${this.conflict(first)}`, params);
    }
  }

  /** ` ON CONFLICT (key) DO UPDATE SET c = EXCLUDED.c …` in upsert mode, else nothing. */
  private conflict(op: RowOp): string {
    if (this.mode !== 'upsert' || op.keyColumns.length === 0) return '';
    const target = op.keyColumns.map((c) => quoteIdent(c.name)).join(',');
    if (op.valueColumns.length === 0) return ` ON CONFLICT (${target}) DO NOTHING`;
    return ` ON CONFLICT (${target}) DO UPDATE SET ${op.valueColumns.map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`).join(', ')}`;
  }

  private async copyRows(client: pg.Client, first: RowOp, ops: readonly RowOp[]): Promise<void> {
    const list = columnList(first);
    const conflict = this.conflict(first);
    const rows = ops.map(rowLine);
    if (conflict === '') {
      await copyIn(client, `COPY ${first.table.qualified} (${list}) FROM STDIN`, rows);
      return;
    }
    const stage = await this.stagingTable(client, first, list);
    await copyIn(client, `COPY ${stage} (${list}) FROM STDIN`, rows);
    await client.query(`INSERT INTO ${first.table.qualified} (${list}) SELECT ${list} FROM ${stage}${conflict}`);
  }

  /** Forgets the staging tables of `client` (after an error that may be the table's shape: they are made anew). */
  forgetStaging(client: pg.Client): void {
    this.stages.delete(client);
  }

  /** This connection's staging table for `op`'s shape, created (in the open transaction) the first time. */
  private async stagingTable(client: pg.Client, op: RowOp, list: string): Promise<string> {
    const known = this.stages.get(client)?.get(op.shape) ?? this.creating.find((c) => c.client === client && c.shape === op.shape)?.name;
    if (known) return known;
    // A temp table comes first on the search path: under a name a target table could have, it would hide it (an
    // unqualified `pipectl_stage_1` would then write into the staging table). The random part makes that impossible.
    const name = quoteIdent(`pipectl_stage_${this.stagePrefix}_${++this.staging}`);
    await client.query(`CREATE TEMP TABLE ${name} ON COMMIT DELETE ROWS AS SELECT ${list} FROM ${op.table.qualified} WITH NO DATA`);
    this.creating.push({ client, shape: op.shape, name });
    return name;
  }

  private async deleteRows(client: pg.Client, ops: RowOp[], info: TableInfo): Promise<void> {
    const keys = ops[0]!.keyColumns;
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / keys.length));
    const casts = castsOf(keys, info);
    for (let i = 0; i < ops.length; i += perStatement) {
      const params: (string | null)[] = [];
      const tuples = ops.slice(i, i + perStatement).map((op) => `(${op.keyValues.map((v, j) => { params.push(v); return `$${params.length}::${casts[j]}`; }).join(',')})`);
      await client.query(`DELETE FROM ${ops[0]!.table.qualified} WHERE (${keys.map((c) => quoteIdent(c.name)).join(',')}) IN (VALUES ${tuples.join(',')})`, params);
    }
  }

  private async updateRows(client: pg.Client, ops: RowOp[], info: TableInfo): Promise<void> {
    const first = ops[0]!;
    if (first.valueColumns.length === 0) return;
    const columns = [...first.keyColumns, ...first.valueColumns];
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
    const alias = columns.map((_, j) => `c${j}`);
    const casts = castsOf(columns, info);
    const set = first.valueColumns.map((c, j) => `${quoteIdent(c.name)} = v.c${first.keyColumns.length + j}`).join(', ');
    const where = first.keyColumns.map((c, j) => `t.${quoteIdent(c.name)} = v.c${j}`).join(' AND ');
    for (let i = 0; i < ops.length; i += perStatement) {
      const params: (string | null)[] = [];
      const tuples = ops.slice(i, i + perStatement).map((op) => `(${[...op.keyValues, ...op.values].map((v, j) => { params.push(v); return `$${params.length}::${casts[j]}`; }).join(',')})`);
      await client.query(`UPDATE ${first.table.qualified} AS t SET ${set} FROM (VALUES ${tuples.join(',')}) AS v(${alias.join(',')}) WHERE ${where}`, params);
    }
  }
}

/** The op's row as a line of COPY text (its plain columns unescaped: see copyLine). */
export function rowLine(op: RowOp): string {
  return copyLine(op.keyValues, op.values, op.keyColumns, op.valueColumns);
}

/** The op's key then value columns, quoted, comma-separated: the column list of its COPY and INSERT statements. */
function columnList(op: RowOp): string {
  return [...op.keyColumns, ...op.valueColumns].map((c) => quoteIdent(c.name)).join(',');
}

/** The cast type of each column's parameters, looked up by the name Postgres stores (cut to 63 bytes). */
function castsOf(columns: readonly Column[], info: TableInfo): string[] {
  return columns.map((c) => {
    const cast = info.columns.get(storedName(c.name));
    if (cast === undefined) throw new PgSinkError('PIPECTL_PGSINK_SCHEMA', `Table has no column ${c.name}`);
    return cast;
  });
}
