/** The human and machine views of plan and apply (Terraform's `command/views`). See README.md. */
export { renderPlanText, type TextOptions } from './plan-text.js';
export { renderPlanJson } from './plan-json.js';
export { renderPlanMarkdown } from './plan-markdown.js';
export { shouldUseColor, stripAnsi, type ColorContext } from './color.js';
export { APPLY_EVENTS_FORMAT_VERSION, createJsonApplyHooks } from './apply-json.js';
export type { DeclarationLookup } from './apply-json.js';
export { createTextApplyHooks, formatDuration, formatObserved } from './apply-text.js';
export type { ProgressTicker, TextApplyHooksOptions } from './apply-text.js';
