/** The terminal view of a plan (`pipectl plan`). */
import type { PublicPlan as Plan } from '../plan/public-form.js';
import { BLANK, linesToText, type Line } from './lines.js';
import { diagnosticLines, driftLines, headerLines, operationsLines, summaryLines } from './plan-sections.js';

export interface TextOptions {
  /** Paint signs, names and labels with ANSI colors (see `shouldUseColor`). */
  color: boolean;
  /** Wrap prose (drift, diagnostics) at this many columns (at least 40); no wrapping when absent. Values never wrap. */
  width?: number;
}

/**
 * The plan (its public form) as Terraform-style text: header, drift, operations in plan order, diagnostics, summary;
 * sections separated by a blank line, ending in a newline. Shows only the display fields (`redactedConfig`,
 * `changes`), never a connector's config to send, and `(sensitive)` for every change marked sensitive.
 */
export function renderPlanText(plan: Plan, options: TextOptions): string {
  const sections: Line[][] = [headerLines(plan), driftLines(plan), operationsLines(plan), diagnosticLines(plan), summaryLines(plan)];
  const lines = sections.filter((s) => s.length > 0).flatMap((s, i) => (i === 0 ? s : [BLANK, ...s]));
  return linesToText(lines, options);
}
