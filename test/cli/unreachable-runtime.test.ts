/**
 * An unreachable runtime: the real CLI says each retry as it happens (stderr in text mode, `runtime_retrying` events
 * with --json), stops within --runtime-timeout (sooner on a loopback port nothing listens on) and ends with the coded
 * error — not 30 s of silence.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { writeTree } from '../support/paths.js';
import { closedPort } from '../support/ports.js';
import { runCli } from '../support/run-cli.js';

const PIPELINE = `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  connectors:\n    - name: s\n      class: FileStreamSink\n      config: {topics: t, file: out.txt}\n`;
let tree: { dir: string; cleanup: () => void };

before(() => {
  tree = writeTree({ 'pipelines/p.yaml': PIPELINE, 'pipectl.yaml': 'project: u\n' });
});
after(() => tree.cleanup());

test('plan against a closed loopback port: retries on stderr as they happen, then the error, within the loopback bound', async () => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  const started = Date.now();
  const r = runCli(['plan', '--url', url], { cwd: tree.dir });
  const ms = Date.now() - started;
  assert.equal(r.code, 1);
  const retries = r.stderr.split('\n').filter((l) => l.startsWith(`Runtime ${url} not ready (connection refused on GET /connectors)`));
  assert.ok(retries.length >= 2, r.stderr);
  assert.match(retries[0]!, /try 2 in \d+\.\ds \[0\.\ds elapsed, giving up after 5\.0s\]/);
  const over = /Error: cannot reach the runtime at .*: connection refused after \d+ attempts over (\d+\.\d) s \[PIPECTL_RUNTIME_UNREACHABLE\]/.exec(r.stderr);
  assert.ok(over, r.stderr);
  // The budget is 5 s: it gives up when the next back-off would pass it (a little before), or once the attempt under
  // way when it ends has finished (after, by seconds on a busy machine).
  assert.ok(Number(over[1]) >= 4, `gave up after ${over[1]} s, long before the 5 s budget`);
  assert.ok(ms < 20_000, `took ${ms} ms (the default was ~30 s)`);
});

test('apply --json: runtime_retrying events, then the diagnostic and the summary; --runtime-timeout bounds the wait', async () => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  const r = runCli(['apply', '--auto-approve', '--json', '--runtime-timeout', '1', '--url', url], { cwd: tree.dir });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, '');
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const retries = events.filter((e) => e['event'] === 'runtime_retrying');
  assert.ok(retries.length >= 1, r.stdout);
  assert.equal(retries[0]!['reason'], 'connection refused');
  assert.equal(retries[0]!['budget_ms'], 1000);
  const diagnostic = events.find((e) => e['event'] === 'diagnostic');
  assert.equal(diagnostic?.['code'], 'PIPECTL_RUNTIME_UNREACHABLE');
  assert.equal(events[events.length - 1]!['event'], 'summary');
});

test('an unknown host fails at once, with no retry', () => {
  const started = Date.now();
  const r = runCli(['plan', '--url', 'http://pipectl-no-such-host.invalid:8083'], { cwd: tree.dir });
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stderr, /not ready/);
  assert.match(r.stderr, /host not found|temporary DNS failure/);
  assert.ok(Date.now() - started < 10_000);
});
