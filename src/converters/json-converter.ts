/**
 * Connect's JsonConverter. With `schemas.enable=true` (the default) values are written in the envelope
 * `{"schema": …, "payload": …}` and must be read back in it; with false, plain JSON. Bytes travel as base64 strings.
 */
import type { Schema } from '../plugins/connect-data.js';
import type { Converter, SchemaAndValue } from './converter.js';
import { ConversionError } from './converter.js';

export class JsonConverter implements Converter {
  private schemasEnabled = true;

  configure(config: Readonly<Record<string, string>>): void {
    this.schemasEnabled = (config['schemas.enable'] ?? 'true').trim().toLowerCase() !== 'false';
  }

  fromConnectData(_topic: string, schema: Schema | null | undefined, value: unknown): Buffer | null {
    if (value === null || value === undefined) {
      if (!this.schemasEnabled || !schema) return null;
    }
    const payload = toJsonValue(value);
    const text = this.schemasEnabled ? JSON.stringify({ schema: schema ?? null, payload }) : JSON.stringify(payload);
    return Buffer.from(text, 'utf8');
  }

  toConnectData(topic: string, bytes: Buffer | null): SchemaAndValue {
    if (bytes === null || bytes.length === 0) return { schema: null, value: null };
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      throw new ConversionError(`Converting byte[] to Kafka Connect data failed due to serialization error of topic ${topic}: ${(e as Error).message}`, { cause: e });
    }
    if (!this.schemasEnabled) return { schema: null, value: parsed };
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !('schema' in parsed) || !('payload' in parsed) || Object.keys(parsed).length !== 2) {
      throw new ConversionError(
        'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.',
      );
    }
    const envelope = parsed as { schema: Schema | null; payload: unknown };
    return { schema: envelope.schema, value: fromJsonValue(envelope.schema, envelope.payload) };
  }
}

function toJsonValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value === undefined) return null;
  return value;
}

function fromJsonValue(schema: Schema | null, payload: unknown): unknown {
  if (schema?.type === 'bytes' && typeof payload === 'string') return Buffer.from(payload, 'base64');
  return payload;
}
