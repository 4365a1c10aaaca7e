/**
 * TimestampConverter (`$Key` / `$Value`): converts a timestamp — the whole key/value (`field` empty, the default) or
 * one field of a map or struct — between `string` (a SimpleDateFormat `format`, UTC), `unix` (a long in
 * `unix.precision`: seconds, milliseconds, microseconds or nanoseconds) and Connect's logical `Date`, `Time` and
 * `Timestamp` (JS Date objects, as JsonConverter reads them). The input type comes from the schema (the logical name,
 * else string → string, int64 → unix) or, schemaless, from the value (a Date is a Timestamp, an integer is unix, a
 * string is parsed with `format`). Struct schemas follow: the converted field gets the target's schema, keeping its
 * optionality. A null timestamp stays null; a tombstone passes through.
 *
 * Sub-millisecond precision is lost both ways, as in Connect. Unlike Connect, a logical Date/Time/Timestamp given as
 * its raw number (days, or epoch millis) is accepted too.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord, Schema, SchemaType } from '../plugins/connect-data.js';
import { TransformConfigError, TransformDataError } from '../plugins/transformation.js';
import type { Transformation } from '../plugins/transformation.js';
import { sideSchema, sideValue, withSide } from './operating-side.js';
import type { RecordSide } from './operating-side.js';
import { javaClassName, requireMap, requireStruct } from './requirements.js';
import { compileDateFormat, dateFormatError } from './simple-date-format.js';
import type { DateFormat } from './simple-date-format.js';
import { asField, copySchemaBasics, DATE_LOGICAL, fieldValue, SchemaUpdateCache, structFields, TIME_LOGICAL, TIMESTAMP_LOGICAL } from './struct-schema.js';
import { parseTransformConfig, REPLACE_NULL_WITH_DEFAULT } from './transform-config.js';

type TimestampType = 'string' | 'unix' | 'Date' | 'Time' | 'Timestamp';
type Precision = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds';

const TYPES: readonly TimestampType[] = ['string', 'unix', 'Date', 'Time', 'Timestamp'];
const PRECISIONS: readonly Precision[] = ['nanoseconds', 'microseconds', 'milliseconds', 'seconds'];
const MILLIS_PER_DAY = 86_400_000;
const PURPOSE = 'converting timestamp formats';
const FORMAT_REQUIRED = 'TimestampConverter requires format option to be specified when using string timestamps';

const oneOf = (name: string, allowed: readonly string[]) => (v: string): string | undefined =>
  allowed.includes(v) ? undefined : `Invalid value ${v} for configuration ${name}: String must be one of: ${allowed.join(', ')}`;

/** The `format` problem Connect reports at configure time (or undefined). */
function formatProblem(format: string, targetType: string | undefined): string | undefined {
  if (format === '') return targetType?.trim() === 'string' ? FORMAT_REQUIRED : undefined;
  const error = dateFormatError(format);
  return error === undefined ? undefined : `TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${format} (${error})`;
}

export const TIMESTAMP_CONVERTER_CONFIG: ConfigDef = [
  { name: 'field', type: 'STRING', default: '', importance: 'HIGH', documentation: 'The field containing the timestamp, or empty if the entire value is a timestamp' },
  {
    name: 'target.type', type: 'STRING', importance: 'HIGH', documentation: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp',
    validate: oneOf('target.type', TYPES),
  },
  {
    name: 'format', type: 'STRING', default: '', importance: 'MEDIUM',
    documentation: 'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string.',
    validate: (v, config) => formatProblem(v, config['target.type']),
  },
  {
    name: 'unix.precision', type: 'STRING', default: 'milliseconds', importance: 'LOW',
    documentation: 'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long.Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.',
    validate: oneOf('unix.precision', PRECISIONS),
  },
  REPLACE_NULL_WITH_DEFAULT,
];

/** `getClass()` of a value as Java prints it in TimestampConverter's messages. */
function classOf(value: unknown): string {
  return `class ${value instanceof Date ? 'java.util.Date' : javaClassName(value)}`;
}

/** Connect's ConnectSchema.toString. */
function schemaText(schema: Schema): string {
  return schema.name !== undefined ? `Schema{${schema.name}:${schema.type.toUpperCase()}}` : `Schema{${schema.type.toUpperCase()}}`;
}

