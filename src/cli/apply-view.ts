/**
 * The two views of `pipectl apply` (Terraform's views pattern): everything apply has to say — file and plan
 * diagnostics, errors before or after the steps, runtime retries, an interrupt, the steps themselves (ApplyHooks) and
 * the summary — goes through one of these, so no failure path can end in silence in either mode.
 *
 * Text: the plan and the steps on stdout, problems on stderr. JSON (`--json`): one JSON object per line on stdout
 * only; problems are `diagnostic` events (`severity`, `code`, `message`, `file`, `line`, `column`), and every run ends
 * with one `summary` event, also when nothing was applied.
 */
import type { ApplyHooks, ApplyResult, ApplyStep } from '../apply/index.js';
import { summarise } from '../apply/index.js';
import type { Plan } from '../plan/types.js';
import { toPublicPlan } from '../plan/public-form.js';
import { createJsonApplyHooks, createTextApplyHooks, renderPlanText } from '../views/index.js';
import type { DeclarationLookup } from '../views/index.js';
import { formatDiagnostic } from '../diag/diagnostic.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import { formatReported, fromDiagnostic, reportedJson } from './session-errors.js';
import type { Reported } from './session-errors.js';
import { describeRetry } from './retry-notice.js';
import type { RetryNotice } from './retry-notice.js';

export interface ApplyView {
  /** Step reporting, for applyPlan. */
  readonly hooks: ApplyHooks;
  /** Problems (errors, warnings), in order. */
  report(items: readonly Reported[]): void;
  /** Diagnostics of the pipeline files and variables (text: in the compiler form `validate` prints). */
  files(diagnostics: readonly Diagnostic[]): void;
  /** The plan about to be applied; text shows it (unless it was reviewed as a saved plan), JSON only its diagnostics. */
  plan(plan: Plan, show: boolean): void;
  /** A retry of a request the runtime did not answer (or answered 503/409), before its wait. */
  retrying(notice: RetryNotice): void;
  /** Something worth saying that is not a problem of the files (lease taken over, interrupt received). */
  note(message: string, fields?: Record<string, unknown>): void;
  /**
   * Ends a run that applied nothing (refused, failed before the first step, or nothing to do): JSON writes its
   * `summary` (every planned operation not run); text says nothing more (the error was already reported).
   */
  notApplied(plan: Plan | undefined, ok: boolean, interrupted?: boolean): void;
}

export interface ViewOptions {
  json: boolean;
  color: boolean;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now?: () => number;
  /** Where each connector or topic is declared (`file:line:column` on a failed step); may be filled in later. */
  where?: DeclarationLookup;
}

const line = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

export function createApplyView(options: ViewOptions): ApplyView {
  return options.json ? jsonView(options) : textView(options);
}

function textView({ color, stdout, stderr, where }: ViewOptions): ApplyView {
  const at = (step: { op: ApplyStep['op']; name: string }): string | undefined => {
    const pos = where?.(step);
    return pos ? `${pos.file}:${pos.line}:${pos.column}` : undefined;
  };
  return {
    hooks: createTextApplyHooks((l) => stdout(line(l)), { color, where: at }),
    report(items) {
      for (const r of items) stderr(line(formatReported(r)));
    },
    files(diagnostics) {
      for (const d of diagnostics) stderr(line(formatDiagnostic(d)));
    },
    plan(plan, show) {
      if (show) {
        stdout(renderPlanText(toPublicPlan(plan), { color }));
        return;
      }
      // A reviewed saved plan is not shown again, but what is wrong with it must be.
      for (const d of plan.diagnostics) stderr(line(formatReported(fromDiagnostic(d))));
    },
    retrying(notice) {
      stderr(line(describeRetry(notice)));
    },
    note(message) {
      stderr(line(message));
    },
    notApplied() {},
  };
}

function jsonView({ stdout, now = Date.now, where }: ViewOptions): ApplyView {
  const write = (l: string): void => stdout(line(l));
  const emit = (event: string, fields: Record<string, unknown>): void => write(JSON.stringify({ event, ...fields, time: new Date(now()).toISOString() }));
  const hooks = createJsonApplyHooks(write, where ? { where } : {});
  const report = (items: readonly Reported[]): void => {
    for (const r of items) emit('diagnostic', reportedJson(r));
  };
  return {
    hooks,
    report,
    files(diagnostics) {
      report(diagnostics.map(fromDiagnostic));
    },
    plan(plan) {
      report(plan.diagnostics.map(fromDiagnostic));
    },
    retrying(n) {
      emit('runtime_retrying', { url: n.url, method: n.method, path: n.path, attempt: n.attempt, reason: n.reason, delay_ms: n.delayMs, elapsed_ms: n.elapsedMs, budget_ms: Number.isFinite(n.budgetMs) ? n.budgetMs : null });
    },
    note(message, fields = {}) {
      emit('note', { message, ...fields });
    },
    notApplied(plan, ok, interrupted = false) {
      const steps: ApplyStep[] = (plan?.operations ?? []).map((op, index) => ({ index, op: op.op, name: op.name, ...(op.pipeline === undefined ? {} : { pipeline: op.pipeline }), status: 'not-run', ms: 0 }));
      const t = now();
      const result: ApplyResult = { ok, interrupted, steps, summary: summarise(steps), startedAt: t, ms: 0 };
      hooks.onSummary?.(result);
    },
  };
}
