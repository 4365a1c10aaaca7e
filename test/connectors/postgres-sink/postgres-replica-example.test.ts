/**
 * examples/postgres-replica as its README runs it — setup.sql through psql, the worker with the example's three files —
 * against a Postgres of its own (the README's port 54329 becomes a free one), then the README's changes to table A:
 * table B in the database replica ends equal to A (same rows, same values).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startPostgres } from '../../../src/devtools/postgres-server.js';
import { REPO_ROOT } from '../../support/paths.js';
import { psql } from '../../support/postgres.js';
import { startWorker, waitFor } from '../../support/worker-process.js';

/** Table A's or B's rows as text, one line per row, comparable across the two databases. */
const ROWS_SQL = `SELECT string_agg(concat_ws('|', id, email, name, balance::numeric::text, extract(epoch FROM signed_up::timestamptz)::text), E'\\n' ORDER BY id) FROM customers`;

test('examples/postgres-replica: an insert, an update and a delete in table A show up in table B', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-example-pgreplica-'));
  const server = await startPostgres({ fsync: false });
  try {
    cpSync(join(REPO_ROOT, 'examples', 'postgres-replica'), dir, { recursive: true });
    for (const f of readdirSync(dir).filter((x) => /\.(properties|md)$/.test(x))) {
      writeFileSync(join(dir, f), readFileSync(join(dir, f), 'utf8').replaceAll('54329', String(server.port)).replace(/^listeners=.*$/m, 'listeners=http://127.0.0.1:0'));
    }
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const sourceUrl = /psql (postgresql:\/\/\S+) -f setup\.sql/.exec(readme)![1]!;
    // psql -f as the README runs it (setup.sql uses \gexec, a psql command).
    await psql(sourceUrl, `\\i ${join(dir, 'setup.sql')}`);
    const replicaUrl = sourceUrl.replace(/\/postgres$/, '/replica');
    const command = /^npx pipectl worker standalone (.+)$/m.exec(readme)![1]!.split(' ');
    const workerConfig = Object.fromEntries(readFileSync(join(dir, command[0]!), 'utf8').split('\n').filter((l) => /^[a-z]/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const worker = await startWorker({ dir, config: workerConfig, connectorFiles: command.slice(1), startTimeoutMs: 60_000 });
    try {
      const rowsOf = (url: string): Promise<string> => psql(url, ROWS_SQL).catch(() => '(no table yet)');
      await waitFor('table B to hold the snapshot of A', async () => (await rowsOf(replicaUrl)) === (await rowsOf(sourceUrl)), 90_000, 200);
      const changes = [...readme.matchAll(/^psql (\S+) -c "(.+)"$/gm)].filter((m) => m[1] === sourceUrl).map((m) => m[2]!);
      assert.equal(changes.length, 3, 'the README changes A three times');
      for (const sql of changes) await psql(sourceUrl, sql);
      await waitFor('table B to equal table A after the changes', async () => (await rowsOf(replicaUrl)) === (await rowsOf(sourceUrl)), 90_000, 200);
      const b = await rowsOf(replicaUrl);
      assert.equal(b.split('\n').length, 1, `one row left: ${b}`);
      assert.match(b, /^1\|ada@example\.com\|Ada Lovelace\|11\.50\|/);
    } catch (e) {
      console.error(worker.log().split('\n').slice(-40).join('\n'));
      throw e;
    } finally {
      await worker.stop();
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
