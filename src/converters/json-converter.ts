/**
 * Connect's JsonConverter (org.apache.kafka.connect.json.JsonConverter). With `schemas.enable=true` (the default)
 * a value is written in the envelope `{"schema":…,"payload":…}` (schema in Connect's JSON form) and must be read
 * back in it; with false, plain JSON, read back schemaless (integers as int64 numbers, other numbers as float64).
 * Other settings: `decimal.format` (BASE64 | NUMERIC), `replace.null.with.default` (true), `schemas.cache.size`
 * (1000; bounds the caches of compiled schemas). JS representations of values: see README.md.
 *
 * Hot path: a schema object is compiled once (cached by identity, then by its JSON); an envelope laid out as
 * Connect writes it is matched to its compiled schema by bytes (envelope-index.ts) and only the payload is parsed —
 * a struct payload laid out as Connect writes it straight from the bytes (json-bytes-reader.ts), others with JSON.parse.
 */
import type { Schema } from '../plugins/connect-data.js';
import { BoundedCache } from './bounded-cache.js';
import { EnvelopeIndex } from './envelope-index.js';
import { BAIL, readStructPayload } from './json-bytes-reader.js';
import type { Converter, SchemaAndValue } from '../plugins/converter.js';
import { ConversionError } from '../plugins/converter.js';
import { FieldError, isRecordObject, toConversionError } from './field-error.js';
import type { FloatMode } from './json-exact-parse.js';
import { hasUnsafeInteger, parseJsonExact } from './json-exact-parse.js';
import type { CompiledReader, ReadContext } from './json-reader.js';
import { NEED_EXACT, compileReader } from './json-reader.js';
import { writeSchemaless } from './json-schemaless.js';
import type { DecimalFormat, WriteFn } from './json-writer.js';
import { compileWriter } from './json-writer.js';

/** JsonConverter's settings, parsed (see parseJsonConverterConfig). */
export interface JsonConverterSettings {
  schemasEnable: boolean;
  schemasCacheSize: number;
  decimalFormat: DecimalFormat;
  replaceNullWithDefault: boolean;
}

/** Connect's defaults (JsonConverterConfig). */
export const JSON_CONVERTER_DEFAULTS: Readonly<JsonConverterSettings> = {
  schemasEnable: true,
  schemasCacheSize: 1000,
  decimalFormat: 'BASE64',
  replaceNullWithDefault: true,
};

/** Connect's message when `schemas.enable=true` meets something other than a two-field envelope. */
export const ENVELOPE_REQUIRED_MESSAGE =
  'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. ' +
  'If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.';

const ENVELOPE_HEAD = '{"schema":';
const PAYLOAD_KEY = ',"payload":';

interface EnvelopeWriter {
  /** `{"schema":<schema JSON>,"payload":` */
  prefix: string;
  write: WriteFn;
}

/** Connect's JsonConverter; one instance per key or value converter of a task (it caches compiled schemas). */
export class JsonConverter implements Converter {
  private settings: JsonConverterSettings = { ...JSON_CONVERTER_DEFAULTS };
  private writersBySchema = new WeakMap<object, EnvelopeWriter>();
  private writersByJson = new BoundedCache<string, EnvelopeWriter>(JSON_CONVERTER_DEFAULTS.schemasCacheSize);
  private readersByJson = new BoundedCache<string, CompiledReader>(JSON_CONVERTER_DEFAULTS.schemasCacheSize);
  private envelopes = newEnvelopeIndex(JSON_CONVERTER_DEFAULTS.schemasCacheSize);
  private readonly ctx: ReadContext = { exact: false, text: '', longNumbers: undefined };

  /**
   * Throws a ConversionError naming the key of an invalid setting. Unknown keys are ignored, as in Connect; keys and
   * values convert alike, so `isKey` is unused.
   */
  configure(config: Readonly<Record<string, string>>, _isKey = false): void {
    this.settings = parseJsonConverterConfig(config);
    this.writersBySchema = new WeakMap();
    this.writersByJson = new BoundedCache(this.settings.schemasCacheSize);
    this.readersByJson = new BoundedCache(this.settings.schemasCacheSize);
    this.envelopes = newEnvelopeIndex(this.settings.schemasCacheSize);
  }

