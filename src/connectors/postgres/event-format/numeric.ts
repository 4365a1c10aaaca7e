/**
 * numeric/decimal/money text → what Debezium writes for decimal.handling.mode: a Decimal (precise; our JsonConverter
 * takes it as a decimal string at the schema's scale), a VariableScaleDecimal struct {scale, value} for an unconstrained
 * numeric, a float64 (double) or the plain text (string).
 */
import { EventFormatError } from './event-format-error.js';

/** numeric's atttypmod → precision and scale; undefined when unconstrained (typmod -1). */
export function numericPrecisionScale(typeMod: number): { precision: number; scale: number } | undefined {
  if (typeMod < 4) return undefined;
  const packed = typeMod - 4;
  return { precision: (packed >> 16) & 0xffff, scale: packed & 0xffff };
}

/** A decimal text's unscaled value and scale, trailing fraction zeros removed (Debezium strips them for a variable scale). */
function unscaledOf(text: string): { unscaled: bigint; scale: number } {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new EventFormatError(`cannot read ${JSON.stringify(text)} as a Postgres numeric`);
  const fractionDigits = (m[3] ?? '').replace(/0+$/, '');
  const unscaled = BigInt(`${m[1]}${m[2] || '0'}${fractionDigits}`);
  return { unscaled, scale: fractionDigits.length };
}

/** Two's-complement big-endian bytes of an integer, as Java's BigInteger.toByteArray (the shortest form). */
export function twosComplement(value: bigint): Buffer {
  let width = 1;
  while (value < -(1n << BigInt(width * 8 - 1)) || value >= 1n << BigInt(width * 8 - 1)) width++;
  const modulus = 1n << BigInt(width * 8);
  return Buffer.from(((value + modulus) % modulus).toString(16).padStart(width * 2, '0'), 'hex');
}

/** Unconstrained numeric → io.debezium.data.VariableScaleDecimal's struct value; null for NaN (no decimal stands for it). */
export function variableScaleDecimal(text: string): { scale: number; value: Buffer } | null {
  if (text === 'NaN' || text === 'Infinity' || text === '-Infinity') return null;
  const { unscaled, scale } = unscaledOf(text);
  return { scale, value: twosComplement(unscaled) };
}

/** money's text (`$1,234.56`, `-$0.50`) → a plain decimal string. */
export function moneyToDecimal(text: string): string {
  const negative = text.includes('-') || text.startsWith('(');
  const digits = text.replace(/[^0-9.]/g, '');
  if (digits === '') throw new EventFormatError(`cannot read ${JSON.stringify(text)} as Postgres money`);
  return negative ? `-${digits}` : digits;
}
