/**
 * No failure ends in silence: every kind of failure (invalid file, a config the runtime rejects, an unreachable
 * runtime, a held lease, a failed step), in every output mode of plan and apply, exits non-zero with its diagnostic —
 * in --json with `code`, `file`, `line`, `column` on a `diagnostic` (or `operation_failed`) event and a final
 * `summary` event. Against a real standalone worker process.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, writeTree } from '../support/paths.js';
import { closedPort } from '../support/ports.js';
import { runCli } from '../support/run-cli.js';
import { http, startWorker } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';

const PLUGINS = join(REPO_ROOT, 'dist', 'test', 'runtime', 'standalone', 'fixtures', 'plugins');
let tree: { dir: string; cleanup: () => void };
let worker: WorkerProcess;

before(async () => {
  tree = writeTree({ 'pipectl.yaml': 'project: failures\n' });
  worker = await startWorker({ dir: tree.dir, config: { 'plugin.path': PLUGINS } });
});

after(async () => {
  await worker?.stop();
  tree?.cleanup();
});

const pipeline = (connectors: string): string => `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  connectors:\n${connectors}`;
const GOOD = `    - name: good-sink\n      class: FileStreamSink\n      config: {topics: t, file: out.txt}\n`;

interface Case {
  kind: string;
  /** Pipeline file content (written to <case>/pipelines/p.yaml). */
  yaml: string;
  /** The code that must be reported. */
  code: string;
  /** Where, when the failure has a place in a file. */
  at?: { file: string; line: number; column: number };
  url?: () => Promise<string>;
  setup?: () => Promise<() => Promise<void>>;
  /** Modes that make sense: a held lease and a failed step only exist for apply. */
  applyOnly?: boolean;
}

const CASES: Case[] = [
  { kind: 'invalid file', yaml: pipeline(`    - name: x\n      clas: FileStreamSink\n`), code: 'PIPECTL_SPEC_SCHEMA', at: { file: 'pipelines/p.yaml', line: 7, column: 7 } },
  {
    kind: 'config rejected by the runtime',
    yaml: pipeline(`    - name: typo\n      class: FileStreamSorce\n      config: {file: in.txt, topic: t}\n${GOOD}`),
    code: 'PIPECTL_PLAN_INVALID_CONFIG',
    at: { file: 'pipelines/p.yaml', line: 7, column: 7 },
  },
  { kind: 'unreachable runtime', yaml: pipeline(GOOD), code: 'PIPECTL_RUNTIME_UNREACHABLE', url: async () => `http://127.0.0.1:${await closedPort()}` },
  {
    kind: 'lease held',
    yaml: pipeline(GOOD),
    code: 'PIPECTL_APPLY_LOCKED',
    applyOnly: true,
    setup: async () => {
      assert.equal((await http('PUT', `${worker.url}/pipectl/v1/leases/apply`, { holder: 'someone@elsewhere pid 1', ttl_ms: 60000 })).status, 200);
      return async () => void (await http('DELETE', `${worker.url}/pipectl/v1/leases/apply?holder=${encodeURIComponent('someone@elsewhere pid 1')}`));
    },
  },
  {
    kind: 'step failure',
    yaml: pipeline(`    - name: doomed\n      class: test.MisbehavingSourceConnector\n      config: {fail.in: poll}\n`),
    code: 'PIPECTL_APPLY_CONNECTOR_FAILED',
    applyOnly: true,
    setup: async () => async () => void (await http('DELETE', `${worker.url}/connectors/doomed`)),
  },
];

type Mode = { command: 'plan' | 'apply'; json: boolean };
const MODES: Mode[] = [
  { command: 'plan', json: false },
  { command: 'plan', json: true },
  { command: 'apply', json: false },
  { command: 'apply', json: true },
];

for (const c of CASES) {
  for (const mode of MODES) {
    if (c.applyOnly && mode.command === 'plan') continue;
    const name = `${c.kind}: ${mode.command}${mode.json ? ' --json' : ''} exits 1 and says why`;
    test(name, async () => {
      const dir = join(tree.dir, `${c.kind.replace(/\W+/g, '-')}-${mode.command}${mode.json ? '-json' : ''}`);
      mkdirSync(join(dir, 'pipelines'), { recursive: true });
      writeFileSync(join(dir, 'pipectl.yaml'), 'project: failures\n');
      writeFileSync(join(dir, 'pipelines', 'p.yaml'), c.yaml);
      const cleanup = c.setup ? await c.setup() : async () => undefined;
      try {
        const url = c.url ? await c.url() : worker.url;
        const args = [mode.command, '--url', url, '--runtime-timeout', '2', ...(mode.command === 'apply' ? ['--auto-approve', '--wait-timeout', '20'] : []), ...(mode.json ? ['--json'] : [])];
        const r = runCli(args, { cwd: dir });
        const all = r.stdout + r.stderr;
        assert.equal(r.code, 1, all);
        assert.ok(all.trim().length > 0, 'not silent');
        assert.ok(all.includes(c.code), `names ${c.code}:\n${all}`);
        if (c.at && !mode.json) assert.ok(all.includes(`${c.at.file}:${c.at.line}:${c.at.column}`), `at its position:\n${all}`);
        assert.doesNotMatch(all, /Apply complete!|^No changes\. /m, 'no line that reads like success');
        // A plan the runtime rejects is a failed plan: it must not end in a "Plan: N to create" summary.
        if (c.code === 'PIPECTL_PLAN_INVALID_CONFIG' && !mode.json) assert.match(all, /^Plan failed: 1 error \(above\)\. Nothing will be applied/m);
        if (c.code === 'PIPECTL_PLAN_INVALID_CONFIG') assert.doesNotMatch(all, /^Plan: /m);
        if (mode.json && mode.command === 'apply') {
          assert.equal(r.stderr, '', 'in --json everything is on stdout, as JSON');
          const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
          const failure = events.find((e) => (e['event'] === 'diagnostic' || e['event'] === 'operation_failed') && e['code'] === c.code);
          assert.ok(failure, `an event with code ${c.code}:\n${r.stdout}`);
          if (c.at) assert.deepEqual([failure['file'], failure['line'], failure['column']], [c.at.file, c.at.line, c.at.column]);
          if (failure['event'] === 'diagnostic') for (const k of ['file', 'line', 'column', 'message', 'severity']) assert.ok(k in failure, `diagnostic has ${k}`);
          const last = events[events.length - 1]!;
          assert.equal(last['event'], 'summary');
          assert.equal(last['ok'], false);
        }
        if (mode.json && mode.command === 'plan') {
          const doc = JSON.parse(r.stdout) as { diagnostics: Record<string, unknown>[] };
          const d = doc.diagnostics.find((x) => x['code'] === c.code);
          assert.ok(d, `the JSON document carries ${c.code}:\n${r.stdout}`);
          if (c.at) assert.deepEqual([d['file'], d['line'], d['column']], [c.at.file, c.at.line, c.at.column]);
        }
      } finally {
        await cleanup();
      }
    });
  }
}
