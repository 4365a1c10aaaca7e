/**
 * Kafka's classic protocol types (STRING = int16 length + UTF-8, ARRAY = int32 count, nullable BYTES = int32 length,
 * big-endian ints) as a small writer and reader for Connect's group protocol, with the codec's typed error.
 */
import { GROUP_ERROR_CODES } from '../../diag/codes.js';
import { CodedError } from '../../diag/coded-error.js';

export { GROUP_ERROR_CODES };

export type GroupErrorCode = keyof typeof GROUP_ERROR_CODES;

/** An error of the group protocol codec; `code` is stable, `message` names the field that failed. */
export class GroupProtocolError extends CodedError<GroupErrorCode> {}

export function bad(message: string, cause?: unknown): GroupProtocolError {
  return new GroupProtocolError('PIPECTL_GROUP_BAD_PROTOCOL', message, cause === undefined ? undefined : { cause });
}

export function unencodable(message: string): GroupProtocolError {
  return new GroupProtocolError('PIPECTL_GROUP_UNENCODABLE', message);
}

/** Appends Kafka classic-type fields; throws `PIPECTL_GROUP_UNENCODABLE` for values the types cannot hold. */
export class Writer {
  private readonly parts: Buffer[] = [];

  int16(v: number, field: string): void {
    this.int(v, 2, field);
  }

  int32(v: number, field: string): void {
    this.int(v, 4, field);
  }

  int64(v: number, field: string): void {
    if (!Number.isSafeInteger(v)) throw unencodable(`field '${field}': ${v} is not a safe integer`);
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(v));
    this.parts.push(b);
  }

  string(s: string, field: string): void {
    const b = Buffer.from(s, 'utf8');
    if (b.length > 0x7fff) throw unencodable(`field '${field}': string of ${b.length} UTF-8 bytes is longer than 32767`);
    this.int16(b.length, field);
    this.parts.push(b);
  }

  nullableBytes(b: Buffer | null): void {
    if (b === null) return this.int32(-1, 'allocation');
    this.int32(b.length, 'allocation');
    this.parts.push(b);
  }

  done(): Buffer {
    return Buffer.concat(this.parts);
  }

  private int(v: number, bytes: 2 | 4, field: string): void {
    const limit = 2 ** (bytes * 8 - 1);
    if (!Number.isInteger(v) || v < -limit || v >= limit) throw unencodable(`field '${field}': ${v} is not an int${bytes * 8}`);
    const b = Buffer.alloc(bytes);
    b.writeIntBE(v, 0, bytes);
    this.parts.push(b);
  }
}

/** Reads Kafka classic-type fields; every failure is a `PIPECTL_GROUP_BAD_PROTOCOL` naming the message and field. */
export class Reader {
  private readonly buf: Buffer;
  private pos = 0;

  constructor(bytes: Uint8Array, private readonly what: string) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  remaining(): number {
    return this.buf.length - this.pos;
  }

  /** The int16 header; negative versions are rejected (Java's checkVersionCompatibility). */
  version(): number {
    const v = this.int16('version');
    if (v < 0) throw this.fail('version', `unsupported version ${v}`);
    return v;
  }

  /** A field without a default in a tolerant schema: an exhausted buffer is "missing", not "truncated". */
  required<T>(field: string, read: () => T): T {
    if (this.remaining() === 0) throw this.fail(field, 'missing value for a field that has no default');
    return read();
  }

  int16(field: string): number {
    this.need(2, field);
    return this.buf.readInt16BE((this.pos += 2) - 2);
  }

  int32(field: string): number {
    this.need(4, field);
    return this.buf.readInt32BE((this.pos += 4) - 4);
  }

  int64(field: string): number {
    this.need(8, field);
    const v = this.buf.readBigInt64BE((this.pos += 8) - 8);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw this.fail(field, `${v} is beyond a safe integer`);
    return Number(v);
  }

  string(field: string): string {
    const length = this.int16(field);
    if (length < 0) throw this.fail(field, `string length ${length} cannot be negative`);
    this.need(length, field);
    return this.buf.toString('utf8', this.pos, (this.pos += length));
  }

  nullableBytes(field: string): Buffer | null {
    const size = this.int32(field);
    if (size < 0) return null;
    this.need(size, field);
    return this.buf.subarray(this.pos, (this.pos += size));
  }

  /** An array count; -1 (any negative) is null → 0 when `nullable`, an error otherwise. Like Java, a count larger than
   * the remaining bytes is rejected before reading elements. */
  count(field: string, nullable: boolean): number {
    const n = this.int32(field);
    if (n < 0) {
      if (nullable) return 0;
      throw this.fail(field, `array size ${n} cannot be negative`);
    }
    if (n > this.remaining()) throw this.fail(field, `array of size ${n}, only ${this.remaining()} bytes available`);
    return n;
  }

  private need(n: number, field: string): void {
    if (this.remaining() < n) throw this.fail(field, `needs ${n} bytes, only ${this.remaining()} available`);
  }

  private fail(field: string, detail: string): GroupProtocolError {
    return bad(`${this.what}: field '${field}': ${detail}`);
  }
}

