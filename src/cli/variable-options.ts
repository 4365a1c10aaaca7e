/**
 * `--var NAME=VALUE` and `--var-file FILE`, kept in command-line order so that "later wins" holds across both flags.
 */
import type { Command } from 'commander';
import type { VarSource } from '../pipeline-files/variables.js';

export function addVariableOptions(cmd: Command, sources: VarSource[]): Command {
  return cmd
    .option('--var <NAME=VALUE>', 'set a ${var:NAME} variable (repeatable; later wins)', (text: string) => {
      sources.push({ kind: 'var', text });
      return text;
    })
    .option('--var-file <FILE>', 'read variables from a YAML mapping (repeatable; later wins)', (path: string) => {
      sources.push({ kind: 'file', path });
      return path;
    });
}
