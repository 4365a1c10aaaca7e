/**
 * JSON text of schemaless Connect data (schema null), for JsonConverter. Connect types a Java object by its class;
 * here a value is typed by its JS type.
 */
import { FieldError, rethrowAt } from './field-error.js';
import { javaDoubleString } from './java-number-format.js';
import { base64Of } from './json-writer.js';
import { timestampToMillis } from './logical-types.js';

/**
 * Schemaless values (schema null), typed by their JS type as Connect types Java objects: integers as int64, other
 * numbers as float64, Buffers as base64, Maps with non-string keys as [key, value] pairs, objects as JSON objects.
 * A Date becomes its epoch millis (Connect refuses a Date without a schema). Throws a FieldError for functions,
 * symbols and the like.
 */
export function writeSchemaless(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      if (Number.isInteger(v) && Math.abs(v) < 9223372036854775808) return String(v);
      return Number.isFinite(v) ? javaDoubleString(v) : `"${String(v)}"`;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return String(v);
    case 'undefined':
      return 'null';
    case 'object':
      return v === null ? 'null' : objectSchemaless(v);
    default:
      throw new FieldError(`cannot write a ${typeof v} as JSON`);
  }
}

function objectSchemaless(v: object): string {
  if (Array.isArray(v)) {
    let out = '';
    for (let i = 0; i < v.length; i++) {
      try {
        out += `,${writeSchemaless(v[i])}`;
      } catch (e) {
        return rethrowAt(e, `[${i}]`);
      }
    }
    return `[${out.slice(1)}]`;
  }
  if (v instanceof Uint8Array || v instanceof ArrayBuffer) return `"${base64Of(v)}"`;
  if (v instanceof Date) return String(timestampToMillis(v));
  const map = v instanceof Map;
  const entries: [unknown, unknown][] = map ? [...(v as Map<unknown, unknown>)] : Object.entries(v);
  const objectMode = !map || entries.every(([k]) => typeof k === 'string');
  let out = '';
  for (const [k, val] of entries) {
    if (val === undefined && !map) continue;
    try {
      out += objectMode ? `,${JSON.stringify(k)}:${writeSchemaless(val)}` : `,[${writeSchemaless(k)},${writeSchemaless(val)}]`;
    } catch (e) {
      return rethrowAt(e, `[${typeof k === 'string' ? JSON.stringify(k) : String(k)}]`);
    }
  }
  return objectMode ? `{${out.slice(1)}}` : `[${out.slice(1)}]`;
}
