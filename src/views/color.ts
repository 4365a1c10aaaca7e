/**
 * Terminal colors: the few ANSI styles the plan views use, and the rule for when to use them at all.
 * Nothing here writes to a stream; the CLI decides where the text goes.
 */

/** The styles a span of rendered text can carry; each maps to one SGR code, applied only when color is on. */
export type Style = 'create' | 'update' | 'delete' | 'state' | 'bold' | 'error' | 'warning';

const SGR: Record<Style, string> = {
  create: '32', // green: +
  update: '33', // yellow: ~
  delete: '31', // red: -
  state: '36', // cyan: pause, resume, stop, restart
  bold: '1', // names, headings
  error: '1;31',
  warning: '1;33',
};

/** `text` wrapped in the style's escape sequence and a reset; unchanged when `style` is absent or `text` empty. */
export function paint(text: string, style: Style | undefined): string {
  return style === undefined || text === '' ? text : `\x1b[${SGR[style]}m${text}\x1b[0m`;
}

/** Removes SGR escape sequences (what `paint` adds). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

export interface ColorContext {
  /** Whether the output stream is a terminal (`process.stdout.isTTY`, which is `true` or `undefined`). */
  isTTY: boolean | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Whether to color output. `FORCE_COLOR` decides when set: on, except for the values `0` and `false`, which force color
 * off (Node's and chalk's convention). Otherwise color is used only on a terminal, when `NO_COLOR` is unset or empty
 * (https://no-color.org) and `TERM` is not `dumb`.
 */
export function shouldUseColor({ isTTY, env }: ColorContext): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (isTTY !== true) return false;
  if ((env['NO_COLOR'] ?? '') !== '') return false;
  return env['TERM'] !== 'dumb';
}
