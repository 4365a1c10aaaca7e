/**
 * The steps of apply-real-connect.test.ts, for one real Apache Kafka Connect worker (standalone or distributed).
 * Each step asserts on exit codes and on `plan --json`, not on human text; on failure the worker's log tail and the
 * connectors' statuses are printed as test diagnostics.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { uniqueTopic } from '../support/kafka.js';
import { startTestConnect } from '../support/kafka-connect.js';
import type { KafkaConnectWorker } from '../support/kafka-connect.js';
import { runCli } from '../support/run-cli.js';
import type { CliResult } from '../support/run-cli.js';
import { waitFor, http } from '../support/worker-process.js';
import { quickstartPipeline } from '../support/quickstart-pipeline.js';

const PROJECT = 'compat';
const SOURCE = 'quickstart-source';
const SINK = 'quickstart-sink';

interface PlanJson {
  operations: { op: string; name: string; adopt?: boolean; changes?: { key: string; kind: string; before?: string; after?: string }[] }[];
  diagnostics: { severity: string; code: string; message: string }[];
}

/** The quickstart pipeline with absolute file paths, a unique topic, and the given source/sink tweaks. */
function quickstart(p: { input: string; output: string; topic: string; sourceState?: string; withSink?: boolean }): string {
  let text = quickstartPipeline(p);
  if (p.sourceState) text = text.replace(/(- name: quickstart-source\n)/, `$1      state: ${p.sourceState}\n`);
  if (p.withSink === false) text = text.slice(0, text.indexOf('    - name: quickstart-sink'));
  return text;
}

/**
 * Connectors that stay as created for the whole scenario, so every `plan` checks their normalisation too: created
 * directly paused (KIP-980: real Connect reports PAUSED with no tasks) and stopped; a structured transform and
 * predicate by alias; a secret reference (Connect, with no config provider, keeps the text); a number value.
 */
function extras(repo: string, topic: string): string {
  return `apiVersion: pipectl.dev/v1
kind: Pipeline
metadata: {name: extras}
spec:
  connectors:
    - name: born-paused
      class: org.apache.kafka.connect.file.FileStreamSinkConnector
      state: paused
      config: {topics: ${topic}, file: ${JSON.stringify(join(repo, 'paused.txt'))}, api.token: "\${env:EXTRAS_TOKEN}"}
      transforms:
        - {name: hdr, type: InsertHeader, predicate: isOurs, config: {header: h, value.literal: v}}
      predicates:
        - {name: isOurs, type: TopicNameMatches, config: {pattern: ${topic}}}
    - name: born-stopped
      class: FileStreamSourceConnector
      state: stopped
      tasksMax: 1
      config: {topic: ${topic}, file: ${JSON.stringify(join(repo, 'stopped.txt'))}, batch.size: 100}
`;
}

