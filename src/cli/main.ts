/**
 * The CLI: commander wiring only. Each command is a thin call into the layers below and returns an exit code.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { registerValidateCommand } from './validate-command.js';
import { registerWorkerCommand } from './worker-command.js';
import { registerPlanCommand } from './plan-command.js';
import { registerApplyCommand } from './apply-command.js';
import { registerImportCommand } from './import-command.js';
import { registerDevCommand } from './dev-command.js';
import { registerStatusCommand } from './status-command.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Runs the CLI with `argv` (as in process.argv) and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command()
    .name('pipectl')
    .description('Declarative pipelines for Kafka Connect-style runtimes: validate, plan, apply, and a bundled runtime.')
    .version(pkg.version)
    .exitOverride()
    // Options belong to the command they follow: `dev kafka stop --pid-file F` is stop's option, not `dev kafka`'s
    // (commander needs this on every ancestor of such a subcommand).
    .enablePositionalOptions()
    .showHelpAfterError('(run "pipectl --help" for usage)');
  registerValidateCommand(program, setExit);
  registerPlanCommand(program, setExit);
  registerApplyCommand(program, setExit);
  registerImportCommand(program, setExit);
  registerStatusCommand(program, setExit);
  registerWorkerCommand(program, setExit);
  registerDevCommand(program, setExit);
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    throw e;
  }
  return exitCode;
}
