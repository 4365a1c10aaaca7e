import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import type { DesiredState } from '../../src/pipeline-files/desired-state.js';
import { loadDesiredState } from '../../src/pipeline-files/load-desired-state.js';
import type { VarValue } from '../../src/pipeline-files/variables.js';
import { writeTree } from '../support/paths.js';

function load(files: Record<string, string>, vars: Record<string, VarValue> = {}): { state: DesiredState; diagnostics: Diagnostic[] } {
  const { dir, cleanup } = writeTree(files);
  try {
    const r = loadDesiredState({ paths: ['.'], cwd: dir, variables: new Map(Object.entries(vars)) });
    return { state: r.state, diagnostics: r.diagnostics };
  } finally {
    cleanup();
  }
}

function pipeline(name: string, connectorsYaml: string, topicsYaml = ''): string {
  return `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata:\n  name: ${name}\nspec:\n${topicsYaml}  connectors:\n${connectorsYaml}`;
}

function configOf(yaml: string, vars: Record<string, VarValue> = {}): Record<string, string> {
  const { state, diagnostics } = load({ 'p.yaml': pipeline('p', yaml) }, vars);
  assert.deepEqual(diagnostics, []);
  assert.equal(state.connectors.length, 1);
  return state.connectors[0]!.config;
}

test('class and tasksMax map to connector.class and tasks.max; values become strings; name is left to the runtime', () => {
  const config = configOf(`    - name: c\n      class: FileStreamSource\n      tasksMax: 3\n      config:\n        batch.size: 2000\n        enabled: true\n        ratio: 0.5\n        name: c\n`);
  assert.deepEqual(config, { 'batch.size': '2000', 'connector.class': 'FileStreamSource', enabled: 'true', ratio: '0.5', 'tasks.max': '3' });
});

test('integers keep their exact digits, even beyond 2^53', () => {
  const config = configOf(`    - name: c\n      class: X\n      config: {retention.ms: 9223372036854775807, small: 007}\n`);
  assert.equal(config['retention.ms'], '9223372036854775807');
  assert.equal(config['small'], '7');
});

test('config keys come out sorted, so the same connector always normalises to the same value', () => {
  const config = configOf(`    - name: c\n      class: X\n      config: {zeta: 1, alpha: 2}\n`);
  assert.deepEqual(Object.keys(config), ['alpha', 'connector.class', 'zeta']);
});

test('writing tasksMax and tasks.max with the same value is fine; different values are an error', () => {
  assert.equal(configOf(`    - name: c\n      class: X\n      tasksMax: 2\n      config: {tasks.max: "2"}\n`)['tasks.max'], '2');
  const { diagnostics } = load({ 'p.yaml': pipeline('p', `    - name: c\n      class: X\n      config: {connector.class: Y}\n`) });
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]!.code, 'PIPECTL_SPEC_CONFLICTING_KEY');
  assert.match(diagnostics[0]!.summary, /"class: X" conflicts with config "connector.class: Y"/);
});

test('a config name that differs from the connector name is an error', () => {
  const { diagnostics } = load({ 'p.yaml': pipeline('p', `    - name: c\n      class: X\n      config: {name: other}\n`) });
  assert.deepEqual(diagnostics.map((d) => [d.code, d.pos?.line, d.pos?.column]), [['PIPECTL_SPEC_CONFLICTING_KEY', 9, 16]]);
});

test('a connector without a class is an error at the connector', () => {
  const { diagnostics } = load({ 'p.yaml': pipeline('p', `    - name: c\n      config: {file: x}\n`) });
  assert.deepEqual(diagnostics.map((d) => [d.code, d.summary, d.pos?.line]), [['PIPECTL_SPEC_SCHEMA', 'connector "c" has no class', 7]]);
});

