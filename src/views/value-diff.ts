/**
 * How one config value, or one change of a value, is laid out. Short values are quoted literals (`"old" -> "new"`);
 * values over LONG_VALUE characters or with newlines get a diff from the `diff` package: a line diff in a heredoc
 * (Terraform's `<<-EOT`) for multi-line text, otherwise a word diff marked `[-removed-]{+added+}` like
 * `git diff --word-diff=plain`, or a `-`/`+` pair of lines when the two values have little in common.
 */
import { diffArrays, diffWordsWithSpace } from 'diff';
import { escapeInQuotes, quote, span, type Line, type Span } from './lines.js';

/** Values longer than this (in UTF-16 units) are diffed rather than shown as `old -> new`. */
export const LONG_VALUE = 60;
/** Unchanged lines kept around each change in a heredoc diff; longer unchanged runs are folded into a note. */
export const CONTEXT_LINES = 3;
/** The diff gives up beyond this many edits (tokens or lines) and the values are shown whole. */
const MAX_EDIT_LENGTH = 2000;

const SIGN_ADD = { symbol: '+', style: 'create' } as const;
const SIGN_REMOVE = { symbol: '-', style: 'delete' } as const;

/** Can `value` be shown line by line without hiding anything: no control characters but tabs and newlines, no
 * carriage returns, and no line ending in (invisible) whitespace. */
function heredocSafe(value: string): boolean {
  return !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(value) && !/[ \t]$/m.test(value);
}

const isMultiLine = (value: string): boolean => value.includes('\n') && heredocSafe(value);

const withSpans = (head: Line, ...spans: Span[]): Line => ({ ...head, spans: [...head.spans, ...spans] });

/**
 * `head` (a key line such as `+ key = `) followed by `value`: quoted on the same line, or as a heredoc when it has
 * several lines. `literal` values (`(sensitive)`) are shown as they are.
 */
export function valueLines(head: Line, value: string, literal = false): Line[] {
  if (literal) return [withSpans(head, span(value))];
  if (!isMultiLine(value)) return [withSpans(head, span(quote(value)))];
  return [
    withSpans(head, span('<<-EOT')),
    ...value.split('\n').map((text): Line => ({ indent: head.indent + 6, spans: [span(text)] })),
    { indent: head.indent + 2, spans: [span('EOT')] },
  ];
}

/** `head` (a key line such as `~ key: `) followed by the change from `before` to `after`, diffed when long. */
export function changeLines(head: Line, before: string, after: string): Line[] {
  const long = before.length > LONG_VALUE || after.length > LONG_VALUE || before.includes('\n') || after.includes('\n');
  if (!long) return [withSpans(head, span(`${quote(before)} -> ${quote(after)}`))];
  if ((before.includes('\n') || after.includes('\n')) && heredocSafe(before) && heredocSafe(after)) {
    return heredocDiff(head, before, after);
  }
  return wordDiff(head, before, after) ?? pairLines(head, before, after);
}

/** The change as two lines under the key: `- "before"` and `+ "after"`. */
function pairLines(head: Line, before: string, after: string): Line[] {
  return [
    { ...head, spans: head.spans.map((s) => ({ ...s })) },
    { indent: head.indent + 4, sign: SIGN_REMOVE, spans: [span(quote(before))] },
    { indent: head.indent + 4, sign: SIGN_ADD, spans: [span(quote(after))] },
  ];
}

/** One quoted line with `[-removed-]{+added+}` marks, or undefined when less than half of the text is shared. */
function wordDiff(head: Line, before: string, after: string): Line[] | undefined {
  const parts = diffWordsWithSpace(before, after, { maxEditLength: MAX_EDIT_LENGTH });
  if (parts === undefined) return undefined;
  const shared = parts.reduce((n, p) => (p.added || p.removed ? n : n + p.value.length), 0);
  if (shared * 2 < Math.max(before.length, after.length)) return undefined;
  const spans: Span[] = [span('"')];
  for (const p of parts) {
    const text = escapeInQuotes(p.value);
    if (p.removed) spans.push(span(`[-${text}-]`, 'delete'));
    else if (p.added) spans.push(span(`{+${text}+}`, 'create'));
    else spans.push(span(text));
  }
  spans.push(span('"'));
  return [withSpans(head, ...spans)];
}

type DiffRow = { kind: 'same' | 'removed' | 'added'; text: string };

/** A heredoc with each line unchanged, `-` or `+`; long unchanged runs folded to CONTEXT_LINES around changes. */
function heredocDiff(head: Line, before: string, after: string): Line[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const parts = diffArrays(a, b, { maxEditLength: MAX_EDIT_LENGTH });
  const rows: DiffRow[] = parts
    ? parts.flatMap((p) => p.value.map((text): DiffRow => ({ kind: p.added ? 'added' : p.removed ? 'removed' : 'same', text })))
    : [...a.map((text): DiffRow => ({ kind: 'removed', text })), ...b.map((text): DiffRow => ({ kind: 'added', text }))];
  const content = head.indent + 6;
  const out: Line[] = [withSpans(head, span('<<-EOT'))];
  for (const row of foldUnchanged(rows)) {
    if (typeof row === 'number') out.push({ indent: content, spans: [span(`# (${row} unchanged line${row === 1 ? '' : 's'} hidden)`)] });
    else if (row.kind === 'same') out.push({ indent: content, spans: [span(row.text)] });
    else out.push({ indent: content - 2, sign: row.kind === 'added' ? SIGN_ADD : SIGN_REMOVE, spans: [span(row.text)] });
  }
  out.push({ indent: head.indent + 2, spans: [span('EOT')] });
  return out;
}

/** Rows with each unchanged run longer than its kept context replaced by the number of lines it hides. */
function foldUnchanged(rows: readonly DiffRow[]): (DiffRow | number)[] {
  const out: (DiffRow | number)[] = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i]!.kind !== 'same') {
      out.push(rows[i++]!);
      continue;
    }
    let end = i;
    while (end < rows.length && rows[end]!.kind === 'same') end++;
    const keepBefore = i === 0 ? 0 : CONTEXT_LINES;
    const keepAfter = end === rows.length ? 0 : CONTEXT_LINES;
    if (end - i > keepBefore + keepAfter + 1) {
      out.push(...rows.slice(i, i + keepBefore), end - i - keepBefore - keepAfter, ...rows.slice(end - keepAfter, end));
    } else {
      out.push(...rows.slice(i, end));
    }
    i = end;
  }
  return out;
}