export async function runRealConnectScenario(t: TestContext, mode: 'standalone' | 'distributed'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `pipectl-real-connect-${mode}-`));
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'pipelines'), { recursive: true });
  const topic = uniqueTopic(`real-connect-${mode}`);
  const input = join(repo, 'input.txt');
  const output = join(repo, 'output.txt');
  const output2 = join(repo, 'output2.txt');
  writeFileSync(input, '');
  writeFileSync(join(repo, 'pipectl.yaml'), `project: ${PROJECT}\n`);
  const write = (p: { output?: string; sourceState?: string; withSink?: boolean } = {}) =>
    writeFileSync(join(repo, 'pipelines', 'quickstart.yaml'), quickstart({ input, output: p.output ?? output, topic, ...p }));

  // The quickstart's worker.properties uses String converters; so does this worker.
  const worker = await startTestConnect({
    mode,
    dataDir: join(dir, 'connect'),
    workerConfig: {
      'offset.flush.interval.ms': '500',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    },
  }).catch((e: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  const cli = (...args: string[]): CliResult => {
    const r = runCli([...args, '--url', worker.url], { cwd: repo });
    t.diagnostic(`pipectl ${args.join(' ')} → ${r.code}`);
    return r;
  };
  const planJson = (...flags: string[]): { code: number; plan: PlanJson; raw: CliResult } => {
    const raw = cli('plan', '--json', '--detailed-exitcode', ...flags);
    assert.notEqual(raw.code, 1, `plan failed:\n${raw.stdout}${raw.stderr}`);
    return { code: raw.code, plan: JSON.parse(raw.stdout) as PlanJson, raw };
  };
  const assertNoChanges = (why: string, ...flags: string[]): void => {
    const r = cli('plan', '--detailed-exitcode', '--no-color', ...flags);
    assert.equal(r.code, 0, `${why}: plan --detailed-exitcode exited ${r.code}:\n${r.stdout}${r.stderr}`);
  };
  /** Runs `apply --json` and asserts that exactly `expected` operations finished (as "op name"), none failed. */
  const apply = (expected: readonly string[], ...flags: string[]): void => {
    const r = cli('apply', '--auto-approve', '--json', ...flags);
    assert.equal(r.code, 0, `apply ${flags.join(' ')} exited ${r.code}:\n${r.stdout}${r.stderr}`);
    const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string; op?: string; name?: string; ok?: boolean });
    // Sorted: with --parallelism, operations may finish in any order.
    assert.deepEqual(events.filter((e) => e.event === 'operation_finished').map((e) => `${e.op} ${e.name}`).sort(), [...expected].sort(), r.stdout);
    assert.equal(events.find((e) => e.event === 'summary')?.ok, true, r.stdout);
  };
  const opsOf = (p: PlanJson): string[] => p.operations.map((o) => `${o.op} ${o.name}`);

  try {
    // 1. apply the quickstart; data flows file → Kafka → file through the real FileStream connectors.
    write();
    writeFileSync(join(repo, 'pipelines', 'extras.yaml'), extras(repo, topic));
    apply([`create ${SOURCE}`, `create ${SINK}`, 'create born-paused', 'create born-stopped']);
    await waitForState(worker, 'born-paused', 'PAUSED');
    await waitForState(worker, 'born-stopped', 'STOPPED');
    await waitForState(worker, SOURCE, 'RUNNING');
    await waitForState(worker, SINK, 'RUNNING');
    const first = ['hello from real Connect', 'second line'];
    appendFileSync(input, first.map((l) => `${l}\n`).join(''));
    await waitForLines(output, first);

    // 2. no perpetual diff right after.
    assertNoChanges('right after apply');

    // 3a. an edit: the sink writes to another file. The plan shows exactly that update.
    write({ output: output2 });
    const edit = planJson();
    assert.equal(edit.code, 2);
    assert.deepEqual(opsOf(edit.plan), [`update ${SINK}`]);
    assert.deepEqual(edit.plan.operations[0]!.changes, [{ key: 'file', kind: 'changed', before: output, after: output2, sensitive: false }]);
    apply([`update ${SINK}`]);
    assertNoChanges('after the edit');
    appendFileSync(input, 'third line\n');
    await waitForLines(output2, ['third line']);

    // 3b. a pause declared in the file.
    write({ output: output2, sourceState: 'paused' });
    assert.deepEqual(opsOf(planJson().plan), [`pause ${SOURCE}`]);
    apply([`pause ${SOURCE}`]);
    await waitForState(worker, SOURCE, 'PAUSED');
    assertNoChanges('after the pause');

    // 3c. a stop declared in the file; offsets are not declared in pipeline files, so they are altered through
    // Connect's REST: back to position 0 of the input file. Plan must not care; resuming re-reads from position 0,
    // so the lines written before the edit (only in output.txt so far) appear in output2.txt.
    write({ output: output2, sourceState: 'stopped' });
    assert.deepEqual(opsOf(planJson().plan), [`stop ${SOURCE}`]);
    apply([`stop ${SOURCE}`]);
    await waitForState(worker, SOURCE, 'STOPPED');
    assertNoChanges('after the stop');
    const altered = await http('PATCH', `${worker.url}/connectors/${SOURCE}/offsets`, { offsets: [{ partition: { filename: input }, offset: { position: 0 } }] });
    assert.equal(altered.status, 200, `alter offsets: ${JSON.stringify(altered.body)}`);
    assertNoChanges('after altering offsets');
    write({ output: output2 });
    assert.deepEqual(opsOf(planJson().plan), [`resume ${SOURCE}`]);
    apply([`resume ${SOURCE}`]);
    await waitForState(worker, SOURCE, 'RUNNING');
    await waitForLines(output2, first);
    assertNoChanges('after the resume');

    // 3d. a delete: the sink leaves the file. Without --prune nothing is deleted; with it, the owned sink is.
    write({ output: output2, withSink: false });
    assert.deepEqual(opsOf(planJson().plan), []);
    const prune = planJson('--prune');
    assert.equal(prune.code, 2);
    assert.deepEqual(opsOf(prune.plan), [`delete ${SINK}`]);
    apply([`delete ${SINK}`], '--prune');
    assert.equal((await http('GET', `${worker.url}/connectors/${SINK}`)).status, 404, 'the sink is gone from Connect');
    assertNoChanges('after the delete', '--prune');

    // 4. import of a connector made by hand on Connect (fully qualified class, string tasks.max), adopt, converge.
    const made = await http('POST', `${worker.url}/connectors`, {
      name: 'handmade',
      config: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', 'tasks.max': '1', topics: topic, file: join(repo, 'handmade.txt') },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await waitForState(worker, 'handmade', 'RUNNING');
    const imported = cli('import', 'handmade', '--pipeline', 'handmade', '--out', 'pipelines/handmade.yaml');
    assert.equal(imported.code, 0, imported.stdout + imported.stderr);
    const importedYaml = readFileSync(join(repo, 'pipelines', 'handmade.yaml'), 'utf8');
    t.diagnostic(`imported:\n${importedYaml}`);
    // Live has the fully qualified class; declare the alias instead, as a person would write it: still no change.
    writeFileSync(join(repo, 'pipelines', 'handmade.yaml'), importedYaml.replace(/class: \S+/, 'class: FileStreamSink'));
    const validated = runCli(['validate', '--json', 'pipelines/'], { cwd: repo });
    assert.equal(validated.code, 0, validated.stdout + validated.stderr);
    assert.deepEqual(JSON.parse(validated.stdout), []);
    assert.equal(cli('plan', '--no-color').code, 1, 'without --adopt, a declared unowned connector is a conflict');
    const adopt = planJson('--adopt');
    assert.equal(adopt.code, 2);
    assert.deepEqual(opsOf(adopt.plan), ['update handmade']);
    assert.equal(adopt.plan.operations[0]!.adopt, true);
    assert.deepEqual(adopt.plan.operations[0]!.changes, [], 'only the adoption, no config change');
    apply(['update handmade'], '--adopt');
    await waitForState(worker, 'handmade', 'RUNNING');
    assertNoChanges('after the adoption');
    const config = (await http('GET', `${worker.url}/connectors/handmade/config`)).body as Record<string, string>;
    assert.equal(config['pipectl.owner'], PROJECT);
  } catch (e) {
    t.diagnostic(`statuses: ${JSON.stringify((await http('GET', `${worker.url}/connectors?expand=status&expand=info`).catch((x: Error) => ({ body: x.message }))).body)}`);
    t.diagnostic(`Connect log tail (${worker.logFile}):\n${logTail(worker.logFile)}`);
    throw e;
  } finally {
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitForState(worker: KafkaConnectWorker, name: string, state: string): Promise<void> {
  await waitFor(`${name} ${state} with its tasks`, async () => {
    const r = await http('GET', `${worker.url}/connectors/${encodeURIComponent(name)}/status`);
    if (r.status !== 200) return false;
    const s = r.body as { connector: { state: string }; tasks: { state: string }[] };
    // A stopped connector has no tasks, nor has one created paused (KIP-980); a running one has at least one.
    if (s.connector.state !== state || !s.tasks.every((x) => x.state === state)) return false;
    return state === 'STOPPED' ? s.tasks.length === 0 : state === 'PAUSED' || s.tasks.length > 0;
  }, 60_000, 200);
}

async function waitForLines(file: string, lines: readonly string[]): Promise<void> {
  await waitFor(`${lines.join(', ')} in ${file}`, () => existsSync(file) && lines.every((l) => readFileSync(file, 'utf8').includes(l)), 30_000, 100);
}

function logTail(file: string, chars = 8000): string {
  return existsSync(file) ? readFileSync(file, 'utf8').slice(-chars) : '(no log)';
}
