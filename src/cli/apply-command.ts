/**
 * `pipectl apply [paths...]` or `pipectl apply --plan FILE`: carry the plan out through herder operations, wait until
 * connectors and tasks are healthy, report each step. Refuses a stale saved plan, and holds the runtime's apply lease
 * so two applies never interleave. Exit codes: 0 applied (or nothing to do), 1 error or failed step.
 */
import type { Command } from 'commander';
import type { VarSource } from '../pipeline-files/variables.js';
import { addPlanOptions, describeError } from './plan-options.js';
import type { PlanFlags } from './plan-session.js';

export interface ApplyFlags extends PlanFlags {
  plan?: string;
  autoApprove?: boolean;
  json?: boolean;
  waitTimeout: string;
  lockTimeout: string;
  parallelism: string;
  color?: boolean;
}

export function registerApplyCommand(program: Command, setExit: (code: number) => void): void {
  const varSources: VarSource[] = [];
  const cmd = program
    .command('apply')
    .description('carry out the plan: create, update, pause/resume/stop, restart, delete; then wait until healthy')
    .argument('[paths...]', 'pipeline files or folders (default: pipelines/); not with --plan')
    .option('--plan <file>', 'apply exactly this saved plan (from "pipectl plan --out"); refused if anything changed since')
    .option('--auto-approve', 'do not ask for confirmation (required when not on a terminal)')
    .option('--json', 'print one JSON event per line instead of text')
    .option('--wait-timeout <seconds>', 'how long to wait for each connector to become healthy', '60')
    .option('--lock-timeout <seconds>', 'how long to wait for another apply to finish', '0')
    .option('--parallelism <n>', 'how many connectors may be waited on at once while later operations run (1: one at a time)', '10');
  addPlanOptions(cmd, varSources).action(async (paths: string[], flags: ApplyFlags) => {
    try {
      const { runApply } = await import('./apply-run.js');
      setExit(await runApply(paths, varSources, flags));
    } catch (e) {
      // runApply reports everything itself; this only guards against a bug in the view.
      process.stderr.write(`Error: ${describeError(e)} [PIPECTL_CLI_INTERNAL]\n`);
      setExit(1);
    }
  });
}
