/**
 * A subset of java.text.SimpleDateFormat, always in UTC and the English (ROOT/US) locale, for TimestampRouter and
 * TimestampConverter: formatting and (lenient, as Java's default) parsing. Pattern letters: `y` (year; `yy` two
 * digits), `M`/`L` (month: number, `MMM` "Jan", `MMMM` "January"), `d` (day of month), `E` (day of week: "Tue",
 * `EEEE` "Tuesday"), `a` (AM/PM), `H` (0-23), `k` (1-24), `K` (0-11), `h` (1-12), `m`, `s`, `S` (milliseconds), and
 * the zone letters `z` ("UTC"), `Z` ("+0000"), `X` ("Z"); quoted literals (`'T'`, `''` for a quote) and any other
 * non-letter as itself. Counts pad numbers with zeros as in Java. Other letters Java knows (`G Y w W D F u`) are
 * rejected when the pattern is compiled, letters Java does not know too ("Illegal pattern character").
 *
 * Parsing follows Java's lenient rules: spaces and tabs before a field are skipped, a number takes as many digits as
 * there are unless the next field is a number too (then exactly its count), out-of-range values roll over (month 13
 * is January of the next year), a two-digit `yy` year lands within 80 years before and 20 after now, a parsed zone
 * offset is applied, and text after the pattern is ignored.
 */
import { PatternSyntaxError } from '../plugins/transformation.js';

type Field = { letter: string; count: number; numeric: boolean };
type Part = string | Field;

/** A compiled date pattern. */
export interface DateFormat {
  /** The pattern as written (SimpleDateFormat.toPattern()). */
  readonly pattern: string;
  format(epochMillis: number): string;
  /** Epoch millis of `text`, or undefined when it does not match the pattern (Java's ParseException). */
  parse(text: string): number | undefined;
}

const SUPPORTED = 'yMLdEaHkKhmsSzZX';
/** Every letter Java's SimpleDateFormat knows; the others are "Illegal pattern character". */
const JAVA_LETTERS = 'GyMdkHmsSEDFwWahKzZYuXL';
const SUPPORTED_TEXT = 'y, M, L, d, E, a, H, k, K, h, m, s, S, z, Z, X and quoted text';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, width: number): string => {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
};

function compile(pattern: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal += "'";
        i += 2;
        continue;
      }
      // A quoted run; '' inside it is a quote ('o''clock').
      for (i++; ; i++) {
        if (i >= pattern.length) throw new PatternSyntaxError('Unterminated quote');
        if (pattern[i] !== "'") literal += pattern[i];
        else if (pattern[i + 1] === "'") literal += pattern[++i];
        else break;
      }
      i++;
      continue;
    }
    if (!/[a-zA-Z]/.test(c)) {
      literal += c;
      i++;
      continue;
    }
    if (!JAVA_LETTERS.includes(c)) throw new PatternSyntaxError(`Illegal pattern character '${c}'`);
    let count = 1;
    while (pattern[i + count] === c) count++;
    if (c === 'X' && count > 3) throw new PatternSyntaxError(`invalid ISO 8601 format: length=${count}`);
    if (!SUPPORTED.includes(c)) throw new PatternSyntaxError(`pattern letter '${c.repeat(count)}' is not supported (supported: ${SUPPORTED_TEXT})`);
    if (literal !== '') parts.push(literal);
    literal = '';
    const numeric = 'yLMdHkKhmsS'.includes(c) && !((c === 'M' || c === 'L') && count >= 3);
    parts.push({ letter: c, count, numeric });
    i += count;
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

function formatField(date: Date, f: Field): string {
  const { letter, count } = f;
  switch (letter) {
    case 'y': {
      const year = date.getUTCFullYear();
      return count === 2 ? pad(year % 100, 2) : pad(year, count);
    }
    case 'M':
    case 'L': {
      const month = date.getUTCMonth();
      if (count >= 4) return MONTHS[month]!;
      if (count === 3) return MONTHS[month]!.slice(0, 3);
      return pad(month + 1, count);
    }
    case 'd':
      return pad(date.getUTCDate(), count);
    case 'E': {
      const day = DAYS[date.getUTCDay()]!;
      return count >= 4 ? day : day.slice(0, 3);
    }
    case 'a':
      return date.getUTCHours() < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(date.getUTCHours(), count);
    case 'k':
      return pad(date.getUTCHours() || 24, count);
    case 'K':
      return pad(date.getUTCHours() % 12, count);
    case 'h':
      return pad(date.getUTCHours() % 12 || 12, count);
    case 'm':
      return pad(date.getUTCMinutes(), count);
    case 's':
      return pad(date.getUTCSeconds(), count);
    case 'S':
      return pad(date.getUTCMilliseconds(), count);
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'Z':
      return '+0000';
    default: // X
      return 'Z';
  }
}

