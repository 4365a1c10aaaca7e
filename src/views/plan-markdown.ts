/**
 * The plan as a pull-request comment (GitHub-flavoured Markdown): a title with the summary, the operations in a
 * collapsed ```diff block (signs moved to column 0 so GitHub colors them; `~` becomes `!`), then drift and diagnostics
 * as bullet lists that stay visible. Built from the same lines as the text view; never colored, never wrapped.
 */
import type { PublicPlan as Plan } from '../plan/public-form.js';
import { linesToDiffBlock } from './lines.js';
import { headerLines, namesOtherConnector, operationsLines, position } from './plan-sections.js';
import { errorCount, summaryPhrase } from './plan-summary.js';

/** `text` as an inline code span, whatever backticks it holds (CommonMark: a longer fence, padded). */
function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const run = Math.max(0, ...(flat.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(run + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Prose made inert: HTML and Markdown punctuation escaped, on one line. */
function prose(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]~|#!]/g, (c) => `\\${c}`)
    .replace(/@/g, '&#64;');
}

/** A fenced block whose fence is longer than any run of backticks inside it. */
function fenced(info: string, body: string): string {
  const run = Math.max(0, ...(body.match(/`{3,}/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(Math.max(3, run + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

function driftBullets(plan: Plan): string[] {
  return plan.drift.map((d) => {
    const noun = d.keys.length === 1 ? 'key' : 'keys';
    return `- connector ${code(d.connector)} was changed outside pipectl: ${noun} ${d.keys.map(code).join(', ')}`;
  });
}

function diagnosticBullets(plan: Plan): string[] {
  return plan.diagnostics.map((d) => {
    const where = position(d);
    let line = `- **${d.severity === 'error' ? 'Error' : 'Warning'}**`;
    if (where !== undefined) line += ` ${code(where)}`;
    if (namesOtherConnector(d)) line += ` connector ${code(d.connector!)}`;
    return `${line}: ${prose(d.message)}${d.detail ? ` (${prose(d.detail)})` : ''} (${code(d.code)})`;
  });
}

/**
 * The plan as Markdown: `### pipectl plan: <summary>` (or `no changes`; then `, N errors` if any), project and target,
 * the details block,
 * then `**Drift**` and `**Diagnostics**` lists when not empty. Shows only display fields, like the text view.
 */
export function renderPlanMarkdown(plan: Plan): string {
  const empty = plan.operations.length === 0;
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  // A plan with errors is a failed plan: its title must not read like a list of changes about to be made.
  const title = errors > 0 ? `### pipectl plan failed: ${errorCount(errors)}` : `### pipectl plan: ${empty ? 'no changes' : summaryPhrase(plan.summary)}`;
  const parts: string[] = [title, `Project ${code(plan.project)}, target ${code(plan.target)}.`];
  if (empty) {
    parts.push(errors > 0 ? 'No changes planned: fix the errors below and plan again.' : 'The live state matches the pipeline files.');
  } else {
    if (errors > 0) parts.push('Nothing will be applied: apply refuses a plan with errors. Fix them (below) and plan again.');
    const body = linesToDiffBlock([...headerLines(plan), { indent: 0, spans: [] }, ...operationsLines(plan)]);
    parts.push(`<details><summary>Show plan</summary>\n\n${fenced('diff', body)}\n\n</details>`);
  }
  if (plan.drift.length > 0) parts.push(['**Drift**', '', ...driftBullets(plan)].join('\n'));
  if (plan.diagnostics.length > 0) parts.push(['**Diagnostics**', '', ...diagnosticBullets(plan)].join('\n'));
  return `${parts.join('\n\n')}\n`;
}
