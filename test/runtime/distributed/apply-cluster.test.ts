/**
 * `pipectl apply` of the quickstart repository (examples/quickstart/pipeline.yaml: a topic, a FileStreamSource and a
 * FileStreamSink) against a 3-worker distributed cluster converges: every connector and task RUNNING, data flows
 * through Kafka, and `plan --detailed-exitcode` right after shows no changes from any of the three workers' URLs.
 *
 * The example is copied into a temp dir and adjusted: its relative file paths (input.txt, output.txt) would resolve
 * against whichever worker's folder runs the task, so they are made absolute; its topic gets a unique name, since the
 * test broker is shared by every test of a run.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { kafkaBootstrap, uniqueGroup, uniqueTopic } from '../../support/kafka.js';
import { runCli } from '../../support/run-cli.js';
import { waitFor } from '../../support/worker-process.js';
import { allRunningOn, logTails, startCluster, statuses, workerIdOf } from './cluster-support.js';
import { quickstartPipeline } from '../../support/quickstart-pipeline.js';

test('pipectl apply of the quickstart against a 3-worker cluster converges, and plan from every worker shows no changes', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pipectl-apply-cluster-'));
  const repo = join(dir, 'repo');
  const bootstrap = await kafkaBootstrap();
  const id = uniqueGroup('apply-cluster');
  const topic = uniqueTopic('quickstart');
  mkdirSync(repo);
  const input = join(repo, 'input.txt');
  const output = join(repo, 'output.txt');
  const pipeline = quickstartPipeline({ input, output, topic });
  assert.ok(pipeline.includes(input) && pipeline.includes(output), 'file paths made absolute');
  writeFileSync(join(repo, 'pipeline.yaml'), pipeline);
  writeFileSync(input, '');

  // The quickstart's worker.properties uses String converters; the cluster uses the same.
  const cluster = await startCluster({
    dir,
    bootstrap,
    id,
    size: 3,
    config: {
      'offset.flush.interval.ms': '1000',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    },
  });
  const cli = (url: string, ...args: string[]) => runCli([...args, '--url', url], { cwd: repo });
  try {
    const applied = cli(cluster.workers[0]!.url, 'apply', '--auto-approve', 'pipeline.yaml');
    t.diagnostic(`apply:\n${applied.stdout}${applied.stderr}`);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /Apply complete!/);

    const ids = cluster.workers.map(workerIdOf);
    await waitFor('both connectors and their tasks RUNNING', async () => allRunningOn(await statuses(cluster.workers[0]!.url), 2, 1, ids), 60_000, 200);

    // Data goes file → Kafka → file.
    const lines = ['hello from a distributed cluster', 'second line'];
    appendFileSync(input, lines.map((l) => `${l}\n`).join(''));
    await waitFor('the lines in output.txt', () => existsSync(output) && lines.every((l) => readFileSync(output, 'utf8').includes(l)), 30_000, 100);

    for (const w of cluster.workers) {
      const plan = cli(w.url, 'plan', '--detailed-exitcode', 'pipeline.yaml');
      assert.equal(plan.code, 0, `plan against ${w.url} exited ${plan.code}:\n${plan.stdout}${plan.stderr}`);
      t.diagnostic(`plan against ${w.url}: ${plan.stdout.trim().split('\n').slice(-1)[0] ?? ''}`);
    }
  } catch (e) {
    for (const tail of logTails(cluster)) t.diagnostic(tail);
    t.diagnostic(`statuses: ${JSON.stringify(await statuses(cluster.workers[0]!.url).catch((x: Error) => x.message))}`);
    throw e;
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
