import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isProcessAlive } from '../../src/devtools/processes.js';
import { waitFor } from '../support/worker-process.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/broker-in-child.js', import.meta.url));

interface Started {
  pid: number;
  dataDir: string;
}

/** Runs the fixture; resolves with the broker it started and the fixture's exit promise. */
async function startParent(mode: 'wait' | 'exit'): Promise<{ started: Started; parentPid: number; exited: Promise<unknown>; kill(): void }> {
  const parent = spawn(process.execPath, [FIXTURE, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  parent.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise((resolve) => parent.once('exit', resolve));
  const started = await new Promise<Started>((resolve, reject) => {
    parent.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as Started);
    });
    void exited.then(() => reject(new Error(`the parent exited before its broker started: ${err}`)));
  });
  return { started, parentPid: parent.pid!, exited, kill: () => parent.kill('SIGKILL') };
}

// The two parents run side by side: each waits mostly on its own JVM.
describe('the broker JVM dies with its Node parent', { concurrency: 2 }, () => {
  test('SIGKILL of the Node parent leaves no broker JVM (the watchdog stops it) and no temporary folder', async () => {
    const { started, kill, exited } = await startParent('wait');
    assert.ok(isProcessAlive(started.pid), 'the broker runs while its parent does');
    kill();
    await exited;
    await waitFor('the broker JVM to exit after its parent was killed', () => !isProcessAlive(started.pid), 20_000, 100);
    await waitFor('the temporary data folder to be removed', () => !existsSync(started.dataDir), 5_000, 100);
  });

  test('a parent that ends without stop() (after unref) leaves no broker JVM either', async () => {
    const { started, exited } = await startParent('exit');
    await exited;
    await waitFor('the broker JVM to exit after its parent ended', () => !isProcessAlive(started.pid), 20_000, 100);
    await waitFor('the temporary data folder to be removed', () => !existsSync(started.dataDir), 5_000, 100);
  });
});
