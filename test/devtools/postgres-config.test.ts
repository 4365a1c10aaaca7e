import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { POSTGRES_KIND } from '../../src/devtools/background-postgres.js';
import { stopCommandOf } from '../../src/devtools/background-process.js';
import { DevToolsError } from '../../src/devtools/dev-errors.js';
import { debianBinDirs, findPostgresBinaries } from '../../src/devtools/postgres-binaries.js';
import { initdbArgs, postgresUrl, serverArgs, socketDirFor } from '../../src/devtools/postgres-config.js';

/** A fake PostgreSQL bin folder whose `postgres --version` prints `version`. */
function fakeBin(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'initdb'), '#!/bin/sh\n');
  writeFileSync(join(dir, 'postgres'), `#!/bin/sh\necho "postgres (PostgreSQL) ${version} (Debian ${version}-1)"\n`);
  chmodSync(join(dir, 'initdb'), 0o755);
  chmodSync(join(dir, 'postgres'), 0o755);
  return dir;
}

test('the newest Debian folder wins over PATH; PATH (through a symlink) is the fallback; none is a one-line error', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'pipectl-pgbin-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  fakeBin(join(root, 'debian', '14', 'bin'), '14.9');
  fakeBin(join(root, 'debian', '16', 'bin'), '16.2');
  mkdirSync(join(root, 'debian', '17', 'bin'), { recursive: true }); // a client-only folder: no initdb
  const pathDir = join(root, 'local-bin');
  mkdirSync(pathDir);
  const elsewhere = fakeBin(join(root, 'opt', 'pg', 'bin'), '15.4');
  symlinkSync(join(elsewhere, 'initdb'), join(pathDir, 'initdb'));
  const env = { PATH: pathDir };

  assert.deepEqual(debianBinDirs(join(root, 'debian')), [join(root, 'debian', '16', 'bin'), join(root, 'debian', '14', 'bin')]);
  const debian = findPostgresBinaries({ debianRoot: join(root, 'debian'), env });
  assert.deepEqual([debian.binDir, debian.version, debian.major, debian.source], [join(root, 'debian', '16', 'bin'), '16.2', 16, 'debian']);

  const onPath = findPostgresBinaries({ debianRoot: join(root, 'none'), env });
  assert.deepEqual([onPath.binDir, onPath.postgres, onPath.version, onPath.source], [elsewhere, join(elsewhere, 'postgres'), '15.4', 'path']);

  assert.throws(() => findPostgresBinaries({ debianRoot: join(root, 'none'), env: { PATH: join(root, 'none') } }), (e: DevToolsError) =>
    e.code === 'PIPECTL_DEV_POSTGRES_MISSING' && /install it \(Debian\/Ubuntu: "apt-get install postgresql"/.test(e.message));
  assert.throws(() => findPostgresBinaries({ binDir: pathDir }), (e: DevToolsError) => e.code === 'PIPECTL_DEV_POSTGRES_MISSING' && e.message === `${pathDir} has no initdb and postgres programs`);
});

test('the server settings: loopback, the socket in its folder (when the path fits), logical decoding, fsync only off when asked', () => {
  const args = serverArgs({ pgdata: '/d/pgdata', port: 5433, socketDir: '/d', fsync: true });
  assert.deepEqual(args.slice(0, 4), ['-D', '/d/pgdata', '-p', '5433']);
  const settings = Object.fromEntries(args.slice(4).filter((_, i) => i % 2 === 1).map((kv) => kv.split(/=(.*)/s).slice(0, 2) as [string, string]));
  assert.deepEqual(settings, {
    listen_addresses: '127.0.0.1', unix_socket_directories: '/d', wal_level: 'logical', max_replication_slots: '20', max_wal_senders: '20',
    cluster_name: 'pipectl-dev', logging_collector: 'off',
  });
  assert.ok(serverArgs({ pgdata: '/d/pgdata', port: 1, socketDir: null, fsync: false }).join(' ').endsWith('-c unix_socket_directories= -c wal_level=logical -c max_replication_slots=20 -c max_wal_senders=20 -c cluster_name=pipectl-dev -c logging_collector=off -c fsync=off -c full_page_writes=off'));
  assert.deepEqual(initdbArgs('/d/pgdata', true), ['-D', '/d/pgdata', '-U', 'pipectl', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions']);
  assert.equal(initdbArgs('/d/pgdata', false).at(-1), '--no-sync');
  assert.equal(socketDirFor('/tmp/x', 54321), '/tmp/x');
  assert.equal(socketDirFor(`/tmp/${'a'.repeat(100)}`, 54321), null, 'a unix socket path has at most 107 bytes');
  assert.equal(postgresUrl(5433), 'postgresql://pipectl@127.0.0.1:5433/postgres');
  assert.equal(stopCommandOf(POSTGRES_KIND, '.pipectl/postgres.pid'), 'pipectl dev postgres stop');
  assert.equal(stopCommandOf(POSTGRES_KIND, 'my dir/pg.pid'), "pipectl dev postgres stop --pid-file 'my dir/pg.pid'");
});
