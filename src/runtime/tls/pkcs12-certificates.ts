/**
 * The trusted certificates of a PKCS12 truststore, as PEM. Node's `pfx` option wants a private key in the file, and a
 * Java truststore (`keytool -importcert -storetype PKCS12`) has none, so the certificate bags are read here: DER, the
 * PKCS#7 data and encryptedData containers, and PBES2 (PBKDF2 + AES-CBC), which keytool (JDK 12+) and OpenSSL 3 use.
 * The MAC is not checked: a wrong password shows as a decryption failure. Pure: bytes in, PEM out. Shared by the
 * REST API's https listener (rest/tls-context.ts) and the Kafka clients (kafka/tls-stores.ts), which each word a
 * failure with their own error code and key names.
 */
import { createDecipheriv, pbkdf2Sync, X509Certificate } from 'node:crypto';

/** Why the file could not be read (the caller names the key and its code); `wrongPassword` when decryption failed. */
export class Pkcs12Error extends Error {
  readonly code = 'PIPECTL_TLS_TRUST_STORE_UNREADABLE';

  constructor(
    message: string,
    readonly wrongPassword = false,
  ) {
    super(message);
    this.name = 'Pkcs12Error';
  }
}

interface Der {
  tag: number;
  /** The content octets. */
  body: Buffer;
  /** Offset just after this element. */
  end: number;
}

function readDer(buf: Buffer, at: number): Der {
  if (at + 2 > buf.length) throw new Pkcs12Error('truncated DER');
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) throw new Pkcs12Error('unsupported DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  if (start + len > buf.length) throw new Pkcs12Error('truncated DER');
  return { tag, body: buf.subarray(start, start + len), end: start + len };
}

/** The elements of a constructed value (SEQUENCE, SET, [n]). */
function children(body: Buffer): Der[] {
  const out: Der[] = [];
  for (let at = 0; at < body.length; ) {
    const d = readDer(body, at);
    out.push(d);
    at = d.end;
  }
  return out;
}

function oid(d: Der | undefined): string {
  if (!d || d.tag !== 0x06) throw new Pkcs12Error('expected an OBJECT IDENTIFIER');
  const b = d.body;
  const parts = [Math.floor(b[0]! / 40), b[0]! % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

const ID_DATA = '1.2.840.113549.1.7.1';
const ID_ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const X509_CERT = '1.2.840.113549.1.9.22.1';
const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const PRF: Record<string, string> = { '1.2.840.113549.2.7': 'sha1', '1.2.840.113549.2.9': 'sha256', '1.2.840.113549.2.10': 'sha384', '1.2.840.113549.2.11': 'sha512' };
const CIPHER: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
};

/** An OCTET STRING's bytes, also when BER split it into constructed chunks (tag 0x24). */
function octets(d: Der): Buffer {
  if (d.tag === 0x04 || d.tag === 0x80) return d.body;
  if (d.tag === 0x24 || d.tag === 0xa0) return Buffer.concat(children(d.body).map(octets));
  throw new Pkcs12Error('expected an OCTET STRING');
}

function integer(d: Der | undefined): number {
  if (!d || d.tag !== 0x02) throw new Pkcs12Error('expected an INTEGER');
  return d.body.reduce((v, byte) => v * 256 + byte, 0);
}

function decryptPbes2(algorithm: Der, data: Buffer, password: string): Buffer {
  const [algOid, params] = children(algorithm.body);
  const name = oid(algOid);
  if (name !== PBES2) throw new Pkcs12Error(`encryption ${name} is not supported (only PBES2 with AES); re-create the truststore with keytool from JDK 12 or later, or export it to PEM`);
  const [kdf, scheme] = children(params!.body);
  const [kdfOid, kdfParams] = children(kdf!.body);
  if (oid(kdfOid) !== PBKDF2) throw new Pkcs12Error('key derivation other than PBKDF2 is not supported');
  const kp = children(kdfParams!.body);
  const salt = octets(kp[0]!);
  const iterations = integer(kp[1]);
  const prfElement = kp.slice(2).find((d) => d.tag === 0x30);
  const prf = prfElement ? PRF[oid(children(prfElement.body)[0])] : 'sha1';
  const [cipherOid, iv] = children(scheme!.body);
  const cipher = CIPHER[oid(cipherOid)];
  if (!prf || !cipher || !iv) throw new Pkcs12Error('cipher or PRF not supported (AES-CBC with HMAC-SHA1/256/384/512 are)');
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, cipher.keyLength, prf);
  try {
    const d = createDecipheriv(cipher.name, key, octets(iv));
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    throw new Pkcs12Error('cannot decrypt the certificates: wrong password', true);
  }
}

/** The X.509 certificates of SafeContents bytes. */
function certificatesOf(safeContents: Buffer): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const bag of children(readDer(safeContents, 0).body)) {
    const [bagId, value] = children(bag.body);
    if (oid(bagId) !== CERT_BAG || !value) continue;
    const [certId, certValue] = children(children(value.body)[0]!.body);
    if (oid(certId) !== X509_CERT || !certValue) continue;
    out.push(new X509Certificate(octets(children(certValue.body)[0]!)));
  }
  return out;
}

/**
 * Every certificate of a PKCS12 file (private keys are skipped), as PEM. `password` may be undefined for a file whose
 * certificates are not encrypted. Throws Pkcs12Error.
 */
export function pkcs12Certificates(file: Buffer, password: string | undefined): string[] {
  try {
    const pfx = children(readDer(file, 0).body);
    const [contentType, content] = children(pfx[1]!.body);
    if (oid(contentType) !== ID_DATA || !content) throw new Pkcs12Error('not a password-integrity PKCS12 file');
    const authSafe = octets(children(content.body)[0]!);
    const certs: X509Certificate[] = [];
    for (const info of children(readDer(authSafe, 0).body)) {
      const [type, wrapped] = children(info.body);
      const kind = oid(type);
      if (kind === ID_DATA) certs.push(...certificatesOf(octets(children(wrapped!.body)[0]!)));
      else if (kind === ID_ENCRYPTED_DATA) {
        if (password === undefined) throw new Pkcs12Error('the certificates are encrypted and no password is set', true);
        const encryptedContentInfo = children(children(wrapped!.body)[0]!.body)[1]!;
        const [, algorithm, encrypted] = children(encryptedContentInfo.body);
        const plain = decryptPbes2(algorithm!, octets(encrypted!), password);
        try {
          certs.push(...certificatesOf(plain));
        } catch {
          throw new Pkcs12Error('cannot decrypt the certificates: wrong password', true); // a wrong key that happened to unpad
        }
      }
    }
    return certs.map((c) => c.toString());
  } catch (e) {
    if (e instanceof Pkcs12Error) throw e;
    throw new Pkcs12Error(`not a PKCS12 file (${(e as Error).message})`);
  }
}