/** The name in `names` (full or three-letter, case-insensitive) at `pos` of `text`: its index and length. */
function matchName(text: string, pos: number, names: readonly string[]): [number, number] | undefined {
  const rest = text.slice(pos).toLowerCase();
  let best: [number, number] | undefined;
  names.forEach((name, index) => {
    for (const candidate of [name, name.slice(0, 3)]) {
      if (rest.startsWith(candidate.toLowerCase()) && (!best || candidate.length > best[1])) best = [index, candidate.length];
    }
  });
  return best;
}

/** A zone at `pos`: `Z`, `UTC`/`GMT` (optionally with an offset), or `±hh`, `±hhmm`, `±hh:mm`. Offset in minutes and length. */
function matchZone(text: string, pos: number): [number, number] | undefined {
  let at = pos;
  const named = /^(UTC|GMT)/i.exec(text.slice(at));
  if (text[at] === 'Z') return [0, 1];
  if (named) at += named[0].length;
  const offset = /^([+-])(\d{2})(?::?(\d{2}))?/.exec(text.slice(at));
  if (!offset) return named ? [0, at - pos] : undefined;
  const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
  return [offset[1] === '-' ? -minutes : minutes, at - pos + offset[0].length];
}

function parseWith(parts: readonly Part[], text: string): number | undefined {
  let pos = 0;
  let year = 1970;
  let month = 0;
  let day = 1;
  let hour24: number | undefined;
  let hour12: number | undefined;
  let pm: boolean | undefined;
  let minute = 0;
  let second = 0;
  let milli = 0;
  let offsetMinutes = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part === 'string') {
      if (!text.startsWith(part, pos)) return undefined;
      pos += part.length;
      continue;
    }
    while (text[pos] === ' ' || text[pos] === '\t') pos++;
    if (part.numeric) {
      const next = parts[i + 1];
      const fixed = next !== undefined && typeof next !== 'string' && next.numeric;
      let end = pos;
      while (end < text.length && /[0-9]/.test(text[end]!) && (!fixed || end - pos < part.count)) end++;
      if (end === pos) return undefined;
      const digits = text.slice(pos, end);
      const n = Number(digits);
      pos = end;
      switch (part.letter) {
        case 'y':
          year = part.count <= 2 && digits.length === 2 ? twoDigitYear(n) : n;
          break;
        case 'M':
        case 'L':
          month = n - 1;
          break;
        case 'd':
          day = n;
          break;
        case 'H':
          hour24 = n;
          break;
        case 'k':
          hour24 = n === 24 ? 0 : n;
          break;
        case 'K':
          hour12 = n;
          break;
        case 'h':
          hour12 = n === 12 ? 0 : n;
          break;
        case 'm':
          minute = n;
          break;
        case 's':
          second = n;
          break;
        default: // S
          milli = n;
      }
      continue;
    }
    switch (part.letter) {
      case 'M':
      case 'L': {
        const m = matchName(text, pos, MONTHS);
        if (!m) return undefined;
        month = m[0];
        pos += m[1];
        break;
      }
      case 'E': {
        const m = matchName(text, pos, DAYS);
        if (!m) return undefined;
        pos += m[1];
        break;
      }
      case 'a': {
        const m = /^(AM|PM)/i.exec(text.slice(pos));
        if (!m) return undefined;
        pm = m[1]!.toUpperCase() === 'PM';
        pos += 2;
        break;
      }
      default: {
        const z = matchZone(text, pos);
        if (!z) return undefined;
        offsetMinutes = z[0];
        pos += z[1];
      }
    }
  }
  const hour = hour24 ?? (hour12 ?? 0) + (pm ? 12 : 0);
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, milli);
  return date.getTime() - offsetMinutes * 60_000;
}

/** Java's two-digit year: within 80 years before and 20 years after now. */
function twoDigitYear(yy: number): number {
  const start = new Date().getUTCFullYear() - 80;
  let year = Math.floor(start / 100) * 100 + yy;
  if (year < start) year += 100;
  return year;
}

/** Compiles a pattern. Throws PatternSyntaxError with the reason for a pattern Java rejects or that this subset cannot handle. */
export function compileDateFormat(pattern: string): DateFormat {
  const parts = compile(pattern);
  return {
    pattern,
    format(epochMillis: number): string {
      const date = new Date(epochMillis);
      let out = '';
      for (const part of parts) out += typeof part === 'string' ? part : formatField(date, part);
      return out;
    },
    parse: (text) => parseWith(parts, text),
  };
}

/** The error message for a pattern that does not compile, or undefined. */
export function dateFormatError(pattern: string): string | undefined {
  try {
    compileDateFormat(pattern);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
