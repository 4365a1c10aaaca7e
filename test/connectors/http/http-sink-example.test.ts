/**
 * examples/http-sink as its README runs it — the receiver, then the worker with the example's files, both with the
 * README's API_TOKEN — on free ports: 200 generated orders arrive once each in received.jsonl, the receiver's 503s show
 * as retries in the worker log, and the token shows in neither log.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../support/paths.js';
import { closedPort } from '../../support/ports.js';
import { startWorker, waitFor } from '../../support/worker-process.js';

const readLines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);

test('examples/http-sink: 200 orders reach the receiver once each, through its 503s', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-example-http-'));
  const port = await closedPort();
  cpSync(join(REPO_ROOT, 'examples', 'http-sink'), dir, { recursive: true });
  for (const f of readdirSync(dir).filter((x) => /\.(properties|md)$/.test(x))) {
    writeFileSync(join(dir, f), readFileSync(join(dir, f), 'utf8').replaceAll('8090', String(port)).replace(/^listeners=.*$/m, 'listeners=http://127.0.0.1:0'));
  }
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const receiverCommand = /^API_TOKEN=(\S+) node (receiver\.mjs)$/m.exec(readme)!;
  const token = receiverCommand[1]!;
  const workerCommand = new RegExp(`^API_TOKEN=${token} npx pipectl worker standalone (.+)$`, 'm').exec(readme)![1]!.split(' ');
  const receiver = spawn(process.execPath, [receiverCommand[2]!], { cwd: dir, env: { ...process.env, API_TOKEN: token, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let receiverLog = '';
  receiver.stdout!.setEncoding('utf8').on('data', (d: string) => (receiverLog += d));
  receiver.stderr!.setEncoding('utf8').on('data', (d: string) => (receiverLog += d));
  const receiverExited = new Promise((resolve) => receiver.once('exit', resolve));
  try {
    await waitFor('the receiver to listen', () => receiverLog.includes('receiver listening'), 30_000);
    const workerConfig = Object.fromEntries(readFileSync(join(dir, workerCommand[0]!), 'utf8').split('\n').filter((l) => /^[a-z]/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const worker = await startWorker({ dir, config: workerConfig, connectorFiles: workerCommand.slice(1), env: { API_TOKEN: token } });
    const out = join(dir, 'received.jsonl');
    try {
      await waitFor('200 orders in received.jsonl', () => readLines(out).length >= 200, 90_000, 100);
      await waitFor('a retry after a 503 in the worker log', () => /HTTP sink: retry 1\/10 of batch orders-http:web-orders:0:\d+-\d+:[0-9a-f]{16} \(\d+ records\) in \d+ ms after HTTP 503, Retry-After 1000 ms/.test(worker.log()), 30_000);
    } finally {
      await worker.stop();
    }
    const orders = readLines(out).map((l) => JSON.parse(l) as { order_id: number });
    assert.equal(orders.length, 200);
    assert.equal(new Set(orders.map((o) => o.order_id)).size, 200, 'each order once');
    assert.match(receiverLog, /batch orders-http:web-orders:0:0-19:[0-9a-f]{16}: 20 records/);
    assert.doesNotMatch(worker.log(), new RegExp(token));
  } finally {
    receiver.kill('SIGTERM');
    await receiverExited;
    rmSync(dir, { recursive: true, force: true });
  }
});
