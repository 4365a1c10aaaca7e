/**
 * Errors raised while walking a value against a schema. Leaves throw a FieldError with a detail sentence; each
 * container (struct, array, map) adds its segment on the way up, so the final message names the field path without
 * building path strings for records that convert fine.
 */
import { ConversionError } from '../plugins/converter.js';

/** A value or schema problem somewhere inside a record; `segments` are pushed innermost first. */
export class FieldError extends Error {
  /** The code of the ConversionError it becomes (toConversionError). */
  readonly code = 'PIPECTL_CONVERTER_FAILED';
  readonly segments: string[] = [];

  constructor(readonly detail: string) {
    super(detail);
    this.name = 'FieldError';
  }
}

/** Rethrows `e`, adding `segment` (a field name, `[3]` or `["key"]`) to a FieldError's path. Never returns. */
export function rethrowAt(e: unknown, segment: string): never {
  if (e instanceof FieldError) e.segments.push(segment);
  throw e;
}

/** The dotted path of a FieldError: `order.lines[2].sku`, or '' at the top level. */
export function pathOf(e: FieldError): string {
  let path = '';
  for (let i = e.segments.length - 1; i >= 0; i--) {
    const s = e.segments[i]!;
    path += s.startsWith('[') || path === '' ? s : `.${s}`;
  }
  return path;
}

/**
 * Turns anything thrown while converting into a ConversionError: a FieldError gets its path in the message
 * (`<what> at field "a.b": <detail>`), a ConversionError passes through, and anything else is wrapped as the cause.
 */
export function toConversionError(e: unknown, what: string, topic: string): ConversionError {
  if (e instanceof ConversionError) return e;
  if (e instanceof FieldError) {
    const path = pathOf(e);
    const where = path === '' ? '' : ` at field "${path}"`;
    return new ConversionError(`${what}${where} (topic ${topic}): ${e.detail}`, { path });
  }
  if (e instanceof RangeError) return new ConversionError(`${what} (topic ${topic}): the value is nested too deeply or is circular`, { cause: e });
  return new ConversionError(`${what} (topic ${topic}): ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

/** A short description of a JS value for error messages: `string "abc"`, `number 1.5`, `Buffer`, `object`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof v} ${String(v)}`;
    case 'object':
      if (Array.isArray(v)) return 'array';
      if (Buffer.isBuffer(v)) return 'Buffer';
      return (v as object).constructor?.name && (v as object).constructor !== Object ? (v as object).constructor.name : 'object';
    default:
      return typeof v;
  }
}

/** True for a plain record-like object: not null, not an array, Map, Date or byte array. */
export function isRecordObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Date) && !ArrayBuffer.isView(v);
}

const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** True for names such as `constructor` or `__proto__` that plain property access would find on Object.prototype. */
export function hasPrototypeName(name: string): boolean {
  return PROTOTYPE_NAMES.has(name);
}

/** Reads an own property; names such as `constructor` or `__proto__` never resolve to Object.prototype's. */
export function ownGetter(name: string): (o: Record<string, unknown>) => unknown {
  if (!PROTOTYPE_NAMES.has(name)) return (o) => o[name];
  return (o) => (Object.hasOwn(o, name) ? o[name] : undefined);
}

/** Sets an own data property, also for `__proto__` (plain assignment would change the prototype). */
export function ownSetter(name: string): (o: Record<string, unknown>, v: unknown) => void {
  if (name !== '__proto__') return (o, v) => { o[name] = v; };
  return (o, v) => { Object.defineProperty(o, name, { value: v, writable: true, enumerable: true, configurable: true }); };
}
