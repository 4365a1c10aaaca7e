/** Log sequence numbers: 64-bit WAL positions, written `X/Y` (upper and lower 32 bits in hex) by Postgres. */

/** Parses `16/B374D848` to a bigint; null when malformed. */
export function parseLsn(text: string): bigint | null {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!m) return null;
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** `X/Y` as Postgres writes it (upper-case hex, not zero-padded). */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** An offset value (number, bigint or decimal string, as stores round-trip them) as an LSN; null when absent or invalid. */
export function lsnFromOffset(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value >= 0n ? value : null;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : null;
  if (typeof value === 'string' && /^[0-9]+$/.test(value)) return BigInt(value);
  return null;
}

/** An LSN as an offset value: a JSON number (exact up to 2^53 bytes of WAL, i.e. 8 PiB). */
export function lsnToOffset(lsn: bigint): number {
  return Number(lsn);
}
