/**
 * `validate`'s class check: a typo of a bundled or Connect-distribution class is a warning with "did you mean";
 * a class it cannot know (a runtime's own plugin) is not; the bundled part of the list matches pipectl's registries.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDefaultRegistry } from '../../src/runtime/bundled-plugins.js';
import { BUNDLED_ONLY_CLASSES, CONNECT_DISTRIBUTION_CLASSES, suggestClass, unknownClassWarning } from '../../src/pipeline-files/known-classes.js';
import type { ClassKind } from '../../src/pipeline-files/known-classes.js';
import { writeTree } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';

const POS = { file: 'p.yaml', line: 7, column: 7 };

test('typos of known classes warn with the closest known name, in the form they were written', () => {
  const cases: [string, ClassKind, string][] = [
    ['FileStreamSorce', 'connector', 'FileStreamSource'],
    ['filestreamsink', 'connector', 'FileStreamSink'],
    ['org.apache.kafka.connect.file.FileStreamSourceConector', 'connector', 'org.apache.kafka.connect.file.FileStreamSourceConnector'],
    ['Genrator', 'connector', 'Generator'],
    ['InsertField$Valeu', 'transform', 'InsertField$Value'],
    ['RegexRoutr', 'transform', 'RegexRouter'],
    ['TopicNameMatch', 'predicate', 'TopicNameMatches'],
    ['ExtractNewRecordStat', 'transform', 'ExtractNewRecordState'],
    ['JsonConvertr', 'converter', 'JsonConverter'],
  ];
  for (const [name, kind, expected] of cases) {
    assert.equal(suggestClass(name, kind), expected, name);
    const d = unknownClassWarning(name, kind, POS, 'connector "x"');
    assert.equal(d?.severity, 'warning', name);
    assert.equal(d?.code, 'PIPECTL_SPEC_UNKNOWN_CLASS');
    assert.match(d!.detail!, new RegExp(`did you mean "${expected.replace(/[$.]/g, '\\$&')}"\\?`));
    assert.deepEqual(d!.pos, POS);
  }
});

test('known names (FQCN, simple name, alias) and classes pipectl cannot know are not warned about', () => {
  const quiet: [string, ClassKind][] = [
    ['FileStreamSource', 'connector'],
    ['FileStreamSourceConnector', 'connector'],
    ['org.apache.kafka.connect.file.FileStreamSinkConnector', 'connector'],
    ['org.apache.kafka.connect.mirror.MirrorSourceConnector', 'connector'],
    ['io.pipectl.connect.generator.GeneratorSourceConnector', 'connector'],
    ['io.confluent.connect.jdbc.JdbcSourceConnector', 'connector'], // a runtime's own plugin: not ours to judge
    ['test.MisbehavingSourceConnector', 'connector'],
    ['InsertField$Value', 'transform'],
    ['org.apache.kafka.connect.transforms.TimestampRouter', 'transform'],
    ['io.debezium.transforms.ExtractNewRecordState', 'transform'],
    ['HasHeaderKey', 'predicate'],
    ['Json', 'converter'],
    ['StringConverter', 'converter'],
    ['io.confluent.connect.avro.AvroConverter', 'converter'],
    ['${var:CLASS}', 'connector'],
  ];
  for (const [name, kind] of quiet) assert.equal(unknownClassWarning(name, kind, POS, 'x'), undefined, name);
});

test("a class in Connect's own package that Connect does not ship is warned about even without a suggestion", () => {
  const d = unknownClassWarning('org.apache.kafka.connect.jdbc.JdbcSinkConnector', 'connector', POS, 'connector "x"');
  assert.equal(d?.code, 'PIPECTL_SPEC_UNKNOWN_CLASS');
  assert.doesNotMatch(d!.detail!, /did you mean/);
  assert.match(d!.summary, /neither a plugin bundled with pipectl nor a class of Apache Kafka Connect's distribution/);
});

test("the list holds every plugin pipectl bundles (it cannot go stale against the registries)", () => {
  const listed = (kind: ClassKind): Set<string> => new Set([...CONNECT_DISTRIBUTION_CLASSES[kind], ...BUNDLED_ONLY_CLASSES[kind]]);
  const registry = createDefaultRegistry();
  for (const p of registry.connectorPlugins()) assert.ok(listed('connector').has(p.class), p.class);
  const transforms = registry.transformations;
  for (const p of transforms.plugins('transformation')) assert.ok(listed('transform').has(p.className), p.className);
  for (const p of transforms.plugins('predicate')) assert.ok(listed('predicate').has(p.className), p.className);
  for (const c of registry.converterClassNames()) assert.ok(listed('converter').has(c), c);
});

test('validate: a misspelt class is a warning with "did you mean" at its position; the files stay valid (exit 0)', () => {
  const tree = writeTree({
    'pipelines/p.yaml': `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  connectors:\n    - name: src\n      class: FileStreamSorce\n      config: {file: in.txt, topic: t}\n      transforms:\n        - {name: add, type: InsertField$Valeu, config: {static.field: a, static.value: b}}\n`,
  });
  try {
    const r = runCli(['validate'], { cwd: tree.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^pipelines\/p\.yaml:7:7: warning: connector "src": connector class "FileStreamSorce" is neither a plugin bundled with pipectl nor a class of Apache Kafka Connect's distribution \(did you mean "FileStreamSource"\? .*\) \[PIPECTL_SPEC_UNKNOWN_CLASS\]$/m);
    assert.match(r.stderr, /pipelines\/p\.yaml:10:\d+: warning: .*transform type "InsertField\$Valeu" .*did you mean "InsertField\$Value"/);
    const json = JSON.parse(runCli(['validate', '--json'], { cwd: tree.dir }).stdout) as { code: string; severity: string }[];
    assert.deepEqual(json.map((d) => `${d.severity} ${d.code}`), ['warning PIPECTL_SPEC_UNKNOWN_CLASS', 'warning PIPECTL_SPEC_UNKNOWN_CLASS']);
  } finally {
    tree.cleanup();
  }
});
