/**
 * Java regular expressions (java.util.regex.Pattern) and replacement strings (Matcher.replaceFirst) on top of
 * JavaScript's RegExp, for RegexRouter and TopicNameMatches. The common syntax is shared; this translates what differs
 * and is likely in topic patterns: leading inline flags `(?i)`, `\Q…\E` quoting, `\A` / `\z` / `\Z`, the POSIX classes
 * `\p{Alpha}` … `\p{Space}`, and `$1` / `${name}` / `\$` in replacements. Constructs JavaScript cannot express
 * (possessive quantifiers, atomic groups, nested classes and `&&`, `(?x)`, inline flags inside the pattern) are rejected
 * with an error message, never silently changed.
 */
import { PatternSyntaxError } from '../plugins/transformation.js';

/** A compiled Java pattern. Both regexps are stateless (no `g`/`y` flag) and safe to share. */
export interface JavaPattern {
  /** Matches the whole input only (Matcher.matches()). */
  readonly whole: RegExp;
  /** Finds the first match anywhere in the input (Matcher.find(), used by replaceFirst). */
  readonly first: RegExp;
  /** Number of capturing groups. */
  readonly groupCount: number;
  /** Names of the named groups. */
  readonly groupNames: ReadonlySet<string>;
}

const POSIX: Record<string, string> = {
  Lower: 'a-z', Upper: 'A-Z', ASCII: '\\x00-\\x7F', Alpha: 'a-zA-Z', Digit: '0-9', Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~', Graph: '!-~', Print: ' -~', Blank: ' \\t', Cntrl: '\\x00-\\x1F\\x7F', XDigit: '0-9a-fA-F', Space: ' \\t\\n\\x0B\\f\\r',
};

const escapeLiteral = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** Translates a Java pattern body to a JavaScript one plus flags. Throws PatternSyntaxError with a description of the problem. */
function translate(source: string): { body: string; flags: string } {
  let flags = '';
  let rest = source;
  const lead = /^\(\?([idmsuxU]+)\)/.exec(rest);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'x') throw new PatternSyntaxError('the COMMENTS flag (?x) is not supported');
      if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    }
    rest = rest.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  let lastWasQuantifier = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    let quantifier = false;
    if (c === '\\') {
      const n = rest[i + 1];
      if (n === undefined) throw new PatternSyntaxError('Unexpected internal error near index ' + rest.length);
      if (n === 'Q') {
        const end = rest.indexOf('\\E', i + 2);
        const quoted = rest.slice(i + 2, end < 0 ? rest.length : end);
        out += escapeLiteral(quoted);
        i = end < 0 ? rest.length : end + 1;
      } else if ((n === 'p' || n === 'P') && rest[i + 2] === '{') {
        const close = rest.indexOf('}', i + 3);
        if (close < 0) throw new PatternSyntaxError(`Unclosed character family near index ${i}`);
        const name = rest.slice(i + 3, close).replace(/^Is/, '');
        const posix = POSIX[name];
        if (posix === undefined) {
          out += rest.slice(i, close + 1);
          if (!flags.includes('u')) flags += 'u';
        } else if (n === 'p') out += inClass ? posix : `[${posix}]`;
        else if (!inClass) out += `[^${posix}]`;
        else throw new PatternSyntaxError(`\\P{${name}} inside a character class is not supported`);
        i = close;
      } else if (!inClass && n === 'A') {
        out += '^';
        i++;
      } else if (!inClass && n === 'z') {
        out += '$';
        i++;
      } else if (!inClass && n === 'Z') {
        out += '(?=\\n?$)';
        i++;
      } else {
        out += c + n;
        i++;
      }
    } else if (inClass) {
      if (c === '[' || (c === '&' && rest[i + 1] === '&')) throw new PatternSyntaxError('nested character classes and class intersections (&&) are not supported');
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (rest[i + 1] === '^') out += rest[++i];
      if (rest[i + 1] === ']') out += '\\' + rest[++i];
    } else if (c === '(' && rest.startsWith('(?>', i)) {
      throw new PatternSyntaxError('atomic groups (?>…) are not supported');
    } else if (c === '(' && /^\(\?[idmsuxU-]+[:)]/.test(rest.slice(i))) {
      throw new PatternSyntaxError('inline flags are only supported at the start of the pattern');
    } else if (c === '+' && lastWasQuantifier) {
      throw new PatternSyntaxError('possessive quantifiers are not supported');
    } else {
      quantifier = c === '*' || c === '+' || c === '?' || (c === '}' && /\{\d+(,\d*)?$/.test(out));
      out += c;
    }
    lastWasQuantifier = quantifier;
  }
  return { body: out, flags };
}

