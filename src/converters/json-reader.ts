/**
 * Connect JSON → Connect data for JsonConverter. An envelope's schema (Connect's JSON form) is compiled once into
 * the canonical Schema handed to sinks (defaults converted to JS values) and a tree of reader functions that check
 * and convert each payload value. Readers reuse the parsed arrays and map objects in place and build a fresh
 * object per struct (fields in schema order, unknown JSON keys dropped, as a Connect Struct would).
 *
 * JSON.parse loses digits of integers beyond 2^53 and of long decimal literals; a reader that meets such a value
 * throws NEED_EXACT, and the converter re-parses the payload with parseJsonExact and reads it again (ctx.exact).
 */
import type { Schema, SchemaType } from '../plugins/connect-data.js';
import { bytesToPlain, decimalPartsOf, formatPlain, rescale, smallBase64Int } from './decimal.js';
import { FieldError, describeValue, hasPrototypeName, isRecordObject, ownGetter, ownSetter, rethrowAt } from './field-error.js';
import { structBytesPlan } from './json-bytes-reader.js';
import type { StructBytesPlan } from './json-bytes-reader.js';
import { LosslessNumber } from './json-exact-parse.js';
import { JSON_TYPE_NAMES } from './json-writer.js';
import { daysToDate, decimalScaleOf, logicalKindOf, millisToTime, millisToTimestamp } from './logical-types.js';

/**
 * Per-record state: whether the payload came from the exact parser, and its text, to check (once, lazily into
 * `longNumbers`) for number literals with more digits than a double keeps.
 */
export interface ReadContext {
  exact: boolean;
  text: string;
  longNumbers: boolean | undefined;
}

/** Thrown (not an Error) when the payload must be re-parsed exactly; never escapes JsonConverter. */
export const NEED_EXACT = Object.freeze({ needExact: true });

/** Reads one parsed JSON value (null allowed); throws a FieldError, or NEED_EXACT. */
export type ReadFn = (json: unknown, ctx: ReadContext) => unknown;

/** A compiled envelope schema. */
export interface CompiledReader {
  /** The canonical schema: types float32/float64, `optional` always set, defaults as JS values. Treat as immutable. */
  schema: Schema;
  read: ReadFn;
  /** For a struct schema whose payloads can be read straight from bytes (json-bytes-reader.ts). */
  bytesPlan?: StructBytesPlan;
}

/** A run of 16 digits or dots: the only way a number literal can hold more digits than a double keeps. */
const LONG_NUMBER = /[\d.]{16}/;
const INT_RANGES = { int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647] } as const;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** Compiles a schema in Connect's JSON form (as parsed). Throws a FieldError naming Connect's complaint. */
export function compileReader(node: unknown, replaceNullWithDefault: boolean, ctx: ReadContext): CompiledReader {
  if (!isRecordObject(node) || typeof node['type'] !== 'string') throw new FieldError("Schema must contain 'type' field");
  const type = JSON_TYPE_NAMES[node['type']];
  if (!type) throw new FieldError(`Unknown schema type: ${node['type']}`);
  const schema: Schema = { type, optional: node['optional'] === true };
  let body: ReadFn;
  let bytesPlan: StructBytesPlan | undefined;
  if (type === 'struct') [body, bytesPlan] = structReader(node, schema, replaceNullWithDefault, ctx);
  else if (type === 'array') {
    if (node['items'] === undefined || node['items'] === null) throw new FieldError('Array schema did not specify the element type');
    const items = child(node['items'], '[items]', replaceNullWithDefault, ctx);
    schema.items = items.schema;
    body = arrayReader(items.read);
  } else if (type === 'map') {
    if (node['keys'] === undefined) throw new FieldError('Map schema did not specify the key type');
    if (node['values'] === undefined) throw new FieldError('Map schema did not specify the value type');
    const keys = child(node['keys'], '[keys]', replaceNullWithDefault, ctx);
    const values = child(node['values'], '[values]', replaceNullWithDefault, ctx);
    schema.keys = keys.schema;
    schema.values = values.schema;
    body = keys.schema.type === 'string' ? objectMapReader(values.read) : pairsMapReader(keys.read, values.read);
  }
  if (typeof node['name'] === 'string') schema.name = node['name'];
  if (Number.isInteger(node['version'])) schema.version = node['version'] as number;
  if (typeof node['doc'] === 'string') schema.doc = node['doc'];
  const params = node['parameters'];
  if (isRecordObject(params)) {
    for (const v of Object.values(params)) if (typeof v !== 'string') throw new FieldError('Schema parameters must have string values.');
    schema.parameters = { ...(params as Record<string, string>) };
  }
  body ??= primitiveReader(type, schema);
  const defaultJson = node['default'];
  if (defaultJson !== undefined && defaultJson !== null) {
    try {
      schema.default = body(defaultJson, ctx);
    } catch (e) {
      if (e instanceof FieldError) throw new FieldError(`Invalid default value: ${e.detail}`);
      throw e;
    }
  }
  const fallback = replaceNullWithDefault ? schema.default : undefined;
  const optional = schema.optional === true;
  const read: ReadFn = (j, c) => {
    if (j !== null && j !== undefined) return body(j, c);
    if (fallback !== undefined) return fallback;
    if (optional) return null;
    throw new FieldError(`Invalid null value for required ${type} field`);
  };
  return bytesPlan ? { schema, read, bytesPlan } : { schema, read };
}

