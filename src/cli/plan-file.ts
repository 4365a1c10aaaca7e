/**
 * Saved plans (`plan --out FILE`, `apply --plan FILE`): the plan plus what is needed to check, at apply time, that
 * neither the pipeline files nor the live state moved since the plan was made — and nothing secret.
 *
 * A saved plan holds no value of a `--var` or a `--header`, and no live config value: only keyed fingerprints
 * (HMAC-SHA-256 with a random salt stored in the file). `apply --plan FILE` therefore needs the same `--var` and
 * `--header` flags again (as Terraform needs ephemeral inputs again) and checks them against the fingerprints.
 * `--var-file` paths are kept (the file is read again at apply; a changed value makes the plan stale). The file is
 * written with mode 0600.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import type { LiveDigest } from '../plan/live-changes.js';
import type { Plan } from '../plan/types.js';
import type { VarSource } from '../pipeline-files/variables.js';
import type { PlanFlags } from './plan-session.js';

/** 2: values of --var and --header replaced by fingerprints, and the live digest added (version 1 held them verbatim). */
export const PLAN_FILE_VERSION = 2;

/** A --var as kept in a saved plan: its name and the fingerprint of its value. */
export type SavedVarSource = { kind: 'var'; name: string; fingerprint: string } | { kind: 'file'; path: string };

export interface PlanFile {
  pipectlPlanFile: typeof PLAN_FILE_VERSION;
  /** Random, per file: the key of every fingerprint in it. */
  salt: string;
  paths: string[];
  varSources: SavedVarSource[];
  /** The --header flags: names and fingerprints of their values. */
  headers: { name: string; fingerprint: string }[];
  /** Plan options and target, without headers. */
  flags: PlanFlags;
  /** The live state the plan was made from, fingerprinted (see src/plan/live-changes.ts). */
  live: LiveDigest;
  plan: Plan;
}

/** A saved plan file that cannot be read or is not one (PIPECTL_APPLY_PLAN_FILE). */
export class PlanFileError extends Error {
  readonly code = 'PIPECTL_APPLY_PLAN_FILE';

  constructor(message: string) {
    super(message);
    this.name = 'PlanFileError';
  }
}

/** Thrown when `apply --plan FILE` is not given the --var/--header values the plan was made with. */
export class PlanInputsError extends Error {
  readonly code = 'PIPECTL_APPLY_PLAN_INPUTS';

  constructor(message: string) {
    super(message);
    this.name = 'PlanInputsError';
  }
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

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
    varSources: varSources.map((s) => (s.kind === 'file' ? s : { kind: 'var', name: varName(s.text), fingerprint: fingerprint(salt, varValue(s.text)) })),
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

/** Writes the plan file with mode 0600 (also when the file already existed with another mode). */
export function writePlanFile(path: string, file: PlanFile): void {
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function readPlanFile(path: string): PlanFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PlanFileError(`cannot read plan file ${path}: ${(e as Error).message}`);
  }
  const f = parsed as Omit<Partial<PlanFile>, 'pipectlPlanFile'> & { pipectlPlanFile?: unknown };
  if (f.pipectlPlanFile === 1) throw new PlanFileError(`${path} was written by an older pipectl (plan file version 1, which kept --var and --header values); run "pipectl plan --out" again`);
  if (f.pipectlPlanFile !== PLAN_FILE_VERSION || !f.plan || !Array.isArray(f.paths) || !f.live || typeof f.salt !== 'string') {
    throw new PlanFileError(`${path} is not a pipectl plan file (written by "pipectl plan --out")`);
  }
  return f as unknown as PlanFile;
}

/** Why a saved plan no longer applies, or undefined when it still does. `moved`: describeLiveChanges of the saved digest. */
export function stalePlanReason(saved: Plan, current: Plan, moved: readonly string[] = []): string | undefined {
  const reasons: string[] = [];
  if (saved.fingerprints.desired !== current.fingerprints.desired) reasons.push('the pipeline files (or variables, or plan options) changed');
  if (saved.fingerprints.live !== current.fingerprints.live || moved.length > 0) reasons.push('the live state of the runtime changed');
  if (saved.target !== current.target) reasons.push(`the target changed (${saved.target} → ${current.target})`);
  if (reasons.length === 0) return undefined;
  const describe = (p: Plan): string[] => p.operations.map((o) => `${o.op} ${o.name}`);
  const before = new Set(describe(saved));
  const after = new Set(describe(current));
  const gone = [...before].filter((x) => !after.has(x));
  const added = [...after].filter((x) => !before.has(x));
  const detail = [...moved.map((x) => `  changed on the runtime: ${x}`), ...gone.map((x) => `  no longer planned: ${x}`), ...added.map((x) => `  now also needed:   ${x}`)];
  return `the saved plan is stale: ${reasons.join('; ')} since it was made.${detail.length ? `\n${detail.join('\n')}` : ''}\nRun "pipectl plan" again and review the new plan.`;
}

/** The refusal when the live state moved between showing a plan and carrying it out (after the "yes"). */
export function movedSinceReviewReason(moved: readonly string[]): string {
  return `the live state changed after the plan was shown, so it is not the plan you reviewed; nothing was applied:\n${moved.map((x) => `  changed on the runtime: ${x}`).join('\n')}\nRun "pipectl plan" again and review the new plan.`;
}
