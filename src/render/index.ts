/** Plan → text, JSON and Markdown. See README.md. */
export { renderPlanText, type TextOptions } from './text.js';
export { renderPlanJson } from './json.js';
export { renderPlanMarkdown } from './markdown.js';
export { shouldUseColor, stripAnsi, type ColorContext } from './color.js';
export { SENSITIVE } from './operations.js';
