/**
 * The editor schema (schemas/pipeline.schema.json, as an editor's YAML language server applies it: to the file as
 * written, before any `${var:…}` is substituted) against what `pipectl validate` accepts. Validate checks the same file
 * less its variable alternatives (validationSchema), after substitution, then runs checks the schema cannot express.
 * These tests fail when the two disagree in a way nobody decided on:
 * - a file validate accepts that the editor marks as wrong (the examples, the repository's pipelines, the README);
 * - a typed or patterned field without a `${var:…}` alternative (validate accepts `tasksMax: ${var:N}`, so must the
 *   editor);
 * - a check of validate's (a PIPECTL_SPEC_* code) that no case below classifies as seen or not seen by the editor.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseAllDocuments } from 'yaml';
import { DIAGNOSTIC_CODES } from '../../src/diag/codes.js';
import { loadDesiredState } from '../../src/pipeline-files/load-desired-state.js';
import { PIPELINE_SCHEMA_PATH, validationSchema } from '../../src/pipeline-files/schema-validate.js';
import type { SchemaNode } from '../../src/pipeline-files/schema-validate.js';
import type { VarValue } from '../../src/pipeline-files/variables.js';
import { REPO_ROOT, writeTree } from '../support/paths.js';

const editorSchema = JSON.parse(readFileSync(PIPELINE_SCHEMA_PATH, 'utf8')) as SchemaNode;
const editorValidate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(editorSchema);

/** What an editor reports for a file: YAML errors (syntax, duplicate keys) and schema errors, document by document. */
function editorProblems(text: string): string[] {
  const problems: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      problems.push(...doc.errors.map((e) => e.message.split('\n')[0]!));
      continue;
    }
    if (!editorValidate(doc.toJS())) problems.push(...(editorValidate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
  }
  return problems;
}

/** The diagnostic codes `pipectl validate` reports for these files (errors and warnings). */
function validateCodes(files: Record<string, string>, vars: Record<string, VarValue> = {}): string[] {
  const { dir, cleanup } = writeTree(files);
  try {
    return loadDesiredState({ paths: ['.'], cwd: dir, variables: new Map(Object.entries(vars)) }).diagnostics.map((d) => d.code);
  } finally {
    cleanup();
  }
}