/**
 * Compiles a Java regular expression. Throws PatternSyntaxError (its message says what is wrong) for invalid patterns and for
 * Java constructs that have no JavaScript equivalent.
 */
export function compileJavaRegex(source: string): JavaPattern {
  const { body, flags } = translate(source);
  const first = new RegExp(body, flags);
  const whole = new RegExp(`^(?:${body})$`, flags);
  const probe = new RegExp(`${body}|`, flags).exec('')!;
  return { whole, first, groupCount: probe.length - 1, groupNames: new Set(Object.keys(probe.groups ?? {})) };
}

/** The error message for a pattern that does not compile, or undefined when it is valid. */
export function javaRegexError(source: string): string | undefined {
  try {
    compileJavaRegex(source);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** A replacement string compiled against a pattern: literal text, group numbers and group names. */
export type Replacement = readonly (string | number | { readonly name: string })[];

/**
 * Compiles a Java replacement string (Matcher.appendReplacement syntax: `$n`, `${name}`, `\` escapes the next char).
 * Java checks group references when it replaces; here they are checked once, so a bad reference is a config error.
 * Throws PatternSyntaxError with Java's message ("No group 3", "Illegal group reference", …).
 */
export function compileJavaReplacement(replacement: string, pattern: JavaPattern): Replacement {
  const parts: (string | number | { name: string })[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') parts.push(text);
    text = '';
  };
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\') {
      if (i + 1 >= replacement.length) throw new PatternSyntaxError('character to be escaped is missing');
      text += replacement[++i];
    } else if (c !== '$') {
      text += c;
    } else if (replacement[i + 1] === '{') {
      const close = replacement.indexOf('}', i + 2);
      const name = replacement.slice(i + 2, close < 0 ? undefined : close);
      if (close < 0) throw new PatternSyntaxError("named capturing group is missing trailing '}'");
      if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) throw new PatternSyntaxError(name === '' ? 'named capturing group has 0 length name' : 'named capturing group is missing trailing \'}\'');
      if (!pattern.groupNames.has(name)) throw new PatternSyntaxError(`No group with name {${name}}`);
      flush();
      parts.push({ name });
      i = close;
    } else {
      const d = replacement.charCodeAt(i + 1) - 48;
      if (!(d >= 0 && d <= 9)) throw new PatternSyntaxError('Illegal group reference');
      let ref = d;
      i++;
      while (i + 1 < replacement.length) {
        const next = replacement.charCodeAt(i + 1) - 48;
        if (!(next >= 0 && next <= 9) || ref * 10 + next > pattern.groupCount) break;
        ref = ref * 10 + next;
        i++;
      }
      if (ref > pattern.groupCount) throw new PatternSyntaxError(`No group ${ref}`);
      flush();
      parts.push(ref);
    }
  }
  flush();
  return parts;
}

/** The replacement text for one match; groups that did not participate expand to "" as in Java. */
export function expandReplacement(replacement: Replacement, match: RegExpExecArray): string {
  let out = '';
  for (const part of replacement) {
    if (typeof part === 'string') out += part;
    else if (typeof part === 'number') out += match[part] ?? '';
    else out += match.groups?.[part.name] ?? '';
  }
  return out;
}

/** Java's Matcher.replaceFirst on a compiled pattern: the input with its first match replaced (or unchanged). */
export function replaceFirst(input: string, pattern: JavaPattern, replacement: Replacement): string {
  const match = pattern.first.exec(input);
  if (!match) return input;
  return input.slice(0, match.index) + expandReplacement(replacement, match) + input.slice(match.index + match[0].length);
}
