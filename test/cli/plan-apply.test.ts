/**
 * plan and apply end to end, as CI runs them: the real CLI against a real standalone worker process.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, writeTree } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { http, startWorker, waitFor } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';

const PLUGINS = join(REPO_ROOT, 'dist', 'test', 'runtime', 'standalone', 'fixtures', 'plugins');
let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

function flowYaml(sinkTasks: number, sourceState = 'running'): string {
  return `apiVersion: pipectl.dev/v1
kind: Pipeline
metadata: {name: flow}
spec:
  connectors:
    - name: flow-source
      type: source
      class: FileStreamSource
      state: ${sourceState}
      config: {file: "${tree.dir}/input.txt", topic: flow}
    - name: flow-sink
      type: sink
      class: FileStreamSink
      tasksMax: ${sinkTasks}
      config: {topics: flow, file: "${tree.dir}/output.txt"}
`;
}

const GENERATED = `apiVersion: pipectl.dev/v1
kind: Pipeline
metadata: {name: generated}
spec:
  connectors:
    - name: gen
      class: Generator
      config: {topic: gen, count: 100, seed: 1}
    - name: gen-sink
      class: FileStreamSink
      config: {topics: gen, file: generated.txt, value.converter: org.apache.kafka.connect.json.JsonConverter, value.converter.schemas.enable: false}
`;

const cli = (...args: string[]) => runCli([...args, '--url', worker.url], { cwd: tree.dir });
const lines = (f: string): string[] => (existsSync(join(tree.dir, f)) ? readFileSync(join(tree.dir, f), 'utf8').split('\n').filter(Boolean) : []);

before(async () => {
  tree = writeTree({ 'pipectl.yaml': 'project: e2e\n', 'input.txt': '' });
  worker = await startWorker({ dir: tree.dir, config: { 'plugin.path': PLUGINS, 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' } });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

function writePipelines(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const path = join(tree.dir, 'pipelines', name);
    writeFileSync(path, text);
  }
}

test('apply creates the pipelines, data flows, and plan right after shows no changes', async () => {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(tree.dir, 'pipelines'), { recursive: true });
  writePipelines({ 'flow.yaml': flowYaml(1), 'generated.yaml': GENERATED });
  const applied = cli('apply', '--auto-approve');
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.match(applied.stdout, /Apply complete!/);
  appendFileSync(join(tree.dir, 'input.txt'), 'hello\nworld\n');
  await waitFor('lines in the sink', () => lines('output.txt').length === 2);
  await waitFor('100 generated records', () => lines('generated.txt').length === 100);
  const plan = cli('plan', '--detailed-exitcode');
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  assert.match(plan.stdout, /No changes\./);
});

test('an edited file plans exactly that change, and apply converges', () => {
  writePipelines({ 'flow.yaml': flowYaml(2) });
  const plan = cli('plan', '--detailed-exitcode', '--no-color');
  assert.equal(plan.code, 2, plan.stdout + plan.stderr);
  assert.match(plan.stdout, /~ update connector "flow-sink"\n\s+~ tasks\.max: "1" -> "2"\n/);
  assert.match(plan.stdout, /Plan: 0 to create, 1 to update, 0 to delete, 0 state changes\./);
  const json = JSON.parse(cli('plan', '--json').stdout) as { formatVersion: number; operations: { op: string; name: string }[] };
  assert.equal(json.formatVersion, 1);
  assert.deepEqual(json.operations.map((o) => `${o.op} ${o.name}`), ['update flow-sink']);
  assert.equal(cli('apply', '--auto-approve').code, 0);
  assert.equal(cli('plan', '--detailed-exitcode').code, 0);
});

test('a saved plan is refused once the live state moved', async () => {
  writePipelines({ 'flow.yaml': flowYaml(2, 'paused') });
  const planned = cli('plan', '--out', 'reviewed.plan.json');
  assert.equal(planned.code, 0, planned.stderr);
  // Someone changes the runtime by hand after the plan was reviewed.
  assert.equal((await http('PUT', `${worker.url}/connectors/gen-sink/pause`)).status, 202);
  const stale = cli('apply', '--plan', 'reviewed.plan.json');
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /the saved plan is stale: the live state of the runtime changed/);
  assert.equal((await http('GET', `${worker.url}/connectors/flow-source/status`)).body.connector.state, 'RUNNING', 'nothing was applied');
  // A fresh plan applies; the hand-made pause is reverted because the files say running.
  assert.equal(cli('plan', '--out', 'fresh.plan.json').code, 0);
  const applied = cli('apply', '--plan', 'fresh.plan.json');
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.equal((await http('GET', `${worker.url}/connectors/flow-source/status`)).body.connector.state, 'PAUSED');
  assert.equal((await http('GET', `${worker.url}/connectors/gen-sink/status`)).body.connector.state, 'RUNNING');
});

test('a connector whose task fails makes apply exit 1 with the trace', () => {
  writePipelines({ 'failing.yaml': `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: failing}\nspec:\n  connectors:\n    - name: doomed\n      class: test.MisbehavingSourceConnector\n      config: {fail.in: poll}\n` });
  const r = cli('apply', '--auto-approve', '--wait-timeout', '20');
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /boom in poll/);
  writePipelines({ 'failing.yaml': `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: failing}\nspec: {}\n` });
  assert.equal(cli('apply', '--auto-approve', '--prune').code, 0, 'pruning removes the failed connector');
});

test('concurrent applies do not interleave: the second fails naming the holder, or waits with --lock-timeout', async () => {
  writePipelines({ 'flow.yaml': flowYaml(1, 'paused') });
  const held = await http('PUT', `${worker.url}/pipectl/v1/leases/apply`, { holder: 'alice@ci pid 1', ttl_ms: 60000 });
  assert.equal(held.status, 200);
  const blocked = cli('apply', '--auto-approve');
  assert.equal(blocked.code, 1);
  assert.match(blocked.stderr, /another apply is running: .*alice@ci pid 1/);
  setTimeout(() => void http('DELETE', `${worker.url}/pipectl/v1/leases/apply?holder=${encodeURIComponent('alice@ci pid 1')}`), 1500);
  const { spawn } = await import('node:child_process');
  const waited = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'pipectl.js'), 'apply', '--auto-approve', '--lock-timeout', '15', '--url', worker.url], { cwd: tree.dir, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code ?? -1));
  });
  assert.equal(waited, 0, 'the second apply waited for the lease and then applied');
  assert.equal(cli('plan', '--detailed-exitcode').code, 0);
});

test('import writes pipeline YAML for a hand-made connector; plan --adopt then only adopts it', async () => {
  const made = await http('POST', `${worker.url}/connectors`, { name: 'handmade', config: { 'connector.class': 'FileStreamSink', topics: 'flow', file: 'handmade.txt', 'connection.password': 'hunter2' } });
  assert.equal(made.status, 201);
  const imported = cli('import', 'handmade', '--pipeline', 'handmade', '--out', 'pipelines/handmade.yaml');
  assert.equal(imported.code, 0, imported.stderr);
  const yaml = readFileSync(join(tree.dir, 'pipelines', 'handmade.yaml'), 'utf8');
  assert.doesNotMatch(yaml, /hunter2/);
  assert.match(yaml, /connection\.password: \$\{env:HANDMADE_CONNECTION_PASSWORD\}/);
  assert.match(imported.stderr, /looks secret/);
  const conflict = cli('plan', '--no-color');
  assert.equal(conflict.code, 1, 'without --adopt, a declared unowned connector is a conflict');
  assert.match(conflict.stdout, /not managed by project "e2e"/);
  const plan = cli('plan', '--adopt', '--no-color', '--json');
  const ops = (JSON.parse(plan.stdout) as { operations: { op: string; name: string; adopt?: boolean; changes?: { key: string }[] }[] }).operations;
  assert.deepEqual(ops.map((o) => `${o.op} ${o.name}`), ['update handmade']);
  assert.equal(ops[0]!.adopt, true);
  assert.deepEqual(ops[0]!.changes!.map((c) => c.key), ['connection.password'], 'only the literal secret, now a reference, changes');
  assert.doesNotMatch(plan.stdout, /hunter2/);
  // The change is real (apply writes the reference in place of the literal), so it is shown, and import says so,
  // as does the README (item 9 of issue 13: they disagreed).
  assert.match(imported.stderr, /plan --adopt shows it as a \(sensitive\) change: apply replaces the literal with the reference/);
  const text = cli('plan', '--adopt', '--no-color');
  assert.match(text.stdout, /~ connection\.password: \(sensitive\) -> \(sensitive\)/);
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
  assert.ok(!readme.includes('`plan --adopt` shows only the adoption.'), 'the README no longer says "only the adoption"');
  assert.ok(readme.includes('each literal secret it replaced by a reference shows as a `(sensitive)` change'), 'the README says what plan --adopt shows');
  // Leave the runtime as the next tests expect it.
  rmSync(join(tree.dir, 'pipelines', 'handmade.yaml'));
  assert.equal((await http('DELETE', `${worker.url}/connectors/handmade`)).status, 204);
});

test('plan validates configs on the runtime first: a rejected value is an error at its key, and apply changes nothing', async () => {
  writePipelines({ 'bad.yaml': `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: bad}\nspec:\n  connectors:\n    - name: too-fast\n      class: Generator\n      config:\n        topic: t\n        rate: fast\n` });
  try {
    const plan = cli('plan', '--no-color');
    assert.equal(plan.code, 1);
    assert.match(plan.stdout, /Error: pipelines\/bad\.yaml:10:9: connector "too-fast": rate: Invalid value fast for configuration rate/);
    const apply = cli('apply', '--auto-approve');
    assert.equal(apply.code, 1);
    assert.equal((await http('GET', `${worker.url}/connectors/too-fast`)).status, 404, 'nothing was created');
  } finally {
    writePipelines({ 'bad.yaml': `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: bad}\nspec: {}\n` });
  }
});

test('topics declared in pipeline files are planned and created before the connectors that use them', async () => {
  writePipelines({
    'topics.yaml': `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: topics}\nspec:\n  topics:\n    - {name: declared-orders, partitions: 3, config: {retention.ms: "3600000"}}\n  connectors:\n    - name: orders-gen\n      class: Generator\n      config: {topic: declared-orders, count: 30}\n`,
  });
  try {
    const plan = cli('plan', '--no-color');
    assert.match(plan.stdout, /\+ create topic "declared-orders" \(3 partitions/);
    assert.ok(plan.stdout.indexOf('create topic "declared-orders"') < plan.stdout.indexOf('create connector "orders-gen"'), 'topics first');
    const applied = cli('apply', '--auto-approve');
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    const topics = (await http('GET', `${worker.url}/pipectl/v1/topics`)).body as { name: string; partitions: number; config: Record<string, string> }[];
    const t = topics.find((x) => x.name === 'declared-orders');
    assert.equal(t?.partitions, 3);
    assert.equal(t?.config['retention.ms'], '3600000');
    assert.equal(cli('plan', '--detailed-exitcode').code, 0, 'the topic now exists: no changes');
  } finally {
    writePipelines({ 'topics.yaml': `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: topics}\nspec: {}\n` });
    assert.equal(cli('apply', '--auto-approve', '--prune').code, 0);
  }
});
