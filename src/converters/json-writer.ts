/**
 * Connect data → JSON text for JsonConverter. A schema is compiled once into a tree of small writer functions that
 * check each value against its schema and append its JSON; the same pass yields the schema's envelope JSON, in
 * the key order Connect's JsonConverter.asJsonSchema writes (type, items|keys,values|fields, optional, name,
 * version, doc, parameters, default; a struct field's `"field"` last). Failures are FieldErrors (field-error.ts).
 */
import type { Schema, SchemaType } from '../plugins/connect-data.js';
import { decimalPartsOf, formatJavaBigDecimal, rescale, unscaledToBytes } from './decimal.js';
import { FieldError, describeValue, hasPrototypeName, isRecordObject, ownGetter, rethrowAt } from './field-error.js';
import { javaDoubleString, javaFloatString } from './java-number-format.js';
import { dateToDays, decimalScaleOf, logicalKindOf, timeToMillis, timestampToMillis } from './logical-types.js';

/** `decimal.format`: Decimal as base64 of its unscaled bytes, or as a JSON number. */
export type DecimalFormat = 'BASE64' | 'NUMERIC';

/** The JsonConverter settings that change what is written. */
export interface WriterOptions {
  replaceNullWithDefault: boolean;
  decimalFormat: DecimalFormat;
}

/** Writes one value (null allowed) as JSON text; throws a FieldError when it does not fit the schema. */
export type WriteFn = (value: unknown) => string;

/** A compiled schema, for writing values of it. */
export interface CompiledWriter {
  /** The schema as Connect's JSON, e.g. `{"type":"string","optional":false}`. */
  schemaText: string;
  write: WriteFn;
}

/** The Connect JSON type names (`float`/`double` for float32/float64); float32/float64 are accepted as aliases. */
export const JSON_TYPE_NAMES: Readonly<Record<string, SchemaType>> = {
  boolean: 'boolean', int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64', float: 'float32', double: 'float64',
  float32: 'float32', float64: 'float64', bytes: 'bytes', string: 'string', array: 'array', map: 'map', struct: 'struct',
};
const WIRE_NAMES: Record<SchemaType, string> = {
  boolean: 'boolean', int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64', float32: 'float', float64: 'double',
  bytes: 'bytes', string: 'string', array: 'array', map: 'map', struct: 'struct',
};

const INT_RANGES = { int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647] } as const;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Compiles a schema (values, defaults and Connect schema JSON). Throws a FieldError when the schema is invalid. */
export function compileWriter(schema: Schema, opts: WriterOptions): CompiledWriter {
  const node = compileNode(schema, opts);
  return { schemaText: node.text, write: node.write };
}

interface Node {
  text: string;
  write: WriteFn;
}

function compileNode(schema: Schema, opts: WriterOptions): Node {
  if (!isRecordObject(schema)) throw new FieldError(`Invalid schema: expected an object, got ${describeValue(schema)}`);
  const type = typeof schema.type === 'string' ? JSON_TYPE_NAMES[schema.type] : undefined;
  if (!type) throw new FieldError(`Unknown schema type: ${String(schema.type)}`);
  let children = '';
  let body: WriteFn;
  if (type === 'struct') {
    if (!Array.isArray(schema.fields)) throw new FieldError('Struct schema\'s "fields" argument is not an array.');
    const compiled = structFields(schema.fields, opts);
    children = `,"fields":[${compiled.texts.join(',')}]`;
    body = compiled.write;
  } else if (type === 'array') {
    if (!schema.items) throw new FieldError('Array schema did not specify the element type');
    const items = compileChild(schema.items, opts, '[items]');
    children = `,"items":${items.text}`;
    body = arrayWriter(items.write);
  } else if (type === 'map') {
    if (!schema.keys) throw new FieldError('Map schema did not specify the key type');
    if (!schema.values) throw new FieldError('Map schema did not specify the value type');
    const keys = compileChild(schema.keys, opts, '[keys]');
    const values = compileChild(schema.values, opts, '[values]');
    children = `,"keys":${keys.text},"values":${values.text}`;
    body = mapWriter(keys.write, values.write, JSON_TYPE_NAMES[String(schema.keys.type)] === 'string');
  } else {
    body = primitiveWriter(type, schema, opts);
  }
  const optional = schema.optional === true;
  let text = `{"type":"${WIRE_NAMES[type]}"${children},"optional":${optional}`;
  if (schema.name !== undefined && schema.name !== null) text += `,"name":${JSON.stringify(String(schema.name))}`;
  if (schema.version !== undefined && schema.version !== null) {
    if (!Number.isInteger(schema.version)) throw new FieldError(`Invalid schema version ${String(schema.version)}: expected an integer`);
    text += `,"version":${schema.version}`;
  }
  if (schema.doc !== undefined && schema.doc !== null) text += `,"doc":${JSON.stringify(String(schema.doc))}`;
  if (schema.parameters !== undefined && schema.parameters !== null) text += `,"parameters":${parametersText(schema.parameters)}`;
  let defaultText: string | undefined;
  if (schema.default !== undefined && schema.default !== null) {
    try {
      defaultText = body(schema.default);
    } catch (e) {
      if (e instanceof FieldError) throw new FieldError(`Invalid default value: ${e.detail}`);
      throw e;
    }
    text += `,"default":${defaultText}`;
  }
  return { text: `${text}}`, write: nullHandling(body, type, optional, opts.replaceNullWithDefault ? defaultText : undefined) };
}

