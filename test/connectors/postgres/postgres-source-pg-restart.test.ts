/**
 * Postgres restarted under a running source — once shut down, once killed (a crash) — while a writer commits
 * numbered rows: the task reconnects by itself (its log says so) and every committed row arrives. A dedicated server,
 * since it is stopped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startPostgres } from '../../../src/devtools/postgres-server.js';
import type { PostgresServer } from '../../../src/devtools/postgres-server.js';
import { writeTree } from '../../support/paths.js';
import { psql, serverProcesses } from '../../support/postgres.js';
import { startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';
import { JSON_WORKER_CONFIG, readLines, sinkProperties, sourceProperties } from './cdc-support.js';
import { countArrivals, NumberedWriter } from './numbered-writer.js';

test('a Postgres restart (clean, then a crash) is ridden out: every committed row arrives', { timeout: 300_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pipectl-pgcdc-restart-'));
  let server: PostgresServer = await startPostgres({ fsync: false, dataDir });
  const port = server.port;
  const tree = writeTree({});
  const out = join(tree.dir, 'out.txt');
  const writer = new NumberedWriter(server.url);
  let worker: WorkerProcess | null = null;
  try {
    await psql(server.url, 'CREATE TABLE numbers (n int PRIMARY KEY, pad text)');
    writeFileSync(join(tree.dir, 'source.properties'), sourceProperties('cdcrestart', server.url));
    writeFileSync(join(tree.dir, 'sink.properties'), sinkProperties('cdcrestart-sink', 'cdcrestart.public.numbers', out));
    worker = await startWorker({ dir: tree.dir, config: JSON_WORKER_CONFIG, connectorFiles: ['source.properties', 'sink.properties'], startTimeoutMs: 60_000 });
    writer.start();
    for (const how of ['stop', 'kill'] as const) {
      const before = countArrivals(readLines(out)).size;
      await waitFor(`rows flowing before the ${how}`, () => countArrivals(readLines(out)).size >= before + 300, 120_000, 50);
      await (how === 'stop' ? server.stop() : server.kill());
      const pgdata = server.pgdata;
      // After a kill, backends may outlive the postmaster a moment, holding its shared memory.
      await waitFor(`the old server processes gone after the ${how}`, () => serverProcesses(pgdata).length === 0, 30_000, 50).catch((e: Error) => {
        throw new Error(`${e.message}: ${serverProcesses(pgdata).map((p) => `${p} ${readFileSync(`/proc/${p}/cmdline`, 'utf8')}`).join('; ')}`);
      });
      server = await startPostgres({ fsync: false, dataDir, port });
    }
    const after = countArrivals(readLines(out)).size;
    await waitFor('rows flowing after the restarts', () => countArrivals(readLines(out)).size >= after + 300, 120_000, 100);
    await writer.stop();
    const rows = Number(await psql(server.url, 'SELECT count(*) FROM numbers'));
    await waitFor('every committed row in the sink', () => countArrivals(readLines(out)).size >= rows, 120_000, 250);
    const seen = countArrivals(readLines(out));
    const present = (await psql(server.url, 'SELECT n FROM numbers')).split('\n').map(Number);
    const missing = present.filter((n) => !seen.has(n)).length;
    let duplicates = 0;
    for (const c of seen.values()) duplicates += c - 1;
    const reconnects = (worker.log().match(/reconnecting in/g) ?? []).length;
    t.diagnostic(`rows committed: ${rows}; Postgres restarts: 2; reconnect attempts logged: ${reconnects}; missing: ${missing}; duplicates: ${duplicates}`);
    assert.equal(missing, 0, 'every committed row arrived');
    assert.ok(reconnects >= 2, 'the task logged its reconnection attempts');
    assert.match(worker.log(), /cdcrestart/);
  } finally {
    await writer.stop();
    if (worker) await worker.stop();
    await server.stop();
    tree.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
