/**
 * The Java charsets StringConverter's `converter.encoding` may name, with Java's behaviour where Node's own
 * encodings differ: UTF-16 writes a big-endian byte-order mark and reads either order (big-endian without a mark);
 * US-ASCII and ISO-8859-1 write `?` for characters they cannot hold (Node would keep the low byte) and US-ASCII
 * reads bytes above 0x7F as U+FFFD. Names are matched case-insensitively, with Java's common aliases.
 */

/** A Java charset: encode never throws (unmappable characters become `?` or U+FFFD), decode never throws. */
export interface Charset {
  /** Java's canonical name, e.g. UTF-16BE. */
  name: string;
  encode(text: string): Buffer;
  decode(bytes: Buffer): string;
}

const utf8: Charset = {
  name: 'UTF-8',
  encode: (text) => Buffer.from(text, 'utf8'),
  decode: (bytes) => bytes.toString('utf8'),
};

function swapped(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return copy.swap16();
}

const utf16le: Charset = {
  name: 'UTF-16LE',
  encode: (text) => Buffer.from(text, 'utf16le'),
  decode: (bytes) => bytes.toString('utf16le') + (bytes.length % 2 === 1 ? '\uFFFD' : ''),
};

const utf16be: Charset = {
  name: 'UTF-16BE',
  encode: (text) => Buffer.from(text, 'utf16le').swap16(),
  decode: (bytes) => swapped(bytes).toString('utf16le') + (bytes.length % 2 === 1 ? '\uFFFD' : ''),
};

const utf16: Charset = {
  name: 'UTF-16',
  encode: (text) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be.encode(text)]),
  decode: (bytes) => {
    if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return utf16be.decode(bytes.subarray(2));
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return utf16le.decode(bytes.subarray(2));
    return utf16be.decode(bytes);
  },
};

/** A single-byte charset holding code points below `limit`; others become `?`, bytes ≥ limit read as U+FFFD. */
function singleByte(name: string, limit: number): Charset {
  return {
    name,
    encode: (text) => {
      const out = Buffer.allocUnsafe(text.length);
      let n = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
          const next = text.charCodeAt(i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) i++; // a surrogate pair is one unmappable character
        }
        out[n++] = c < limit ? c : 0x3f;
      }
      return out.subarray(0, n);
    },
    decode: (bytes) => {
      const text = bytes.toString('latin1');
      return limit > 0xff ? text : text.replace(/[\x80-\xff]/g, '\uFFFD');
    },
  };
}

const latin1 = singleByte('ISO-8859-1', 0x100);
const ascii = singleByte('US-ASCII', 0x80);

const CHARSETS: Record<string, Charset> = {};
for (const [charset, names] of [
  [utf8, ['utf-8', 'utf8', 'unicode-1-1-utf-8']],
  [utf16, ['utf-16', 'utf_16', 'utf16', 'unicode']],
  [utf16be, ['utf-16be', 'utf_16be', 'x-utf-16be', 'iso-10646-ucs-2', 'unicodebigunmarked']],
  [utf16le, ['utf-16le', 'utf_16le', 'x-utf-16le', 'unicodelittleunmarked']],
  [latin1, ['iso-8859-1', 'iso8859_1', 'iso_8859_1', 'iso_8859-1', 'iso8859-1', '8859_1', 'latin1', 'l1', 'ibm819', 'ibm-819', 'cp819', 'csisolatin1', '819', 'iso-ir-100', 'iso_8859-1:1987']],
  [ascii, ['us-ascii', 'ascii', 'us', 'iso646-us', 'ascii7', '646', 'cp367', 'csascii', 'default', 'ibm367', 'iso_646.irv:1991', 'iso_646.irv:1983', 'iso-ir-6', 'ansi_x3.4-1968', 'ansi_x3.4-1986']],
] as const) {
  for (const name of names) CHARSETS[name] = charset;
}

/** The supported charsets' canonical names, for messages. */
export const SUPPORTED_CHARSETS = ['UTF-8', 'UTF-16', 'UTF-16BE', 'UTF-16LE', 'ISO-8859-1', 'US-ASCII'] as const;

/** The charset a Java name denotes, or undefined when it is not supported here. */
export function charsetFor(javaName: string): Charset | undefined {
  return Object.hasOwn(CHARSETS, javaName.trim().toLowerCase()) ? CHARSETS[javaName.trim().toLowerCase()] : undefined;
}
