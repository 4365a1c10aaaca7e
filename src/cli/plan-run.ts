/**
 * The work of `pipectl plan`, loaded only when the command runs (see plan-command.ts for its options).
 */
import { formatDiagnostic } from '../diag/diagnostic.js';
import type { Plan } from '../plan/types.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText, shouldUseColor } from '../render/index.js';
import type { VarSource } from '../spec/variables.js';
import { DEFAULT_PIPELINE_PATHS } from './defaults.js';
import { writePlanFile } from './plan-file.js';
import type { PlanCommandFlags } from './plan-command.js';
import { describeError } from './plan-options.js';
import { preparePlan } from './plan-session.js';
import type { PlanFlags } from './plan-session.js';

/** Runs a plan and prints it; resolves to the exit code (0, 1, or 2 with --detailed-exitcode and changes). */
export async function runPlan(paths: string[], varSources: VarSource[], flags: PlanCommandFlags): Promise<number> {
  const usedPaths = paths.length > 0 ? paths : DEFAULT_PIPELINE_PATHS;
  try {
    const session = await preparePlan({ paths: usedPaths, varSources, flags });
    for (const d of session.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!session.plan) return 1;
    const plan = session.plan;
    if (flags.json) process.stdout.write(renderPlanJson(plan));
    else if (flags.markdown) process.stdout.write(renderPlanMarkdown(plan));
    else process.stdout.write(renderPlanText(plan, { color: flags.color !== false && shouldUseColor({ isTTY: process.stdout.isTTY === true, env: process.env }) }));
    if (flags.out) {
      // The saved plan is the JSON form (literal secrets shown as (sensitive)); apply re-derives the values to send.
      writePlanFile(flags.out, { pipectlPlanFile: 1, paths: usedPaths, varSources, flags: stripOutputFlags(flags), plan: JSON.parse(renderPlanJson(plan)) as Plan });
      process.stderr.write(`Saved the plan to ${flags.out}; run "pipectl apply --plan ${flags.out}" to carry it out.\n`);
    }
    if (plan.diagnostics.some((d) => d.severity === 'error')) return 1;
    return flags.detailedExitcode && plan.operations.length > 0 ? 2 : 0;
  } catch (e) {
    process.stderr.write(`Error: ${describeError(e)}\n`);
    return 1;
  }
}

function stripOutputFlags(flags: PlanCommandFlags): PlanFlags {
  const { url, env, header, prune, adopt, restart, ignoreKey } = flags;
  return { ...(url ? { url } : {}), ...(env ? { env } : {}), ...(header ? { header } : {}), prune: prune ?? false, adopt: adopt ?? false, restart: restart ?? [], ignoreKey: ignoreKey ?? [] };
}
