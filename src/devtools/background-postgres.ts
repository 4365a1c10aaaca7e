/**
 * The server of `pipectl dev postgres --background` as a background server (background-process.ts): its pid file
 * holds the postmaster's pid on line 1 and the connection URL (no password) on line 2, so that
 * `psql "$(sed -n 2p .pipectl/postgres.pid)"` connects.
 */
import { isOurServer } from './background-process.js';
import type { BackgroundKind } from './background-process.js';
import { POSTGRES_MARKER } from './postgres-config.js';

/** The pid file `pipectl dev postgres` uses when none is given. */
export const DEFAULT_POSTGRES_PID_FILE = '.pipectl/postgres.pid';

/** The development Postgres as a background server; SIGINT is the postmaster's fast shutdown (SIGTERM would wait for
 *  every client to disconnect). */
export const POSTGRES_KIND: BackgroundKind = {
  what: 'Postgres server', short: 'Postgres', command: 'pipectl dev postgres', defaultPidFile: DEFAULT_POSTGRES_PID_FILE, marker: POSTGRES_MARKER, stopSignal: 'SIGINT',
};

/** Whether `pid` is alive and is a postmaster started by pipectl. */
export function isDevPostgres(pid: number): boolean {
  return isOurServer(POSTGRES_KIND, pid);
}
