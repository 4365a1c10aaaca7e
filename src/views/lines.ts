/**
 * The rendered plan as a list of lines before it becomes text: each line has an indent, an optional change sign and
 * styled spans. The terminal view paints and wraps them; the Markdown view moves each sign to the first column so that
 * a ```diff block colors it. Keeping this model in between is what makes the two views show the same thing.
 */
import { paint, type Style } from './color.js';

export interface Span {
  text: string;
  style?: Style;
}

/** A change marker in front of a line: `+`, `~`, `-`, `⏸`, `▶`, `■`, `↻`. */
export interface Sign {
  symbol: string;
  style: Style;
}

export interface Line {
  indent: number;
  sign?: Sign;
  spans: Span[];
  /** Prose that may be wrapped at the view's width (diagnostics, drift). Values are never wrapped. */
  wrap?: boolean;
}

export const BLANK: Line = { indent: 0, spans: [] };

export const span = (text: string, style?: Style): Span => (style === undefined ? { text } : { text, style });

/** Characters that must not reach a terminal or a PR comment raw: C0/C1 controls, DEL, line separators, bidi controls. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with unsafe characters written as `\uXXXX`, for names, keys and messages shown unquoted. */
export function safe(text: string): string {
  return text.replace(UNSAFE, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : escapeChar(c)));
}

/** The inside of a JSON string literal for `text` (no quotes), also escaping what JSON leaves raw (C1, bidi). */
export function escapeInQuotes(text: string): string {
  return JSON.stringify(text).slice(1, -1).replace(UNSAFE, escapeChar);
}

/** `text` as a double-quoted, escaped literal: `"a\nb"`. */
export function quote(text: string): string {
  return `"${escapeInQuotes(text)}"`;
}

/** Drops trailing whitespace (and spans left empty) so that no output line ends in a space. */
function trimEnd(spans: readonly Span[]): Span[] {
  const out = spans.map((s) => ({ ...s }));
  while (out.length > 0) {
    const last = out[out.length - 1]!;
    last.text = last.text.replace(/\s+$/, '');
    if (last.text !== '') break;
    out.pop();
  }
  return out;
}

const prefix = (line: Line, color: boolean): string =>
  ' '.repeat(line.indent) + (line.sign ? `${color ? paint(line.sign.symbol, line.sign.style) : line.sign.symbol} ` : '');

const spansText = (spans: readonly Span[], color: boolean): string => spans.map((s) => (color ? paint(s.text, s.style) : s.text)).join('');

/** Splits prose spans into lines of at most `width` columns (longer words stay whole), continuing 2 columns deeper. */
function wrapSpans(line: Line, width: number): Span[][] {
  const words: { text: string; style?: Style; space: boolean }[] = [];
  let space = false;
  for (const s of line.spans) {
    for (const part of s.text.split(/( +)/)) {
      if (part === '') continue;
      if (part.startsWith(' ')) {
        space = true;
        continue;
      }
      words.push({ text: part, ...(s.style ? { style: s.style } : {}), space });
      space = false;
    }
  }
  const first = line.indent + (line.sign ? line.sign.symbol.length + 1 : 0);
  const rows: Span[][] = [[]];
  let col = first;
  for (const w of words) {
    const row = rows[rows.length - 1]!;
    const needed = (w.space && row.length > 0 ? 1 : 0) + w.text.length;
    if (row.length > 0 && col + needed > width) {
      rows.push([span(w.text, w.style)]);
      col = line.indent + 2 + w.text.length;
    } else {
      if (w.space && row.length > 0) row.push(span(' '));
      row.push(span(w.text, w.style));
      col += needed;
    }
  }
  return rows;
}

/** Renders lines for a terminal (or a log): painted when `color`, prose wrapped when `width` is given. */
export function linesToText(lines: readonly Line[], options: { color: boolean; width?: number }): string {
  const out: string[] = [];
  for (const line of lines) {
    const rows = line.wrap && options.width !== undefined ? wrapSpans(line, Math.max(options.width, 40)) : [line.spans];
    rows.forEach((spans, i) => {
      const lead = i === 0 ? prefix(line, options.color) : ' '.repeat(line.indent + 2);
      const body = spansText(trimEnd(spans), options.color);
      out.push(body === '' && i === 0 && !line.sign ? '' : `${lead}${body}`.replace(/\s+$/, ''));
    });
  }
  return `${out.join('\n')}\n`;
}

/** Diff-format markers: GitHub colors lines starting with `+`, `-` and `!`; `~` (update) becomes `!`. */
const DIFF_MARK: Record<string, string> = { '+': '+', '-': '-', '~': '!' };

/**
 * Renders lines for a ```diff block: never painted or wrapped; a line's sign moves to column 0 (the indent follows it,
 * so columns still line up) — `+`, `-`, and `~` as `!`; other signs keep their place.
 */
export function linesToDiffBlock(lines: readonly Line[]): string {
  return lines
    .map((line) => {
      const body = spansText(trimEnd(line.spans), false);
      const mark = line.sign ? DIFF_MARK[line.sign.symbol] : undefined;
      const text = mark !== undefined ? `${mark}${' '.repeat(line.indent)} ${body}` : `${prefix(line, false)}${body}`;
      return text.replace(/\s+$/, '');
    })
    .join('\n');
}
