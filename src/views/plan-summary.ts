/** The plan's counts as words, shared by the terminal summary line and the Markdown title. */
import type { PlanSummary } from '../plan/public-form.js';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * `2 to create, 1 to update, 0 to delete, 1 state change`, then `, N restart(s)`, `, N topic(s) to create` and
 * `, N topic(s) to update` only when not zero. Reads the plan's own summary; counts nothing itself.
 */
export function summaryPhrase(s: PlanSummary): string {
  const parts = [`${s.create} to create`, `${s.update} to update`, `${s.delete} to delete`, plural(s.stateChange, 'state change', 'state changes')];
  if (s.restart !== 0) parts.push(plural(s.restart, 'restart', 'restarts'));
  if (s.createTopic !== 0) parts.push(plural(s.createTopic, 'topic to create', 'topics to create'));
  if (s.updateTopic !== 0) parts.push(plural(s.updateTopic, 'topic to update', 'topics to update'));
  return parts.join(', ');
}

export const NO_CHANGES = 'No changes. The live state matches the pipeline files.';

/** Said instead of NO_CHANGES when the plan has no operations but has errors: the live state was not shown to match. */
export const NO_CHANGES_ERRORS = 'No changes planned: fix the errors above and plan again.';

/** `1 error`, `2 errors`. */
export const errorCount = (n: number): string => `${n} ${n === 1 ? 'error' : 'errors'}`;

/** After `Plan failed:` — the operations above are not a plan apply would run. */
export const planFailedText = (errors: number): string =>
  `${errorCount(errors)} (above). Nothing will be applied: apply refuses a plan with errors. Fix ${errors === 1 ? 'it' : 'them'} and plan again.`;
