/** Connect's StringConverter: values as UTF-8 text (any value is rendered with String()); reads back strings. */
import type { Converter, SchemaAndValue } from './converter.js';
import { OPTIONAL_STRING_SCHEMA } from '../plugins/connect-data.js';

export class StringConverter implements Converter {
  private encoding: BufferEncoding = 'utf8';

  configure(config: Readonly<Record<string, string>>): void {
    const enc = (config['converter.encoding'] ?? 'UTF-8').toLowerCase().replace('-', '');
    this.encoding = (enc === 'utf8' ? 'utf8' : enc) as BufferEncoding;
  }

  fromConnectData(_topic: string, _schema: unknown, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    if (Buffer.isBuffer(value)) return value;
    return Buffer.from(typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value), this.encoding);
  }

  toConnectData(_topic: string, bytes: Buffer | null): SchemaAndValue {
    return { schema: OPTIONAL_STRING_SCHEMA, value: bytes === null ? null : bytes.toString(this.encoding) };
  }
}
