/** Connect's ByteArrayConverter: bytes pass through unchanged. */
import type { Converter, SchemaAndValue } from './converter.js';
import { ConversionError } from './converter.js';

export class ByteArrayConverter implements Converter {
  configure(): void {}

  fromConnectData(topic: string, _schema: unknown, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    if (Buffer.isBuffer(value)) return value;
    if (value instanceof Uint8Array) return Buffer.from(value);
    throw new ConversionError(`ByteArrayConverter is not compatible with objects of type ${typeof value} (topic ${topic})`);
  }

  toConnectData(_topic: string, bytes: Buffer | null): SchemaAndValue {
    return { schema: { type: 'bytes', optional: true }, value: bytes };
  }
}