  /**
   * Null schema and null value give null (a tombstone). Otherwise JSON bytes, even for a null value with a schema
   * (`{"schema":…,"payload":null}`, or `null` without envelope), as Connect does. Throws a ConversionError naming the
   * field path when the value does not fit the schema, or when the schema itself is invalid.
   */
  fromConnectData(topic: string, schema: Schema | null | undefined, value: unknown): Buffer | null {
    const noSchema = schema === null || schema === undefined;
    if (noSchema && (value === null || value === undefined)) return null;
    let text: string;
    try {
      if (noSchema) {
        const payload = writeSchemaless(value);
        text = this.settings.schemasEnable ? `${ENVELOPE_HEAD}null${PAYLOAD_KEY}${payload}}` : payload;
      } else {
        const writer = this.writerFor(schema);
        const payload = writer.write(value);
        text = this.settings.schemasEnable ? `${writer.prefix}${payload}}` : payload;
      }
    } catch (e) {
      throw toConversionError(e, 'Converting Kafka Connect data to JSON failed', topic);
    }
    return Buffer.from(text, 'utf8');
  }

  /**
   * Null bytes give a null schema and value. With schemas enabled the bytes must be an envelope (else a
   * ConversionError with Connect's message); the schema returned is a cached canonical object shared by records
   * with the same schema: treat it as immutable. Throws a ConversionError on malformed JSON or a payload that does
   * not fit its schema.
   */
  toConnectData(topic: string, bytes: Buffer | null): SchemaAndValue {
    if (bytes === null || bytes === undefined) return { schema: null, value: null };
    try {
      if (!this.settings.schemasEnable) return { schema: null, value: parseSchemaless(bytes.toString('utf8')) };
      const hit = this.envelopes.lookup(bytes);
      if (hit === undefined) return this.readEnvelope(bytes);
      const plan = hit.value?.bytesPlan;
      if (plan !== undefined) {
        const value = readStructPayload(plan, bytes, hit.payloadStart, bytes.length - 1, this.ctx);
        if (value !== BAIL) return { schema: hit.value!.schema, value };
      }
      return this.readPayload(hit.value, bytes.toString('utf8', hit.payloadStart, bytes.length - 1)) || this.readEnvelope(bytes);
    } catch (e) {
      throw toConversionError(e, 'Converting JSON to Kafka Connect data failed', topic);
    }
  }

  private writerFor(schema: Schema): EnvelopeWriter {
    const known = this.writersBySchema.get(schema);
    if (known) return known;
    const json = schemaKey(schema);
    let writer = this.writersByJson.get(json);
    if (!writer) {
      const compiled = compileWriter(schema, this.settings);
      writer = { prefix: `${ENVELOPE_HEAD}${compiled.schemaText}${PAYLOAD_KEY}`, write: compiled.write };
      this.writersByJson.set(json, writer);
    }
    if (typeof schema === 'object') this.writersBySchema.set(schema, writer);
    return writer;
  }

  /** Reads a payload of a known schema (null: schemaless); undefined when JSON.parse refuses it (the slow path decides). */
  private readPayload(reader: CompiledReader | null, payloadText: string): SchemaAndValue | undefined {
    let payload: unknown;
    try {
      payload = JSON.parse(payloadText);
    } catch {
      return undefined;
    }
    if (reader === null) return { schema: null, value: hasUnsafeInteger(payload) ? parseJsonExact(payloadText, 'number') : payload };
    const ctx = this.ctx;
    ctx.exact = false;
    ctx.text = payloadText;
    ctx.longNumbers = undefined;
    try {
      return { schema: reader.schema, value: reader.read(payload, ctx) };
    } catch (e) {
      if (e !== NEED_EXACT) throw e;
    }
    ctx.exact = true;
    return { schema: reader.schema, value: reader.read(parseJsonExact(payloadText, 'lossless'), ctx) };
  }

  /** Parses the whole envelope, first with JSON.parse, then exactly if a reader asks for it. */
  private readEnvelope(bytes: Buffer): SchemaAndValue {
    let text = bytes.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    try {
      return this.readEnvelopeText(bytes, text, false);
    } catch (e) {
      if (e !== NEED_EXACT) throw e;
      return this.readEnvelopeText(bytes, text, true);
    }
  }

