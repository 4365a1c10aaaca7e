/**
 * The fast path of JsonConverter for struct payloads laid out as Connect writes them: fields in schema order, no
 * whitespace, `"name":value` pairs. It reads the payload straight from the record's bytes — no decoding of the whole
 * payload into a string, no JSON.parse tree — and hands each field's JSON value (null, a boolean, a string, an integer
 * of at most 15 digits, any number for a float field, or a nested struct read the same way) to that field's compiled
 * reader, so values, defaults and checks are exactly the general path's.
 *
 * Anything else — other key order, extra or missing keys, whitespace, arrays, maps, fractions, exponents and long
 * integers outside float fields, control characters, malformed JSON, or a value its field refuses — throws BAIL, and JsonConverter reads
 * the record on the general path, which gives the same value or the error with its field path. The fast path never
 * decides an outcome the general path would not.
 */
import { matchesAt } from './envelope-index.js';

/** The per-record state field readers take: json-reader.ts's ReadContext (declared here too, to keep the modules acyclic). */
interface ReadContext {
  exact: boolean;
  text: string;
  longNumbers: boolean | undefined;
}

/** A field's compiled reader (json-reader.ts's ReadFn). */
type ReadFn = (json: unknown, ctx: ReadContext) => unknown;

/** Thrown (not an Error) when the fast path cannot read the payload; never escapes JsonConverter. */
export const BAIL = Object.freeze({ bail: true });

/** A struct's fields, compiled for reading from bytes. */
export interface StructBytesPlan {
  names: string[];
  /** `"name":` of each field as bytes, with the comma before it for all but the first. */
  keys: Buffer[];
  /** Each field's compiled reader (null, default, logical types and checks), as on the general path. */
  reads: ReadFn[];
  /** For struct fields, their own plan (undefined: a nested object there bails). */
  nested: (StructBytesPlan | undefined)[];
  /** Fields of type float32/float64, where any JSON number is read (Number() of the literal, as JSON.parse reads it). */
  floats: boolean[];
  /** The struct object of the field values in `scratch` (in field order): one object literal, see structMaker. */
  make: (values: unknown[]) => Record<string, unknown>;
  /** Where readStruct puts this struct's field values (a struct never holds itself, so it is never in use twice). */
  scratch: unknown[];
}

/**
 * A function building the struct object from its field values. Compiled to one object literal with the names as
 * JSON-quoted keys — it makes the object with its final shape at once, some 20 ns for six fields, where adding the
 * fields one by one under computed names cost 140–180 ns (/tmp microbenchmark, 3 M objects). The names come from
 * records, so from anyone who can write to a topic: they enter the code only through JSON.stringify, which makes
 * every string a string literal, and never `__proto__` (whose literal key would set the prototype: such structs have
 * no plan). Where code generation is off (--disallow-code-generation-from-strings), fields are added one by one.
 */
function structMaker(names: readonly string[]): (values: unknown[]) => Record<string, unknown> {
  try {
    return new Function('v', `return {${names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ')}};`) as (values: unknown[]) => Record<string, unknown>;
  } catch {
    return (values) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) out[names[i]!] = values[i];
      return out;
    };
  }
}

