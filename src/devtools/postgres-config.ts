/**
 * The development Postgres server's settings, as data: initdb's and postgres's arguments, the connection URL, and
 * what the postmaster writes in `postmaster.pid`. No I/O except reading that file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** On the postmaster's command line of every server started here (`-c cluster_name=pipectl-dev`, also shown in the
 *  process titles of its children), so that a pid can be checked before it is signalled. */
export const POSTGRES_MARKER = 'cluster_name=pipectl-dev';

/** The bootstrap superuser initdb creates: it has every privilege, REPLICATION included. */
export const POSTGRES_USER = 'pipectl';

/** The database every connection URL names (initdb creates it). */
export const POSTGRES_DATABASE = 'postgres';

/** Replication slots and WAL senders: enough for several connectors and tests side by side. */
export const MAX_REPLICATION = 20;

export interface ServerSettings {
  pgdata: string;
  port: number;
  /** Where the unix socket goes; null for none (TCP on 127.0.0.1 only). */
  socketDir: string | null;
  /** false: `fsync=off` and `full_page_writes=off` — for throwaway test servers only (an OS crash can lose data). */
  fsync: boolean;
}

/**
 * initdb: UTF8 with the C locale (the same sort order everywhere), `trust` authentication for local and 127.0.0.1
 * connections (a development server: any local user may connect as any role), POSTGRES_USER as the superuser.
 */
export function initdbArgs(pgdata: string, fsync: boolean): string[] {
  return ['-D', pgdata, '-U', POSTGRES_USER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions', ...(fsync ? [] : ['--no-sync'])];
}

/** postgres: loopback only, the socket in the server's folder, logical decoding on, logs on stderr. */
export function serverArgs(s: ServerSettings): string[] {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: s.socketDir ?? '',
    wal_level: 'logical',
    max_replication_slots: String(MAX_REPLICATION),
    max_wal_senders: String(MAX_REPLICATION),
    cluster_name: 'pipectl-dev',
    logging_collector: 'off',
    ...(s.fsync ? {} : { fsync: 'off', full_page_writes: 'off' }),
  };
  return ['-D', s.pgdata, '-p', String(s.port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
}

/** A unix socket path holds at most 107 bytes: the folder when `<dir>/.s.PGSQL.<port>` fits, else null (TCP only). */
export function socketDirFor(dir: string, port: number): string | null {
  return Buffer.byteLength(join(dir, `.s.PGSQL.${port}`)) <= 107 ? dir : null;
}

/** `postgresql://pipectl@127.0.0.1:<port>/<database>`: no password (trust authentication). */
export function postgresUrl(port: number, database = POSTGRES_DATABASE): string {
  return `postgresql://${POSTGRES_USER}@127.0.0.1:${port}/${database}`;
}

export interface PostmasterPid {
  pid: number;
  port: number;
  /** Line 8: `starting`, `stopping`, `ready` or `standby`; '' before the postmaster wrote it. */
  status: string;
}

/** `<pgdata>/postmaster.pid` as the postmaster keeps it (line 1 pid, 4 port, 8 status); null when absent or unreadable. */
export function readPostmasterPid(pgdata: string): PostmasterPid | null {
  let lines: string[];
  try {
    lines = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, port: Number(lines[3]), status: lines[7]?.trim() ?? '' };
}
