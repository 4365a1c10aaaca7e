/**
 * Variables for environments: `${var:NAME}` in any string value, from `--var NAME=VALUE` and `--var-file FILE.yaml`
 * (repeatable; later wins). Values from files keep their YAML type; `--var` values that look like integers or booleans
 * become them, so `tasksMax: ${var:TASKS}` works either way.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { error } from '../diag/diagnostic.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import { scanReferences } from './references.js';

export type VarValue = string | number | boolean;
export type Variables = ReadonlyMap<string, VarValue>;

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** A source of variables, in the order the user gave them on the command line. */
export type VarSource = { kind: 'var'; text: string } | { kind: 'file'; path: string };

export function collectVariables(sources: readonly VarSource[]): { vars: Map<string, VarValue>; diagnostics: Diagnostic[] } {
  const vars = new Map<string, VarValue>();
  const diagnostics: Diagnostic[] = [];
  for (const source of sources) {
    if (source.kind === 'var') {
      const eq = source.text.indexOf('=');
      const name = eq < 0 ? '' : source.text.slice(0, eq);
      if (!VAR_NAME.test(name)) {
        diagnostics.push(error('PIPECTL_SPEC_VAR_INVALID', `--var "${source.text}" is not NAME=VALUE`, undefined, 'names start with a letter or "_"'));
        continue;
      }
      vars.set(name, coerceCliValue(source.text.slice(eq + 1)));
      continue;
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(source.path, 'utf8'));
    } catch (e) {
      diagnostics.push(error('PIPECTL_SPEC_VAR_INVALID', `cannot read --var-file ${source.path}: ${(e as Error).message.split('\n')[0]}`));
      continue;
    }
    if (parsed === null || parsed === undefined) continue;
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      diagnostics.push(error('PIPECTL_SPEC_VAR_INVALID', `--var-file ${source.path} must be a mapping of NAME: value`));
      continue;
    }
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (!VAR_NAME.test(name) || !(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
        diagnostics.push(error('PIPECTL_SPEC_VAR_INVALID', `--var-file ${source.path}: "${name}" must be a name with a string, number or boolean value`));
        continue;
      }
      vars.set(name, value);
    }
  }
  return { vars, diagnostics };
}

function coerceCliValue(text: string): VarValue {
  if (/^-?(0|[1-9][0-9]{0,15})$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

export interface Substitution {
  value: VarValue;
  /** Variables that were referenced but not defined, with their index in the string. */
  missing: { name: string; index: number }[];
}

/**
 * Replaces every `${var:NAME}` in a string. A string that is exactly one reference takes the variable's own type.
 * Other references (secrets) and `$${` escapes are left alone; escapes are unescaped only by {@link unescapeLiteral}.
 */
export function substituteVariables(text: string, vars: Variables): Substitution {
  const { references } = scanReferences(text);
  const varRefs = references.filter((r) => r.provider === 'var');
  const missing: Substitution['missing'] = [];
  if (varRefs.length === 0) return { value: text, missing };
  if (varRefs.length === 1 && varRefs[0]!.text === text) {
    const v = vars.get(varRefs[0]!.path);
    if (v === undefined) missing.push({ name: varRefs[0]!.path, index: 0 });
    return { value: v ?? text, missing };
  }
  let out = '';
  let last = 0;
  for (const r of varRefs) {
    const v = vars.get(r.path);
    if (v === undefined) missing.push({ name: r.path, index: r.index });
    out += text.slice(last, r.index) + (v === undefined ? r.text : String(v));
    last = r.index + r.text.length;
  }
  return { value: out + text.slice(last), missing };
}

/** `$${` is how a file writes a literal `${`; the runtime receives the literal. */
export function unescapeLiteral(text: string): string {
  return text.includes('$${') ? text.replaceAll('$${', '${') : text;
}