const doc = (spec: string, name = 'p'): string => `apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const connector = (lines: string): string => doc(`  connectors:\n    - name: c\n${lines}`);

interface Case {
  name: string;
  files: Record<string, string>;
  vars?: Record<string, VarValue>;
  /** The codes validate reports ([] when it accepts the files). */
  validate: string[];
  /** Whether an editor marks a problem. */
  editor: 'ok' | 'error';
  /** Why the editor cannot see what validate reports; required when they differ. */
  why?: string;
}

const CASES: Case[] = [
  { name: 'a minimal pipeline', files: { 'a.yaml': connector('      class: FileStreamSource\n') }, validate: [], editor: 'ok' },
  {
    name: 'variables where a value has a type or a pattern',
    files: {
      'a.yaml': doc(
        '  topics:\n    - {name: "orders-${var:ENV}", partitions: "${var:P}", replicationFactor: "${var:RF}"}\n' +
          '  connectors:\n    - name: c\n      class: FileStreamSource\n      tasksMax: ${var:TASKS}\n      state: ${var:STATE}\n' +
          '      type: ${var:ROLE}\n      transforms:\n        - {name: "t-${var:ENV}", type: Filter, predicate: "p-${var:ENV}", negate: "${var:NEG}"}\n' +
          '      predicates:\n        - {name: "p-${var:ENV}", type: RecordIsTombstone}\n',
        'orders-${var:ENV}',
      ),
    },
    vars: { ENV: 'prod', P: 3, RF: 1, TASKS: 2, STATE: 'paused', ROLE: 'source', NEG: true },
    validate: [],
    editor: 'ok',
  },
  { name: 'YAML syntax', files: { 'a.yaml': doc('  connectors: [\n') }, validate: ['PIPECTL_SPEC_YAML_SYNTAX'], editor: 'error' },
  { name: 'a key twice', files: { 'a.yaml': connector('      class: A\n      class: B\n') }, validate: ['PIPECTL_SPEC_DUPLICATE_KEY'], editor: 'error' },
  { name: 'a wrong type', files: { 'a.yaml': connector('      class: A\n      tasksMax: two\n') }, validate: ['PIPECTL_SPEC_SCHEMA'], editor: 'error' },
  { name: 'an unknown field', files: { 'a.yaml': connector('      class: A\n      tasks_max: 2\n') }, validate: ['PIPECTL_SPEC_SCHEMA'], editor: 'error' },
  { name: 'a value outside an enum', files: { 'a.yaml': connector('      class: A\n      state: started\n') }, validate: ['PIPECTL_SPEC_SCHEMA'], editor: 'error' },
  { name: 'a missing field', files: { 'a.yaml': 'apiVersion: pipectl.dev/v1\nkind: Pipeline\nmetadata: {}\nspec: {}\n' }, validate: ['PIPECTL_SPEC_SCHEMA'], editor: 'error' },
  { name: 'a name against its pattern', files: { 'a.yaml': doc('  topics: [{name: "a b"}]\n') }, validate: ['PIPECTL_SPEC_SCHEMA'], editor: 'error' },
  {
    name: 'a connector without a class',
    files: { 'a.yaml': connector('      config: {file: x}\n') },
    validate: ['PIPECTL_SPEC_SCHEMA'],
    editor: 'ok',
    why: 'the class may be written as "class" or as config "connector.class"; validate checks that one of them is there',
  },
  {
    name: 'a connector name Kafka Connect rejects',
    files: { 'a.yaml': doc('  connectors:\n    - {name: a/b, class: A}\n') },
    validate: ['PIPECTL_SPEC_INVALID_CONNECTOR_NAME'],
    editor: 'ok',
    why: "Kafka Connect's name rules are checked in code, with a message for each rule",
  },
  {
    name: 'a setting written twice with different values',
    files: { 'a.yaml': connector('      class: A\n      tasksMax: 2\n      config: {tasks.max: 3}\n') },
    validate: ['PIPECTL_SPEC_CONFLICTING_KEY'],
    editor: 'ok',
    why: 'comparing two values is beyond JSON Schema',
  },
  {
    name: 'a malformed reference',
    files: { 'a.yaml': connector('      class: A\n      config: {api.token: "${env:TOKEN"}\n') },
    validate: ['PIPECTL_SPEC_REFERENCE_SYNTAX'],
    editor: 'ok',
    why: 'any text is a valid config value; validate parses the ${…} in it',
  },
  {
    name: 'a variable without a value',
    files: { 'a.yaml': connector('      class: A\n      config: {file: "${var:DIR}/in.txt"}\n') },
    validate: ['PIPECTL_SPEC_UNDEFINED_VARIABLE'],
    editor: 'ok',
    why: 'the editor does not know the --var values',
  },
  {
    name: 'two transforms with one name',
    files: { 'a.yaml': connector('      class: A\n      transforms: [{name: t, type: Filter}, {name: t, type: Filter}]\n') },
    validate: ['PIPECTL_SPEC_DUPLICATE_TRANSFORM'],
    editor: 'ok',
    why: 'JSON Schema cannot require one field to be unique across list items',
  },
  {
    name: 'a transform naming an undeclared predicate',
    files: { 'a.yaml': connector('      class: A\n      transforms: [{name: t, type: Filter, predicate: p}]\n') },
    validate: ['PIPECTL_SPEC_UNKNOWN_PREDICATE'],
    editor: 'ok',
    why: 'a reference from one list to another is beyond JSON Schema',
  },
  {
    name: 'a flat transforms alias without its type',
    files: { 'a.yaml': connector('      class: A\n      config: {transforms: t}\n') },
    validate: ['PIPECTL_SPEC_SCHEMA'],
    editor: 'ok',
    why: 'config keys are free (Kafka Connect keys, verbatim); validate reads the flat transforms.* keys',
  },
  {
    name: 'an unknown class that looks like a typo (a warning)',
    files: { 'a.yaml': connector('      class: FileStreamSorce\n') },
    validate: ['PIPECTL_SPEC_UNKNOWN_CLASS'],
    editor: 'ok',
  },
  {
    name: 'one pipeline name in two files',
    files: { 'a.yaml': doc('  connectors: []\n'), 'b.yaml': doc('  connectors: []\n') },
    validate: ['PIPECTL_SPEC_DUPLICATE_PIPELINE'],
    editor: 'ok',
    why: 'an editor checks one file at a time',
  },
  {
    name: 'one connector name in two pipelines',
    files: { 'a.yaml': doc('  connectors: [{name: c, class: A}]\n', 'a'), 'b.yaml': doc('  connectors: [{name: c, class: A}]\n', 'b') },
    validate: ['PIPECTL_SPEC_DUPLICATE_CONNECTOR'],
    editor: 'ok',
    why: 'an editor checks one file at a time',
  },
  {
    name: 'one topic with two settings',
    files: { 'a.yaml': doc('  topics: [{name: t, partitions: 1}]\n', 'a'), 'b.yaml': doc('  topics: [{name: t, partitions: 2}]\n', 'b') },
    validate: ['PIPECTL_SPEC_TOPIC_CONFLICT'],
    editor: 'ok',
    why: 'an editor checks one file at a time',
  },
];

/** Codes about the command line or the file system, not about what a file says. */
const NOT_ABOUT_CONTENT = ['PIPECTL_SPEC_NO_FILES', 'PIPECTL_SPEC_READ_FAILED', 'PIPECTL_SPEC_VAR_INVALID'];

for (const c of CASES) {
  test(`editor and validate: ${c.name}`, () => {
    assert.deepEqual(validateCodes(c.files, c.vars), c.validate, 'what validate reports');
    const problems = Object.values(c.files).flatMap(editorProblems);
    assert.equal(problems.length > 0 ? 'error' : 'ok', c.editor, `what the editor reports: ${problems.join('; ') || 'nothing'}`);
    const agree = (c.validate.length > 0 && !c.validate.includes('PIPECTL_SPEC_UNKNOWN_CLASS')) === (c.editor === 'error');
    if (!agree) assert.ok(c.why, 'the editor and validate differ here: say why in the case, or make them agree');
    else assert.equal(c.why, undefined, 'they agree: no "why" needed');
  });
}

test('every check of validate is classified above: seen by the editor, or not and why', () => {
  const classified = new Set([...CASES.flatMap((c) => c.validate), ...NOT_ABOUT_CONTENT]);
  const spec = Object.keys(DIAGNOSTIC_CODES).filter((code) => code.startsWith('PIPECTL_SPEC_'));
  assert.deepEqual(spec.filter((code) => !classified.has(code)), [], 'add a case for each new PIPECTL_SPEC_* code');
});

test('the editor marks nothing in the pipeline files validate accepts: examples/, pipelines/, README.md', () => {
  const files = [...yamlFiles(join(REPO_ROOT, 'examples')), ...yamlFiles(join(REPO_ROOT, 'pipelines'))];
  assert.ok(files.length >= 3, `found ${files.length} files`);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    assert.deepEqual(validateCodes({ 'p.yaml': text }), [], `validate: ${relative(REPO_ROOT, file)}`);
    assert.deepEqual(editorProblems(text), [], `editor: ${relative(REPO_ROOT, file)}`);
  }
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => /^kind: Pipeline$/m.test(b));
  assert.ok(blocks.length >= 1, 'README.md has a pipeline example');
  for (const block of blocks) {
    assert.deepEqual(validateCodes({ 'p.yaml': block }), [], `validate: README block\n${block}`);
    assert.deepEqual(editorProblems(block), [], `editor: README block\n${block}`);
  }
});

test('every typed or patterned value accepts a ${var:…} in the editor schema (validate substitutes it first)', () => {
  const missing: string[] = [];
  walk(editorSchema, '', (path, node) => {
    if (path === 'apiVersion' || path === 'kind') return; // the format's identity: never a variable
    if (!isVariableAlternative(node) && constrainsText(resolve(node))) missing.push(path);
  });
  assert.deepEqual(missing, [], 'wrap each in "anyOf": [<the value\'s schema>, {"$ref": "#/$defs/variable"}] (withVariable for a pattern)');
});

test('validate checks the editor schema less its variable alternatives, and nothing else differs', () => {
  const strict = validationSchema(editorSchema);
  const text = JSON.stringify(strict);
  assert.doesNotMatch(text, /#\/\$defs\/(variable|withVariable)\b/);
  assert.deepEqual(Object.keys(strict['$defs'] as object).sort(), Object.keys(editorSchema['$defs'] as object).filter((d) => !/^(variable|withVariable)$/.test(d)).sort());
  // A variable-free document gets the same verdict from both.
  const strictValidate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(strict);
  for (const value of [{ tasksMax: 2 }, { tasksMax: 0 }, { tasksMax: '${var:N}' }, { state: 'paused' }, { state: '${var:S}' }]) {
    const d = { apiVersion: 'pipectl.dev/v1', kind: 'Pipeline', metadata: { name: 'p' }, spec: { connectors: [{ name: 'c', class: 'A', ...value }] } };
    const hasVariable = JSON.stringify(value).includes('${var:');
    assert.equal(strictValidate(d), hasVariable ? false : editorValidate(d), JSON.stringify(value));
  }
});

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Calls `visit` for each value position of the schema: every property, map value and list item, by its path. */
function walk(node: SchemaNode, path: string, visit: (path: string, node: SchemaNode) => void): void {
  const at = (sub: unknown, p: string): void => {
    if (!isNode(sub)) return;
    visit(p, sub);
    walk(sub, p, visit);
  };
  const n = resolve(node);
  for (const branch of (n['anyOf'] as unknown[] | undefined) ?? []) if (isNode(branch)) walk(branch, path, visit);
  for (const [key, sub] of Object.entries((n['properties'] as SchemaNode | undefined) ?? {})) at(sub, path ? `${path}.${key}` : key);
  at(n['additionalProperties'], `${path}.*`);
  at(n['items'], `${path}[]`);
}

function resolve(node: SchemaNode): SchemaNode {
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  const def = (editorSchema['$defs'] as Record<string, SchemaNode>)[ref.replace('#/$defs/', '')];
  assert.ok(def, `unresolved ${ref}`);
  return { ...resolve(def), ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$ref')) };
}

function isVariableAlternative(node: SchemaNode): boolean {
  const anyOf = node['anyOf'];
  return Array.isArray(anyOf) && anyOf.some((b) => isNode(b) && /^#\/\$defs\/(variable|withVariable)$/.test(String(b['$ref'])));
}

/** A scalar position that a text like "${var:X}" would not pass: a non-text type, a pattern, an enum or a const. */
function constrainsText(node: SchemaNode): boolean {
  const type = node['type'];
  const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
  if (types.includes('object') || types.includes('array')) return false;
  if (types.length > 0 && !types.includes('string')) return true;
  return node['pattern'] !== undefined || node['enum'] !== undefined || node['const'] !== undefined;
}

function isNode(v: unknown): v is SchemaNode {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