test('structured transforms and flat transforms.* keys normalise to identical configs', () => {
  const structured = configOf(
    [
      '    - name: c',
      '      class: FileStreamSource',
      '      transforms:',
      '        - name: addSource',
      '          type: InsertField$Value',
      '          config: {static.field: source, static.value: file}',
      '        - name: route',
      '          type: RegexRouter',
      '          predicate: isOrders',
      '          negate: true',
      '          config: {regex: "(.*)", replacement: "copy-$1"}',
      '      predicates:',
      '        - name: isOrders',
      '          type: TopicNameMatches',
      '          config: {pattern: orders}',
      '',
    ].join('\n'),
  );
  const flat = configOf(
    [
      '    - name: c',
      '      class: FileStreamSource',
      '      config:',
      '        transforms: "addSource, route"',
      '        transforms.addSource.type: InsertField$Value',
      '        transforms.addSource.static.field: source',
      '        transforms.addSource.static.value: file',
      '        transforms.route.type: RegexRouter',
      '        transforms.route.predicate: isOrders',
      '        transforms.route.negate: true',
      '        transforms.route.regex: "(.*)"',
      '        transforms.route.replacement: "copy-$1"',
      '        predicates: isOrders',
      '        predicates.isOrders.type: TopicNameMatches',
      '        predicates.isOrders.pattern: orders',
      '',
    ].join('\n'),
  );
  assert.deepEqual(structured, flat);
  assert.equal(structured['transforms'], 'addSource,route');
  assert.equal(structured['transforms.route.negate'], 'true');
});

test('transforms written both as a list and as flat keys are an error, not a merge', () => {
  const { diagnostics } = load({
    'p.yaml': pipeline('p', `    - name: c\n      class: X\n      config: {transforms: a, transforms.a.type: Filter}\n      transforms:\n        - {name: b, type: Filter}\n`),
  });
  assert.deepEqual(diagnostics.map((d) => d.code), ['PIPECTL_SPEC_CONFLICTING_KEY']);
});

test('transform problems: duplicate names, an undeclared predicate, a flat alias without a type', () => {
  const { diagnostics } = load({
    'a.yaml': pipeline('a', `    - name: c\n      class: X\n      transforms:\n        - {name: t, type: Filter}\n        - {name: t, type: Filter}\n`),
    'b.yaml': pipeline('b', `    - name: d\n      class: X\n      transforms:\n        - {name: t, type: Filter, predicate: nope}\n`),
    'c.yaml': pipeline('c', `    - name: e\n      class: X\n      config: {transforms: "a,b", transforms.a.type: Filter}\n`),
  });
  assert.deepEqual(
    diagnostics.map((d) => `${d.pos?.file}:${d.pos?.line} ${d.code}`),
    ['a.yaml:11 PIPECTL_SPEC_DUPLICATE_TRANSFORM', 'b.yaml:10 PIPECTL_SPEC_UNKNOWN_PREDICATE', 'c.yaml:9 PIPECTL_SPEC_SCHEMA'],
  );
  assert.match(diagnostics[2]!.summary, /transforms alias "b" of connector "e" has no "transforms.b.type"/);
});

test('state defaults to RUNNING and maps paused/stopped to Connect target states', () => {
  const { state } = load({
    'p.yaml': pipeline('p', `    - {name: a, class: X}\n    - {name: b, class: X, state: paused}\n    - {name: c, class: X, state: stopped}\n`),
  });
  assert.deepEqual(state.connectors.map((c) => c.state), ['RUNNING', 'PAUSED', 'STOPPED']);
});

test('secret references stay as written; $${ is a literal ${', () => {
  const config = configOf(`    - name: c\n      class: X\n      config:\n        token: \${env:TOKEN}\n        password: \${file:/etc/secrets.properties:db.password}\n        template: "$\${literal"\n`);
  assert.equal(config['token'], '${env:TOKEN}');
  assert.equal(config['password'], '${file:/etc/secrets.properties:db.password}');
  assert.equal(config['template'], '${literal');
});

test('malformed references are errors: unterminated, no provider, empty path', () => {
  const { diagnostics } = load({
    'p.yaml': pipeline('p', `    - name: c\n      class: X\n      config:\n        a: \${env:X\n        b: \${nothing}\n        c: "\${env:}"\n`),
  });
  assert.deepEqual(diagnostics.map((d) => [d.code, d.pos?.line]), [
    ['PIPECTL_SPEC_REFERENCE_SYNTAX', 10],
    ['PIPECTL_SPEC_REFERENCE_SYNTAX', 11],
    ['PIPECTL_SPEC_REFERENCE_SYNTAX', 12],
  ]);
});

test('variables substitute inside strings, and a whole-value variable keeps its type', () => {
  const config = configOf(`    - name: c\n      class: X\n      tasksMax: \${var:TASKS}\n      config: {file: "/data/\${var:ENV}/\${var:ENV}.txt", flag: "\${var:FLAG}"}\n`, { ENV: 'prod', TASKS: 4, FLAG: true });
  assert.deepEqual(config, { 'connector.class': 'X', file: '/data/prod/prod.txt', flag: 'true', 'tasks.max': '4' });
});

