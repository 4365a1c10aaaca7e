/**
 * Connect's StringConverter (org.apache.kafka.connect.storage.StringConverter): writes a value's text in
 * `converter.encoding` (a Java charset name, default UTF-8; see java-charsets.ts), reads bytes back as a string with
 * the optional string schema. Null ↔ null. The schema is ignored when writing, as in Connect.
 *
 * Connect writes `value.toString()`; the JS equivalents: strings as they are, numbers as JS prints them (float32 /
 * float64 schemas as Java prints them, `1.0`), bigints and booleans as text, a Date as its ISO-8601 form, Buffers
 * passed through unchanged, and structs, maps and arrays as JSON (Java's `Struct{a=1}` forms have no use here).
 */
import type { Schema } from '../plugins/connect-data.js';
import { OPTIONAL_STRING_SCHEMA } from '../plugins/connect-data.js';
import type { Converter, SchemaAndValue } from '../plugins/converter.js';
import { ConversionError } from '../plugins/converter.js';
import type { Charset } from './java-charsets.js';
import { SUPPORTED_CHARSETS, charsetFor } from './java-charsets.js';
import { javaDoubleString, javaFloatString } from './java-number-format.js';
import { writeSchemaless } from './json-schemaless.js';

/** Connect's StringConverter; configure() picks the charset. */
export class StringConverter implements Converter {
  private charset: Charset = charsetFor('UTF-8')!;

  /** Throws a ConversionError naming `converter.encoding` when the charset is not supported. */
  configure(config: Readonly<Record<string, string>>, _isKey = false): void {
    const name = config['converter.encoding'] ?? 'UTF-8';
    const charset = charsetFor(name);
    if (!charset) {
      throw new ConversionError(`Invalid value ${name} for configuration converter.encoding: Unsupported encoding ${name} (supported: ${SUPPORTED_CHARSETS.join(', ')})`);
    }
    this.charset = charset;
  }

  /** Null stays null; anything else becomes text (see above). Throws a ConversionError for values with no text form. */
  fromConnectData(topic: string, schema: Schema | null | undefined, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return this.charset.encode(value);
    if (value instanceof Uint8Array) return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return this.charset.encode(textOf(topic, schema, value));
  }

  /** Null bytes give a null value; the schema is always the optional string schema. */
  toConnectData(_topic: string, bytes: Buffer | null): SchemaAndValue {
    return { schema: OPTIONAL_STRING_SCHEMA, value: bytes === null || bytes === undefined ? null : this.charset.decode(bytes) };
  }
}

function textOf(topic: string, schema: Schema | null | undefined, value: unknown): string {
  switch (typeof value) {
    case 'number':
      if (schema?.type === 'float64') return javaDoubleString(value);
      if (schema?.type === 'float32') return javaFloatString(value);
      return String(value);
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'object':
      try {
        return value instanceof Date ? value.toISOString() : writeSchemaless(value);
      } catch (e) {
        throw new ConversionError(`Failed to serialize to a string (topic ${topic}): ${(e as Error).message}`, { cause: e });
      }
    default:
      throw new ConversionError(`Failed to serialize to a string (topic ${topic}): cannot convert a ${typeof value}`);
  }
}
