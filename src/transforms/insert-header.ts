/**
 * InsertHeader: adds a header named `header` to every record, its value `value.literal` read as Connect's
 * `Values.parseString` reads a literal: `null` is a null value, `true`/`false` a boolean, an integer the smallest of
 * int8, int16, int32, int64 that holds it (Decimal beyond), a number with a fraction float32 (float64 beyond its
 * range), anything else the text itself (string). The record's other headers stay, before it.
 *
 * Unlike Connect, list (`[1, 2]`), map (`{a: 1}`), quoted, date, time and timestamp literals are not parsed into typed
 * values; they are kept as the text (written as the same bytes, up to the whitespace Connect normalises).
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord, Header, Schema } from '../plugins/connect-data.js';
import type { Transformation } from '../plugins/transformation.js';
import { parseTransformConfig } from './transform-config.js';

export const INSERT_HEADER_CONFIG: ConfigDef = [
  { name: 'header', type: 'STRING', importance: 'HIGH', documentation: 'The name of the header.' },
  { name: 'value.literal', type: 'STRING', importance: 'HIGH', documentation: 'The literal value that is to be set as the header value on all records.' },
];

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const FLOAT32_MAX = 3.4028234663852886e38;

/** The scalar part of Connect's Values.parseString: a literal's schema and value (schema null for null). */
export function parseLiteral(text: string): { schema: Schema | null; value: unknown } {
  const string = { schema: { type: 'string', optional: false } as Schema, value: text };
  if (text.trim() === '') return string;
  const token = text.trim();
  if (token === 'null') return { schema: null, value: null };
  if (token === 'true' || token === 'false') return { schema: { type: 'boolean', optional: false }, value: token === 'true' };
  if (!/^[0-9+-]/.test(token) || !NUMBER.test(token)) return string;
  // As BigDecimal: unscaled digits and a scale.
  const [mantissa, exp = '0'] = token.replace(/^\+/, '').split(/[eE]/) as [string, string?];
  const negative = mantissa.startsWith('-');
  const [whole, fraction = ''] = mantissa.replace('-', '').split('.') as [string, string?];
  const digits = BigInt(`${whole}${fraction}` || '0');
  const scale = fraction.length - Number(exp);
  const pow = (n: number): bigint => 10n ** BigInt(n);
  const integral = scale <= 0 || digits % pow(scale) === 0n;
  if (integral) {
    const n = (negative ? -1n : 1n) * (scale <= 0 ? digits * pow(-scale) : digits / pow(scale));
    if (n >= LONG_MIN && n <= LONG_MAX) {
      const type = n === BigInt.asIntN(8, n) ? 'int8' : n === BigInt.asIntN(16, n) ? 'int16' : n === BigInt.asIntN(32, n) ? 'int32' : 'int64';
      return { schema: { type, optional: false }, value: Number.isSafeInteger(Number(n)) ? Number(n) : n };
    }
  }
  const d = Number(token);
  if (scale !== 0 && Math.abs(d) <= FLOAT32_MAX) return { schema: { type: 'float32', optional: false }, value: d };
  if (scale !== 0 && Number.isFinite(d)) return { schema: { type: 'float64', optional: false }, value: d };
  if (scale === 0) {
    // Decimal.schema(0): an integer beyond int64, in pipectl's Decimal representation (plain text).
    return { schema: { type: 'bytes', optional: false, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '0' } }, value: `${negative ? '-' : ''}${digits}` };
  }
  return string;
}

/** The InsertHeader transformation (see the file comment). apply() never throws. */
export class InsertHeader implements Transformation {
  private header: Header = { key: '', value: null, schema: null };

  configure(config: Readonly<Record<string, string>>): void {
    const c = parseTransformConfig(INSERT_HEADER_CONFIG, config);
    const literal = parseLiteral(c.string('value.literal')!);
    this.header = { key: c.string('header')!, value: literal.value, schema: literal.schema };
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    return { ...record, headers: [...(record.headers ?? []), { ...this.header }] };
  }
}