function compileChild(schema: Schema, opts: WriterOptions, segment: string): Node {
  try {
    return compileNode(schema, opts);
  } catch (e) {
    return rethrowAt(e, segment);
  }
}

/** Connect's convertToJson null rule: the default (when replacing), null when optional, else an error. */
function nullHandling(body: WriteFn, type: SchemaType, optional: boolean, defaultText: string | undefined): WriteFn {
  return (v) => {
    if (v !== null && v !== undefined) return body(v);
    if (defaultText !== undefined) return defaultText;
    if (optional) return 'null';
    throw new FieldError(`null value for a required ${type} field with no default value`);
  };
}

function parametersText(parameters: unknown): string {
  if (!isRecordObject(parameters)) throw new FieldError('Schema parameters must be an object of strings');
  for (const [k, v] of Object.entries(parameters)) {
    if (typeof v !== 'string') throw new FieldError(`Schema parameters must have string values (parameter ${k})`);
  }
  return JSON.stringify(parameters);
}

function structFields(fields: readonly (Schema & { field: string })[], opts: WriterOptions): { texts: string[]; write: WriteFn } {
  const seen = new Set<string>();
  const texts: string[] = [];
  const writers: WriteFn[] = [];
  const getters: ((o: Record<string, unknown>) => unknown)[] = [];
  const prefixes: string[] = [];
  for (const f of fields) {
    const name = isRecordObject(f) ? f.field : undefined;
    if (typeof name !== 'string') throw new FieldError("Struct schema's field name not specified properly");
    if (seen.has(name)) throw new FieldError(`Cannot create field because of field name duplication ${name}`);
    seen.add(name);
    const node = compileChild(f, opts, name);
    texts.push(`${node.text.slice(0, -1)},"field":${JSON.stringify(name)}}`);
    writers.push(node.write);
    getters.push(ownGetter(name));
    prefixes.push(`${prefixes.length === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  }
  const names = [...seen];
  const plain = names.map((name) => !hasPrototypeName(name));
  const n = writers.length;
  const write: WriteFn = (v) => {
    if (!isRecordObject(v)) throw new FieldError(`expected a struct (an object keyed by field name), got ${describeValue(v)}`);
    if (n === 0) return '{}';
    let out = '';
    for (let i = 0; i < n; i++) {
      let text: string;
      try {
        text = writers[i]!(plain[i] ? v[names[i]!] : getters[i]!(v));
      } catch (e) {
        return rethrowAt(e, names[i]!);
      }
      out += prefixes[i]! + text;
    }
    return `${out}}`;
  };
  return { texts, write };
}

function arrayWriter(item: WriteFn): WriteFn {
  return (v) => {
    if (!Array.isArray(v)) throw new FieldError(`expected an array, got ${describeValue(v)}`);
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      try {
        out += (i === 0 ? '' : ',') + item(v[i]);
      } catch (e) {
        return rethrowAt(e, `[${i}]`);
      }
    }
    return `${out}]`;
  };
}

/** String-keyed maps become JSON objects; others arrays of [key, value] pairs (Connect's encoding). */
function mapWriter(key: WriteFn, value: WriteFn, stringKeys: boolean): WriteFn {
  return (v) => {
    let entries: Iterable<[unknown, unknown]>;
    if (v instanceof Map) entries = v;
    else if (stringKeys && isRecordObject(v)) entries = Object.entries(v);
    else throw new FieldError(`expected a ${stringKeys ? 'Map or an object' : 'Map (the keys are not strings)'}, got ${describeValue(v)}`);
    let out = '';
    for (const [k, val] of entries) {
      const segment = `[${typeof k === 'string' ? JSON.stringify(k) : String(k)}]`;
      let keyText: string;
      let valueText: string;
      try {
        keyText = key(k);
        valueText = value(val);
      } catch (e) {
        return rethrowAt(e, segment);
      }
      if (stringKeys) out += `,${keyText.startsWith('"') ? keyText : JSON.stringify(keyText)}:${valueText}`;
      else out += `,[${keyText},${valueText}]`;
    }
    if (out === '') return stringKeys ? '{}' : '[]';
    return stringKeys ? `{${out.slice(1)}}` : `[${out.slice(1)}]`;
  };
}

function typeError(expected: string, v: unknown): FieldError {
  return new FieldError(`expected ${expected}, got ${describeValue(v)}`);
}

function primitiveWriter(type: SchemaType, schema: Schema, opts: WriterOptions): WriteFn {
  switch (logicalKindOf(schema.name, type)) {
    case 'decimal':
      return decimalWriter(decimalScaleOf(schema.parameters), opts.decimalFormat);
    case 'date':
      return (v) => String(dateToDays(v));
    case 'time':
      return (v) => String(timeToMillis(v));
    case 'timestamp':
      return (v) => String(timestampToMillis(v));
    default:
      break;
  }
  switch (type) {
    case 'boolean':
      return (v) => { if (typeof v === 'boolean') return v ? 'true' : 'false'; throw typeError('boolean', v); };
    case 'string':
      return (v) => { if (typeof v === 'string') return JSON.stringify(v); throw typeError('string', v); };
    case 'int8':
    case 'int16':
    case 'int32': {
      const [min, max] = INT_RANGES[type];
      return (v) => {
        if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return String(v);
        if (typeof v === 'bigint' && v >= min && v <= max) return String(v);
        throw typeError(`${type} (an integer from ${min} to ${max})`, v);
      };
    }
    case 'int64':
      return (v) => {
        if (typeof v === 'number' && Number.isInteger(v) && v >= -9223372036854775808 && v < 9223372036854775808) return String(v);
        if (typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX) return String(v);
        throw typeError('int64 (an integer number or bigint)', v);
      };
    case 'float32':
      return (v) => {
        if (typeof v !== 'number') throw typeError('float32 (a number)', v);
        if (Number.isFinite(v) && !Number.isFinite(Math.fround(v))) throw new FieldError(`${v} is out of range for float32`);
        return Number.isFinite(v) ? javaFloatString(v) : `"${String(v)}"`;
      };
    case 'float64':
      return (v) => {
        if (typeof v !== 'number') throw typeError('float64 (a number)', v);
        return Number.isFinite(v) ? javaDoubleString(v) : `"${String(v)}"`;
      };
    case 'bytes':
      return (v) => `"${base64Of(v)}"`;
    default:
      throw new FieldError(`Unknown schema type: ${type}`);
  }
}

/** Base64 of a Buffer, Uint8Array or ArrayBuffer; throws a FieldError for anything else. */
export function base64Of(v: unknown): string {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (v instanceof ArrayBuffer) return Buffer.from(v).toString('base64');
  throw typeError('bytes (a Buffer or Uint8Array)', v);
}

function decimalWriter(scale: number, format: DecimalFormat): WriteFn {
  return (v) => {
    const parts = decimalPartsOf(v);
    if (!parts) throw typeError('a Decimal (a string such as "12.34", a finite number or a bigint)', v);
    const unscaled = rescale(parts, scale);
    if (unscaled === null) throw new FieldError(`Decimal value ${String(v)} has more fraction digits than the schema's scale ${scale}`);
    if (format === 'NUMERIC') return formatJavaBigDecimal(unscaled, scale);
    return `"${unscaledToBytes(unscaled).toString('base64')}"`;
  };
}
