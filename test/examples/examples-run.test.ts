/**
 * Every example under examples/ runs end to end, with data flowing, on pipectl's runtime (a standalone worker on the
 * embedded log) and on the real Apache Kafka Connect 4.1.1 (standalone, on the test broker) — item 7 of issue 13:
 * examples/orders validated but failed its task on every runtime as soon as a line was written.
 *
 * Each example's pipeline files are applied as written, except what cannot be used as is on a shared test machine:
 * `file:` paths move into a temporary folder (same base name) and topic names get a unique suffix (the broker is
 * shared by the whole run). Converters come from the example's worker.properties when it has one. Then lines are
 * appended to every FileStreamSource's file, and every FileStreamSink reading a topic those sources write to must
 * receive each line; EXPECTED adds what an example promises about its output. Only FileStream connectors can be
 * driven this way (and run on both runtimes): a new example with another connector fails here until it is handled.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { uniqueTopic } from '../support/kafka.js';
import { startTestConnect } from '../support/kafka-connect.js';
import { REPO_ROOT } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { http, startWorker, waitFor } from '../support/worker-process.js';

const EXAMPLES = join(REPO_ROOT, 'examples');

interface Connector {
  name: string;
  class: string;
  config: Record<string, unknown>;
}

/** What an example promises about each line its sinks write, beyond containing the input line. */
const EXPECTED: Record<string, (outputLine: string, inputLine: string) => void> = {
  orders: (out, line) => assert.deepEqual(JSON.parse(out), { order: line, source: 'file' }, `orders-out.jsonl line ${out}`),
};

/** Input lines per example (JSON lines for .jsonl files). */
function inputLines(file: string): string[] {
  return file.endsWith('.jsonl') ? [{ id: 1, item: 'widget', qty: 2 }, { id: 2, item: 'gadget', qty: 1 }].map((o) => JSON.stringify(o)) : ['first example line', 'second example line'];
}

interface Prepared {
  repo: string;
  sources: { file: string; topic: string }[];
  sinks: { name: string; file: string; topics: string[] }[];
}

/** Copies examples/<name>'s pipeline files into `repo/pipelines`, with paths and topics made local and unique. */
function prepare(example: string, repo: string, runtime: string): Prepared {
  const topics = new Map<string, string>();
  const topicFor = (t: string): string => {
    if (!topics.has(t)) topics.set(t, uniqueTopic(`ex-${example}-${t}-${runtime}`));
    return topics.get(t)!;
  };
  const prepared: Prepared = { repo, sources: [], sinks: [] };
  mkdirSync(join(repo, 'pipelines'), { recursive: true });
  writeFileSync(join(repo, 'pipectl.yaml'), `project: examples\n`);
  for (const f of readdirSync(join(EXAMPLES, example)).filter((x) => /\.ya?ml$/.test(x))) {
    const docs = parseAllDocuments(readFileSync(join(EXAMPLES, example, f), 'utf8'));
    const out: string[] = [];
    for (const doc of docs) {
      const p = doc.toJS() as { kind?: string; spec?: { topics?: { name: string }[]; connectors?: Connector[] } };
      if (p.kind !== 'Pipeline') continue;
      for (const t of p.spec?.topics ?? []) t.name = topicFor(t.name);
      for (const c of p.spec?.connectors ?? []) {
        assert.match(c.class, /FileStream(Source|Sink)/, `${example}: connector ${c.name}: only FileStream connectors can be run here`);
        const file = join(repo, basename(String(c.config.file)));
        c.config.file = file;
        if (/Source/.test(c.class)) {
          c.config.topic = topicFor(String(c.config.topic));
          writeFileSync(file, '');
          prepared.sources.push({ file, topic: String(c.config.topic) });
        } else {
          const names = String(c.config.topics).split(',').map((t) => topicFor(t.trim()));
          c.config.topics = names.join(',');
          prepared.sinks.push({ name: c.name, file, topics: names });
        }
      }
      out.push(JSON.stringify(p, null, 2)); // JSON is YAML; `${…}` references stay as written
    }
    if (out.length > 0) writeFileSync(join(repo, 'pipelines', `${basename(f)}`), out.join('\n---\n'));
  }
  return prepared;
}

/** The converters of the example's worker.properties, if it has one. */
function workerConverters(example: string): Record<string, string> {
  const path = join(EXAMPLES, example, 'worker.properties');
  if (!existsSync(path)) return {};
  const out: Record<string, string> = {};
  for (const m of readFileSync(path, 'utf8').matchAll(/^((?:key|value)\.converter[\w.]*)=(.*)$/gm)) out[m[1]!] = m[2]!.trim();
  return out;
}

