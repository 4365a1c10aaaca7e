/**
 * Saved plans (`plan --out FILE`, `apply --plan FILE`): the plan plus what is needed to check, at apply time, that
 * neither the pipeline files nor the live state moved since the plan was made.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Plan } from '../plan/types.js';
import type { VarSource } from '../spec/variables.js';
import type { PlanFlags } from './plan-session.js';

export const PLAN_FILE_VERSION = 1;

export interface PlanFile {
  pipectlPlanFile: typeof PLAN_FILE_VERSION;
  paths: string[];
  varSources: VarSource[];
  flags: PlanFlags;
  plan: Plan;
}

export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFileError';
  }
}

export function writePlanFile(path: string, file: PlanFile): void {
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}

export function readPlanFile(path: string): PlanFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PlanFileError(`cannot read plan file ${path}: ${(e as Error).message}`);
  }
  const f = parsed as Partial<PlanFile>;
  if (f.pipectlPlanFile !== PLAN_FILE_VERSION || !f.plan || !Array.isArray(f.paths)) {
    throw new PlanFileError(`${path} is not a pipectl plan file (written by "pipectl plan --out")`);
  }
  return f as PlanFile;
}

/** Why a saved plan no longer applies, or undefined when it still does. */
export function stalePlanReason(saved: Plan, current: Plan): string | undefined {
  const reasons: string[] = [];
  if (saved.fingerprints.desired !== current.fingerprints.desired) reasons.push('the pipeline files (or variables, or plan options) changed');
  if (saved.fingerprints.live !== current.fingerprints.live) reasons.push('the live state of the runtime changed');
  if (saved.target !== current.target) reasons.push(`the target changed (${saved.target} → ${current.target})`);
  if (reasons.length === 0) return undefined;
  const describe = (p: Plan): string[] => p.operations.map((o) => `${o.op} ${o.name}`);
  const before = new Set(describe(saved));
  const after = new Set(describe(current));
  const gone = [...before].filter((x) => !after.has(x));
  const added = [...after].filter((x) => !before.has(x));
  const detail = [...gone.map((x) => `  no longer planned: ${x}`), ...added.map((x) => `  now also needed:   ${x}`)];
  return `the saved plan is stale: ${reasons.join('; ')} since it was made.${detail.length ? `\n${detail.join('\n')}` : ''}\nRun "pipectl plan" again and review the new plan.`;
}
