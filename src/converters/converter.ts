/**
 * Converters turn Connect data (a value with an optional schema) into the bytes stored in a topic, and back. Set per
 * worker (`key.converter`, `value.converter`) and overridable per connector, with `key.converter.*` sub-configs.
 */
import type { Schema } from '../plugins/connect-data.js';

export interface SchemaAndValue {
  schema: Schema | null;
  value: unknown;
}

export interface Converter {
  /** `config` holds the converter's own keys with the `key.converter.`/`value.converter.` prefix removed. */
  configure(config: Readonly<Record<string, string>>, isKey: boolean): void;
  /** Serialises; a null value (a tombstone) becomes null. Throws when the value does not fit the schema. */
  fromConnectData(topic: string, schema: Schema | null | undefined, value: unknown): Buffer | null;
  /** Deserialises; null bytes become a null value. Throws on malformed input (the error names the converter). */
  toConnectData(topic: string, bytes: Buffer | null): SchemaAndValue;
}

export class ConversionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConversionError';
  }
}
