/**
 * Connect's logical types as JsonConverter knows them, and their JS representations:
 * - Decimal (`bytes` + parameter `scale`): a string in plain notation, e.g. "-12.30" (see decimal.ts).
 * - Timestamp (`int64` millis since the epoch), Date (`int32` days since the epoch, a UTC midnight) and Time (`int32`
 *   millis since midnight, a Date on 1970-01-01 UTC): JS Date objects.
 * The checks and their messages follow connect/api's Decimal, Date, Time and Timestamp classes.
 */
import type { Schema, SchemaType } from '../plugins/connect-data.js';
import { FieldError, describeValue } from './field-error.js';

/** Connect's logical type names (the schema `name`). */
export const DECIMAL_LOGICAL_NAME = 'org.apache.kafka.connect.data.Decimal';
export const DATE_LOGICAL_NAME = 'org.apache.kafka.connect.data.Date';
export const TIME_LOGICAL_NAME = 'org.apache.kafka.connect.data.Time';
export const TIMESTAMP_LOGICAL_NAME = 'org.apache.kafka.connect.data.Timestamp';

/** Milliseconds in a day (Date and Time). */
export const MILLIS_PER_DAY = 86_400_000;

/** The logical types JsonConverter converts. */
export type LogicalKind = 'decimal' | 'date' | 'time' | 'timestamp';

const LOGICAL: Record<string, { kind: LogicalKind; type: SchemaType }> = {
  [DECIMAL_LOGICAL_NAME]: { kind: 'decimal', type: 'bytes' },
  [DATE_LOGICAL_NAME]: { kind: 'date', type: 'int32' },
  [TIME_LOGICAL_NAME]: { kind: 'time', type: 'int32' },
  [TIMESTAMP_LOGICAL_NAME]: { kind: 'timestamp', type: 'int64' },
};

/** Decimal.schema(scale): `{type: bytes, name: …Decimal, version: 1, parameters: {scale}}`. */
export function decimalSchema(scale: number, optional = false): Schema {
  return { type: 'bytes', optional, name: DECIMAL_LOGICAL_NAME, version: 1, parameters: { scale: String(scale) } };
}

/** Date.SCHEMA, Time.SCHEMA and Timestamp.SCHEMA (required; spread and set `optional` for optional ones). */
export const DATE_SCHEMA: Schema = { type: 'int32', optional: false, name: DATE_LOGICAL_NAME, version: 1 };
export const TIME_SCHEMA: Schema = { type: 'int32', optional: false, name: TIME_LOGICAL_NAME, version: 1 };
export const TIMESTAMP_SCHEMA: Schema = { type: 'int64', optional: false, name: TIMESTAMP_LOGICAL_NAME, version: 1 };

/**
 * The logical type a schema names, or undefined for none (unknown names are ordinary schemas, as in Connect).
 * Throws a FieldError when a known logical name sits on the wrong underlying type.
 */
export function logicalKindOf(name: string | undefined, type: SchemaType): LogicalKind | undefined {
  if (name === undefined) return undefined;
  const logical = LOGICAL[name];
  if (!logical) return undefined;
  if (logical.type !== type) throw new FieldError(`Invalid ${name} schema: its type must be ${logical.type}, not ${type}`);
  return logical.kind;
}

/** The `scale` parameter of a Decimal schema. Throws a FieldError when missing or not an integer. */
export function decimalScaleOf(parameters: Record<string, string> | undefined): number {
  const text = parameters?.['scale'];
  if (text === undefined) throw new FieldError('Invalid Decimal schema: scale parameter not found.');
  if (!/^[+-]?\d{1,9}$/.test(text.trim())) throw new FieldError(`Invalid scale parameter found in Decimal schema: ${JSON.stringify(text)}`);
  return Number(text);
}

/** Milliseconds of a valid JS Date; throws a FieldError for anything else. */
function millisOf(value: unknown, logicalName: string): number {
  if (!(value instanceof Date)) throw new FieldError(`Invalid type for ${logicalName.slice(logicalName.lastIndexOf('.') + 1)}, expected Date but was ${describeValue(value)}`);
  const ms = value.getTime();
  if (Number.isNaN(ms)) throw new FieldError('Invalid Date (its time is NaN)');
  return ms;
}

/** Date.fromLogical: whole days since the epoch of a UTC midnight. */
export function dateToDays(value: unknown): number {
  const ms = millisOf(value, DATE_LOGICAL_NAME);
  if (ms % MILLIS_PER_DAY !== 0) throw new FieldError('Kafka Connect Date type should not have any time fields set to non-zero values.');
  return ms / MILLIS_PER_DAY;
}

/** Time.fromLogical: millis since midnight of a Date on 1970-01-01 UTC. */
export function timeToMillis(value: unknown): number {
  const ms = millisOf(value, TIME_LOGICAL_NAME);
  if (ms < 0 || ms > MILLIS_PER_DAY) throw new FieldError('Kafka Connect Time type should not have any date fields set to non-zero values.');
  return ms;
}

/** Timestamp.fromLogical: millis since the epoch. */
export function timestampToMillis(value: unknown): number {
  return millisOf(value, TIMESTAMP_LOGICAL_NAME);
}

/** Date.toLogical. */
export function daysToDate(days: number): Date {
  return new Date(days * MILLIS_PER_DAY);
}

/** Time.toLogical, with its range check. */
export function millisToTime(ms: number): Date {
  if (ms < 0 || ms > MILLIS_PER_DAY) throw new FieldError('Time values must use number of milliseconds greater than 0 and less than 86400000');
  return new Date(ms);
}

/** Timestamp.toLogical; a JS Date holds ±8.64e15 ms, so larger values are refused. */
export function millisToTimestamp(ms: number): Date {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new FieldError(`Timestamp ${ms} is outside the range of a JS Date`);
  return d;
}
