/**
 * `pipectl dev postgres [--port N] [--data-dir DIR] [--background] [--pid-file FILE]` and `pipectl dev postgres stop`:
 * a real PostgreSQL server for development (initdb + postgres from the machine's PostgreSQL, `wal_level=logical`,
 * 127.0.0.1 only, trust authentication). Exit codes as `pipectl dev kafka` (dev-server-run.ts).
 */
import type { Command } from 'commander';
import { DEFAULT_POSTGRES_PID_FILE, POSTGRES_KIND } from '../devtools/background-postgres.js';
import { parsePort, runDevServer, runDevServerStop } from './dev-server-run.js';
import { fail } from './dev-terminal.js';

const DEFAULT_DATA_DIR = '.pipectl/postgres';

interface DevPostgresFlags {
  port: string;
  dataDir: string;
  background?: boolean;
  pidFile: string;
}

/** Adds `postgres` (and `postgres stop`) under `pipectl dev`. */
export function registerDevPostgresCommand(dev: Command, setExit: (code: number) => void): void {
  const postgres = dev
    .command('postgres')
    .description('run a PostgreSQL server (wal_level=logical) on 127.0.0.1 until Ctrl-C, or in the background')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '0')
    .option('--data-dir <dir>', 'server folder (the cluster in pgdata/, postgres.log, the unix socket), kept between runs', DEFAULT_DATA_DIR)
    .option('--background', 'start, write the pid file and return; stop with "pipectl dev postgres stop"')
    .option('--pid-file <file>', 'pid file of a background server (pid, then the connection URL)', DEFAULT_POSTGRES_PID_FILE)
    .enablePositionalOptions() // `dev postgres stop --pid-file F` is stop's option
    .action(async (flags: DevPostgresFlags) => {
      setExit(await runDevPostgres(flags));
    });
  postgres
    .command('stop')
    .description('stop the background server recorded in the pid file (its data folder is kept)')
    .option('--pid-file <file>', 'pid file written by "pipectl dev postgres --background"', DEFAULT_POSTGRES_PID_FILE)
    .action(async (flags: { pidFile: string }) => {
      setExit(await runDevServerStop('Postgres', POSTGRES_KIND, flags.pidFile));
    });
}

async function runDevPostgres(flags: DevPostgresFlags): Promise<number> {
  const port = parsePort(flags.port);
  if (port === null) return fail(`--port must be a port number (0 picks a free one), not "${flags.port}"`);
  const { startPostgres } = await import('../devtools/postgres-server.js');
  return runDevServer({
    name: 'Postgres', what: 'the Postgres server', kind: POSTGRES_KIND, background: flags.background === true, pidFile: flags.pidFile,
    start: async (signal, onSpawned) => {
      const server = await startPostgres({
        port, dataDir: flags.dataDir, lifetime: flags.background ? 'detached' : 'process', signal,
        onSpawned: ({ pid, url }) => onSpawned(pid, url),
      });
      if (server.initialized) process.stderr.write(`initdb made a new cluster in ${server.pgdata}\n`);
      if (server.account) process.stderr.write(`running as the "${server.account.name}" user (PostgreSQL refuses root)\n`);
      return server;
    },
    readyLine: (s) => `Postgres ${s.version} ready at ${s.url} (started in ${s.startMs} ms)`,
  });
}