function child(node: unknown, segment: string, replace: boolean, ctx: ReadContext): CompiledReader {
  try {
    return compileReader(node, replace, ctx);
  } catch (e) {
    return rethrowAt(e, segment);
  }
}

function structReader(node: Record<string, unknown>, schema: Schema, replace: boolean, ctx: ReadContext): [ReadFn, StructBytesPlan | undefined] {
  const fields = node['fields'];
  if (!Array.isArray(fields)) throw new FieldError('Struct schema\'s "fields" argument is not an array.');
  const names: string[] = [];
  const readers: ReadFn[] = [];
  const nested: (StructBytesPlan | undefined)[] = [];
  schema.fields = [];
  for (const f of fields) {
    const name = isRecordObject(f) ? f['field'] : undefined;
    if (typeof name !== 'string') throw new FieldError("Struct schema's field name not specified properly");
    if (names.includes(name)) throw new FieldError(`Cannot create field because of field name duplication ${name}`);
    const compiled = child(f, name, replace, ctx);
    names.push(name);
    readers.push(compiled.read);
    nested.push(compiled.bytesPlan);
    schema.fields.push({ field: name, ...compiled.schema });
  }
  const getters = names.map(ownGetter);
  const setters = names.map(ownSetter);
  const plain = names.map((name) => !hasPrototypeName(name));
  const n = names.length;
  const floats = schema.fields.map((f) => f.type === 'float32' || f.type === 'float64');
  const bytesPlan = plain.every(Boolean) ? structBytesPlan(names, readers, nested, floats) : undefined;
  const read: ReadFn = (j, c) => {
    if (!isJsonObject(j)) throw new FieldError(`Structs should be encoded as JSON objects, but found ${jsonKind(j)}`);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const name = names[i]!;
      try {
        if (plain[i]) out[name] = readers[i]!(j[name], c);
        else setters[i]!(out, readers[i]!(getters[i]!(j), c));
      } catch (e) {
        rethrowAt(e, name);
      }
    }
    return out;
  };
  return [read, bytesPlan];
}

/** A parsed JSON object (not a LosslessNumber, which the exact parser makes for long number literals). */
function isJsonObject(j: unknown): j is Record<string, unknown> {
  return isRecordObject(j) && !(j instanceof LosslessNumber);
}

function arrayReader(item: ReadFn): ReadFn {
  return (j, c) => {
    if (!Array.isArray(j)) throw new FieldError(`Arrays should be encoded as JSON arrays, but found ${jsonKind(j)}`);
    for (let i = 0; i < j.length; i++) {
      try {
        j[i] = item(j[i], c);
      } catch (e) {
        rethrowAt(e, `[${i}]`);
      }
    }
    return j;
  };
}

function objectMapReader(value: ReadFn): ReadFn {
  return (j, c) => {
    if (!isJsonObject(j)) throw new FieldError(`Maps with string fields should be encoded as JSON objects, but found ${jsonKind(j)}`);
    for (const k in j) {
      try {
        j[k] = value(j[k], c);
      } catch (e) {
        rethrowAt(e, `[${JSON.stringify(k)}]`);
      }
    }
    return j;
  };
}

function pairsMapReader(key: ReadFn, value: ReadFn): ReadFn {
  return (j, c) => {
    if (!Array.isArray(j)) throw new FieldError(`Maps with non-string fields should be encoded as JSON array of tuples, but found ${jsonKind(j)}`);
    const out = new Map<unknown, unknown>();
    for (let i = 0; i < j.length; i++) {
      const entry: unknown = j[i];
      if (!Array.isArray(entry)) throw new FieldError(`Found invalid map entry instead of array tuple: ${jsonKind(entry)}`);
      if (entry.length !== 2) throw new FieldError(`Found invalid map entry, expected length 2 but found :${entry.length}`);
      try {
        out.set(key(entry[0], c), value(entry[1], c));
      } catch (e) {
        rethrowAt(e, `[${i}]`);
      }
    }
    return out;
  };
}

/** Jackson's node type names, for messages that match Connect's. */
function jsonKind(j: unknown): string {
  if (j === null || j === undefined) return 'NULL';
  if (Array.isArray(j)) return 'ARRAY';
  if (typeof j === 'object') return j instanceof LosslessNumber ? 'NUMBER' : 'OBJECT';
  if (typeof j === 'bigint') return 'NUMBER';
  return typeof j === 'boolean' ? 'BOOLEAN' : typeof j === 'number' ? 'NUMBER' : 'STRING';
}

