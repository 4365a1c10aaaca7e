/**
 * The real Postgres of a test run. `scripts/run-tests.mjs` starts one server for the whole run (fsync off, a temporary
 * folder) when a selected test file imports this module, and passes its URL in PIPECTL_TEST_POSTGRES_URL; a test file
 * run by hand (no variable) starts its own server once per process, stopped when the process exits. Tests that need a
 * database of their own create one with createTestDatabase(). Queries go through the machine's `psql` (no Node client
 * dependency yet): a real client talking to the real server.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { findPostgresBinaries } from '../../src/devtools/postgres-binaries.js';
import { startPostgres } from '../../src/devtools/postgres-server.js';
import { isProcessAlive } from '../../src/devtools/processes.js';

export const POSTGRES_URL_ENV = 'PIPECTL_TEST_POSTGRES_URL';

let ownServer: Promise<string> | null = null;

/** `postgresql://pipectl@127.0.0.1:<port>/postgres` of a running server: the harness's, or one started for this process. */
export function postgresTestUrl(): Promise<string> {
  const fromHarness = process.env[POSTGRES_URL_ENV];
  if (fromHarness) return Promise.resolve(fromHarness);
  ownServer ??= startPostgres({ fsync: false }).then((server) => {
    // Let the test process end on its own; the exit hook and the watchdog then stop the server and remove its folder.
    server.unref();
    return server.url;
  });
  return ownServer;
}

let psqlPath: string | null = null;

/**
 * Runs `sql` through psql against `conninfo` (a URL or `key=value` words) and resolves with its unaligned, tuples-only
 * output (`a|b` per row, one row a line, without the last newline). Rejects with psql's stderr on any SQL error, or
 * when psql has not finished after `timeoutMs` (default 30 s; a bench's bulk load passes more).
 */
export function psql(conninfo: string, sql: string, timeoutMs = 30_000): Promise<string> {
  psqlPath ??= findPostgresBinaries().psql;
  if (!psqlPath) throw new Error('psql not found (it comes with the postgresql package)');
  return new Promise((resolve, reject) => {
    execFile(psqlPath!, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', conninfo, '-c', sql], { encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`psql: ${stderr.trim() || error.message}`));
      else resolve(stdout.replace(/\n$/, ''));
    });
  });
}

let counter = 0;

/** Creates a database no other test uses on the test server; resolves with its URL. */
export async function createTestDatabase(prefix = 'test'): Promise<string> {
  counter += 1;
  const name = `${prefix}_${process.pid}_${counter}_${randomBytes(3).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const url = await postgresTestUrl();
  await psql(url, `CREATE DATABASE ${name}`);
  return url.replace(/\/[^/]*$/, `/${name}`);
}

/** The live processes of the server whose cluster is `pgdata`: the postmaster (pgdata is on its command line) and
 *  its backends (their working folder is pgdata). */
export function serverProcesses(pgdata: string): number[] {
  const ofServer = (pid: number): boolean => {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(pgdata)) return true;
      return readlinkSync(`/proc/${pid}/cwd`) === pgdata;
    } catch {
      return false; // gone, or another user's process
    }
  };
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => ofServer(pid) && isProcessAlive(pid));
}
