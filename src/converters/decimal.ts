/**
 * Connect's Decimal logical type (`org.apache.kafka.connect.data.Decimal`, parameter `scale`) without a BigDecimal:
 * a value is an unscaled bigint and a scale. In JS a decimal is a string in plain notation ("-12.30"), so no digit is
 * lost to floating point. On the wire it is either the unscaled value's two's-complement big-endian bytes (Java's
 * BigInteger.toByteArray, base64 in JSON) or a JSON number written as Java's BigDecimal.toString.
 */

/** A decimal as Java's BigDecimal holds it: value = unscaled × 10^-scale. */
export interface DecimalParts {
  unscaled: bigint;
  scale: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/;
const MAX_SCALE_SHIFT = 10_000;

/** Parses "12.30", "-0.5", "1.5E+3", "7" into parts; null when the text is not a decimal number. */
export function parseDecimal(text: string): DecimalParts | null {
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return null;
  const whole = m[2] ?? '';
  const fraction = m[3] ?? '';
  if (whole === '' && fraction === '') return null;
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  const scale = fraction.length - exponent;
  if (Math.abs(scale) > MAX_SCALE_SHIFT) return null;
  return { unscaled: BigInt(`${m[1] === '-' ? '-' : ''}${whole}${fraction}` || '0'), scale };
}

/** Parts of a JS value given as a decimal: a string (see parseDecimal), a finite number, or a bigint. */
export function decimalPartsOf(value: unknown): DecimalParts | null {
  if (typeof value === 'string') return parseDecimal(value.trim());
  if (typeof value === 'number') return Number.isFinite(value) ? parseDecimal(String(value)) : null;
  if (typeof value === 'bigint') return { unscaled: value, scale: 0 };
  return null;
}

/** The unscaled value at `scale`; null when that would drop non-zero digits. */
export function rescale(parts: DecimalParts, scale: number): bigint | null {
  if (parts.scale === scale) return parts.unscaled;
  if (parts.scale < scale) {
    if (scale - parts.scale > MAX_SCALE_SHIFT) return null;
    return parts.unscaled * 10n ** BigInt(scale - parts.scale);
  }
  const divisor = 10n ** BigInt(parts.scale - scale);
  return parts.unscaled % divisor === 0n ? parts.unscaled / divisor : null;
}

/**
 * Plain notation with exactly `scale` fraction digits: (1230n, 2) → "12.30"; (5n, -2) → "500". A number must be a
 * safe integer (its digits are then exact).
 */
export function formatPlain(unscaled: bigint | number, scale: number): string {
  const negative = unscaled < 0;
  let digits = typeof unscaled === 'number' ? String(negative ? -unscaled : unscaled) : (negative ? -unscaled : unscaled).toString();
  if (scale <= 0) {
    if (digits !== '0') digits += '0'.repeat(-scale);
  } else {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

/** Java's BigDecimal.toString: plain unless the scale is negative or the adjusted exponent is below -6 ("1E-7"). */
export function formatJavaBigDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const coefficient = (negative ? -unscaled : unscaled).toString();
  const adjusted = coefficient.length - 1 - scale;
  if (scale >= 0 && adjusted >= -6) return formatPlain(unscaled, scale);
  const mantissa = coefficient.length > 1 ? `${coefficient[0]}.${coefficient.slice(1)}` : coefficient;
  return `${negative ? '-' : ''}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/** Java's BigInteger.toByteArray: minimal two's-complement big-endian bytes (0 → [0x00]). */
export function unscaledToBytes(n: bigint): Buffer {
  const magnitude = n < 0n ? -n - 1n : n;
  const bits = magnitude === 0n ? 0 : magnitude.toString(2).length;
  const length = Math.floor(bits / 8) + 1;
  const twos = n < 0n ? (1n << BigInt(length * 8)) + n : n;
  return Buffer.from(twos.toString(16).padStart(length * 2, '0'), 'hex');
}

/** Each base64 character's value (both alphabets, as Node's decoder reads them); -1 for any other character. */
const BASE64_DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) BASE64_DIGIT['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
BASE64_DIGIT['-'.charCodeAt(0)] = 62;
BASE64_DIGIT['_'.charCodeAt(0)] = 63;

/**
 * The two's-complement big-endian integer of 1 to 6 bytes that base64 `text` decodes to, as Buffer.from(text,
 * 'base64').readIntBE() gives it, without a Buffer (most Decimals are that small: up to 2^47); undefined when the text
 * is longer, decodes to no byte, or holds a character other than base64's (the caller's general path decides).
 */
export function smallBase64Int(text: string): number | undefined {
  let end = text.length;
  while (end > 0 && text.length - end < 2 && text.charCodeAt(end - 1) === 0x3d) end--; // up to two '=' of padding
  if (end > 8) return undefined;
  const bytes = Math.floor((end * 3) / 4); // Node keeps the whole bytes of the 6-bit digits, drops the bits left over
  if (bytes === 0) return undefined;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const digit = c < 128 ? BASE64_DIGIT[c]! : -1;
    if (digit < 0) return undefined;
    bits = bits * 64 + digit; // at most 48 bits: exact in a double
  }
  const n = Math.floor(bits / 2 ** (end * 6 - bytes * 8));
  return n >= 2 ** (bytes * 8 - 1) ? n - 2 ** (bytes * 8) : n;
}

/** formatPlain of the unscaled value in `bytes` (as bytesToUnscaled reads them); up to 6 bytes without a bigint. */
export function bytesToPlain(bytes: Buffer, scale: number): string {
  if (bytes.length === 0 || bytes.length > 6) return formatPlain(bytesToUnscaled(bytes), scale);
  return formatPlain(bytes.readIntBE(0, bytes.length), scale);
}

/** The inverse of unscaledToBytes (Java's `new BigInteger(bytes)`); throws a RangeError on empty input. */
export function bytesToUnscaled(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw new RangeError('Zero length BigInteger');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = BigInt(`0x${buf.toString('hex')}`);
  return (buf[0]! & 0x80) === 0 ? n : n - (1n << BigInt(buf.length * 8));
}