/** An int64 as JS holds it: a number when exact, else a bigint. */
function int64(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

const floorMod = (a: number, b: number): number => ((a % b) + b) % b;

/**
 * The TimestampConverter transformation (see the file comment). configure() throws TransformConfigError; apply()
 * throws TransformDataError for a value of the wrong kind, a string that does not match `format`, or a schema that is
 * no timestamp type.
 */
export class TimestampConverter implements Transformation {
  private field = '';
  private target: TimestampType = 'Timestamp';
  private format: DateFormat | null = null;
  private precision: Precision = 'milliseconds';
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaUpdateCache();

  constructor(private readonly side: RecordSide) {}

  configure(config: Readonly<Record<string, string>>): void {
    const c = parseTransformConfig(TIMESTAMP_CONVERTER_CONFIG, config);
    this.field = c.string('field')!;
    this.target = c.string('target.type') as TimestampType;
    this.precision = c.string('unix.precision') as Precision;
    this.replaceNullWithDefault = c.boolean('replace.null.with.default');
    const format = c.string('format')!;
    const problem = formatProblem(format, this.target);
    if (problem !== undefined) throw new TransformConfigError('format', problem);
    this.format = format === '' ? null : compileDateFormat(format);
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const schema = sideSchema(record, this.side);
    const value = sideValue(record, this.side) ?? null;
    if (!schema) {
      if (value === null || this.field === '') return withSide(record, this.side, schema, this.convert(value, undefined));
      const updated = { ...requireMap(value, PURPOSE) };
      updated[this.field] = this.convert(updated[this.field] ?? null, undefined);
      return withSide(record, this.side, schema, updated);
    }
    if (this.field === '') {
      const from = this.typeOfSchema(schema);
      return withSide(record, this.side, this.typeSchema(this.target, schema.optional === true), this.convert(value, from));
    }
    const struct = value === null ? null : requireStruct(value, PURPOSE);
    const updatedSchema = this.schemas.get(schema, (s) => this.updatedSchema(s));
    return withSide(record, this.side, updatedSchema, struct === null ? null : this.convertStruct(struct, schema));
  }

  private updatedSchema(schema: Schema): Schema {
    const out = copySchemaBasics(schema, 'struct');
    out.fields = structFields(schema).map((f) => (f.field === this.field ? asField(f.field, this.typeSchema(this.target, f.optional === true)) : f));
    if (schema.optional) out.optional = true;
    if (schema.default !== undefined && schema.default !== null) out.default = this.convertStruct(schema.default as Record<string, unknown>, schema);
    return out;
  }

  private convertStruct(struct: Readonly<Record<string, unknown>>, schema: Schema): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of structFields(schema)) {
      const v = fieldValue(struct, f, this.replaceNullWithDefault);
      out[f.field] = f.field === this.field ? this.convert(v, this.typeOfSchema(f)) : v;
    }
    return out;
  }

  /** timestampTypeFromSchema. */
  private typeOfSchema(schema: Schema): TimestampType {
    if (schema.name === TIMESTAMP_LOGICAL) return 'Timestamp';
    if (schema.name === DATE_LOGICAL) return 'Date';
    if (schema.name === TIME_LOGICAL) return 'Time';
    if (schema.type === 'string') return 'string';
    if (schema.type === 'int64') return 'unix';
    throw new TransformDataError(`Schema ${schemaText(schema)} does not correspond to a known timestamp type format`);
  }

  private typeSchema(type: TimestampType, optional: boolean): Schema {
    const logical = (t: SchemaType, name: string): Schema => ({ type: t, optional, name, version: 1 });
    switch (type) {
      case 'string':
        return { type: 'string', optional };
      case 'unix':
        return { type: 'int64', optional };
      case 'Date':
        return logical('int32', DATE_LOGICAL);
      case 'Time':
        return logical('int32', TIME_LOGICAL);
      case 'Timestamp':
        return logical('int64', TIMESTAMP_LOGICAL);
    }
  }

  /** convertTimestamp: `from` is the input's type, or undefined to infer it from the value. */
  private convert(value: unknown, from: TimestampType | undefined): unknown {
    if (value === null || value === undefined) return null;
    return this.toType(this.toRaw(value, from ?? inferType(value)));
  }

  /** The timestamp as epoch milliseconds. */
  private toRaw(value: unknown, from: TimestampType): number {
    switch (from) {
      case 'string': {
        if (typeof value !== 'string') throw new TransformDataError(`Expected string timestamp to be a String, but found ${classOf(value)}`);
        // Connect fails with a NullPointerException here.
        if (this.format === null) throw new TransformDataError(`Could not parse timestamp: value (${value}) with no format (${FORMAT_REQUIRED})`);
        const ms = this.format.parse(value);
        if (ms === undefined) throw new TransformDataError(`Could not parse timestamp: value (${value}) does not match pattern (${this.format.pattern})`);
        return ms;
      }
      case 'unix': {
        if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isInteger(value))) throw new TransformDataError(`Expected Unix timestamp to be a Long, but found ${classOf(value)}`);
        const n = BigInt(value);
        switch (this.precision) {
          case 'seconds':
            return Number(n * 1000n);
          case 'microseconds':
            return Number(n / 1000n);
          case 'nanoseconds':
            return Number(n / 1_000_000n);
          default:
            return Number(n);
        }
      }
      default: {
        if (value instanceof Date) return value.getTime();
        if (typeof value === 'number' && Number.isInteger(value)) return from === 'Date' ? value * MILLIS_PER_DAY : value;
        throw new TransformDataError(`Expected ${from} to be a java.util.Date, but found ${classOf(value)}`);
      }
    }
  }

  private toType(ms: number): unknown {
    switch (this.target) {
      case 'string':
        return this.format!.format(ms);
      case 'unix': {
        const n = BigInt(ms);
        switch (this.precision) {
          case 'seconds':
            return int64(n / 1000n);
          case 'microseconds':
            return int64(n * 1000n);
          case 'nanoseconds':
            return int64(n * 1_000_000n);
          default:
            return ms;
        }
      }
      case 'Date':
        return new Date(ms - floorMod(ms, MILLIS_PER_DAY));
      case 'Time':
        return new Date(floorMod(ms, MILLIS_PER_DAY));
      case 'Timestamp':
        return new Date(ms);
    }
  }
}

/** inferTimestampType: a Date is a Timestamp, an integer a unix time, a string a formatted timestamp. */
function inferType(value: unknown): TimestampType {
  if (value instanceof Date) return 'Timestamp';
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return 'unix';
  if (typeof value === 'string') return 'string';
  throw new TransformDataError(`TimestampConverter does not support ${classOf(value)} objects as timestamps`);
}
