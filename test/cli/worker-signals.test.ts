/**
 * A worker stops cleanly on SIGTERM however early it comes once the CLI runs: the ready line is printed from inside
 * the start, and a supervisor (or a test) that signals as soon as it reads a line could reach the process before its
 * handler was installed, which ended it uncleanly (exit by signal, offsets not flushed) — seen on a loaded machine.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnCli } from '../support/run-cli.js';

/** A standalone worker in a new folder, once it printed its REST server line (mid-start); `cleanup` removes the folder. */
async function workerMidStart(): Promise<{ cli: ReturnType<typeof spawnCli>; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-signals-'));
  writeFileSync(join(dir, 'worker.properties'), `listeners=http://127.0.0.1:0\ndata.dir=${join(dir, 'data')}\n`);
  const cli = spawnCli(['worker', 'standalone', 'worker.properties'], { cwd: dir });
  await cli.waitForOutput((_out, err) => (/REST server listening/.test(err) ? true : undefined));
  return { cli, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('SIGTERM during the start (at the REST server line, before "worker started") stops the worker cleanly, exit 0', async () => {
  const { cli, cleanup } = await workerMidStart();
  try {
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exited, 0, cli.stderr());
    assert.match(cli.stderr(), /INFO shutting down signal=SIGTERM/);
    assert.match(cli.stderr(), /INFO worker stopped/);
  } finally {
    cleanup();
  }
});

test('a second SIGTERM while the first is being handled exits at once with 143', async () => {
  const { cli, cleanup } = await workerMidStart();
  try {
    cli.child.kill('SIGTERM');
    cli.child.kill('SIGTERM');
    const code = await cli.exited;
    // Both signals may be handled as one by the time the process looks (then it stops cleanly).
    assert.ok(code === 143 || code === 0, `exit ${code}: ${cli.stderr()}`);
  } finally {
    cleanup();
  }
});
