/**
 * `pipectl status [paths...]`: the declared connectors against the live runtime, as a table (or JSON), once or every
 * few seconds with --watch. Exit codes: 0 shown, 1 error (files or runtime).
 */
import type { Command } from 'commander';
import type { VarSource } from '../pipeline-files/variables.js';
import { addTargetOptions } from './plan-options.js';
import type { TargetFlags } from './plan-session.js';
import { addVariableOptions } from './variable-options.js';

export interface StatusCommandFlags extends TargetFlags {
  json?: boolean;
  /** Seconds between refreshes (a string from the command line); true when given without a value. */
  watch?: string | boolean;
}

export function registerStatusCommand(program: Command, setExit: (code: number) => void): void {
  const varSources: VarSource[] = [];
  const cmd = program
    .command('status')
    .description('show the declared connectors against the runtime: state, tasks, workers, records/s, lag, restarts, and whether apply would change them')
    .argument('[paths...]', 'pipeline files or folders (default: pipelines/)')
    .option('--json', 'print the status as JSON (one document; with --watch one line per refresh)')
    .option('--watch [seconds]', 'refresh every few seconds (default 2) until interrupted')
    .option('--no-color', 'accepted as plan and apply accept it (the table has no colours)');
  addVariableOptions(addTargetOptions(cmd), varSources).action(async (paths: string[], flags: StatusCommandFlags) => {
    const { runStatus } = await import('./status-run.js');
    setExit(await runStatus(paths, varSources, flags));
  });
}
