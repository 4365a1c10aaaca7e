/**
 * The converter contract. Converters turn Connect data (a value with an optional schema) into the bytes stored in a
 * topic, and back. Set per worker (`key.converter`, `value.converter`) and overridable per connector, with
 * `key.converter.*` sub-configs. Implementations live in their own packages (src/converters for the bundled ones) and
 * are registered as ConverterPlugins.
 */
import type { Schema } from './connect-data.js';

/** A value and its schema; a null schema means schemaless (or a null value). */
export interface SchemaAndValue {
  schema: Schema | null;
  value: unknown;
}

/** Connect's Converter: one instance per key or value side of a task; calls are synchronous. */
export interface Converter {
  /**
   * `config` holds the converter's own keys with the `key.converter.`/`value.converter.` prefix removed. Throws a
   * ConversionError naming the key when a setting is invalid.
   */
  configure(config: Readonly<Record<string, string>>, isKey: boolean): void;
  /** Serialises; a null value (a tombstone) becomes null. Throws ConversionError when the value does not fit the schema. */
  fromConnectData(topic: string, schema: Schema | null | undefined, value: unknown): Buffer | null;
  /** Deserialises; null bytes become a null value. Throws ConversionError on malformed input. */
  toConnectData(topic: string, bytes: Buffer | null): SchemaAndValue;
}

/** A converter as the registry knows it. */
export interface ConverterPlugin {
  /**
   * Fully qualified class name, e.g. org.apache.kafka.connect.json.JsonConverter; its simple name and that name
   * without "Converter" are accepted too (`JsonConverter`, `Json`).
   */
  className: string;
  version: string;
  /** A new, unconfigured converter (one per key or value side of a task). */
  create(): Converter;
}

/** A conversion failure (Connect's DataException). `path` names the field inside the value, when there is one. */
export class ConversionError extends Error {
  readonly code = 'PIPECTL_CONVERTER_FAILED';
  readonly path: string | undefined;

  constructor(message: string, options?: { cause?: unknown; path?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConversionError';
    this.path = options?.path || undefined;
  }
}