test('files are read recursively in a stable order; several documents per file; empty documents are skipped', () => {
  const { state, diagnostics } = load({
    'z.yaml': pipeline('z', `    - {name: z1, class: X}\n`),
    'a/b.yml': `${pipeline('ab1', `    - {name: ab1, class: X}\n`)}---\n---\n${pipeline('ab2', `    - {name: ab2, class: X}\n`)}`,
    'a/notes.txt': 'not a pipeline',
    '.hidden/h.yaml': 'this: is ignored',
  });
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(state.pipelines.map((p) => `${p.file}:${p.name}`), ['a/b.yml:ab1', 'a/b.yml:ab2', 'z.yaml:z']);
  assert.deepEqual(state.connectors.map((c) => c.name), ['ab1', 'ab2', 'z1']);
});

test('a topic shared by two pipelines must have the same settings', () => {
  const topic = (partitions: number): string => `  topics:\n    - {name: orders, partitions: ${partitions}}\n`;
  const same = load({ 'a.yaml': pipeline('a', `    - {name: a, class: X}\n`, topic(3)), 'b.yaml': pipeline('b', `    - {name: b, class: X}\n`, topic(3)) });
  assert.deepEqual(same.diagnostics, []);
  assert.deepEqual(same.state.topics.map((t) => [t.name, t.pipelines]), [['orders', ['a', 'b']]]);
  const clash = load({ 'a.yaml': pipeline('a', `    - {name: a, class: X}\n`, topic(3)), 'b.yaml': pipeline('b', `    - {name: b, class: X}\n`, topic(6)) });
  assert.deepEqual(clash.diagnostics.map((d) => [d.code, d.pos?.file, d.pos?.line]), [['PIPECTL_SPEC_TOPIC_CONFLICT', 'b.yaml', 7]]);
});

test('YAML anchors and merge keys share settings between connectors', () => {
  const { state, diagnostics } = load({
    'p.yaml': pipeline('p', `    - name: a\n      class: X\n      config: &common {topics: t, batch.size: 10}\n    - name: b\n      class: X\n      config:\n        <<: *common\n        batch.size: 20\n`),
  });
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(state.connectors[1]!.config, { 'batch.size': '20', 'connector.class': 'X', topics: 't' });
});

test('positions of connectors and config keys are kept for later diagnostics', () => {
  const { state } = load({ 'p.yaml': pipeline('p', `    - name: c\n      class: X\n      config:\n        file: a\n`) });
  const c = state.connectors[0]!;
  assert.deepEqual([c.pos.line, c.pos.column], [7, 7]);
  assert.deepEqual([c.configPos['file']!.line, c.configPos['file']!.column], [10, 9]);
  assert.deepEqual([c.configPos['connector.class']!.line, c.configPos['connector.class']!.column], [8, 7]);
});

test('restartPolicy renders to pipectl.restart.* keys: durations in milliseconds, enabled unless it says false', () => {
  const config = configOf(`    - name: c\n      class: X\n      restartPolicy: {maxRestarts: 3, initialDelay: 2s, maxDelay: 1m, multiplier: 1.5, stableAfter: 90000}\n`);
  assert.deepEqual(Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith('pipectl.restart.'))), {
    'pipectl.restart.backoff.multiplier': '1.5',
    'pipectl.restart.enabled': 'true',
    'pipectl.restart.initial.delay.ms': '2000',
    'pipectl.restart.max.delay.ms': '60000',
    'pipectl.restart.max.restarts': '3',
    'pipectl.restart.stable.ms': '90000',
  });
  assert.deepEqual(configOf(`    - name: c\n      class: X\n      restartPolicy: {enabled: false}\n`)['pipectl.restart.enabled'], 'false');
  assert.equal(configOf(`    - name: c\n      class: X\n      restartPolicy: {maxRestarts: "\${var:N}"}\n`, { N: 4 })['pipectl.restart.max.restarts'], '4');
  const conflict = load({ 'p.yaml': pipeline('p', `    - name: c\n      class: X\n      restartPolicy: {maxRestarts: 3}\n      config: {pipectl.restart.max.restarts: 4}\n`) });
  assert.deepEqual(conflict.diagnostics.map((d) => d.code), ['PIPECTL_SPEC_CONFLICTING_KEY']);
  const bad = load({ 'p.yaml': pipeline('p', `    - name: c\n      class: X\n      restartPolicy: {initialDelay: 5 seconds}\n`) });
  assert.ok(bad.diagnostics.length > 0 && bad.diagnostics.every((d) => d.code === 'PIPECTL_SPEC_SCHEMA'), JSON.stringify(bad.diagnostics));
});
