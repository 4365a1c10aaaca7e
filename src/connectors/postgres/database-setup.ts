/**
 * What the source checks and prepares on the normal connection before it replicates: that the server can do logical
 * decoding for this user, the captured tables, the publication (per publication.autocreate.mode) and the slot's state.
 * A problem the user must fix is a PgSourceError PIPECTL_PG_SETUP whose message says what to do.
 */
import type pg from 'pg';
import { parseLsn } from './lsn.js';
import { PgSourceError } from './pg-source-error.js';
import { quoteIdent, quoteLiteral } from './pg-connect.js';
import type { PostgresSourceSettings } from './postgres-settings.js';

export interface TableName {
  schema: string;
  name: string;
}

export interface SlotState {
  plugin: string;
  database: string;
  active: boolean;
  /** Null when the slot has never been confirmed (or is not logical). */
  confirmedFlushLsn: bigint | null;
}

const qualified = (t: TableName): string => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;

/** Fails with PIPECTL_PG_SETUP unless wal_level is logical and the user may replicate. */
export async function checkServer(client: pg.Client, user: string): Promise<void> {
  const wal = (await client.query('SHOW wal_level')).rows[0]?.wal_level as string;
  if (wal !== 'logical') {
    throw new PgSourceError('PIPECTL_PG_SETUP', `Postgres runs with wal_level=${wal}; change data capture needs wal_level=logical. Run ALTER SYSTEM SET wal_level = logical (or set it in postgresql.conf) and restart Postgres.`);
  }
  const role = await client.query('SELECT rolsuper OR rolreplication AS ok FROM pg_roles WHERE rolname = current_user');
  if (role.rows[0]?.ok !== 't' && role.rows[0]?.ok !== true) {
    throw new PgSourceError('PIPECTL_PG_SETUP', `The user ${user} may not use replication. Grant it: ALTER ROLE ${quoteIdent(user)} REPLICATION; (and CREATE on the database if the connector is to create the publication).`);
  }
}

/** Ordinary and partitioned tables the filter captures, in schema then name order. */
export async function capturedTables(client: pg.Client, settings: PostgresSourceSettings): Promise<TableName[]> {
  const res = await client.query(
    "SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
      "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' " +
      'ORDER BY 1, 2',
  );
  return (res.rows as TableName[]).filter((t) => settings.filter.table(t.schema, t.name));
}

/** The tables a publication streams (those of FOR ALL TABLES included). */
export async function publishedTables(client: pg.Client, publication: string): Promise<TableName[]> {
  const res = await client.query(`SELECT schemaname AS schema, tablename AS name FROM pg_publication_tables WHERE pubname = ${quoteLiteral(publication)} ORDER BY 1, 2`);
  return res.rows as TableName[];
}

function publishClause(settings: PostgresSourceSettings): string {
  const ops = [['c', 'insert'], ['u', 'update'], ['d', 'delete']].filter(([op]) => !settings.skippedOperations.has(op!)).map(([, kind]) => kind);
  return ops.length === 3 ? '' : ` WITH (publish = ${quoteLiteral(ops.join(','))})`;
}

/**
 * Makes sure the publication exists as publication.autocreate.mode wants. Fails with PIPECTL_PG_SETUP when it is
 * missing with `disabled`, is FOR ALL TABLES with `filtered`, or cannot be created for lack of privileges.
 */
export async function ensurePublication(client: pg.Client, settings: PostgresSourceSettings, captured: TableName[]): Promise<void> {
  const name = settings.publicationName;
  const existing = await client.query(`SELECT puballtables FROM pg_publication WHERE pubname = ${quoteLiteral(name)}`);
  const mode = settings.autocreateMode;
  const create = async (sql: string): Promise<void> => {
    try {
      await client.query(sql);
    } catch (e) {
      if ((e as { code?: string }).code === '42501') {
        throw new PgSourceError('PIPECTL_PG_SETUP', `The user ${settings.connection.user} may not create the publication ${name} (${(e as Error).message}). Create it as a superuser (${sql}), or grant the rights it needs.`, { cause: e });
      }
      throw e;
    }
  };
  if (existing.rows.length === 0) {
    if (mode === 'disabled') {
      throw new PgSourceError('PIPECTL_PG_SETUP', `The publication ${name} does not exist and publication.autocreate.mode=disabled. Create it (CREATE PUBLICATION ${quoteIdent(name)} FOR TABLE …) or set publication.autocreate.mode to all_tables or filtered.`);
    }
    if (mode === 'all_tables') await create(`CREATE PUBLICATION ${quoteIdent(name)} FOR ALL TABLES${publishClause(settings)}`);
    else if (mode === 'no_tables' || captured.length === 0) await create(`CREATE PUBLICATION ${quoteIdent(name)}${publishClause(settings)}`);
    else await create(`CREATE PUBLICATION ${quoteIdent(name)} FOR TABLE ${captured.map(qualified).join(', ')}${publishClause(settings)}`);
    return;
  }
  if (mode !== 'filtered') return;
  const allTables = existing.rows[0].puballtables === 't' || existing.rows[0].puballtables === true;
  if (allTables) {
    throw new PgSourceError('PIPECTL_PG_SETUP', `The publication ${name} is FOR ALL TABLES but publication.autocreate.mode=filtered wants it to list the captured tables. Drop it (DROP PUBLICATION ${quoteIdent(name)}) so it is created again, or use all_tables.`);
  }
  const published = (await publishedTables(client, name)).map(qualified).sort();
  const wanted = captured.map(qualified).sort();
  if (published.join(',') !== wanted.join(',') && wanted.length > 0) await create(`ALTER PUBLICATION ${quoteIdent(name)} SET TABLE ${wanted.join(', ')}`);
}

/** The slot, or null when it does not exist. */
export async function readSlot(client: pg.Client, slot: string): Promise<SlotState | null> {
  const res = await client.query(`SELECT plugin, database, active::text AS active, confirmed_flush_lsn::text AS confirmed FROM pg_replication_slots WHERE slot_name = ${quoteLiteral(slot)}`);
  const row = res.rows[0] as { plugin: string; database: string; active: string; confirmed: string | null } | undefined;
  if (!row) return null;
  return { plugin: row.plugin, database: row.database, active: row.active === 'true', confirmedFlushLsn: row.confirmed === null ? null : parseLsn(row.confirmed) };
}

/** Fails with PIPECTL_PG_SETUP when an existing slot cannot be this connector's (another plug-in, another database). */
export function checkSlot(slot: SlotState, settings: PostgresSourceSettings): void {
  if (slot.plugin !== 'pgoutput' || slot.database !== settings.connection.database) {
    throw new PgSourceError('PIPECTL_PG_SETUP', `The replication slot ${settings.slotName} exists for plug-in ${slot.plugin} on database ${slot.database}; this connector needs one for pgoutput on ${settings.connection.database}. Choose another slot.name, or drop that slot (SELECT pg_drop_replication_slot('${settings.slotName}')) if nothing uses it.`);
  }
}
