/**
 * The inputs of a saved plan that hold values: `--var` and `--header`. A saved plan keeps none of their values, only
 * keyed fingerprints (HMAC-SHA-256 with the file's random salt), so `apply --plan FILE` needs the same flags again (as
 * Terraform needs ephemeral inputs again) and checks them against the fingerprints. `--var-file` paths are kept (the
 * file is read again at apply; a changed value makes the plan stale).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { VarSource } from '../pipeline-files/variables.js';
import type { PlanFile, SavedVarSource } from './plan-file.js';

/** Thrown when `apply --plan FILE` is not given the --var/--header values the plan was made with. */
export class PlanInputsError extends Error {
  readonly code = 'PIPECTL_APPLY_PLAN_INPUTS';
  constructor(message: string) {
    super(message);
    this.name = 'PlanInputsError';
  }
}

/** A new random salt (32 hex digits): the key of every fingerprint in one saved plan. */
export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/** The keyed fingerprint of `value` (hex HMAC-SHA-256 with `salt` as the key). */
export function fingerprint(salt: string, value: string): string {
  return createHmac('sha256', salt).update(value).digest('hex');
}

/** `NAME=VALUE` → NAME; `Name: value` → Name. */
const varName = (text: string): string => (text.includes('=') ? text.slice(0, text.indexOf('=')) : text);
const varValue = (text: string): string => (text.includes('=') ? text.slice(text.indexOf('=') + 1) : '');
const headerName = (text: string): string => (text.includes(':') ? text.slice(0, text.indexOf(':')).trim() : text.trim());
const headerValue = (text: string): string => (text.includes(':') ? text.slice(text.indexOf(':') + 1).trim() : '');

/** The saved forms of the variable sources and headers a plan was made with. */
export function savedInputs(salt: string, varSources: readonly VarSource[], headers: readonly string[]): Pick<PlanFile, 'varSources' | 'headers'> {
  return {
    varSources: varSources.map((s): SavedVarSource => (s.kind === 'file' ? { kind: 'file', path: s.path } : { kind: 'var', name: varName(s.text), fingerprint: fingerprint(salt, varValue(s.text)) })),
    headers: headers.map((h) => ({ name: headerName(h), fingerprint: fingerprint(salt, headerValue(h)) })),
  };
}

/**
 * The variable sources to plan with at apply: the saved order, each --var taken from `given` (apply's own --var flags,
 * in the same order, with the same names and values). Throws PlanInputsError naming what differs — never a value.
 */
export function restoreInputs(file: PlanFile, given: readonly VarSource[], givenHeaders: readonly string[]): VarSource[] {
  const problems: string[] = [];
  const givenVars = given.filter((s): s is Extract<VarSource, { kind: 'var' }> => s.kind === 'var');
  if (given.some((s) => s.kind === 'file')) problems.push('--var-file is taken from the saved plan; do not give it to apply --plan');
  const savedVars = file.varSources.filter((s): s is Extract<SavedVarSource, { kind: 'var' }> => s.kind === 'var');
  match('--var', savedVars, givenVars.map((v) => ({ name: varName(v.text), value: varValue(v.text) })), file.salt, problems);
  match('--header', file.headers, givenHeaders.map((h) => ({ name: headerName(h), value: headerValue(h) })), file.salt, problems);
  if (problems.length > 0) {
    throw new PlanInputsError(
      `apply --plan needs the same --var and --header flags the plan was made with (a saved plan keeps only fingerprints of their values):\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  let next = 0;
  return file.varSources.map((s) => (s.kind === 'file' ? s : givenVars[next++]!));
}

function match(flag: string, saved: readonly { name: string; fingerprint: string }[], given: readonly { name: string; value: string }[], salt: string, problems: string[]): void {
  const n = Math.max(saved.length, given.length);
  for (let i = 0; i < n; i++) {
    const s = saved[i];
    const g = given[i];
    if (s && !g) problems.push(`${flag} ${s.name}: given when planning, missing now`);
    else if (!s && g) problems.push(`${flag} ${g.name}: not given when planning`);
    else if (s && g && s.name !== g.name) problems.push(`${flag} #${i + 1}: ${s.name} when planning, ${g.name} now`);
    else if (s && g && s.fingerprint !== fingerprint(salt, g.value)) problems.push(`${flag} ${s.name}: the value differs from the one planned with`);
  }
}
