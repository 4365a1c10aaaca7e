/**
 * The parts of a rendered plan as lines: header, operations, drift, diagnostics, summary. The text and Markdown views
 * assemble them differently; neither adds anything the plan does not hold.
 */
import type { Drift, PublicDiagnostic, PublicPlan as Plan } from '../plan/public-form.js';
import { BLANK, quote, safe, span, type Line, type Span } from './lines.js';
import { operationLines } from './plan-operations.js';
import { NO_CHANGES, NO_CHANGES_ERRORS, planFailedText, summaryPhrase } from './plan-summary.js';

export const hasErrors = (plan: Plan): boolean => plan.diagnostics.some((d) => d.severity === 'error');

/** `pipectl plan for <target> (project <project>)`. */
export function headerLines(plan: Plan): Line[] {
  return [{ indent: 0, spans: [span('pipectl plan for '), span(safe(plan.target), 'bold'), span(` (project ${safe(plan.project)})`)] }];
}

/** Every operation in plan order; a blank line around each one with a body, one-line operations kept together. */
export function operationsLines(plan: Plan): Line[] {
  const blocks = plan.operations.map(operationLines);
  return blocks.flatMap((b, i) => (i > 0 && (b.length > 1 || blocks[i - 1]!.length > 1) ? [BLANK, ...b] : b));
}

/** `connector "x" was changed outside pipectl: keys a, b` (without the `Drift:` label). */
export function driftText(d: Drift): string {
  const keys = d.keys.map(safe).join(', ');
  return `connector ${quote(d.connector)} was changed outside pipectl: ${d.keys.length === 1 ? 'key' : 'keys'} ${keys}`;
}

export function driftLines(plan: Plan): Line[] {
  return plan.drift.map((d): Line => ({ indent: 0, wrap: true, spans: [span('Drift:', 'bold'), span(` ${driftText(d)}`)] }));
}

/** `file:line:column` (as much of it as the diagnostic has), or undefined without a position. */
export function position(d: PublicDiagnostic): string | undefined {
  if (d.file === undefined) return undefined;
  const line = d.line === undefined ? '' : `:${d.line}${d.column === undefined ? '' : `:${d.column}`}`;
  return `${safe(d.file)}${line}`;
}

/** Whether the diagnostic concerns a connector its message does not name (then the view names it). */
export function namesOtherConnector(d: PublicDiagnostic): boolean {
  return d.connector !== undefined && !d.message.includes(d.connector);
}

/** `Error: file:3:5: connector "x": message (detail) [CODE]`, the parts present. */
export function diagnosticLines(plan: Plan): Line[] {
  return plan.diagnostics.map((d): Line => {
    const where = position(d);
    const spans: Span[] = [span(d.severity === 'error' ? 'Error:' : 'Warning:', d.severity)];
    let text = '';
    if (where !== undefined) text += ` ${where}:`;
    if (namesOtherConnector(d)) text += ` connector ${quote(d.connector!)}:`;
    text += ` ${safe(d.message)}${d.detail ? ` (${safe(d.detail)})` : ''} [${safe(d.code)}]`;
    spans.push(span(text));
    return { indent: 0, wrap: true, spans };
  });
}

/**
 * `Plan: … .`, or without operations the no-changes sentence. A plan with errors never ends in a line that reads like
 * success: apply refuses it, so its last line says it failed and why nothing will be applied.
 */
export function summaryLines(plan: Plan): Line[] {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0 && plan.operations.length > 0) return [{ indent: 0, spans: [span('Plan failed:', 'error'), span(` ${planFailedText(errors)}`)] }];
  if (plan.operations.length === 0) return [{ indent: 0, spans: [span(errors > 0 ? NO_CHANGES_ERRORS : NO_CHANGES, 'bold')] }];
  return [{ indent: 0, spans: [span('Plan:', 'bold'), span(` ${summaryPhrase(plan.summary)}.`)] }];
}
