import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDevPostgres } from '../../src/devtools/background-postgres.js';
import { isProcessAlive } from '../../src/devtools/processes.js';
import { runCli, spawnCli } from '../support/run-cli.js';
import { psql } from '../support/postgres.js';

const READY = /^Postgres \d+\.\d+ ready at (postgresql:\/\/pipectl@127\.0\.0\.1:\d+\/postgres) \(started in \d+ ms\)\n$/;

/** A project folder: open to others (as root, the server runs as the postgres user, which must enter it). */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-dev-pg-'));
  chmodSync(dir, 0o755);
  return dir;
}

test('pipectl dev postgres --background starts a server and returns; stop stops it and keeps its folder', async (t) => {
  const dir = project();
  let pid: number | undefined;
  t.after(() => {
    if (pid !== undefined && isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const started = runCli(['dev', 'postgres', '--background'], { cwd: dir });
  assert.equal(started.code, 0, started.stderr);
  const url = READY.exec(started.stdout)?.[1];
  assert.ok(url, started.stdout);
  assert.match(started.stderr, /initdb made a new cluster in .*\/\.pipectl\/postgres\/pgdata\n/);
  assert.match(started.stderr, /stop with "pipectl dev postgres stop"\n$/);
  const [pidLine, urlLine] = readFileSync(join(dir, '.pipectl', 'postgres.pid'), 'utf8').split('\n');
  pid = Number(pidLine);
  assert.equal(urlLine, url, 'line 2 of the pid file is the URL');
  assert.ok(isDevPostgres(pid), 'the pid file names a running postmaster of ours');
  assert.equal(await psql(url, 'SHOW wal_level'), 'logical', 'the server outlives the command that started it');
  await psql(url, 'CREATE TABLE kept (n int)');

  const again = runCli(['dev', 'postgres', '--background'], { cwd: dir });
  assert.equal(again.code, 1);
  assert.equal(again.stderr, `Error: a Postgres server is already running at ${url} (pid ${pid}, .pipectl/postgres.pid); stop it with "pipectl dev postgres stop" [PIPECTL_DEV_ALREADY_RUNNING]\n`);
  const foreground = runCli(['dev', 'postgres'], { cwd: dir });
  assert.equal(foreground.code, 1);
  assert.match(foreground.stderr, /^Error: a Postgres server is already running in .*\/\.pipectl\/postgres \(pid \d+, port \d+\); .*\[PIPECTL_DEV_ALREADY_RUNNING\]\n$/);

  const stopped = runCli(['dev', 'postgres', 'stop'], { cwd: dir });
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.equal(stopped.stdout, `Postgres at ${url} stopped (pid ${pid})\n`);
  assert.equal(isProcessAlive(pid), false);
  assert.equal(existsSync(join(dir, '.pipectl', 'postgres.pid')), false);
  assert.ok(existsSync(join(dir, '.pipectl', 'postgres', 'pgdata', 'PG_VERSION')), 'stop keeps the data folder');

  const none = runCli(['dev', 'postgres', 'stop'], { cwd: dir });
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'Error: no Postgres pid file at .pipectl/postgres.pid (start one with "pipectl dev postgres --background") [PIPECTL_DEV_NOT_RUNNING]\n');

  // The next start reuses the cluster: no initdb, the table is there.
  const restarted = runCli(['dev', 'postgres', '--background', '--pid-file', 'run/pg.pid'], { cwd: dir });
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.doesNotMatch(restarted.stderr, /initdb/);
  const url2 = READY.exec(restarted.stdout)![1]!;
  pid = Number(readFileSync(join(dir, 'run', 'pg.pid'), 'utf8').split('\n')[0]);
  assert.equal(await psql(url2, "SELECT count(*) FROM pg_tables WHERE tablename = 'kept'"), '1');
  const printed = /stop with "pipectl (dev postgres stop --pid-file run\/pg\.pid)"\n$/.exec(restarted.stderr)?.[1];
  assert.ok(printed, restarted.stderr);
  const stopped2 = runCli(printed.split(' '), { cwd: dir });
  assert.equal(stopped2.code, 0, stopped2.stderr);
  assert.equal(isProcessAlive(pid), false);
});

test('pipectl dev postgres in the foreground prints the ready line, and SIGTERM stops the server and exits 0', async (t) => {
  const dir = project();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cli = spawnCli(['dev', 'postgres', '--data-dir', 'data'], { cwd: dir });
  const { pid, url } = await cli.waitForOutput((stdout, stderr) => {
    const found = /^pid (\d+); data: /m.exec(stderr)?.[1];
    const ready = READY.exec(stdout)?.[1];
    return ready && found ? { pid: Number(found), url: ready } : undefined;
  });
  assert.ok(isDevPostgres(pid));
  writeFileSync(join(dir, 'data', 'notes.txt'), 'mine\n');
  assert.equal(await psql(url, 'SELECT 1'), '1');
  cli.child.kill('SIGTERM');
  assert.equal(await cli.exited, 0, cli.stderr());
  assert.match(cli.stderr(), /Stopping Postgres\.\.\.\nPostgres stopped\n$/);
  assert.equal(isProcessAlive(pid), false, 'no postmaster left');
  assert.equal(readFileSync(join(dir, 'data', 'notes.txt'), 'utf8'), 'mine\n', 'stop removes nothing of the folder');
  assert.ok(existsSync(join(dir, 'data', 'pgdata', 'PG_VERSION')));
});

test('dev postgres errors are one line and exit 1: a bad port, a taken data folder parent', () => {
  const bad = runCli(['dev', 'postgres', '--port', 'x']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'Error: --port must be a port number (0 picks a free one), not "x"\n');
  if (process.getuid?.() === 0) {
    const hidden = mkdtempSync(join(tmpdir(), 'pipectl-dev-pg-private-')); // 0700: the postgres user cannot enter it
    try {
      const r = runCli(['dev', 'postgres', '--data-dir', join(hidden, 'pg')]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `Error: PostgreSQL runs as the "postgres" user here (this process is root), and that user cannot enter ${hidden}: choose a --data-dir whose parent folders it can enter (not under a private folder such as /root), or run pipectl as another user [PIPECTL_DEV_POSTGRES_ACCOUNT]\n`);
    } finally {
      rmSync(hidden, { recursive: true, force: true });
    }
  }
});
