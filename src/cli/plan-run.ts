/**
 * The work of `pipectl plan`, loaded only when the command runs (see plan-command.ts for its options).
 */
import { formatDiagnostic } from '../diag/diagnostic.js';
import type { RetryEvent } from '../herder/rest-client.js';
import { FORMAT_VERSION } from '../plan/types.js';
import { describeRetry } from './retry-notice.js';
import { toPublicPlan } from '../plan/public-form.js';
import { renderPlanJson, renderPlanMarkdown, renderPlanText, shouldUseColor } from '../views/index.js';
import type { VarSource } from '../pipeline-files/variables.js';
import { DEFAULT_PIPELINE_PATHS } from './defaults.js';
import { createPlanFile, writePlanFile } from '../plan/plan-file.js';
import type { SavedPlanFlags } from '../plan/plan-file.js';
import type { PlanCommandFlags } from './plan-command.js';
import { formatReported, fromDiagnostic, reportedJson, reportsOfError } from './session-errors.js';
import type { Reported } from './session-errors.js';
import { preparePlan } from './plan-session.js';

/** Runs a plan and prints it; resolves to the exit code (0, 1, or 2 with --detailed-exitcode and changes). */
export async function runPlan(paths: string[], varSources: VarSource[], flags: PlanCommandFlags): Promise<number> {
  const usedPaths = paths.length > 0 ? paths : DEFAULT_PIPELINE_PATHS;
  try {
    // Retries of an unreachable or starting runtime are said as they happen, on stderr (stdout is the plan).
    const hooks = { onRetry: (e: RetryEvent) => void process.stderr.write(`${describeRetry(e)}\n`) };
    const session = await preparePlan({ paths: usedPaths, varSources, flags, hooks });
    for (const d of session.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!session.plan) {
      if (flags.json) writeNoPlanJson(session.diagnostics.map(fromDiagnostic));
      return 1;
    }
    const plan = session.plan;
    // Every view reads the plan's public form (secrets already redacted), never the plan itself.
    const shown = toPublicPlan(plan);
    if (flags.json) process.stdout.write(renderPlanJson(shown));
    else if (flags.markdown) process.stdout.write(renderPlanMarkdown(shown));
    else process.stdout.write(renderPlanText(shown, { color: flags.color !== false && shouldUseColor({ isTTY: process.stdout.isTTY === true, env: process.env }) }));
    if (flags.out) {
      // The saved plan holds the public form (literal secrets shown as (sensitive)); apply re-derives the values to
      // send. No --var or --header value is kept, only fingerprints: apply --plan needs them again (src/plan/plan-file.ts).
      writePlanFile(flags.out, createPlanFile({ paths: usedPaths, varSources, headers: flags.header ?? [], flags: savedFlags(flags), live: session.live!, plan }));
      const again = [...varSources.flatMap((s) => (s.kind === 'var' ? [`--var ${s.text.split('=')[0]}=…`] : [])), ...(flags.header ?? []).map((h) => `--header "${h.split(':')[0]}: …"`)];
      process.stderr.write(`Saved the plan to ${flags.out}; run "pipectl apply --plan ${flags.out}${again.length ? ` ${again.join(' ')}` : ''}" to carry it out${again.length ? ' (the saved plan keeps no --var or --header value: give the same ones again)' : ''}.\n`);
    }
    if (plan.diagnostics.some((d) => d.severity === 'error')) return 1;
    return flags.detailedExitcode && plan.operations.length > 0 ? 2 : 0;
  } catch (e) {
    const reports = reportsOfError(e);
    for (const r of reports) process.stderr.write(`${formatReported(r)}\n`);
    if (flags.json) writeNoPlanJson(reports);
    return 1;
  }
}

/**
 * `plan --json` when no plan could be made (file errors, an unreachable runtime, …): stdout still holds one JSON
 * document, `{"formatVersion": 1, "planned": false, "diagnostics": [...]}`, so a CI step that parses it finds the
 * reason (with code and file:line:column) instead of empty output. A real plan never has `planned: false`.
 */
function writeNoPlanJson(reports: readonly Reported[]): void {
  process.stdout.write(`${JSON.stringify({ formatVersion: FORMAT_VERSION, planned: false, diagnostics: reports.map(reportedJson) }, null, 2)}\n`);
}

/** The plan options and target to save: without output flags, --header (fingerprinted apart) or --runtime-timeout. */
function savedFlags(flags: PlanCommandFlags): SavedPlanFlags {
  const { url, env, prune, adopt, restart, ignoreKey } = flags;
  return { ...(url ? { url } : {}), ...(env ? { env } : {}), prune: prune ?? false, adopt: adopt ?? false, restart: restart ?? [], ignoreKey: ignoreKey ?? [] };
}
