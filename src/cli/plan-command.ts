/**
 * `pipectl plan [paths...]`: what would change, Terraform-style. Exit codes: 0 success (with --detailed-exitcode:
 * no changes), 1 error, 2 success with changes (only with --detailed-exitcode).
 */
import type { Command } from 'commander';
import type { PlanFlags } from './plan-session.js';
import { addPlanOptions } from './plan-options.js';
import type { VarSource } from '../pipeline-files/variables.js';

export interface PlanCommandFlags extends PlanFlags {
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
    const { runPlan } = await import('./plan-run.js');
    setExit(await runPlan(paths, varSources, flags));
  });
}
