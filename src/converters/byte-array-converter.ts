/**
 * Connect's ByteArrayConverter (org.apache.kafka.connect.converters.ByteArrayConverter): bytes pass through
 * unchanged (a Buffer is returned as is, without a copy); null ↔ null. Reads give the optional bytes schema.
 */
import type { Schema } from '../plugins/connect-data.js';
import type { Converter, SchemaAndValue } from '../plugins/converter.js';
import { ConversionError } from '../plugins/converter.js';
import { describeValue } from './field-error.js';

/** Connect's Schema.OPTIONAL_BYTES_SCHEMA, the schema of every value read. */
export const OPTIONAL_BYTES_SCHEMA: Schema = { type: 'bytes', optional: true };

/** Connect's ByteArrayConverter; stateless. */
export class ByteArrayConverter implements Converter {
  /** No settings. */
  configure(_config?: Readonly<Record<string, string>>, _isKey?: boolean): void {}

  /**
   * Returns the value's bytes. Throws a ConversionError when the schema is not `bytes` or the value is not a
   * Buffer, Uint8Array or ArrayBuffer (Connect's byte[] / ByteBuffer).
   */
  fromConnectData(topic: string, schema: Schema | null | undefined, value: unknown): Buffer | null {
    if (schema !== null && schema !== undefined && schema.type !== 'bytes') {
      throw new ConversionError(`Invalid schema type for ByteArrayConverter: ${String(schema.type).toUpperCase()} (topic ${topic})`);
    }
    if (value === null || value === undefined) return null;
    if (Buffer.isBuffer(value)) return value;
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (value instanceof ArrayBuffer) return Buffer.from(value);
    throw new ConversionError(`ByteArrayConverter is not compatible with objects of type ${describeValue(value)} (topic ${topic})`);
  }

  /** The bytes as they are (null stays null), with the optional bytes schema. */
  toConnectData(_topic: string, bytes: Buffer | null): SchemaAndValue {
    return { schema: OPTIONAL_BYTES_SCHEMA, value: bytes ?? null };
  }
}
