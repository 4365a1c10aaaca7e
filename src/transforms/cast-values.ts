/**
 * Value conversions of the Cast transformation, with Java's semantics: integer narrowing wraps (as `(byte) 300`),
 * floating-point to integer truncates and saturates, strings parse strictly (`Integer.parseInt`), numbers print as
 * Java prints them (`5.0` for a double, `1.0E10`), bytes print as base64, and logical dates print in ISO 8601 (UTC).
 */
import type { Schema, SchemaType } from '../plugins/connect-data.js';
import { isPlainMap, javaClassName } from './requirements.js';
import { compileDateFormat } from './simple-date-format.js';
import { DATE_LOGICAL, TIME_LOGICAL, TIMESTAMP_LOGICAL } from './struct-schema.js';
import { TransformDataError } from '../plugins/transformation.js';

/** The types Cast can produce. */
export type CastType = 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string';

export const CAST_OUTPUT_TYPES: readonly CastType[] = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string'];
const INPUT_TYPES = new Set<string>([...CAST_OUTPUT_TYPES, 'bytes']);
const FLOAT_TYPES = new Set<string>(['float32', 'float64']);
const MILLIS_PER_DAY = 86_400_000;

const TIME_FORMAT = compileDateFormat("HH:mm:ss.SSS'Z'");
const DATE_FORMAT = compileDateFormat('yyyy-MM-dd');
const TIMESTAMP_FORMAT = compileDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

/** The Connect type of a schemaless value (ConnectSchema.schemaType): integral numbers are int64, others float64. */
function inferredType(value: unknown): SchemaType | undefined {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'bigint':
      return 'int64';
    case 'number':
      return Number.isInteger(value) ? 'int64' : 'float64';
    default:
      if (Buffer.isBuffer(value)) return 'bytes';
      if (Array.isArray(value)) return 'array';
      return isPlainMap(value) ? 'map' : undefined;
  }
}

/** Java's `(int) d` for a double: NaN is 0, out-of-range values saturate. */
function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(d)));
}

/** Java's `(long) d` (values beyond 2^53 lose precision, as JavaScript numbers do). */
function doubleToLong(d: number): number {
  if (Number.isNaN(d)) return 0;
  return Math.max(-9223372036854775808, Math.min(9223372036854775807, Math.trunc(d)));
}

/** Number.intValue(): wraps an integral value to 32 bits, truncates and saturates a floating-point one. */
function intValue(n: number | bigint, isFloat: boolean): number {
  if (typeof n === 'bigint') return Number(BigInt.asIntN(32, n));
  return isFloat ? doubleToInt(n) : n | 0; // ToInt32 keeps the low 32 bits, like Java's narrowing
}

const INT_PATTERN = /^[-+]?[0-9]+$/;
const FLOAT_PATTERN = /^[-+]?(NaN|Infinity|([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?[fFdD]?)$/;

function parseJavaInt(s: string, bits: number): number {
  if (!INT_PATTERN.test(s)) throw new RangeError(s);
  const n = BigInt(s);
  if (n !== BigInt.asIntN(bits, n)) throw new RangeError(s);
  return Number(n);
}

function parseJavaDouble(s: string): number {
  const t = s.trim();
  if (!FLOAT_PATTERN.test(t)) throw new RangeError(s);
  return Number(t.replace(/[fFdD]$/, ''));
}

/** Java's Double.toString. */
export function javaDoubleString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = d.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/** Java's Float.toString: the shortest decimal that reads back as the same float32, in Double.toString's layout. */
export function javaFloatString(f: number): string {
  if (!Number.isFinite(f) || f === 0) return javaDoubleString(f);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return javaDoubleString(candidate);
  }
  return javaDoubleString(f);
}

/** A logical Date/Time/Timestamp value as epoch millis, or undefined for other schemas. */
function logicalMillis(schema: Schema | null, value: unknown): number | undefined {
  if (typeof value !== 'number' || !schema?.name) return undefined;
  if (schema.name === TIMESTAMP_LOGICAL || schema.name === TIME_LOGICAL) return value;
  return schema.name === DATE_LOGICAL ? value * MILLIS_PER_DAY : undefined;
}

/** Values.dateFormatFor: a time of day, a date at midnight, or a full timestamp. */
function formatDate(ms: number): string {
  if (ms < MILLIS_PER_DAY) return TIME_FORMAT.format(ms);
  return ms % MILLIS_PER_DAY === 0 ? DATE_FORMAT.format(ms) : TIMESTAMP_FORMAT.format(ms);
}

function toText(value: unknown, type: SchemaType, schema: Schema | null): string {
  const ms = logicalMillis(schema, value);
  if (ms !== undefined) return formatDate(ms);
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'number') {
    if (type === 'float32') return javaFloatString(value);
    if (type === 'float64' || !Number.isInteger(value)) return javaDoubleString(value);
  }
  return String(value);
}

/**
 * Casts one value (Cast.castValueToType). `schema` is the value's schema, or null for schemaless data (then the type
 * is inferred). Null stays null. Throws TransformDataError for unsupported input types and unparsable or
 * out-of-range strings.
 */
export function castValue(schema: Schema | null, value: unknown, target: CastType): unknown {
  if (value === null || value === undefined) return null;
  const type = schema ? schema.type : inferredType(value);
  if (type === undefined) throw new TransformDataError(`Cast transformation was passed a value of type class ${javaClassName(value)} which is not supported by Connect's data API`);
  if (!INPUT_TYPES.has(type)) {
    throw new TransformDataError(`Cast transformation does not support casting from ${type.toUpperCase()}; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]`);
  }
  const isFloat = FLOAT_TYPES.has(type) || (typeof value === 'number' && !Number.isInteger(value));
  try {
    if (target === 'string') return toText(value, type, schema);
    if (typeof value === 'string') {
      switch (target) {
        case 'int8':
          return parseJavaInt(value, 8);
        case 'int16':
          return parseJavaInt(value, 16);
        case 'int32':
          return parseJavaInt(value, 32);
        case 'int64':
          return parseJavaInt(value, 64);
        case 'float32':
          return Math.fround(parseJavaDouble(value));
        case 'float64':
          return parseJavaDouble(value);
        case 'boolean':
          return value.toLowerCase() === 'true';
      }
    }
    const n: number | bigint = typeof value === 'boolean' ? (value ? 1 : 0) : (value as number | bigint);
    if (typeof n !== 'number' && typeof n !== 'bigint') throw new TransformDataError(`Unexpected type in Cast transformation: class ${javaClassName(value)}`);
    switch (target) {
      case 'int8':
        return (intValue(n, isFloat) << 24) >> 24;
      case 'int16':
        return (intValue(n, isFloat) << 16) >> 16;
      case 'int32':
        return intValue(n, isFloat);
      case 'int64':
        return typeof n === 'bigint' ? n : isFloat ? doubleToLong(n) : n;
      case 'float32':
        return Math.fround(Number(n));
      case 'float64':
        return Number(n);
      case 'boolean':
        return typeof n === 'bigint' ? n !== 0n : (isFloat ? doubleToLong(n) : n) !== 0;
    }
  } catch (e) {
    if (e instanceof RangeError) throw new TransformDataError(`Value (${String(value)}) was out of range for requested data type`, { cause: e });
    throw e;
  }
}