  private readEnvelopeText(bytes: Buffer, text: string, exact: boolean): SchemaAndValue {
    const parsed = parseJson(text, exact, 'lossless');
    const envelope = parsed.value;
    if (!isRecordObject(envelope) || Object.keys(envelope).length !== 2 || !Object.hasOwn(envelope, 'schema') || !Object.hasOwn(envelope, 'payload')) {
      throw new ConversionError(ENVELOPE_REQUIRED_MESSAGE);
    }
    const schemaNode = envelope['schema'];
    if (schemaNode === null) {
      const payload = envelope['payload'];
      const reparse = parsed.exact || hasUnsafeInteger(payload);
      return { schema: null, value: reparse ? (parseJsonExact(text, 'number') as Record<string, unknown>)['payload'] : payload };
    }
    const ctx = this.ctx;
    ctx.exact = parsed.exact;
    ctx.text = text;
    ctx.longNumbers = undefined;
    const key = schemaKey(schemaNode);
    let reader = this.readersByJson.get(key);
    if (!reader) {
      reader = compileReader(schemaNode, this.settings.replaceNullWithDefault, ctx);
      this.readersByJson.set(key, reader);
    }
    this.rememberSchemaText(bytes, key, reader);
    return { schema: reader.schema, value: reader.read(envelope['payload'], ctx) };
  }

  /** Indexes the schema's text as written in `bytes`, so the next record with it takes the fast path. */
  private rememberSchemaText(bytes: Buffer, key: string, reader: CompiledReader): void {
    const raw = EnvelopeIndex.schemaTextOf(bytes);
    if (raw === undefined || this.envelopes.lookup(bytes)) return;
    try {
      if (schemaKey(JSON.parse(raw)) === key) this.envelopes.add(raw, reader);
    } catch {
      // not the schema's whole text (a ',"payload":' inside a string, or leading zeros): no fast path for it
    }
  }
}

/** Validates JsonConverter's settings; throws a ConversionError naming the key, worded like Connect's ConfigException. */
export function parseJsonConverterConfig(config: Readonly<Record<string, string>>): JsonConverterSettings {
  const out = { ...JSON_CONVERTER_DEFAULTS };
  const bool = (key: string, fallback: boolean): boolean => {
    const raw = config[key];
    if (raw === undefined) return fallback;
    const v = raw.trim().toLowerCase();
    if (v === 'true' || v === 'false') return v === 'true';
    throw new ConversionError(`Invalid value ${raw} for configuration ${key}: Expected value to be either true or false`);
  };
  out.schemasEnable = bool('schemas.enable', out.schemasEnable);
  out.replaceNullWithDefault = bool('replace.null.with.default', out.replaceNullWithDefault);
  const size = config['schemas.cache.size'];
  if (size !== undefined) {
    if (!/^[+-]?\d{1,10}$/.test(size.trim()) || Math.abs(Number(size)) > 2147483647) {
      throw new ConversionError(`Invalid value ${size} for configuration schemas.cache.size: Not a number of type INT`);
    }
    out.schemasCacheSize = Number(size);
  }
  const format = config['decimal.format'];
  if (format !== undefined) {
    const upper = format.trim().toUpperCase();
    if (upper !== 'BASE64' && upper !== 'NUMERIC') {
      throw new ConversionError(`Invalid value ${format} for configuration decimal.format: String must be one of (case insensitive): BASE64, NUMERIC`);
    }
    out.decimalFormat = upper;
  }
  return out;
}

/** Plain JSON read schemaless; empty or blank input is null (Jackson's missing node). */
function parseSchemaless(text: string): unknown {
  const parsed = parseJson(text, false, 'number');
  return !parsed.exact && hasUnsafeInteger(parsed.value) ? parseJsonExact(text, 'number') : parsed.value;
}

/** An index of envelope schema texts, knowing `null` (schemaless payloads) from the start. */
function newEnvelopeIndex(capacity: number): EnvelopeIndex<CompiledReader | null> {
  return new EnvelopeIndex<CompiledReader | null>(capacity, [['null', null]]);
}

/**
 * JSON.parse, or the exact parser when asked to or when JSON.parse refuses (Connect accepts leading zeros). Blank
 * input is null (Jackson's missing node). Throws
 * a FieldError carrying JSON.parse's reason when neither can read the text.
 */
function parseJson(text: string, exact: boolean, floats: FloatMode): { value: unknown; exact: boolean } {
  let failure: Error | undefined;
  if (!exact) {
    try {
      return { value: JSON.parse(text), exact: false };
    } catch (e) {
      failure = e as Error;
    }
  }
  if (text.trim() === '') return { value: null, exact: false };
  try {
    return { value: parseJsonExact(text, floats), exact: true };
  } catch (e) {
    throw new FieldError(`invalid JSON: ${(failure ?? (e as Error)).message}`);
  }
}

/**
 * The cache key of a schema: its JSON, with bigints and Maps (possible in defaults) spelled out so that different
 * schemas never share a key.
 */
function schemaKey(schema: unknown): string {
  return JSON.stringify(schema, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? { $map: [...v] } : v)) ?? 'undefined';
}
