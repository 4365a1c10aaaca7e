import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, writeTree } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';

const BROKEN = join(REPO_ROOT, 'test', 'pipeline-files', 'testdata', 'broken');

test('validate examples/ prints OK with the counts and exits 0', () => {
  const r = runCli(['validate', 'examples/'], { cwd: REPO_ROOT });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^OK: \d+ pipelines, \d+ connectors, \d+ topics\n$/);
});

test('validate counts in the singular when there is one of a kind (1 pipeline, 1 topic)', () => {
  const r = runCli(['validate', 'examples/quickstart'], { cwd: REPO_ROOT });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'OK: 1 pipeline, 2 connectors, 1 topic\n');
  const { dir, cleanup } = writeTree({ 'p.yaml': 'apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  connectors:\n    - {name: c, class: FileStreamSink, config: {topics: t, file: /tmp/x}}\n' });
  try {
    assert.equal(runCli(['validate', '.'], { cwd: dir }).stdout, 'OK: 1 pipeline, 1 connector, 0 topics\n');
  } finally {
    cleanup();
  }
});

test('a folder of broken files gives one error per problem, each at file:line:column, and exit 1', () => {
  const r = runCli(['validate', '--json', BROKEN], { cwd: BROKEN });
  assert.equal(r.code, 1);
  const diags = JSON.parse(r.stdout) as { file: string; line: number; column: number; code: string; severity: string }[];
  const got = diags.map((d) => `${d.file.replace(/^.*broken\//, '')}:${d.line}:${d.column} ${d.code}`);
  const expected = readFileSync(join(BROKEN, 'expected.txt'), 'utf8').trim().split('\n');
  assert.deepEqual(got, expected);
  assert.ok(diags.every((d) => d.severity === 'error'));
});

test('the human form prints file:line:column: error: message and a count on stderr', () => {
  const r = runCli(['validate', '03-wrong-type.yaml', '05-bad-enum.yaml'], { cwd: BROKEN });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^03-wrong-type\.yaml:9:17: error: spec\.connectors\[0\]\.tasksMax must be an integer, not string "two"/m);
  assert.match(r.stderr, /^05-bad-enum\.yaml:9:14: error: .*must be one of "running", "paused", "stopped", not "started"/m);
  assert.match(r.stderr, /2 errors in 2 files/);
  assert.equal(r.stdout, '');
});

test('validate reads pipelines/ by default and fails clearly when there are no pipeline files', () => {
  const { dir, cleanup } = writeTree({ 'README.md': '# empty' });
  try {
    const r = runCli(['validate'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /path "pipelines" does not exist/);
    const empty = runCli(['validate', '.'], { cwd: dir });
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /no \*\.yaml or \*\.yml files under \./);
  } finally {
    cleanup();
  }
});

test('--var and --var-file supply ${var:…}; later wins; a missing one is an error with its position', () => {
  const { dir, cleanup } = writeTree({
    'pipelines/p.yaml': [
      'apiVersion: pipectl.dev/v1',
      'kind: Pipeline',
      'metadata: {name: p}',
      'spec:',
      '  connectors:',
      '    - name: c-${var:ENV}',
      '      class: FileStreamSink',
      '      tasksMax: ${var:TASKS}',
      '      config: {file: "/data/${var:ENV}/out.txt", topics: t}',
      '',
    ].join('\n'),
    'staging.yaml': 'ENV: staging\nTASKS: 2\n',
  });
  try {
    const ok = runCli(['validate', '--var-file', 'staging.yaml', '--var', 'ENV=prod'], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    const overridden = runCli(['validate', '--var', 'ENV=prod', '--var-file', 'staging.yaml', '--var', 'TASKS=x'], { cwd: dir });
    assert.equal(overridden.code, 1, 'TASKS=x is not an integer');
    assert.match(overridden.stderr, /pipelines\/p\.yaml:8:17: error: spec\.connectors\[0\]\.tasksMax must be an integer, not string "x"/);
    const missing = runCli(['validate', '--var', 'ENV=prod'], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /pipelines\/p\.yaml:8:17: error: variable "TASKS" is not defined/);
    const bad = runCli(['validate', '--var', 'no-equals-sign'], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--var "no-equals-sign" is not NAME=VALUE/);
  } finally {
    cleanup();
  }
});

test('connector names "." and ".." are refused: they cannot round-trip through a REST path segment', () => {
  const yaml = 'apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  connectors:\n    - {name: "..", class: FileStreamSink, config: {topics: t, file: /tmp/x}}\n    - {name: ".", class: FileStreamSink, config: {topics: t, file: /tmp/y}}\n    - {name: "a.b..c", class: FileStreamSink, config: {topics: t, file: /tmp/z}}\n';
  const { dir, cleanup } = writeTree({ 'p.yaml': yaml });
  try {
    const r = runCli(['validate', '--json', '.'], { cwd: dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const diags = JSON.parse(r.stdout) as { line: number; code: string; message: string }[];
    assert.deepEqual(diags.map((d) => `${d.line} ${d.code}`), ['6 PIPECTL_SPEC_INVALID_CONNECTOR_NAME', '7 PIPECTL_SPEC_INVALID_CONNECTOR_NAME']);
    assert.match(diags[0]!.message, /connector name "\.\." cannot be addressed in a REST path/);
  } finally {
    cleanup();
  }
});
