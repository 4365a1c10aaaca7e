/**
 * Validates documents against schemas/pipeline.schema.json with ajv (compiled once) and turns ajv's errors into
 * diagnostics that point at the offending key or value and read like a sentence.
 *
 * The schema file is the one source of truth for the format and is also what editors use (README, Editor support).
 * Editors see a file before its `${var:…}` are substituted, so the file accepts a variable wherever a value has a type
 * or a pattern; validation runs after substitution, against the same schema less those alternatives
 * (`validationSchema`). test/pipeline-files/editor-schema.test.ts fails when the two views disagree.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { error } from '../diag/diagnostic.js';
import type { Diagnostic, SourcePos } from '../diag/diagnostic.js';
import type { Path, SourceDocument } from './yaml-source.js';

/** Path of the schema file, relative to the compiled module (dist/src/pipeline-files → schemas/). */
export const PIPELINE_SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/pipeline.schema.json', import.meta.url));

/** The `$defs` of the schema file that stand for a `${var:…}` (a whole value, or inside a text). */
const VARIABLE_DEFS = ['variable', 'withVariable'] as const;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = validationSchema(JSON.parse(readFileSync(PIPELINE_SCHEMA_PATH, 'utf8')) as SchemaNode);
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** A JSON Schema (sub)schema, as parsed from the file. */
export type SchemaNode = { [keyword: string]: unknown };

/**
 * The schema `validate` checks a document against once its variables are substituted: the editor schema (the file)
 * with every `{ "$ref": "#/$defs/variable" }` / `withVariable` alternative taken out of its `anyOf` (an `anyOf` left
 * with one branch is replaced by that branch, its keywords in the `anyOf`'s place) and those `$defs` removed.
 * Returns a new object; the argument is not changed.
 */
export function validationSchema(editorSchema: SchemaNode): SchemaNode {
  const refs = new Set<string>(VARIABLE_DEFS.map((d) => `#/$defs/${d}`));
  const isVariable = (branch: unknown): boolean => isNode(branch) && typeof branch['$ref'] === 'string' && refs.has(branch['$ref']);
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (!isNode(value)) return value;
    const out: SchemaNode = {};
    for (const [keyword, sub] of Object.entries(value)) {
      if (keyword === 'anyOf' && Array.isArray(sub) && sub.some(isVariable)) {
        const rest = sub.filter((b) => !isVariable(b)).map(strip);
        if (rest.length === 1 && isNode(rest[0])) Object.assign(out, rest[0]);
        else out[keyword] = rest;
      } else if (keyword === '$defs' && isNode(sub)) {
        out[keyword] = strip(Object.fromEntries(Object.entries(sub).filter(([name]) => !(VARIABLE_DEFS as readonly string[]).includes(name))));
      } else {
        out[keyword] = strip(sub);
      }
    }
    return out;
  };
  return strip(editorSchema) as SchemaNode;
}

function isNode(v: unknown): v is SchemaNode {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export interface SchemaResult {
  /** One diagnostic per violation (all of them, not only the first). */
  diagnostics: Diagnostic[];
  /** True when the value at `path` and everything under it is valid, so later checks may rely on its shape. */
  isValidAt(path: Path): boolean;
}

export function validateDocument(doc: SourceDocument): SchemaResult {
  const validate = validator();
  if (validate(doc.value)) return { diagnostics: [], isValidAt: () => true };
  const errors = validate.errors ?? [];
  const badPaths = errors.map((e) => parsePointer(e.instancePath));
  return {
    diagnostics: dedupe(errors.map((e) => toDiagnostic(doc, e))),
    // A path is invalid when an error sits at it, below it, or at one of its ancestors (e.g. a wrong-typed parent).
    isValidAt: (path) => !badPaths.some((bad) => isPrefix(bad, path) || isPrefix(path, bad)),
  };
}

function isPrefix(prefix: Path, path: Path): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => String(seg) === String(path[i]));
}

function toDiagnostic(doc: SourceDocument, e: ErrorObject): Diagnostic {
  const path = parsePointer(e.instancePath);
  const where = describePath(path);
  const at = (p: Path, prefer: 'key' | 'value'): SourcePos => {
    const loc = doc.locate(p);
    if (!loc) return doc.start;
    return prefer === 'key' ? (loc.key ?? loc.value) : loc.value;
  };
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(e.params['additionalProperty']);
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = closest(field, allowed);
      const isFreeMap = allowed.length === 0;
      return error(
        'PIPECTL_SPEC_SCHEMA',
        `unknown field "${field}"${where ? ` in ${where}` : ''}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
        at([...path, field], 'key'),
        isFreeMap ? undefined : `allowed fields: ${allowed.join(', ')}`,
      );
    }
    case 'required':
      return error('PIPECTL_SPEC_SCHEMA', `missing required field "${String(e.params['missingProperty'])}"${where ? ` in ${where}` : ''}`, at(path, 'key'));
    case 'type': {
      const expected = String(e.params['type']).split(',').join(' or ');
      return error('PIPECTL_SPEC_SCHEMA', `${where || 'document'} must be ${article(expected)}, not ${describeValue(e.data)}`, at(path, 'value'));
    }
    case 'enum': {
      const allowed = (e.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return error('PIPECTL_SPEC_SCHEMA', `${where} must be one of ${allowed}, not ${JSON.stringify(e.data)}`, at(path, 'value'));
    }
    case 'const':
      return error('PIPECTL_SPEC_SCHEMA', `${where} must be ${JSON.stringify(e.params['allowedValue'])}, not ${JSON.stringify(e.data)}`, at(path, 'value'));
    case 'pattern': {
      const description = (e.parentSchema as { description?: string } | undefined)?.description;
      return error('PIPECTL_SPEC_SCHEMA', `${where} ${JSON.stringify(e.data)} is not allowed`, at(path, 'value'), description ?? `must match ${String(e.params['pattern'])}`);
    }
    default:
      return error('PIPECTL_SPEC_SCHEMA', `${where || 'document'} ${e.message ?? 'is invalid'}`, at(path, 'value'));
  }
}

function parsePointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** `spec.connectors[0].tasksMax` — how a user would name the place. */
function describePath(path: Path): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function article(noun: string): string {
  if (noun === 'object') return 'a mapping';
  if (noun === 'array') return 'a list';
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function dedupe(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const key = `${d.pos?.line}:${d.pos?.column}:${d.summary}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The allowed name closest to a typo, when it is close enough to be a useful suggestion. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
