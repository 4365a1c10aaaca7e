/**
 * `pipectl import [names...]`: writes pipeline YAML for live connectors, so an existing Connect cluster can be brought
 * under management (then `plan --adopt` shows only the adoption). Literal secret-looking values are replaced by
 * `${env:…}` references, with a warning: secrets never land in Git.
 */
import type { Command } from 'commander';
import { addTargetOptions } from './plan-options.js';

export interface ImportFlags {
  url?: string;
  env?: string;
  header?: string[];
  caFile?: string;
  clientCert?: string;
  clientKey?: string;
  basicAuthFile?: string;
  match?: string;
  pipeline: string;
  out?: string;
}

export function registerImportCommand(program: Command, setExit: (code: number) => void): void {
  const cmd = program
    .command('import')
    .description('write pipeline YAML for connectors that already run on the runtime')
    .argument('[names...]', 'connectors to import (default: all, or those matching --match)')
    .option('--match <regex>', 'import the connectors whose names match this regular expression')
    .option('--pipeline <name>', 'metadata.name of the written pipeline', 'imported')
    .option('--out <file>', 'write to this file instead of standard output');
  addTargetOptions(cmd).action(async (names: string[], flags: ImportFlags) => {
    const { runImport } = await import('./import-run.js');
    setExit(await runImport(names, flags));
  });
}
