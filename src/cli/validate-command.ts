/**
 * `pipectl validate [paths...]`: load, validate and normalise pipeline files; print every diagnostic.
 */
import type { Command } from 'commander';
import { formatDiagnostic, hasErrors } from '../diag/diagnostic.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import type { VarSource } from '../pipeline-files/variables.js';
import { DEFAULT_PIPELINE_PATHS } from './defaults.js';
import { addVariableOptions } from './variable-options.js';


export function registerValidateCommand(program: Command, setExit: (code: number) => void): void {
  const sources: VarSource[] = [];
  const cmd = program
    .command('validate')
    .description('check pipeline files: YAML, schema, names, references, variables; prints OK or every error as file:line:column')
    .argument('[paths...]', 'files or folders to read (default: pipelines/)')
    .option('--json', 'print diagnostics as a JSON array (for CI annotations)');
  addVariableOptions(cmd, sources).action(async (paths: string[], opts: { json?: boolean }) => {
    // Loaded on demand: the CLI starts fast for commands that do not read pipeline files.
    const { loadDesiredState } = await import('../pipeline-files/load-desired-state.js');
    const { collectVariables } = await import('../pipeline-files/variables.js');
    const { vars, diagnostics: varDiags } = collectVariables(sources);
    const result = loadDesiredState({ paths: paths.length > 0 ? paths : DEFAULT_PIPELINE_PATHS, cwd: process.cwd(), variables: vars });
    const diagnostics = [...varDiags, ...result.diagnostics];
    const failed = hasErrors(diagnostics);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(diagnostics.map(toJson), null, 2)}\n`);
    } else {
      for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      if (failed) {
        const n = diagnostics.filter((d) => d.severity === 'error').length;
        process.stderr.write(`\n${n} error${n === 1 ? '' : 's'} in ${result.files} file${result.files === 1 ? '' : 's'}\n`);
      } else {
        const { pipelines, connectors, topics } = result.state;
        process.stdout.write(`OK: ${count(pipelines.length, 'pipeline')}, ${count(connectors.length, 'connector')}, ${count(topics.length, 'topic')}\n`);
      }
    }
    setExit(failed ? 1 : 0);
  });
}

/** `1 pipeline`, `2 pipelines`, `0 topics`. */
function count(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** The JSON form of a diagnostic: flat, with the fields CI annotation tools expect. */
export function toJson(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    message: d.summary,
    ...(d.detail ? { detail: d.detail } : {}),
    file: d.pos?.file ?? null,
    line: d.pos?.line ?? null,
    column: d.pos?.column ?? null,
  };
}
