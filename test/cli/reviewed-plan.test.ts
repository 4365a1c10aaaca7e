/**
 * Issue 14 item 8, "intent kept": the plan carried out is the plan reviewed. The apply lease is taken before the live
 * state is read and held through the "yes" prompt (another pipectl apply is refused meanwhile), the live state is read
 * again after the "yes" (a change made through Connect's REST API meanwhile is refused, naming connector and keys),
 * an interrupt at the prompt releases the lease, and a saved plan is refused once the live state moved, saying what
 * moved. Real CLI on a pseudo-terminal (util-linux `script`) for the prompt; real standalone worker.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, writeTree } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { http, startWorker, waitFor } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';

let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

const pipeline = (extra: string): string =>
  `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  connectors:\n    - name: sink\n      class: FileStreamSink\n      config: {topics: t, file: out.txt${extra}}\n`;

before(async () => {
  tree = writeTree({ 'pipectl.yaml': 'project: reviews\n', 'pipelines/p.yaml': pipeline('') });
  worker = await startWorker({ dir: tree.dir });
  const first = cli('apply', '--auto-approve');
  assert.equal(first.code, 0, first.stdout + first.stderr);
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

const cli = (...args: string[]) => runCli([...args, '--url', worker.url, '--no-color'], { cwd: tree.dir });
const lease = async () => http('GET', `${worker.url}/pipectl/v1/leases/apply`);
const liveConfig = async (): Promise<Record<string, string>> => (await http('GET', `${worker.url}/connectors/sink/config`)).body as Record<string, string>;

/** `pipectl apply` on a pseudo-terminal, as an operator runs it; resolves once it shows the prompt. */
async function interactiveApply(): Promise<{ type: (text: string) => void; output: () => string; exited: Promise<number | null> }> {
  const command = [process.execPath, CLI, 'apply', '--url', worker.url, '--no-color'].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: tree.dir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor('the apply prompt', () => out.includes('Only "yes" will be accepted'), 30_000);
  return { type: (text) => void child.stdin.write(text), output: () => out, exited };
}

test('a change made while the operator reviews is not overwritten: the lease blocks other applies, and a REST change is refused after "yes"', async () => {
  writeFileSync(join(tree.dir, 'pipelines/p.yaml'), pipeline(', batch.size: "1"'));
  const operator1 = await interactiveApply();
  assert.match(operator1.output(), /\+ batch\.size: "1"/);

  // The lease is held from before planning, through the prompt: another pipectl apply is refused at once.
  const held = await lease();
  assert.equal(held.status, 200, 'the lease is held while the prompt waits');
  assert.match(held.body.holder, / pid \d+$/);
  const operator2 = cli('apply', '--auto-approve');
  assert.equal(operator2.code, 1, operator2.stdout + operator2.stderr);
  assert.match(operator2.stderr, /another apply is running.*\[PIPECTL_APPLY_LOCKED\]/);

  // Operator 2 goes around pipectl: Connect's REST API, which no lease can stop.
  const changed = { ...(await liveConfig()), 'errors.tolerance': 'all' };
  assert.equal((await http('PUT', `${worker.url}/connectors/sink/config`, changed)).status, 200);

  operator1.type('yes\r');
  const code = await operator1.exited;
  const out = operator1.output();
  assert.equal(code, 1, out);
  assert.match(out, /the live state changed after the plan was shown, so it is not the plan you reviewed; nothing was applied/);
  assert.match(out, /changed on the runtime: connector "sink": errors\.tolerance added \(now "all"\)/);
  assert.match(out, /\[PIPECTL_APPLY_STALE_PLAN\]/);
  const live = await liveConfig();
  assert.equal(live['errors.tolerance'], 'all', "operator 2's change is kept");
  assert.equal(live['batch.size'], undefined, "operator 1's plan was not applied");
  assert.equal((await lease()).status, 404, 'the lease is released');
});

test('an interrupt at the prompt exits 130 and releases the lease at once (not when it expires)', async () => {
  const operator = await interactiveApply();
  assert.equal((await lease()).status, 200);
  operator.type('\x03'); // Ctrl-C on the terminal
  assert.equal(await operator.exited, 130, operator.output());
  assert.match(operator.output(), /Interrupted \(SIGINT\) before anything was changed; the apply lease is released/);
  assert.equal((await lease()).status, 404);
});

test('a saved plan is refused once the live state moved, saying which connector and keys moved (secret values hidden)', async () => {
  writeFileSync(join(tree.dir, 'pipelines/p.yaml'), pipeline(', batch.size: "2"'));
  const planned = cli('plan', '--out', 'reviewed.plan');
  assert.equal(planned.code, 0, planned.stderr);
  assert.equal(statSync(join(tree.dir, 'reviewed.plan')).mode & 0o777, 0o600, 'a saved plan is readable by its owner only');
  const changed = { ...(await liveConfig()), 'errors.tolerance': 'none', 'database.password': 'pw-moved-7731' };
  assert.equal((await http('PUT', `${worker.url}/connectors/sink/config`, changed)).status, 200);
  const stale = cli('apply', '--plan', 'reviewed.plan');
  assert.equal(stale.code, 1, stale.stdout + stale.stderr);
  assert.match(stale.stderr, /the saved plan is stale: the live state of the runtime changed/);
  assert.match(stale.stderr, /changed on the runtime: connector "sink": database\.password added \(now \(sensitive\)\); errors\.tolerance changed \(now "none"\)/);
  assert.doesNotMatch(stale.stdout + stale.stderr, /pw-moved-7731/);
  assert.equal((await liveConfig())['batch.size'], undefined, 'nothing was applied');
  assert.equal((await lease()).status, 404);
});

test('a saved plan keeps no --var or --header value; apply --plan needs the same ones again', async () => {
  writeFileSync(join(tree.dir, 'pipelines/p.yaml'), pipeline(', batch.size: "${var:BATCH}"'));
  const planned = cli('plan', '--out', 'vars.plan', '--var', 'BATCH=7', '--var', 'DBPW=varpw-s3cr3t-0001', '--header', 'X-Token: hdrtok-s3cr3t-0002');
  assert.equal(planned.code, 0, planned.stderr);
  assert.match(planned.stderr, /apply --plan vars\.plan --var BATCH=… --var DBPW=… --header "X-Token: …"/);
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(join(tree.dir, 'vars.plan'), 'utf8');
  assert.doesNotMatch(text, /varpw-s3cr3t-0001|hdrtok-s3cr3t-0002/);

  const missing = cli('apply', '--plan', 'vars.plan');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /--var BATCH: given when planning, missing now/);
  assert.match(missing.stderr, /--header X-Token: given when planning, missing now/);
  assert.match(missing.stderr, /\[PIPECTL_APPLY_PLAN_INPUTS\]/);
  const wrong = cli('apply', '--plan', 'vars.plan', '--var', 'BATCH=7', '--var', 'DBPW=other', '--header', 'X-Token: hdrtok-s3cr3t-0002');
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /--var DBPW: the value differs from the one planned with/);
  assert.doesNotMatch(wrong.stderr, /varpw-s3cr3t-0001|other/);
  const applied = cli('apply', '--plan', 'vars.plan', '--var', 'BATCH=7', '--var', 'DBPW=varpw-s3cr3t-0001', '--header', 'X-Token: hdrtok-s3cr3t-0002');
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.equal((await liveConfig())['batch.size'], '7');
});
