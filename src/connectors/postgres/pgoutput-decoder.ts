/**
 * Decodes pgoutput messages (protocol version 1) into plain data, keeping every column value as the text Postgres
 * wrote: `string` for a value, `null` for SQL NULL, `undefined` for an unchanged TOAST value that was not sent.
 * Pure: no I/O, no type parsing (values go to the event format as text forms).
 */
import { PgSourceError } from './pg-source-error.js';

/** One column value as pgoutput sent it: text, SQL NULL, or undefined (unchanged TOAST, not sent). */
export type TextValue = string | null | undefined;

export interface RelationColumn {
  name: string;
  /** Part of the replica identity key (pgoutput's flag 1). */
  isKey: boolean;
  typeOid: number;
  typeMod: number;
}

export type PgoutputMessage =
  | { tag: 'begin'; finalLsn: bigint; commitTimeUs: bigint; xid: number }
  | { tag: 'commit'; commitLsn: bigint; endLsn: bigint; commitTimeUs: bigint }
  | { tag: 'relation'; oid: number; schema: string; name: string; replicaIdentity: 'd' | 'n' | 'f' | 'i'; columns: RelationColumn[] }
  | { tag: 'insert'; oid: number; newRow: TextValue[] }
  | { tag: 'update'; oid: number; oldKey: TextValue[] | null; oldRow: TextValue[] | null; newRow: TextValue[] }
  | { tag: 'delete'; oid: number; oldKey: TextValue[] | null; oldRow: TextValue[] | null }
  | { tag: 'truncate'; oids: number[] }
  | { tag: 'other'; type: string };

/** Microseconds between the Unix epoch and Postgres's (2000-01-01). */
export const PG_EPOCH_US = 946_684_800_000_000n;

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  byte(): number {
    return this.buf.readUInt8(this.pos++);
  }
  int16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  uint32(): number {
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  int64(): bigint {
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  cstring(): string {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw new PgSourceError('PIPECTL_PG_PROTOCOL', 'pgoutput: unterminated string');
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return s;
  }
  text(length: number): string {
    const s = this.buf.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    return s;
  }
}

function tuple(r: Reader): TextValue[] {
  const n = r.int16();
  const values: TextValue[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const kind = r.byte();
    if (kind === 0x6e /* n */) values[i] = null;
    else if (kind === 0x75 /* u */) values[i] = undefined;
    else if (kind === 0x74 /* t */) values[i] = r.text(r.int32());
    else throw new PgSourceError('PIPECTL_PG_PROTOCOL', `pgoutput: column kind ${String.fromCharCode(kind)} is not text (binary mode is never requested)`);
  }
  return values;
}

/** Commit times from pgoutput (µs since 2000-01-01) as µs since the Unix epoch. */
function unixUs(pgUs: bigint): bigint {
  return pgUs + PG_EPOCH_US;
}

/** Decodes one pgoutput message (the payload of an XLogData frame). Throws PIPECTL_PG_PROTOCOL on a malformed one. */
export function decodePgoutput(payload: Buffer): PgoutputMessage {
  const r = new Reader(payload);
  const tag = String.fromCharCode(r.byte());
  switch (tag) {
    case 'B':
      return { tag: 'begin', finalLsn: r.int64(), commitTimeUs: unixUs(r.int64()), xid: r.uint32() };
    case 'C':
      r.byte(); // flags, always 0
      return { tag: 'commit', commitLsn: r.int64(), endLsn: r.int64(), commitTimeUs: unixUs(r.int64()) };
    case 'R': {
      const oid = r.uint32();
      const schema = r.cstring();
      const name = r.cstring();
      const replicaIdentity = String.fromCharCode(r.byte()) as 'd' | 'n' | 'f' | 'i';
      const n = r.int16();
      const columns: RelationColumn[] = [];
      for (let i = 0; i < n; i++) columns.push({ isKey: (r.byte() & 1) === 1, name: r.cstring(), typeOid: r.uint32(), typeMod: r.int32() });
      return { tag: 'relation', oid, schema, name, replicaIdentity, columns };
    }
    case 'I': {
      const oid = r.uint32();
      r.byte(); // 'N'
      return { tag: 'insert', oid, newRow: tuple(r) };
    }
    case 'U': {
      const oid = r.uint32();
      let kind = String.fromCharCode(r.byte());
      let oldKey: TextValue[] | null = null;
      let oldRow: TextValue[] | null = null;
      if (kind === 'K') oldKey = tuple(r);
      else if (kind === 'O') oldRow = tuple(r);
      if (kind !== 'N') kind = String.fromCharCode(r.byte());
      return { tag: 'update', oid, oldKey, oldRow, newRow: tuple(r) };
    }
    case 'D': {
      const oid = r.uint32();
      const kind = String.fromCharCode(r.byte());
      const old = tuple(r);
      return { tag: 'delete', oid, oldKey: kind === 'K' ? old : null, oldRow: kind === 'O' ? old : null };
    }
    case 'T': {
      const n = r.int32();
      r.byte(); // options
      const oids: number[] = [];
      for (let i = 0; i < n; i++) oids.push(r.uint32());
      return { tag: 'truncate', oids };
    }
    default:
      return { tag: 'other', type: tag }; // Origin, Type, Message: not captured
  }
}
