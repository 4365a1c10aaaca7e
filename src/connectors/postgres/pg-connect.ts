/**
 * Opens the source's two kinds of Postgres connection with `pg`: a normal one (catalog, publication, snapshot) and a
 * replication one (`replication=database`: walsender commands, the stream). Both apply the event format's session
 * settings at startup — the walsender formats pgoutput values with them — and return every value as raw text
 * (no type parser runs: the event format reads the text forms).
 */
import pg from 'pg';
import { SESSION_SETTINGS } from './event-format/index.js';
import type { PgConnectionSettings } from './postgres-settings.js';

/** pg's per-client type parsers, all identity: each value stays the text Postgres sent. */
const RAW_TEXT_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

function startupOptions(): string {
  return Object.entries(SESSION_SETTINGS).map(([k, v]) => `-c ${k}=${v}`).join(' ');
}

function ssl(mode: string): pg.ClientConfig['ssl'] {
  if (mode === 'require') return { rejectUnauthorized: false };
  if (mode === 'verify-ca' || mode === 'verify-full') return { rejectUnauthorized: true };
  return false;
}

/**
 * A connected client. Rejects with pg's error (ECONNREFUSED, authentication, unknown database…); the caller decides
 * whether that is worth a retry. `kind` 'replication' accepts walsender commands over the simple query protocol.
 */
export async function openPgClient(settings: PgConnectionSettings, kind: 'normal' | 'replication', applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    ...(settings.password === undefined ? {} : { password: settings.password }),
    database: settings.database,
    ssl: ssl(settings.sslMode),
    keepAlive: settings.keepAlive,
    application_name: applicationName,
    options: startupOptions(),
    types: RAW_TEXT_TYPES,
    connectionTimeoutMillis: 30_000,
    ...(kind === 'replication' ? { replication: 'database' } : {}),
  } as pg.ClientConfig);
  // An 'error' event without a listener would crash the worker; the owner learns of the loss from its next query.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    void client.end().catch(() => {});
    throw e;
  }
  return client;
}

/** Closes a client, never throwing and never waiting more than `ms` (a dead socket must not hold up stop()). */
export async function closePgClient(client: pg.Client | null | undefined, ms = 2000): Promise<void> {
  if (!client) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([client.end().catch(() => {}), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
  // A client that did not end in time: destroy its socket so nothing stays open.
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/** Quotes an identifier for SQL ("a""b"). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal for SQL ('it''s'). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
