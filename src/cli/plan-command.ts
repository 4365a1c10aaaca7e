/**
 * `pipectl plan [paths...]`: what would change, Terraform-style. Exit codes: 0 success (with --detailed-exitcode:
 * no changes), 1 error, 2 success with changes (only with --detailed-exitcode).
 */
import type { Command } from 'commander';
import { formatDiagnostic } from '../diag/diagnostic.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText, shouldUseColor } from '../render/index.js';
import type { Plan } from '../plan/types.js';
import { writePlanFile } from './plan-file.js';
import { preparePlan } from './plan-session.js';
import type { PlanFlags } from './plan-session.js';
import { addPlanOptions, describeError } from './plan-options.js';
import type { VarSource } from '../spec/variables.js';
import { DEFAULT_PIPELINE_PATHS } from './validate-command.js';

interface PlanCommandFlags extends PlanFlags {
  json?: boolean;
  markdown?: boolean;
  out?: string;
  detailedExitcode?: boolean;
  color?: boolean;
}

export function registerPlanCommand(program: Command, setExit: (code: number) => void): void {
  const varSources: VarSource[] = [];
  const cmd = program
    .command('plan')
    .description('show what apply would change in the runtime: creates, updates (per key), state changes, deletes')
    .argument('[paths...]', 'pipeline files or folders (default: pipelines/)')
    .option('--json', 'print the plan as JSON (its stable, versioned form)')
    .option('--markdown', 'print a Markdown summary for a pull-request comment')
    .option('--out <file>', 'save the plan for "pipectl apply --plan FILE"')
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are');
  addPlanOptions(cmd, varSources).action(async (paths: string[], flags: PlanCommandFlags) => {
    const usedPaths = paths.length > 0 ? paths : DEFAULT_PIPELINE_PATHS;
    try {
      const session = await preparePlan({ paths: usedPaths, varSources, flags });
      for (const d of session.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      if (!session.plan) {
        setExit(1);
        return;
      }
      const plan = session.plan;
      if (flags.json) process.stdout.write(renderPlanJson(plan));
      else if (flags.markdown) process.stdout.write(renderPlanMarkdown(plan));
      else process.stdout.write(renderPlanText(plan, { color: flags.color !== false && shouldUseColor({ isTTY: process.stdout.isTTY === true, env: process.env }) }));
      if (flags.out) {
        // The saved plan is the JSON form (literal secrets shown as (sensitive)); apply re-derives the values to send.
        writePlanFile(flags.out, { pipectlPlanFile: 1, paths: usedPaths, varSources, flags: stripOutputFlags(flags), plan: JSON.parse(renderPlanJson(plan)) as Plan });
        process.stderr.write(`Saved the plan to ${flags.out}; run "pipectl apply --plan ${flags.out}" to carry it out.\n`);
      }
      const hasErrors = plan.diagnostics.some((d) => d.severity === 'error');
      if (hasErrors) setExit(1);
      else setExit(flags.detailedExitcode && plan.operations.length > 0 ? 2 : 0);
    } catch (e) {
      process.stderr.write(`Error: ${describeError(e)}\n`);
      setExit(1);
    }
  });
}

function stripOutputFlags(flags: PlanCommandFlags): PlanFlags {
  const { url, env, header, prune, adopt, restart, ignoreKey } = flags;
  return { ...(url ? { url } : {}), ...(env ? { env } : {}), ...(header ? { header } : {}), prune: prune ?? false, adopt: adopt ?? false, restart: restart ?? [], ignoreKey: ignoreKey ?? [] };
}
