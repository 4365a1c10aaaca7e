/**
 * Connect schemas → Postgres column types (for auto.create / auto.evolve) and Connect values → the text form
 * Postgres reads for that type (bound as a text parameter, or written by COPY). Logical types first (Connect's and
 * Debezium's, as the Postgres source writes them), then the physical type. The README's type table is this file.
 */
import type { Schema } from '../../plugins/connect-data.js';
import { PgSinkError } from './pg-sink-error.js';

/** Debezium's stand-ins for timestamp ±infinity (see the source's event-format/temporal.ts). */
const POSITIVE_INFINITY = 9223372036825200000n;
const NEGATIVE_INFINITY = -9223372036832400000n;

/** The Postgres column type of a field's schema (used in CREATE TABLE / ADD COLUMN). */
export function columnType(schema: Schema): string {
  switch (schema.name) {
    case 'org.apache.kafka.connect.data.Decimal':
    case 'io.debezium.data.VariableScaleDecimal':
      return 'numeric';
    case 'org.apache.kafka.connect.data.Date':
    case 'io.debezium.time.Date':
      return 'date';
    case 'org.apache.kafka.connect.data.Time':
    case 'io.debezium.time.Time':
    case 'io.debezium.time.MicroTime':
    case 'io.debezium.time.NanoTime':
      return 'time';
    case 'org.apache.kafka.connect.data.Timestamp':
    case 'io.debezium.time.Timestamp':
    case 'io.debezium.time.MicroTimestamp':
    case 'io.debezium.time.NanoTimestamp':
      return 'timestamp';
    case 'io.debezium.time.ZonedTimestamp':
      return 'timestamptz';
    case 'io.debezium.time.ZonedTime':
      return 'timetz';
    case 'io.debezium.time.MicroDuration':
      return 'interval';
    case 'io.debezium.data.Json':
      return 'jsonb';
    case 'io.debezium.data.Uuid':
      return 'uuid';
    case 'io.debezium.data.Xml':
      return 'xml';
    default:
      break;
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
      return 'smallint';
    case 'int32':
      return 'integer';
    case 'int64':
      return 'bigint';
    case 'float32':
      return 'real';
    case 'float64':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'text';
    case 'bytes':
      return 'bytea';
    case 'array':
      return `${columnType(schema.items ?? { type: 'string' })}[]`;
    case 'map':
    case 'struct':
      return 'jsonb';
  }
}

const pad = (n: number | bigint, width: number): string => String(n).padStart(width, '0');

