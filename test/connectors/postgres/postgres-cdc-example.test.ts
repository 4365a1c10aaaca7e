/**
 * examples/postgres-cdc as its README runs it — setup.sql through psql, the worker with the example's connector files —
 * against a Postgres of its own (the README's port 54329 becomes a free one), then the README's psql changes: each
 * shows up in customers.jsonl.
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
import { readLines } from './cdc-support.js';

test('examples/postgres-cdc: psql changes show up in customers.jsonl', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-example-pgcdc-'));
  const server = await startPostgres({ fsync: false });
  try {
    cpSync(join(REPO_ROOT, 'examples', 'postgres-cdc'), dir, { recursive: true });
    for (const f of readdirSync(dir).filter((x) => /\.(properties|md)$/.test(x))) {
      writeFileSync(join(dir, f), readFileSync(join(dir, f), 'utf8').replaceAll('54329', String(server.port)).replace(/^listeners=.*$/m, 'listeners=http://127.0.0.1:0'));
    }
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const url = /psql (postgresql:\/\/\S+) -f setup\.sql/.exec(readme)![1]!;
    await psql(url, readFileSync(join(dir, 'setup.sql'), 'utf8'));
    const command = /^npx pipectl worker standalone (.+)$/m.exec(readme)![1]!.split(' ');
    const worker = await startWorker({ dir, config: Object.fromEntries(readFileSync(join(dir, command[0]!), 'utf8').split('\n').filter((l) => /^[a-z]/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])), connectorFiles: command.slice(1), startTimeoutMs: 60_000 });
    const out = join(dir, 'customers.jsonl');
    try {
      await waitFor('the snapshot of customers', () => readLines(out).length >= 1, 60_000, 100);
      for (const m of readme.matchAll(/^psql \S+ -c "(.+)"$/gm)) await psql(url, m[1]!);
      await waitFor('c, u, d and a tombstone', () => readLines(out).length >= 5, 60_000, 100);
      const ops = readLines(out).map((l) => (l === 'null' ? null : (JSON.parse(l) as { op: string }).op));
      assert.deepEqual(ops, ['r', 'c', 'u', 'd', null]);
      assert.equal((JSON.parse(readLines(out)[2]!) as { after: { name: string } }).after.name, 'Ada Lovelace');
    } finally {
      await worker.stop();
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
