import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isProcessAlive } from '../../src/devtools/processes.js';
import { psql, serverProcesses } from '../support/postgres.js';
import { waitFor } from '../support/worker-process.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/postgres-in-child.js', import.meta.url));

interface Started {
  pid: number;
  dataDir: string;
  url: string;
  account: string | null;
}

/** Runs the fixture; resolves with the server it started and the fixture's exit promise. */
async function startParent(mode: 'wait' | 'exit', options: SpawnOptions = {}): Promise<{ started: Started; exited: Promise<unknown>; kill(): void }> {
  const parent = spawn(process.execPath, [FIXTURE, mode], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  parent.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise((resolve) => parent.once('exit', resolve));
  const started = await new Promise<Started>((resolve, reject) => {
    parent.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as Started);
    });
    void exited.then(() => reject(new Error(`the parent exited before its server started: ${err}`)));
  });
  return { started, exited, kill: () => parent.kill('SIGKILL') };
}

/** The real uid a process runs as. */
function uidOf(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

describe('the Postgres server dies with its Node parent', { concurrency: 2 }, () => {
  test('SIGKILL of the parent, with a client still connected: the watchdog\'s fast shutdown ends the server, the folder goes', async () => {
    const { started, kill, exited } = await startParent('wait');
    assert.ok(isProcessAlive(started.pid), 'the server runs while its parent does');
    if (process.getuid?.() === 0) assert.equal(started.account, 'postgres', 'as root, it runs as the postgres user');
    else assert.equal(uidOf(started.pid), process.getuid?.());
    assert.equal(await psql(started.url, 'SHOW wal_level'), 'logical');
    assert.ok(serverProcesses(join(started.dataDir, 'pgdata')).length >= 4, 'the postmaster and its background processes');
    // A session that stays open: SIGTERM (smart shutdown) would wait for it; the watchdog sends SIGINT.
    const session = psql(started.url, 'SELECT pg_sleep(60)').catch((e: Error) => e);
    await waitFor('the open session', async () => (await psql(started.url, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'")) === '1', 10_000, 50);
    kill();
    await exited;
    await waitFor('the postmaster to exit after its parent was killed', () => !isProcessAlive(started.pid), 30_000, 100);
    await waitFor('every backend to exit', () => serverProcesses(join(started.dataDir, 'pgdata')).length === 0, 5_000, 100);
    await waitFor('the temporary folder to be removed', () => !existsSync(started.dataDir), 5_000, 100);
    // A fast shutdown (SIGINT) ends sessions with this; the SIGKILL fallback would just drop the connection.
    assert.match(String(await session), /terminating connection due to administrator command/);
  });

  test('a parent that ends without stop() (after unref) leaves no server either', async () => {
    const { started, exited } = await startParent('exit');
    await exited;
    await waitFor('the postmaster to exit after its parent ended', () => !isProcessAlive(started.pid), 30_000, 100);
    await waitFor('the temporary folder to be removed', () => !existsSync(started.dataDir), 5_000, 100);
  });

  test('started by a user other than root, the server runs as that user', { skip: process.getuid?.() !== 0 && 'not root: the other tests are the non-root case' }, async () => {
    // This process is root (as CI is): the fixture runs as nobody, and starts postgres as itself.
    const { started, kill, exited } = await startParent('wait', { uid: 65534, gid: 65534, cwd: '/tmp', env: { ...process.env, HOME: '/tmp' } });
    assert.equal(started.account, null, 'not root: no account switch');
    assert.equal(uidOf(started.pid), 65534);
    assert.equal(await psql(started.url, 'SHOW wal_level'), 'logical');
    kill();
    await exited;
    await waitFor('the postmaster to exit after its parent was killed', () => !isProcessAlive(started.pid), 30_000, 100);
    await waitFor('the temporary folder to be removed', () => !existsSync(started.dataDir), 5_000, 100);
  });
});
