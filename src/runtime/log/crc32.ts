/**
 * CRC-32 (IEEE 802.3, the zlib/PNG polynomial). Uses `zlib.crc32` where Node provides it (20.15+, 22.2+) and a
 * table-driven fallback on older Node 20 releases, so both give identical values.
 */
import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

function buildTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** The table-driven implementation; exported so a test can check it agrees with zlib's. */
export function crc32Fallback(data: Uint8Array): number {
  const t = (table ??= buildTable());
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = t[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC-32 of `data` as an unsigned 32-bit integer. */
export const crc32: (data: Uint8Array) => number = native ? (data) => native(data) >>> 0 : crc32Fallback;
