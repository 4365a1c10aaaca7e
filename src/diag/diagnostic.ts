/**
 * Diagnostics: user-facing problems, accumulated rather than thrown, each with a stable code and a source position.
 * Modelled on Terraform's tfdiags: a short summary, a detail sentence that says what was expected, and a range.
 */
import type { DiagnosticCode } from './codes.js';

export type Severity = 'error' | 'warning';

/** A 1-based position in a file. `line`/`column` are what editors and CI annotations expect. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/** The one diagnostic type: the pipeline files' problems (src/pipeline-files) and the plan's (src/plan) alike. */
export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  /** One line, no trailing period, e.g. `unknown field "tasksmax"`. */
  summary: string;
  /** Optional sentence saying what was expected or how to fix it. */
  detail?: string;
  /** Where the problem is; absent only for problems that have no place (e.g. no files found). */
  pos?: SourcePos;
  /** The connector the problem is about, when it is about one (plan diagnostics); views name it when the summary does not. */
  connector?: string;
  /** The topic the problem is about, when it is about one (plan diagnostics). */
  topic?: string;
}

export function error(code: DiagnosticCode, summary: string, pos?: SourcePos, detail?: string): Diagnostic {
  return { severity: 'error', code, summary, ...(detail ? { detail } : {}), ...(pos ? { pos } : {}) };
}

export function warning(code: DiagnosticCode, summary: string, pos?: SourcePos, detail?: string): Diagnostic {
  return { severity: 'warning', code, summary, ...(detail ? { detail } : {}), ...(pos ? { pos } : {}) };
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** Stable order for output: by file, line, column, then code; diagnostics without a position come first. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort((a, b) => {
    const fa = a.pos?.file ?? '';
    const fb = b.pos?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.pos?.line ?? 0;
    const lb = b.pos?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.pos?.column ?? 0;
    const cb = b.pos?.column ?? 0;
    if (ca !== cb) return ca - cb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}

/** `file:line:column: severity: summary` — the form compilers use, which editors and CI turn into links. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.pos ? `${d.pos.file}:${d.pos.line}:${d.pos.column}: ` : '';
  const detail = d.detail ? ` (${d.detail})` : '';
  return `${where}${d.severity}: ${d.summary}${detail} [${d.code}]`;
}
