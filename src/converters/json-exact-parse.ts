/**
 * A JSON parser for the slow path: it keeps integers beyond Number.MAX_SAFE_INTEGER exact (as bigint), can keep
 * long fractional literals as text (for Decimal), and accepts leading zeros in numbers (`0012`), as Connect's
 * Jackson reader does. JSON.parse stays the fast path; this runs only when it would lose digits or refuse input
 * that Connect accepts.
 */

/** A number literal kept as written because a double cannot hold all of its digits. */
export class LosslessNumber {
  constructor(readonly text: string) {}
}

/** How non-integer literals come back: always as numbers, or as LosslessNumber when they have over 15 digits. */
export type FloatMode = 'number' | 'lossless';

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses `text` exactly; throws a SyntaxError naming the position on malformed input. */
export function parseJsonExact(text: string, floats: FloatMode): unknown {
  const p = new ExactParser(text, floats);
  p.skipSpace();
  const value = p.value();
  p.skipSpace();
  if (p.at < text.length) p.fail('Unexpected data after the JSON value');
  return value;
}

class ExactParser {
  at = 0;

  constructor(
    private readonly text: string,
    private readonly floats: FloatMode,
  ) {}

  fail(what: string): never {
    throw new SyntaxError(`${what} at position ${this.at}`);
  }

  skipSpace(): void {
    const t = this.text;
    while (this.at < t.length) {
      const c = t.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.at++;
    }
  }

  value(): unknown {
    const c = this.text[this.at];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return v;
      }
    }
    return this.fail(c === undefined ? 'Unexpected end of JSON input' : `Unexpected token ${c}`);
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') this.fail('Expected a property name');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.at] !== ':') this.fail("Expected ':'");
      this.at++;
      this.skipSpace();
      Object.defineProperty(out, key, { value: this.value(), writable: true, enumerable: true, configurable: true });
      this.skipSpace();
      const c = this.text[this.at++];
      if (c === '}') return out;
      if (c !== ',') this.fail("Expected ',' or '}'");
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      out.push(this.value());
      this.skipSpace();
      const c = this.text[this.at++];
      if (c === ']') return out;
      if (c !== ',') this.fail("Expected ',' or ']'");
    }
  }

  private string(): string {
    const t = this.text;
    let end = this.at + 1;
    while (end < t.length) {
      const c = t.charCodeAt(end);
      if (c === 0x22) break;
      end += c === 0x5c ? 2 : 1;
    }
    if (end >= t.length) this.fail('Unterminated string');
    const s = JSON.parse(t.slice(this.at, end + 1)) as string;
    this.at = end + 1;
    return s;
  }

  private number(): number | bigint | LosslessNumber {
    NUMBER.lastIndex = this.at;
    const m = NUMBER.exec(this.text);
    if (!m) return this.fail('Invalid number');
    const s = m[0];
    this.at += s.length;
    if (!/[.eE]/.test(s)) {
      const n = Number(s);
      return Number.isSafeInteger(n) ? n : BigInt(s);
    }
    if (this.floats === 'lossless' && significantDigits(s) > 15) return new LosslessNumber(s);
    return Number(s);
  }
}

/** Digits of a literal's mantissa without leading zeros ("-0.00120e5" → 4). */
function significantDigits(literal: string): number {
  const e = literal.search(/[eE]/);
  const mantissa = (e < 0 ? literal : literal.slice(0, e)).replace(/[-.]/g, '');
  return mantissa.replace(/^0+/, '').length;
}

/**
 * True when a JSON.parse result holds an integer beyond ±2^53 (whose digits JSON.parse may have rounded). A walk
 * over the parsed value costs less than scanning the text for long digit runs.
 */
export function hasUnsafeInteger(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isSafeInteger(v) && Number.isInteger(v);
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (hasUnsafeInteger(v[i])) return true;
    return false;
  }
  for (const k in v) if (hasUnsafeInteger((v as Record<string, unknown>)[k])) return true;
  return false;
}
