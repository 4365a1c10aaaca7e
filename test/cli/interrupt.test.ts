/**
 * Interrupting apply, as Terraform does: the first SIGINT/SIGTERM stops new operations, lets the one in flight end,
 * releases the lease, prints what was done and what was not (`summary` with `interrupted: true`) and exits 130/143;
 * a second one exits at once. A lease left by a process that is gone from this host does not block the next apply.
 * Real CLI child processes and a real standalone worker; every wait is on an event, never a fixed sleep.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startScriptedServer } from '../herder/scripted-server.js';
import type { Answer } from '../herder/scripted-server.js';
import { REPO_ROOT, writeTree } from '../support/paths.js';
import { runCli, spawnCli } from '../support/run-cli.js';
import { http, startWorker } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';

const PLUGINS = join(REPO_ROOT, 'dist', 'test', 'runtime', 'standalone', 'fixtures', 'plugins');
let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

before(async () => {
  tree = writeTree({ 'pipectl.yaml': 'project: interrupts\n' });
  worker = await startWorker({ dir: tree.dir, config: { 'plugin.path': PLUGINS, 'task.shutdown.graceful.timeout.ms': '500' } });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

const sink = (name: string): string => `    - name: ${name}\n      class: FileStreamSink\n      config: {topics: t, file: ${name}.txt}\n`;
// A task that never returns from start(): its connector never becomes healthy, so apply waits on it.
const BLOCKER = `    - name: blocker\n      class: test.MisbehavingSourceConnector\n      config: {block.in: start, topic: t}\n`;
const pipeline = (connectors: string): string => `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  connectors:\n${connectors}`;

function project(name: string, yaml: string): string {
  const dir = join(tree.dir, name);
  mkdirSync(join(dir, 'pipelines'), { recursive: true });
  writeFileSync(join(dir, 'pipectl.yaml'), 'project: interrupts\n');
  writeFileSync(join(dir, 'pipelines', 'p.yaml'), yaml);
  return dir;
}

const events = (stdout: string): Record<string, unknown>[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

test('SIGINT mid-apply: the step in flight ends, nothing later starts, the lease is released, the summary says interrupted, exit 130', async () => {
  const dir = project('sigint', pipeline(BLOCKER + sink('after-one') + sink('after-two')));
  const apply = spawnCli(['apply', '--auto-approve', '--json', '--parallelism', '1', '--wait-timeout', '120', '--url', worker.url], { cwd: dir });
  // The blocker was created and apply is waiting for its health: interrupt now.
  await apply.waitForOutput((out) => (events(out).some((e) => e['event'] === 'operation_waiting' && e['name'] === 'blocker') ? true : undefined));
  apply.child.kill('SIGINT');
  const code = await apply.exited;
  assert.equal(code, 130, apply.stdout() + apply.stderr());
  const all = events(apply.stdout());
  assert.ok(all.some((e) => e['event'] === 'note' && e['interrupted'] === true), 'says it received the interrupt');
  const summary = all[all.length - 1]!;
  assert.equal(summary['event'], 'summary');
  assert.equal(summary['interrupted'], true);
  assert.equal(summary['ok'], false);
  assert.deepEqual((summary['steps'] as { name: string; status: string }[]).map((s) => `${s.name} ${s.status}`), ['blocker failed', 'after-one not-run', 'after-two not-run']);
  const failed = all.find((e) => e['event'] === 'operation_failed');
  assert.equal(failed?.['code'], 'PIPECTL_APPLY_INTERRUPTED');
  assert.equal((await http('GET', `${worker.url}/pipectl/v1/leases/apply`)).status, 404, 'the lease was released');
  assert.equal((await http('GET', `${worker.url}/connectors/after-one`)).status, 404, 'nothing after the interrupt ran');

  // The next apply is not blocked by a lease of the interrupted one.
  const next = runCli(['apply', '--auto-approve', '--url', worker.url], { cwd: project('after', pipeline(sink('after-one'))) });
  assert.equal(next.code, 0, next.stdout + next.stderr);
  assert.doesNotMatch(next.stderr, /another apply is running/);
});

test('SIGTERM (a CI runner cancelling the job) is handled the same way, exit 143', async () => {
  const dir = project('sigterm', pipeline(BLOCKER.replace('blocker', 'blocker-two') + sink('after-three')));
  const apply = spawnCli(['apply', '--auto-approve', '--parallelism', '1', '--wait-timeout', '120', '--url', worker.url], { cwd: dir });
  await apply.waitForOutput((out) => (/blocker-two: Creating\.\.\./.test(out) ? true : undefined));
  apply.child.kill('SIGTERM');
  assert.equal(await apply.exited, 143);
  assert.match(apply.stderr(), /Interrupt received \(SIGTERM\): no new operation will start/);
  assert.match(apply.stdout(), /Apply interrupted: 0 done, 1 failed, 1 not run\.\nNot run \(plan and apply again to continue\):\n {2}- create after-three/);
  assert.equal((await http('GET', `${worker.url}/pipectl/v1/leases/apply`)).status, 404, 'the lease was released');
});

test('a second interrupt exits at once, even while a request hangs', async () => {
  const server = await startScriptedServer((req): Answer => {
    const path = req.url.split('?')[0]!;
    if (req.method === 'GET' && path === '/connectors') return { status: 200, json: {} };
    if (req.method === 'GET' && path === '/connector-plugins') return { status: 200, json: [{ class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: '1' }] };
    if (req.method === 'PUT' && path.endsWith('/config/validate')) return { status: 200, json: { name: 'x', error_count: 0, groups: [], configs: [] } };
    if (req.method === 'POST' && path === '/connectors') return { hang: true };
    return { status: 404, json: { error_code: 404, message: 'HTTP 404 Not Found' } };
  });
  try {
    const apply = spawnCli(['apply', '--auto-approve', '--json', '--url', server.url], { cwd: project('hang', pipeline(sink('hangs'))) });
    await apply.waitForOutput((out) => (events(out).some((e) => e['event'] === 'operation_started') ? true : undefined));
    apply.child.kill('SIGINT');
    await apply.waitForOutput((out) => (events(out).some((e) => e['event'] === 'note' && e['interrupted'] === true) ? true : undefined));
    const second = Date.now();
    apply.child.kill('SIGINT');
    assert.equal(await apply.exited, 130);
    assert.ok(Date.now() - second < 9_000, 'did not wait for the request in flight (its grace is 10 s)');
    assert.ok(events(apply.stdout()).some((e) => e['event'] === 'note' && e['exiting'] === true), apply.stdout());
  } finally {
    await server.close();
  }
});

test('a lease held by a process that is gone from this host is taken over; one held by a live process still blocks', async () => {
  const gone = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.once('exit', () => resolve(child.pid!));
  });
  const deadHolder = `${userInfo().username}@${hostname()} pid ${gone}`;
  assert.equal((await http('PUT', `${worker.url}/pipectl/v1/leases/apply`, { holder: deadHolder, ttl_ms: 600000 })).status, 200);
  const dir = project('takeover', pipeline(sink('after-five')));
  const took = runCli(['apply', '--auto-approve', '--url', worker.url], { cwd: dir });
  assert.equal(took.code, 0, took.stdout + took.stderr);
  assert.match(took.stderr, new RegExp(`The apply lease is held by "${deadHolder}", which is gone \\(no process ${gone} runs on this host .*\\): taking it over\\.`));

  const liveHolder = `${userInfo().username}@${hostname()} pid ${process.pid}`;
  assert.equal((await http('PUT', `${worker.url}/pipectl/v1/leases/apply`, { holder: liveHolder, ttl_ms: 600000 })).status, 200);
  try {
    writeFileSync(join(dir, 'pipelines', 'p.yaml'), pipeline(sink('after-five') + sink('after-four')));
    const blocked = runCli(['apply', '--auto-approve', '--url', worker.url], { cwd: dir });
    assert.equal(blocked.code, 1);
    assert.match(blocked.stderr, /another apply is running: .*pid \d+.*\[PIPECTL_APPLY_LOCKED\]/);
  } finally {
    await http('DELETE', `${worker.url}/pipectl/v1/leases/apply?holder=${encodeURIComponent(liveHolder)}`);
  }
});
