/**
 * Every failure a plan or apply session can end with, as one shape (`Reported`) that the text and JSON views print:
 * file diagnostics, plan diagnostics, and errors thrown on the way (unreachable runtime, lease held, stale plan, …),
 * each with its PIPECTL_* code and, when it has one, its `file:line:column`. The one place errors get their codes and
 * their words (a LiveMovedError's list of moves is worded here, as the saved plan's refusals are in plan-file.ts).
 */
import { LiveMovedError, SessionError } from '../apply/index.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import { HerderError } from '../herder/errors.js';
import { LeaseHeldError, RuntimeUnreachableError } from '../herder/rest-errors.js';
import { RuntimeTlsError } from '../herder/tls-errors.js';
import { TargetError } from '../target-selection/target-error.js';
import { movedSinceReviewReason, PlanFileError } from '../plan/plan-file.js';
import { PlanInputsError } from '../plan/plan-file-inputs.js';

export { SessionError } from '../apply/index.js';
export type { SessionErrorCode } from '../apply/index.js';

/** One thing to report: a diagnostic or an error, with its code and position when known. */
export interface Reported {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  detail?: string;
  connector?: string;
  file?: string;
  line?: number;
  column?: number;
}

/** A file's or the plan's diagnostic as a report. */
export function fromDiagnostic(d: Diagnostic): Reported {
  return { severity: d.severity, code: d.code, message: d.summary, ...(d.detail ? { detail: d.detail } : {}), ...(d.connector !== undefined ? { connector: d.connector } : {}), ...(d.pos ? { file: d.pos.file, line: d.pos.line, column: d.pos.column } : {}) };
}

/** What `e` means for the user: one or more reports (a TargetError may hold several problems). Never throws. */
export function reportsOfError(e: unknown): Reported[] {
  if (e instanceof LiveMovedError) return [{ severity: 'error', code: e.code, message: movedSinceReviewReason(e.moved) }];
  if (e instanceof SessionError) return [{ severity: 'error', code: e.code, message: e.message }];
  if (e instanceof TargetError) {
    return e.problems.map((p) => ({
      severity: 'error' as const,
      code: e.code,
      message: p.summary,
      ...(p.detail ? { detail: p.detail } : {}),
      ...(p.pos ? { file: p.pos.file, line: p.pos.line, column: p.pos.column } : {}),
    }));
  }
  if (e instanceof PlanFileError) return [{ severity: 'error', code: 'PIPECTL_APPLY_PLAN_FILE', message: e.message }];
  if (e instanceof PlanInputsError) return [{ severity: 'error', code: 'PIPECTL_APPLY_PLAN_INPUTS', message: e.message }];
  if (e instanceof RuntimeTlsError) return [{ severity: 'error', code: 'PIPECTL_RUNTIME_TLS', message: e.message }];
  if (e instanceof RuntimeUnreachableError) return [{ severity: 'error', code: 'PIPECTL_RUNTIME_UNREACHABLE', message: e.message }];
  if (e instanceof LeaseHeldError) return [{ severity: 'error', code: 'PIPECTL_APPLY_LOCKED', message: e.message }];
  if (e instanceof HerderError) return [{ severity: 'error', code: 'PIPECTL_RUNTIME_ERROR', message: e.message }];
  const message = e instanceof Error ? e.message : String(e);
  return [{ severity: 'error', code: 'PIPECTL_CLI_INTERNAL', message }];
}

/** `file:line:column: ` as far as known, or ''. */
export function where(r: Reported): string {
  if (r.file === undefined) return '';
  return `${r.file}${r.line === undefined ? '' : `:${r.line}${r.column === undefined ? '' : `:${r.column}`}`}: `;
}

/** The text form: `Error: file:3:5: message (detail) [CODE]`. */
export function formatReported(r: Reported): string {
  const label = r.severity === 'error' ? 'Error' : 'Warning';
  const connector = r.connector !== undefined && !r.message.includes(r.connector) ? `connector "${r.connector}": ` : '';
  return `${label}: ${where(r)}${connector}${r.message}${r.detail ? ` (${r.detail})` : ''} [${r.code}]`;
}

/** The JSON form, flat (as `validate --json` prints diagnostics); `file`/`line`/`column` are null when unknown. */
export function reportedJson(r: Reported): Record<string, unknown> {
  return {
    severity: r.severity,
    code: r.code,
    message: r.message,
    ...(r.detail ? { detail: r.detail } : {}),
    ...(r.connector !== undefined ? { connector: r.connector } : {}),
    file: r.file ?? null,
    line: r.line ?? null,
    column: r.column ?? null,
  };
}