async function runExample(t: TestContext, example: string, url: string, repo: string, runtime: string): Promise<void> {
  const p = prepare(example, repo, runtime);
  const cli = (...args: string[]) => runCli([...args, '--url', url], { cwd: repo });
  const applied = cli('apply', '--auto-approve', '--no-color');
  t.diagnostic(`${example} on ${runtime}: apply → ${applied.code}\n${applied.stdout}${applied.stderr}`);
  assert.equal(applied.code, 0, `apply of examples/${example} on ${runtime}:\n${applied.stdout}${applied.stderr}`);
  const plan = cli('plan', '--detailed-exitcode', '--no-color');
  assert.equal(plan.code, 0, `plan right after apply of examples/${example} on ${runtime}:\n${plan.stdout}${plan.stderr}`);
  const written = new Map<string, string[]>();
  for (const s of p.sources) {
    const lines = inputLines(s.file);
    appendFileSync(s.file, lines.map((l) => `${l}\n`).join(''));
    written.set(s.topic, [...(written.get(s.topic) ?? []), ...lines]);
  }
  assert.ok(p.sinks.length > 0, `examples/${example} has a sink to check`);
  for (const sink of p.sinks) {
    const expected = sink.topics.flatMap((topic) => written.get(topic) ?? []);
    assert.ok(expected.length > 0, `a source of examples/${example} writes to a topic ${sink.name} reads`);
    const contains = (text: string, line: string): boolean => text.includes(line) || text.includes(JSON.stringify(line).slice(1, -1));
    try {
      await waitFor(`${expected.length} lines in ${sink.file}`, () => existsSync(sink.file) && expected.every((l) => contains(readFileSync(sink.file, 'utf8'), l)), 60_000, 100);
    } catch (e) {
      const status = await http('GET', `${url}/connectors?expand=status`).catch((x: Error) => ({ body: x.message }));
      throw new Error(`${(e as Error).message}\nstatuses: ${JSON.stringify(status.body)}`);
    }
    const check = EXPECTED[example];
    if (check) {
      const out = readFileSync(sink.file, 'utf8').split('\n').filter(Boolean);
      assert.equal(out.length, expected.length, `one output line per input line in ${sink.file}: ${out.join(' | ')}`);
      out.forEach((o, i) => check(o, expected[i]!));
    }
  }
}

/** Examples with a connector this file cannot drive, each run end to end by a test of its own. */
const RUN_ELSEWHERE: Record<string, string> = { 'postgres-cdc': 'test/connectors/postgres/postgres-cdc-example.test.ts', 'http-sink': 'test/connectors/http/http-sink-example.test.ts', 'postgres-replica': 'test/connectors/postgres-sink/postgres-replica-example.test.ts', monitoring: 'test/runtime/metrics/dashboard.test.ts (a Grafana dashboard, no pipeline)' };

const examples = readdirSync(EXAMPLES, { withFileTypes: true }).filter((e) => e.isDirectory() && !RUN_ELSEWHERE[e.name]).map((e) => e.name).sort();

test('there are examples to run', () => assert.ok(examples.includes('orders') && examples.includes('quickstart')));

for (const example of examples) {
  test(`examples/${example} runs end to end on pipectl's standalone runtime`, { timeout: 120_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), `pipectl-example-${example}-`));
    const worker = await startWorker({ dir, config: workerConverters(example) });
    try {
      await runExample(t, example, worker.url, join(dir, 'repo'), 'pipectl');
    } catch (e) {
      t.diagnostic(`worker log:\n${worker.log().slice(-6000)}`);
      throw e;
    } finally {
      await worker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`examples/${example} runs end to end on Apache Kafka Connect`, { timeout: 240_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), `pipectl-example-${example}-connect-`));
    const worker = await startTestConnect({ mode: 'standalone', dataDir: join(dir, 'connect'), workerConfig: { 'offset.flush.interval.ms': '500', ...workerConverters(example) } });
    try {
      await runExample(t, example, worker.url, join(dir, 'repo'), 'connect');
    } catch (e) {
      t.diagnostic(`Connect log tail:\n${existsSync(worker.logFile) ? readFileSync(worker.logFile, 'utf8').slice(-6000) : '(none)'}`);
      throw e;
    } finally {
      await worker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
