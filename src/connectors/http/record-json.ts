/**
 * Connect data → plain JSON text, as JsonConverter writes a payload without its schema envelope
 * (`schemas.enable=false`), with two choices made for HTTP APIs: decimals are JSON numbers (JsonConverter's
 * `decimal.format=NUMERIC`), and int64 values beyond 2^53 keep every digit. Logical types follow the schema: Timestamp
 * and Time as milliseconds, Date as days since the epoch; bytes as base64; a map with non-string keys as [key, value]
 * pairs. Not-a-number and infinities, which JSON cannot hold, are written as the strings "NaN", "Infinity", "-Infinity".
 */
import type { Schema, SinkRecord } from '../../plugins/connect-data.js';

const DECIMAL = 'org.apache.kafka.connect.data.Decimal';
const DATE = 'org.apache.kafka.connect.data.Date';
const TIME = 'org.apache.kafka.connect.data.Time';
const DAY_MS = 86_400_000;

function dateJson(d: Date, schema: Schema | null | undefined): string {
  const ms = d.getTime();
  if (schema?.name === DATE) return String(Math.floor(ms / DAY_MS));
  if (schema?.name === TIME) return String(((ms % DAY_MS) + DAY_MS) % DAY_MS);
  return String(ms);
}

function numberJson(n: number): string {
  return Number.isFinite(n) ? JSON.stringify(n) : JSON.stringify(String(n));
}

/** JSON text of one Connect value; `schema` (may be null: schemaless) drives logical types and struct field order. */
export function connectValueJson(value: unknown, schema?: Schema | null): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      if (schema?.name === DECIMAL && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) return value;
      return JSON.stringify(value);
    case 'number':
      return numberJson(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (value instanceof Date) return dateJson(value, schema);
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
  if (Array.isArray(value)) return `[${value.map((v) => connectValueJson(v, schema?.items)).join(',')}]`;
  if (value instanceof Map) {
    const entries = [...value.entries()];
    if (entries.every(([k]) => typeof k === 'string')) return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${connectValueJson(v, schema?.values)}`).join(',')}}`;
    return `[${entries.map(([k, v]) => `[${connectValueJson(k, schema?.keys)},${connectValueJson(v, schema?.values)}]`).join(',')}]`;
  }
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (schema?.type === 'struct' && schema.fields) return `{${schema.fields.map((f) => `${JSON.stringify(f.field)}:${connectValueJson(obj[f.field], f)}`).join(',')}}`;
    const fieldSchema = schema?.type === 'map' ? schema.values : undefined;
    return `{${Object.entries(obj).map(([k, v]) => `${JSON.stringify(k)}:${connectValueJson(v, fieldSchema)}`).join(',')}}`;
  }
  return JSON.stringify(String(value));
}

/** One element of a request body: the value, or (with metadata) an object with the record's coordinates and key. */
export function recordJson(record: SinkRecord, includeMetadata: boolean): string {
  const value = connectValueJson(record.value, record.valueSchema);
  if (!includeMetadata) return value;
  const key = connectValueJson(record.key, record.keySchema);
  const ts = record.timestamp ?? null;
  return `{"topic":${JSON.stringify(record.topic)},"partition":${record.kafkaPartition},"offset":${record.kafkaOffset},"timestamp":${ts === null ? 'null' : ts},"key":${key},"value":${value}}`;
}