/** Where reading has got to in the buffer. */
interface Cursor {
  pos: number;
  end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** 15 digits always fit a double exactly (2^53 has 16), so no integer read here can lose digits. */
const MAX_DIGITS = 15;
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

type BufferSlices = Buffer & { asciiSlice(start: number, end: number): string; utf8Slice(start: number, end: number): string };

/**
 * The plan for a struct whose fields are `names`, or undefined when a name would need escaping in JSON (the byte
 * comparison would then depend on how the writer escaped it).
 */
export function structBytesPlan(names: string[], reads: ReadFn[], nested: (StructBytesPlan | undefined)[], floats: boolean[]): StructBytesPlan | undefined {
  const keys: Buffer[] = [];
  for (let i = 0; i < names.length; i++) {
    const quoted = JSON.stringify(names[i]);
    if (quoted.includes('\\') || names[i] === '__proto__') return undefined;
    keys.push(Buffer.from(`${i === 0 ? '' : ','}${quoted}:`, 'utf8'));
  }
  return { names, keys, reads, nested, floats, make: structMaker(names), scratch: new Array<unknown>(names.length) };
}

/**
 * The struct value of the payload in `buf[start, end)`, or BAIL (returned) when the general path must read it. `ctx`
 * is set as for a JSON.parse'd payload with no long number literals: the only readers that look (Decimal's) get
 * integers of at most 15 digits here, never a longer literal (those bail).
 */
export function readStructPayload(plan: StructBytesPlan, buf: Buffer, start: number, end: number, ctx: ReadContext): unknown {
  ctx.exact = false;
  ctx.text = '';
  ctx.longNumbers = false;
  const cur: Cursor = { pos: start, end };
  try {
    const value = readStruct(plan, buf as BufferSlices, cur, ctx);
    return cur.pos === end ? value : BAIL;
  } catch {
    // BAIL, or a value its field refused: the general path reads it again and reports it with its field path.
    return BAIL;
  }
}

function readStruct(plan: StructBytesPlan, buf: BufferSlices, cur: Cursor, ctx: ReadContext): Record<string, unknown> {
  if (buf[cur.pos] !== OPEN_BRACE) throw BAIL;
  cur.pos++;
  const { keys, reads, nested, floats, scratch } = plan;
  for (let i = 0; i < keys.length; i++) {
    expect(buf, cur, keys[i]!);
    const first = buf[cur.pos];
    if (first === OPEN_BRACE) {
      const inner = nested[i];
      if (inner === undefined) throw BAIL;
      scratch[i] = readStruct(inner, buf, cur, ctx);
    } else {
      scratch[i] = reads[i]!(readScalar(buf, cur, first, floats[i]!), ctx);
    }
  }
  if (buf[cur.pos] !== CLOSE_BRACE) throw BAIL;
  cur.pos++;
  const out = plan.make(scratch);
  scratch.fill(undefined); // hold no values of this record past it
  return out;
}

/** Steps over `bytes` at cur.pos; bails when they are not there. */
function expect(buf: Buffer, cur: Cursor, bytes: Buffer): void {
  if (cur.pos + bytes.length > cur.end || !matchesAt(buf, bytes, cur.pos)) throw BAIL;
  cur.pos += bytes.length;
}

/**
 * A JSON scalar at cur.pos whose first byte is `first`: null, a boolean, a string, a short integer — or, for a float
 * field, any number.
 */
function readScalar(buf: BufferSlices, cur: Cursor, first: number | undefined, float: boolean): unknown {
  if (first === QUOTE) return readString(buf, cur);
  if (first === MINUS || (first !== undefined && first >= ZERO && first <= NINE)) return float ? readNumber(buf, cur) : readInteger(buf, cur);
  if (first === 0x6e) return expect(buf, cur, NULL), null;
  if (first === 0x74) return expect(buf, cur, TRUE), true;
  if (first === 0x66) return expect(buf, cur, FALSE), false;
  throw BAIL;
}

/** A string; escapes are decoded by JSON.parse of the string alone, a raw control character bails (invalid JSON). */
function readString(buf: BufferSlices, cur: Cursor): string {
  const start = cur.pos + 1;
  const end = cur.end;
  let ascii = true;
  let escaped = false;
  let i = start;
  for (; i < end; i++) {
    const b = buf[i]!;
    if (b === QUOTE) break;
    if (b < 0x20) throw BAIL;
    if (b === BACKSLASH) {
      escaped = true;
      i++; // the escaped character (a quote too) is part of the string
    } else if (b >= 0x80) ascii = false;
  }
  if (i >= end) throw BAIL;
  cur.pos = i + 1;
  if (escaped) return JSON.parse(buf.utf8Slice(start - 1, i + 1)) as string;
  return ascii ? buf.asciiSlice(start, i) : buf.utf8Slice(start, i);
}

/** An integer literal of at most 15 digits, as JSON allows it (no leading zeros); a fraction or exponent bails. */
function readInteger(buf: Buffer, cur: Cursor): number {
  let i = cur.pos;
  const negative = buf[i] === MINUS;
  if (negative) i++;
  const digitsFrom = i;
  let n = 0;
  for (; i < cur.end; i++) {
    const b = buf[i]!;
    if (b < ZERO || b > NINE) break;
    n = n * 10 + (b - ZERO);
  }
  const digits = i - digitsFrom;
  if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && buf[digitsFrom] === ZERO)) throw BAIL;
  const next = buf[i];
  if (next === 0x2e || next === 0x65 || next === 0x45) throw BAIL; // '.', 'e', 'E': the general path reads it
  cur.pos = i;
  return negative ? -n : n;
}

/** Digits from `i`; returns where they end. */
function skipDigits(buf: Buffer, i: number, end: number): number {
  while (i < end && buf[i]! >= ZERO && buf[i]! <= NINE) i++;
  return i;
}

/**
 * Any JSON number literal, checked against JSON's grammar (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?) and read with Number(),
 * which rounds a valid literal exactly as JSON.parse does.
 */
function readNumber(buf: BufferSlices, cur: Cursor): number {
  const start = cur.pos;
  const end = cur.end;
  let i = start;
  if (buf[i] === MINUS) i++;
  const intFrom = i;
  i = skipDigits(buf, i, end);
  if (i === intFrom || (i - intFrom > 1 && buf[intFrom] === ZERO)) throw BAIL;
  if (buf[i] === 0x2e) {
    const fracFrom = ++i;
    i = skipDigits(buf, i, end);
    if (i === fracFrom) throw BAIL;
  }
  if (buf[i] === 0x65 || buf[i] === 0x45) {
    i++;
    if (buf[i] === 0x2b || buf[i] === MINUS) i++;
    const expFrom = i;
    i = skipDigits(buf, i, end);
    if (i === expFrom) throw BAIL;
  }
  cur.pos = i;
  return Number(buf.asciiSlice(start, i));
}
