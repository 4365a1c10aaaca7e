/**
 * pipectl.yaml: where it is (the repository root, found by walking up from the working directory) and what it says,
 * validated against schemas/pipectl-project.schema.json with every problem pointing at `file:line:column`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { SourcePos } from '../diag/diagnostic.js';
import { closest } from '../pipeline-files/schema-validate.js';
import { parseYamlFile } from '../pipeline-files/yaml-source.js';
import type { Path, SourceDocument } from '../pipeline-files/yaml-source.js';
import { TargetError } from './target-error.js';
import type { TargetProblem } from './target-error.js';

export const PROJECT_FILE_NAME = 'pipectl.yaml';
export const PROJECT_SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/pipectl-project.schema.json', import.meta.url));

export interface RuntimeSettings {
  url?: string;
  headers?: Record<string, string>;
  basicAuth?: { user: string; passwordEnv: string };
  /** Paths as written (relative to pipectl.yaml). */
  tls?: { caFile?: string; clientCert?: string; clientKey?: string };
}

/** pipectl.yaml, as validated. */
export interface ProjectFile {
  project?: string;
  runtime?: RuntimeSettings;
  variables?: Record<string, string | number | boolean>;
  environments?: Record<string, { runtime?: RuntimeSettings; variables?: Record<string, string | number | boolean> }>;
}

export interface ProjectRoot {
  /** The folder holding pipectl.yaml, else the git root (a folder with `.git`), else undefined. */
  root: string | undefined;
  /** The absolute path of pipectl.yaml, when one was found. */
  file: string | undefined;
}

/**
 * Walks up from `cwd`: the first folder holding pipectl.yaml wins; a folder holding `.git` (a folder, or a file in a
 * git worktree) without it ends the search there (pipectl.yaml is looked for inside the repository only).
 */
export function findProjectRoot(cwd: string): ProjectRoot {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const file = join(dir, PROJECT_FILE_NAME);
    if (isFile(file)) return { root: dir, file };
    if (existsSync(join(dir, '.git'))) return { root: dir, file: undefined };
    if (dirname(dir) === dir) return { root: undefined, file: undefined };
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads and validates pipectl.yaml. An empty file is an empty project. Throws TargetError
 * (PIPECTL_TARGET_PROJECT_FILE) listing every problem: unreadable file, YAML syntax, more than one document, schema.
 */
export function loadProjectFile(file: string): { project: ProjectFile; document: SourceDocument | undefined } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TargetError('PIPECTL_TARGET_PROJECT_FILE', [{ summary: `cannot read ${file}: ${(err as Error).message}` }]);
  }
  const { documents, diagnostics } = parseYamlFile(file, text);
  const problems: TargetProblem[] = diagnostics.map((d) => ({ summary: d.summary, ...(d.detail ? { detail: d.detail } : {}), ...(d.pos ? { pos: d.pos } : {}) }));
  if (documents.length > 1) problems.push({ summary: `${PROJECT_FILE_NAME} must hold one YAML document, not ${documents.length}`, pos: documents[1]!.start });
  if (problems.length > 0) throw new TargetError('PIPECTL_TARGET_PROJECT_FILE', problems);
  const document = documents[0];
  if (!document) return { project: {}, document: undefined };
  const validate = validator();
  if (!validate(document.value)) {
    throw new TargetError('PIPECTL_TARGET_PROJECT_FILE', (validate.errors ?? []).map((e) => toProblem(document, e)));
  }
  return { project: document.value as ProjectFile, document };
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(PROJECT_SCHEMA_PATH, 'utf8')) as object;
    compiled = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true }).compile(schema);
  }
  return compiled;
}

/** Where a path points in the document: its key (for unknown/missing fields) or its value; the file start if unknown. */
export function positionOf(doc: SourceDocument, path: Path, prefer: 'key' | 'value' = 'value'): SourcePos {
  const loc = doc.locate(path);
  if (!loc) return doc.start;
  return prefer === 'key' ? (loc.key ?? loc.value) : loc.value;
}

function toProblem(doc: SourceDocument, e: ErrorObject): TargetProblem {
  const path = e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  const where = path.join('.') || 'the document';
  const schema = e.parentSchema as { properties?: object; description?: string } | undefined;
  if (e.propertyName !== undefined) {
    // propertyNames: the name of an entry (an environment) is what is wrong.
    if (e.keyword === 'propertyNames') return { summary: `${where} has an entry with a name that is not allowed`, pos: positionOf(doc, path, 'key') };
    return { summary: `${where}: name ${JSON.stringify(e.propertyName)} is not allowed`, detail: schema?.description ?? e.message ?? '', pos: positionOf(doc, [...path, e.propertyName], 'key') };
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(e.params['additionalProperty']);
      const allowed = Object.keys(schema?.properties ?? {});
      const suggestion = closest(field, allowed);
      const secret = field.toLowerCase().includes('password') ? 'never write a password in pipectl.yaml: name the environment variable that holds it with passwordEnv' : undefined;
      return {
        summary: `unknown field "${field}" in ${where}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
        detail: secret ?? `allowed fields: ${allowed.join(', ')}`,
        pos: positionOf(doc, [...path, field], 'key'),
      };
    }
    case 'required':
      return { summary: `missing required field "${String(e.params['missingProperty'])}" in ${where}`, pos: positionOf(doc, path, 'key') };
    case 'type':
      return { summary: `${where} must be ${String(e.params['type']).split(',').map(typeName).join(' or ')}`, pos: positionOf(doc, path) };
    case 'pattern':
      return { summary: `${where} ${JSON.stringify(dataAt(doc.value, path))} is not allowed`, detail: schema?.description ?? `must match ${String(e.params['pattern'])}`, pos: positionOf(doc, path) };
    default:
      return { summary: `${where} ${e.message ?? 'is invalid'}`, pos: positionOf(doc, path) };
  }
}

function typeName(type: string): string {
  return type === 'object' ? 'a mapping' : type === 'array' ? 'a list' : `a ${type}`;
}

function dataAt(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, seg) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[seg] : undefined), value);
}
