/**
 * The subset of java.text.SimpleDateFormat that TimestampRouter needs, always in UTC: the pattern letters `y` (year),
 * `M` (month, numeric), `d` (day of month), `H` (hour 0-23), `m` (minute), `s` (second) and `S` (millisecond), quoted
 * literals (`'T'`, `''` for a quote) and any other non-letter as itself. Counts pad with zeros as in Java (`yy` is the
 * two-digit year). Other letters are rejected when the pattern is compiled.
 */
import { PatternSyntaxError } from '../plugins/transformation.js';

type Part = string | { letter: 'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S'; count: number };

/** A compiled date pattern; `format` allocates only the output string and one Date. */
export interface DateFormat {
  format(epochMillis: number): string;
}

const SUPPORTED = 'yMdHmsS';
/** Every letter Java's SimpleDateFormat knows; the others are "Illegal pattern character". */
const JAVA_LETTERS = 'GyMdkHmsSEDFwWahKzZYuXL';

const pad = (n: number, width: number): string => {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
};

/** Compiles a pattern. Throws PatternSyntaxError with the reason for a pattern Java rejects or that this subset cannot format. */
export function compileDateFormat(pattern: string): DateFormat {
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
    if (!SUPPORTED.includes(c) || (c === 'M' && count > 2)) {
      throw new PatternSyntaxError(`pattern letter '${c.repeat(count)}' is not supported (supported: y, M, MM, d, H, m, s, S and quoted text)`);
    }
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push({ letter: c as 'y', count });
    i += count;
  }
  if (literal !== '') parts.push(literal);
  return {
    format(epochMillis: number): string {
      const date = new Date(epochMillis);
      let out = '';
      for (const part of parts) {
        if (typeof part === 'string') {
          out += part;
          continue;
        }
        switch (part.letter) {
          case 'y': {
            const year = date.getUTCFullYear();
            out += part.count === 2 ? pad(year % 100, 2) : pad(year, part.count);
            break;
          }
          case 'M':
            out += pad(date.getUTCMonth() + 1, part.count);
            break;
          case 'd':
            out += pad(date.getUTCDate(), part.count);
            break;
          case 'H':
            out += pad(date.getUTCHours(), part.count);
            break;
          case 'm':
            out += pad(date.getUTCMinutes(), part.count);
            break;
          case 's':
            out += pad(date.getUTCSeconds(), part.count);
            break;
          case 'S':
            out += pad(date.getUTCMilliseconds(), part.count);
            break;
        }
      }
      return out;
    },
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
