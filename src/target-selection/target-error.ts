/**
 * Errors of target selection: a bad pipectl.yaml, an unknown --env, a malformed --url, --header or
 * PIPECTL_BASIC_AUTH, a missing secret environment variable. Each carries a stable code and one or more problems,
 * with `file:line:column` when they come from pipectl.yaml.
 */
import { TARGET_ERROR_CODES } from '../diag/codes.js';
import type { SourcePos } from '../diag/diagnostic.js';

/** The codes of this area live in the catalogue (src/diag/codes.ts, docs/errors.md). */
export { TARGET_ERROR_CODES };

export type TargetErrorCode = keyof typeof TARGET_ERROR_CODES;

/** One problem; `pos` is set for problems found in pipectl.yaml. */
export interface TargetProblem {
  summary: string;
  detail?: string;
  pos?: SourcePos;
}

export class TargetError extends Error {
  /** The message lists every problem, one per line, as `file:line:column: summary (detail)`. */
  constructor(
    readonly code: TargetErrorCode,
    readonly problems: readonly TargetProblem[],
  ) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'TargetError';
  }
}

export function formatProblem(p: TargetProblem): string {
  const where = p.pos ? `${p.pos.file}:${p.pos.line}:${p.pos.column}: ` : '';
  return `${where}${p.summary}${p.detail ? ` (${p.detail})` : ''}`;
}

/** A TargetError with a single problem. */
export function targetError(code: TargetErrorCode, summary: string, detail?: string, pos?: SourcePos): TargetError {
  return new TargetError(code, [{ summary, ...(detail ? { detail } : {}), ...(pos ? { pos } : {}) }]);
}
