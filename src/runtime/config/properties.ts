/**
 * Java `.properties` files, as Kafka Connect reads worker and connector configs: `key=value`, `key: value` or
 * `key value`; `#`/`!` comments; backslash line continuations; `\t \n \r \f \uXXXX` and escaped separators.
 * Later keys win, as in java.util.Properties.
 */

/** A malformed line; `code` PIPECTL_WORKER_PROPERTIES_SYNTAX, the message starts with `line N:`. */
export class PropertiesSyntaxError extends Error {
  readonly code = 'PIPECTL_WORKER_PROPERTIES_SYNTAX';

  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'PropertiesSyntaxError';
  }
}

export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let logical = lines[i]!.replace(/^[ \t\f]+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    // An odd number of trailing backslashes continues the line.
    while (/(^|[^\\])(\\\\)*\\$/.test(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    }
    const { key, rest } = splitKey(logical);
    out[unescape(key, startLine)] = unescape(rest, startLine);
  }
  return out;
}

function splitKey(line: string): { key: string; rest: string } {
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    i++;
  }
  const key = line.slice(0, i);
  let rest = line.slice(i).replace(/^[ \t\f]+/, '');
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]+/, '');
  return { key, rest };
}

function unescape(s: string, line: number): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(u([0-9a-fA-F]{0,4})|.)/g, (_m, esc: string, hex: string | undefined) => {
    if (esc.startsWith('u')) {
      if (hex === undefined || hex.length !== 4) throw new PropertiesSyntaxError('malformed \\uXXXX escape', line);
      return String.fromCharCode(parseInt(hex, 16));
    }
    return { t: '\t', n: '\n', r: '\r', f: '\f' }[esc] ?? esc;
  });
}
