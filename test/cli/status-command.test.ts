/**
 * `pipectl status` against a real standalone worker and the real CLI: declared connectors with their state, tasks,
 * worker, records/s and lag from the worker's /metrics, a FAILED task with the first line of its trace, what apply
 * would change, a connector not created yet, and --json. Against a runtime without GET /metrics (a worker with
 * metrics.prometheus.enable=false, as Apache Kafka Connect has none) the table says what it cannot show. The files are
 * a Git checkout: the last apply (when, by whom, which commit) is read back from the connectors' configs.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeTree } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { startWorker, waitFor } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';

let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;
let bare: WorkerProcess;
let head: string;

const pipeline = (connectors: string): string => `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  connectors:\n${connectors}`;
const SOURCE = `    - name: src\n      class: FileStreamSource\n      config: {topic: t, file: in.txt}\n`;
const SINK = `    - name: sink\n      class: FileStreamSink\n      config: {topics: t, file: out.txt}\n`;
const BROKEN = `    - name: broken\n      class: FileStreamSink\n      config: {topics: t, file: dir-not-file}\n`;

before(async () => {
  tree = writeTree({ 'pipectl.yaml': 'project: statuses\n', 'pipelines/p.yaml': pipeline(SOURCE + SINK + BROKEN) });
  writeFileSync(join(tree.dir, 'in.txt'), Array.from({ length: 3000 }, (_, i) => `line ${i}\n`).join(''));
  mkdirSync(join(tree.dir, 'bare'));
  mkdirSync(join(tree.dir, 'dir-not-file')); // the broken sink cannot open a directory: its task fails in start
  const git = (...args: string[]): string => execFileSync('git', ['-C', tree.dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { encoding: 'utf8' }).trim();
  git('init', '-q');
  git('add', 'pipectl.yaml', 'pipelines');
  git('commit', '-qm', 'pipelines');
  head = git('rev-parse', 'HEAD');
  [worker, bare] = await Promise.all([startWorker({ dir: join(tree.dir) }), startWorker({ dir: join(tree.dir, 'bare'), config: { 'metrics.prometheus.enable': 'false' } })]);
});

after(async () => {
  await Promise.all([worker?.stop(), bare?.stop()]);
  tree?.cleanup();
});

const cli = (url: string, ...args: string[]) => runCli([...args, '--url', url, '--no-color'], { cwd: tree.dir, env: { PIPECTL_APPLIED_BY: 'ana@ci' } });

interface JsonRow { connector: string; state: string | null; tasksRunning: number; tasksTotal: number; workers: string[]; recordsInPerSecond: number | null; lagRecords: number | null; sync: string; pending: string[]; failedTasks: { id: number; trace: string }[]; lastApply: { at: string; by: string; commit: string | null; project: string } | null }

test('status: states, tasks, workers, rates and lag from /metrics, the failed task\'s trace, and what apply would change', async () => {
  const before = Date.now();
  const applied = cli(worker.url, 'apply', '--auto-approve', '--wait-timeout', '20');
  assert.equal(applied.code, 1, 'the broken sink fails');
  const appliedBy = Date.now();
  // A fourth connector declared after the apply: not created yet.
  writeFileSync(join(tree.dir, 'pipelines/p.yaml'), pipeline(SOURCE + SINK + BROKEN + `    - name: later\n      class: FileStreamSink\n      config: {topics: t, file: later.txt}\n`));
  const rows = await waitFor('the sink to have read the file', () => {
    const out = cli(worker.url, 'status', '--json');
    assert.equal(out.code, 0, out.stderr);
    const view = JSON.parse(out.stdout) as { formatVersion: number; metrics: boolean; rows: JsonRow[] };
    assert.equal(view.formatVersion, 1);
    assert.equal(view.metrics, true);
    const byName = new Map(view.rows.map((r) => [r.connector, r]));
    return byName.get('sink')?.lagRecords === 0 && byName.get('broken')?.failedTasks.length === 1 ? byName : undefined;
  }, 60_000, 500);
  const workerId = new URL(worker.url).host;
  assert.deepEqual({ state: rows.get('src')!.state, tasks: `${rows.get('src')!.tasksRunning}/${rows.get('src')!.tasksTotal}`, workers: rows.get('src')!.workers, sync: rows.get('src')!.sync }, { state: 'RUNNING', tasks: '1/1', workers: [workerId], sync: 'in sync' });
  assert.ok((rows.get('sink')!.recordsInPerSecond ?? -1) >= 0);
  assert.match(rows.get('broken')!.failedTasks[0]!.trace, /\S/);
  assert.doesNotMatch(rows.get('broken')!.failedTasks[0]!.trace, /\n/);
  assert.deepEqual(rows.get('broken')!.pending, ['restart']);
  const last = rows.get('src')!.lastApply!;
  assert.deepEqual({ by: last.by, commit: last.commit, project: last.project }, { by: 'ana@ci', commit: head, project: 'statuses' });
  assert.ok(Date.parse(last.at) >= before - 1000 && Date.parse(last.at) <= appliedBy + 1000, `applied at ${last.at}`);
  assert.equal(rows.get('later')!.lastApply, null);
  assert.deepEqual({ state: rows.get('later')!.state, sync: rows.get('later')!.sync, pending: rows.get('later')!.pending }, { state: null, sync: 'not created', pending: ['create'] });

  const table = cli(worker.url, 'status');
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^CONNECTOR\s+PIPELINE\s+STATE\s+TASKS\s+WORKERS\s+IN\/s\s+OUT\/s\s+LAG\s+RESTARTS\s+LAST APPLY\s+SYNC$/m);
  assert.match(table.stdout, new RegExp(`^src\\s.*\\s\\d+[sm] ago by ana@ci @${head.slice(0, 7)}\\s+in sync$`, 'm'));
  assert.match(table.stdout, new RegExp(`^src\\s+p\\s+RUNNING\\s+1/1\\s+${workerId.replace(/\./g, '\\.')}\\s`, 'm'));
  assert.match(table.stdout, /^later\s+p\s+absent\s+-\s+-\s.*not created \(create\)$/m);
  assert.match(table.stdout, /^Failed:\n {2}broken task 0 on \S+: FAILED — \S/m);

  // Applied again with 'later' declared but not committed: its stamp says so; untouched connectors keep theirs.
  assert.equal(cli(worker.url, 'apply', '--auto-approve', '--wait-timeout', '20').code, 1, 'the broken sink still fails');
  const again = new Map((JSON.parse(cli(worker.url, 'status', '--json').stdout) as { rows: JsonRow[] }).rows.map((r) => [r.connector, r]));
  assert.equal(again.get('later')!.lastApply!.commit, `${head}-dirty`);
  assert.deepEqual(again.get('src')!.lastApply, last, 'src was not changed: its stamp is the first apply\'s');
});

test('status against a runtime without /metrics says what it cannot show; bad --watch is refused', () => {
  const out = cli(bare.url, 'status');
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /Records\/s, lag and restarts: this runtime has no GET \/metrics/);
  assert.match(out.stdout, /^src\s+p\s+absent/m);
  const watch = cli(bare.url, 'status', '--watch', '0');
  assert.equal(watch.code, 1);
  assert.match(watch.stderr, /--watch 0: expected a number of seconds above 0/);
});