/** Days since the epoch → `YYYY-MM-DD` (years before 1 as `… BC`, as Postgres reads them). */
function dateText(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const body = `${pad(year <= 0 ? 1 - year : year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  return year <= 0 ? `${body} BC` : body;
}

/** µs of a day → `HH:MM:SS.ffffff`. */
function clockText(micros: bigint): string {
  const s = micros / 1_000_000n;
  return `${pad(s / 3600n, 2)}:${pad((s / 60n) % 60n, 2)}:${pad(s % 60n, 2)}.${pad(micros % 1_000_000n, 6)}`;
}

/** µs since the epoch → `YYYY-MM-DD HH:MM:SS.ffffff[ BC]` (a timestamp without zone, read as UTC). */
function timestampText(micros: bigint): string {
  if (micros >= POSITIVE_INFINITY) return 'infinity';
  if (micros <= NEGATIVE_INFINITY) return '-infinity';
  const day = 86_400_000_000n;
  let days = micros / day;
  let of = micros % day;
  if (of < 0n) {
    of += day;
    days -= 1n;
  }
  const date = dateText(Number(days));
  return date.endsWith(' BC') ? `${date.slice(0, -3)} ${clockText(of)} BC` : `${date} ${clockText(of)}`;
}

/** '00' … '99' and '000' … '999': a clock's parts without a String() and padStart() each. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

/** The last day timestampMillisText() wrote, and its date text: records in a row mostly share their day. */
let lastDay = NaN;
let lastDayText = '';
let lastDayBC = false;

/** Millis since the epoch → the same text as timestampText(ms × 1000), with numbers: no bigint per value. */
function timestampMillisText(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const of = ms - days * 86_400_000;
  const s = Math.floor(of / 1000);
  const clock = `${TWO_DIGITS[Math.floor(s / 3600)]!}:${TWO_DIGITS[Math.floor(s / 60) % 60]!}:${TWO_DIGITS[s % 60]!}.${THREE_DIGITS[of % 1000]!}000`;
  if (days !== lastDay) {
    const date = dateText(days);
    lastDayBC = date.endsWith(' BC');
    lastDayText = lastDayBC ? date.slice(0, -3) : date;
    lastDay = days;
  }
  return lastDayBC ? `${lastDayText} ${clock} BC` : `${lastDayText} ${clock}`;
}

/** A JS Date's range in ms; far inside Debezium's ±infinity stand-ins (±9.2e18), which keep the bigint path. */
const MAX_NUMBER_MILLIS = 8.64e15;

const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))));
const epochMillis = (v: unknown): bigint => (v instanceof Date ? BigInt(v.getTime()) : big(v));

/** Postgres numeric's limits: 131072 digits before the decimal point, 16383 after. */
const NUMERIC_MAX_INTEGER_DIGITS = 131072;
const NUMERIC_MAX_SCALE = 16383;

/**
 * A two's-complement big-endian unscaled value with a scale → plain decimal text. A scale that no numeric column can
 * hold throws (the record's fault) before any text is built: a VariableScaleDecimal's scale comes from the data, and
 * one of ±5e8 would otherwise make a string of 500 MB.
 */
export function decimalText(unscaledBytes: Buffer, scale: number): string {
  if (!Number.isInteger(scale) || scale > NUMERIC_MAX_SCALE || -scale + unscaledBytes.length * 2.5 > NUMERIC_MAX_INTEGER_DIGITS) {
    throw new PgSinkError('PIPECTL_PGSINK_RECORD', `a decimal with scale ${scale} does not fit a Postgres numeric (at most ${NUMERIC_MAX_SCALE} digits after the point and ${NUMERIC_MAX_INTEGER_DIGITS} before)`);
  }
  let n = 0n;
  for (const b of unscaledBytes) n = (n << 8n) | BigInt(b);
  if (unscaledBytes.length > 0 && (unscaledBytes[0]! & 0x80) !== 0) n -= 1n << BigInt(unscaledBytes.length * 8);
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString();
  if (scale <= 0) return `${negative ? '-' : ''}${digits}${'0'.repeat(-scale)}`;
  const padded = digits.padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) return Buffer.from((v as { data: number[] }).data).toString('base64');
    if (v instanceof Map) return Object.fromEntries(v);
    return v;
  });
}

/** An array literal `{"a",NULL,"b\"c"}` of element texts. */
function arrayLiteral(items: (string | null)[]): string {
  return `{${items.map((t) => (t === null ? 'NULL' : `"${t.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}

/**
 * Whether every text valueText() makes for `schema` is free of the characters COPY escapes (backslash, tab, newline,
 * carriage return): numbers, booleans, dates, times and intervals are, so COPY need not look (keep in step with
 * valueText). Strings, bytes (`\x…`), JSON, arrays and Decimals (a string value is passed through as it is) may not be.
 */
export function isPlainText(schema: Schema | null | undefined): boolean {
  if (!schema) return false;
  switch (schema.name) {
    case 'org.apache.kafka.connect.data.Decimal':
      return false;
    case 'io.debezium.data.VariableScaleDecimal':
    case 'org.apache.kafka.connect.data.Date':
    case 'io.debezium.time.Date':
    case 'org.apache.kafka.connect.data.Time':
    case 'io.debezium.time.Time':
    case 'io.debezium.time.MicroTime':
    case 'io.debezium.time.NanoTime':
    case 'org.apache.kafka.connect.data.Timestamp':
    case 'io.debezium.time.Timestamp':
    case 'io.debezium.time.MicroTimestamp':
    case 'io.debezium.time.NanoTimestamp':
    case 'io.debezium.time.MicroDuration':
      return true;
    default:
      break;
  }
  switch (schema.type) {
    case 'boolean':
    case 'float32':
    case 'float64':
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
      return true;
    default:
      return false;
  }
}

/**
 * A Connect value of `schema` → the text Postgres reads for the column (null for SQL NULL). Throws a TypeError for a
 * value that does not fit its schema (the caller makes it a record error).
 */
export function valueText(value: unknown, schema: Schema | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (!schema) return schemalessText(value);
  switch (schema.name) {
    case 'org.apache.kafka.connect.data.Decimal':
      return typeof value === 'string' ? value : Buffer.isBuffer(value) ? decimalText(value, Number(schema.parameters?.['scale'] ?? 0)) : String(value);
    case 'io.debezium.data.VariableScaleDecimal': {
      const s = value as { scale: number; value: Buffer };
      return decimalText(Buffer.from(s.value), Number(s.scale));
    }
    case 'org.apache.kafka.connect.data.Date':
      return dateText(Math.floor(Number(epochMillis(value)) / 86_400_000));
    case 'io.debezium.time.Date':
      return dateText(Number(value));
    case 'org.apache.kafka.connect.data.Time':
    case 'io.debezium.time.Time':
      return clockText(epochMillis(value) * 1000n);
    case 'io.debezium.time.MicroTime':
      return clockText(big(value));
    case 'io.debezium.time.NanoTime':
      return clockText(big(value) / 1000n);
    case 'org.apache.kafka.connect.data.Timestamp':
    case 'io.debezium.time.Timestamp': {
      // A JS Date (what JsonConverter makes) or a safe number of millis: number arithmetic, the same text.
      const fast = value instanceof Date ? value.getTime() : typeof value === 'number' ? Math.trunc(value) : NaN;
      if (Math.abs(fast) <= MAX_NUMBER_MILLIS) return timestampMillisText(fast);
      const ms = epochMillis(value);
      return ms >= POSITIVE_INFINITY || ms <= NEGATIVE_INFINITY ? timestampText(ms) : timestampText(ms * 1000n);
    }
    case 'io.debezium.time.MicroTimestamp':
      return timestampText(big(value));
    case 'io.debezium.time.NanoTimestamp': {
      const ns = big(value);
      return ns >= POSITIVE_INFINITY || ns <= NEGATIVE_INFINITY ? timestampText(ns) : timestampText(ns / 1000n);
    }
    case 'io.debezium.time.MicroDuration': {
      const us = big(value);
      return `${us / 86_400_000_000n} days ${us % 86_400_000_000n} microseconds`;
    }
    default:
      break;
  }
  switch (schema.type) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'float32':
    case 'float64': {
      const n = Number(value);
      return Number.isNaN(n) ? 'NaN' : n === Infinity ? 'Infinity' : n === -Infinity ? '-Infinity' : String(n);
    }
    case 'int8': case 'int16': case 'int32': case 'int64':
      if (typeof value !== 'number' && typeof value !== 'bigint') throw new TypeError(`expected an integer, got ${typeof value}`);
      return String(value);
    case 'string':
      return String(value);
    case 'bytes':
      return `\\x${Buffer.from(value as Uint8Array).toString('hex')}`;
    case 'array':
      return arrayLiteral((value as unknown[]).map((v) => valueText(v, schema.items)));
    case 'map':
    case 'struct':
      return jsonText(value);
  }
}

/** A schemaless value: scalars as text, objects and arrays as JSON (for a json/jsonb column). */
function schemalessText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  return jsonText(value);
}