function mismatch(type: string, j: unknown): FieldError {
  const kind = jsonKind(j);
  if (kind === 'ARRAY' || kind === 'OBJECT' || kind === 'NULL') return new FieldError(`expected ${type}, found ${kind}`);
  const shown = typeof j === 'string' ? describeValue(j).slice('string '.length) : j instanceof LosslessNumber ? j.text : String(j);
  return new FieldError(`expected ${type}, found ${kind} ${shown}`);
}

/** The integral value of a number node (bigint when beyond 2^53); NEED_EXACT when JSON.parse may have rounded it. */
function integral(j: unknown, ctx: ReadContext): number | bigint | undefined {
  if (typeof j === 'number') {
    if (Number.isSafeInteger(j)) return j;
    if (!Number.isInteger(j)) return undefined;
    if (!ctx.exact) throw NEED_EXACT;
    return Math.abs(j) < 2 ** 64 ? BigInt(j) : undefined;
  }
  return typeof j === 'bigint' ? j : undefined;
}

function primitiveReader(type: SchemaType, schema: Schema): ReadFn {
  switch (logicalKindOf(schema.name, type)) {
    case 'decimal':
      return decimalReader(decimalScaleOf(schema.parameters));
    case 'date':
      return (j, c) => {
        const v = integral(j, c);
        if (typeof v !== 'number' || v < INT_RANGES.int32[0] || v > INT_RANGES.int32[1]) throw mismatch('an int32 for Date', j);
        return daysToDate(v);
      };
    case 'time':
      return (j, c) => {
        const v = integral(j, c);
        if (typeof v !== 'number') throw mismatch('an int32 for Time', j);
        return millisToTime(v);
      };
    case 'timestamp':
      return (j, c) => {
        const v = integral(j, c);
        if (typeof v !== 'number') throw mismatch('an integral number of millis for Timestamp', j);
        return millisToTimestamp(v);
      };
    default:
      break;
  }
  switch (type) {
    case 'boolean':
      return (j) => { if (typeof j === 'boolean') return j; throw mismatch('boolean', j); };
    case 'string':
      return (j) => { if (typeof j === 'string') return j; throw mismatch('string', j); };
    case 'int8':
    case 'int16':
    case 'int32': {
      const [min, max] = INT_RANGES[type];
      return (j) => {
        if (typeof j === 'number' && Number.isInteger(j) && j >= min && j <= max) return j;
        throw mismatch(`${type} (an integer from ${min} to ${max})`, j);
      };
    }
    case 'int64':
      return (j, c) => {
        const v = integral(j, c);
        if (v === undefined || (typeof v === 'bigint' && (v < INT64_MIN || v > INT64_MAX))) throw mismatch('int64', j);
        return v;
      };
    case 'float32':
    case 'float64':
      return floatReader(type);
    case 'bytes':
      return (j) => {
        if (typeof j !== 'string' || !BASE64.test(j)) throw mismatch('bytes (a base64 string)', j);
        return Buffer.from(j, 'base64');
      };
    default:
      throw new FieldError(`Unknown schema type: ${type}`);
  }
}

const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

function floatReader(type: SchemaType): ReadFn {
  return (j) => {
    if (typeof j === 'number') return j;
    if (typeof j === 'bigint') return Number(j);
    if (j instanceof LosslessNumber) return Number(j.text);
    if (typeof j === 'string' && j in NON_FINITE) return NON_FINITE[j];
    throw mismatch(type, j);
  };
}

/** Decimal as base64 bytes (BASE64) or a JSON number (NUMERIC), whatever `decimal.format` says, as Connect reads. */
function decimalReader(scale: number): ReadFn {
  return (j, c) => {
    let parts;
    if (typeof j === 'string') {
      const small = smallBase64Int(j); // the common case, without a regex test and a Buffer
      if (small !== undefined) return formatPlain(small, scale);
      if (!BASE64.test(j)) throw new FieldError('Invalid bytes for Decimal field: not base64');
      try {
        return bytesToPlain(Buffer.from(j, 'base64'), scale);
      } catch (e) {
        throw new FieldError(`Invalid bytes for Decimal field: ${(e as Error).message}`);
      }
    }
    if (typeof j === 'number') {
      if (!c.exact && (c.longNumbers ??= LONG_NUMBER.test(c.text))) throw NEED_EXACT;
      parts = decimalPartsOf(j);
    } else if (typeof j === 'bigint') parts = decimalPartsOf(j);
    else if (j instanceof LosslessNumber) parts = decimalPartsOf(j.text);
    if (!parts) throw mismatch('a Decimal (numeric or base64 bytes)', j);
    const padded = parts.scale < scale ? rescale(parts, scale) : null;
    return padded === null ? formatPlain(parts.unscaled, parts.scale) : formatPlain(padded, scale);
  };
}
