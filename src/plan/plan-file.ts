/**
 * Saved plans (`plan --out FILE`, `apply --plan FILE`), written and read here only (as Terraform's plans/planfile):
 * the plan's public form plus what is needed to check, at apply time, that neither the pipeline files nor the live
 * state moved since the plan was made — and nothing secret.
 *
 * A saved plan holds no value of a `--var` or a `--header` (plan-file-inputs.ts: fingerprints only), no live config
 * value (a LiveDigest: fingerprints only), and the plan only in its public form (no literal secret). So it cannot be
 * applied as it is: `apply --plan` plans again from the saved paths, flags and inputs — which gives the literal config
 * to send — and carries that plan out only if its fingerprints, target and operations match the saved one
 * (`stalePlanReason`). The file is written with mode 0600; reading it back checks every field (plan-file-check.ts).
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import type { VarSource } from '../pipeline-files/variables.js';
import { liveDigest } from './live-changes.js';
import type { LiveDigest } from './live-changes.js';
import { checkPlanFile, PlanFieldError } from './plan-file-check.js';
import { newSalt, savedInputs } from './plan-file-inputs.js';
import { toPublicPlan } from './public-form.js';
import type { PublicPlan } from './public-form.js';
import type { LiveState, Plan } from './types.js';

/** 2: values of --var and --header replaced by fingerprints, and the live digest added (version 1 held them verbatim). */
export const PLAN_FILE_VERSION = 2;

/** A --var as kept in a saved plan: its name and the fingerprint of its value; a --var-file: its path. */
export type SavedVarSource = { kind: 'var'; name: string; fingerprint: string } | { kind: 'file'; path: string };

/** The plan options and target a plan was made with (no --header: those are in `headers`, fingerprinted). */
export interface SavedPlanFlags {
  url?: string;
  env?: string;
  prune: boolean;
  adopt: boolean;
  restart: string[];
  ignoreKey: string[];
}

export interface PlanFile {
  pipectlPlanFile: typeof PLAN_FILE_VERSION;
  /** Random, per file: the key of every fingerprint in it. */
  salt: string;
  paths: string[];
  varSources: SavedVarSource[];
  /** The --header flags: names and fingerprints of their values. */
  headers: { name: string; fingerprint: string }[];
  flags: SavedPlanFlags;
  /** The live state the plan was made from, fingerprinted (see live-changes.ts). */
  live: LiveDigest;
  /** The plan as reviewed: its public form. */
  plan: PublicPlan;
}

/** A saved plan that cannot be read or is not a valid plan file. `field`: the path of the wrong field, when one is. */
export class PlanFileError extends Error {
  readonly code = 'PIPECTL_APPLY_PLAN_FILE';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'PlanFileError';
  }
}

/** What a plan was made from, as `plan --out` has it. */
export interface PlanFileInputs {
  paths: string[];
  varSources: readonly VarSource[];
  headers: readonly string[];
  flags: SavedPlanFlags;
  live: LiveState;
  plan: Plan;
  /** The key of the file's fingerprints; a new random one when absent. */
  salt?: string;
}

/** The saved plan for `inputs` (see the module comment): public form, fingerprints, digest. */
export function createPlanFile(inputs: PlanFileInputs): PlanFile {
  const salt = inputs.salt ?? newSalt();
  return {
    pipectlPlanFile: PLAN_FILE_VERSION,
    salt,
    paths: [...inputs.paths],
    ...savedInputs(salt, inputs.varSources, inputs.headers),
    flags: inputs.flags,
    live: liveDigest(inputs.live, salt),
    plan: toPublicPlan(inputs.plan),
  };
}

/** The text of a plan file: JSON, 2-space indent, trailing newline. */
export function serialisePlanFile(file: PlanFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Writes the plan file with mode 0600 (also when the file already existed with another mode). */
export function writePlanFile(path: string, file: PlanFile): void {
  writeFileSync(path, serialisePlanFile(file), { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * The plan file in `text` (read from `path`, named in messages), every field checked. Throws PlanFileError: not
 * JSON, not a plan file, a version-1 file, or — naming the field in the message and in `field` — a field that is
 * missing, unknown or of the wrong kind.
 */
export function parsePlanFile(text: string, path: string): PlanFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new PlanFileError(`cannot read plan file ${path}: ${(e as Error).message}`);
  }
  const version = typeof parsed === 'object' && parsed !== null ? (parsed as { pipectlPlanFile?: unknown }).pipectlPlanFile : undefined;
  if (version === 1) throw new PlanFileError(`${path} was written by an older pipectl (plan file version 1, which kept --var and --header values); run "pipectl plan --out" again`);
  if (version !== PLAN_FILE_VERSION) throw new PlanFileError(`${path} is not a pipectl plan file (written by "pipectl plan --out")`, 'pipectlPlanFile');
  try {
    return checkPlanFile(parsed, '');
  } catch (e) {
    if (!(e instanceof PlanFieldError)) throw e;
    throw new PlanFileError(`${path} is not a valid pipectl plan file (damaged, edited, or not written by "pipectl plan --out"): ${e.message}`, e.at);
  }
}

/** Reads and checks a plan file (parsePlanFile); a file that cannot be read is a PlanFileError too. */
export function readPlanFile(path: string): PlanFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PlanFileError(`cannot read plan file ${path}: ${(e as Error).message}`);
  }
  return parsePlanFile(text, path);
}

/** What a stale-plan check compares of a plan: a Plan and a public form both have it. */
export interface PlanIdentity {
  target: string;
  fingerprints: { desired: string; live: string };
  operations: readonly { op: string; name: string }[];
}

/** Why a saved plan no longer applies, or undefined when it still does. `moved`: describeLiveChanges of the saved digest. */
export function stalePlanReason(saved: PlanIdentity, current: PlanIdentity, moved: readonly string[] = []): string | undefined {
  const reasons: string[] = [];
  if (saved.fingerprints.desired !== current.fingerprints.desired) reasons.push('the pipeline files (or variables, or plan options) changed');
  if (saved.fingerprints.live !== current.fingerprints.live || moved.length > 0) reasons.push('the live state of the runtime changed');
  if (saved.target !== current.target) reasons.push(`the target changed (${saved.target} → ${current.target})`);
  if (reasons.length === 0) return undefined;
  const describe = (p: PlanIdentity): string[] => p.operations.map((o) => `${o.op} ${o.name}`);
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
