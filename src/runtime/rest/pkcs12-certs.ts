/**
 * The certificates of a PKCS12 trust store. Node's TLS reads PKCS12 only as a key store (`pfx` needs a private key),
 * and a trust store holds certificates alone; so the certificate bags are read here: DER, unencrypted or encrypted
 * with PBES2 (PBKDF2 + AES-CBC: what OpenSSL 3 and keytool since JDK 12 write). Legacy RC2/3DES stores are refused
 * by the caller with the openssl command that exports them to PEM. Pure apart from node:crypto.
 */
import { createDecipheriv, pbkdf2Sync } from 'node:crypto';

/** A PKCS12 file this reader cannot read; `message` says why (never the password). */
export class Pkcs12ReadError extends Error {
  readonly code = 'PIPECTL_WORKER_TLS_STORE';

  constructor(message: string) {
    super(message);
    this.name = 'Pkcs12ReadError';
  }
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
};
const PRF: Record<string, string> = { '1.2.840.113549.2.7': 'sha1', '1.2.840.113549.2.9': 'sha256', '1.2.840.113549.2.10': 'sha384', '1.2.840.113549.2.11': 'sha512' };
const AES: Record<string, string> = { '2.16.840.1.101.3.4.1.2': 'aes-128-cbc', '2.16.840.1.101.3.4.1.22': 'aes-192-cbc', '2.16.840.1.101.3.4.1.42': 'aes-256-cbc' };

interface Tlv {
  tag: number;
  /** The content bytes. */
  value: Buffer;
  /** Offset just past this element in its parent. */
  end: number;
}

/** The PEM certificates of every certificate bag in `pfx`. Throws Pkcs12ReadError. */
export function pkcs12Certificates(pfx: Buffer, password: string | undefined): string[] {
  const [, authSafe] = children(expect(read(pfx, 0), 0x30, 'PFX'));
  const certs: Buffer[] = [];
  for (const info of children(expect(contentOf(authSafe!, OID.data), 0x30, 'AuthenticatedSafe'))) {
    const [type, content] = children(expect(info, 0x30, 'ContentInfo'));
    const oid = decodeOid(expect(type!, 0x06, 'content type').value);
    if (oid === OID.data) certs.push(...certBags(contentOf(info, OID.data)));
    else if (oid === OID.encryptedData) certs.push(...certBags(read(decrypt(children(expect(content!, 0xa0, 'content'))[0]!, password), 0)));
  }
  return certs.map((der) => `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`);
}

/** The OCTET STRING content of a ContentInfo of type data, parsed as one element. */
function contentOf(info: Tlv, wanted: string): Tlv {
  const [type, content] = children(info);
  if (decodeOid(expect(type!, 0x06, 'content type').value) !== wanted) throw new Pkcs12ReadError('unexpected content type');
  return read(octets(children(expect(content!, 0xa0, 'content'))[0]!), 0);
}

function certBags(safeContents: Tlv): Buffer[] {
  const out: Buffer[] = [];
  for (const bag of children(expect(safeContents, 0x30, 'SafeContents'))) {
    const [id, value] = children(bag);
    if (decodeOid(expect(id!, 0x06, 'bag id').value) !== OID.certBag) continue;
    const [certId, certValue] = children(children(expect(value!, 0xa0, 'bag value'))[0]!);
    if (decodeOid(certId!.value) !== OID.x509) continue;
    out.push(octets(children(expect(certValue!, 0xa0, 'certificate'))[0]!));
  }
  return out;
}

/** EncryptedData → the decrypted SafeContents bytes (PBES2 only). */
function decrypt(encryptedData: Tlv, password: string | undefined): Buffer {
  const [, eci] = children(expect(encryptedData, 0x30, 'EncryptedData'));
  const [, alg, encrypted] = children(expect(eci!, 0x30, 'EncryptedContentInfo'));
  const [algOid, params] = children(alg!);
  const name = decodeOid(algOid!.value);
  if (name !== OID.pbes2) throw new Pkcs12ReadError(`its certificates are encrypted with a legacy algorithm (${name}) this reader does not support`);
  if (password === undefined) throw new Pkcs12ReadError('its certificates are encrypted and no trust store password is set');
  const [kdf, scheme] = children(params!);
  const [kdfOid, kdfParams] = children(kdf!);
  if (decodeOid(kdfOid!.value) !== OID.pbkdf2) throw new Pkcs12ReadError('its key derivation is not PBKDF2');
  const kp = children(kdfParams!);
  const salt = kp[0]!.value;
  const iterations = kp[1]!.value.readUIntBE(0, Math.min(kp[1]!.value.length, 6));
  const prfAlg = kp.find((t) => t.tag === 0x30);
  const digest = prfAlg ? PRF[decodeOid(children(prfAlg)[0]!.value)] : 'sha1';
  const [cipherOid, iv] = children(scheme!);
  const cipher = AES[decodeOid(cipherOid!.value)];
  if (!cipher || !digest) throw new Pkcs12ReadError('its certificates are encrypted with a cipher or PRF this reader does not support');
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, Number(/\d+/.exec(cipher)![0]) / 8, digest);
  const data = encrypted!.tag === 0x80 ? encrypted!.value : Buffer.concat(children(encrypted!).map((c) => c.value));
  try {
    const d = createDecipheriv(cipher, key, iv!.value);
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    throw new Pkcs12ReadError('its certificates cannot be decrypted: a wrong trust store password');
  }
}

/** An OCTET STRING's bytes, primitive or constructed (BER chunks). */
function octets(t: Tlv): Buffer {
  if (t.tag === 0x04) return t.value;
  if (t.tag === 0x24) return Buffer.concat(children(t).map(octets));
  throw new Pkcs12ReadError(`expected an OCTET STRING, found tag ${t.tag}`);
}

function read(buf: Buffer, at: number): Tlv {
  if (at + 2 > buf.length) throw new Pkcs12ReadError('truncated DER');
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len === 0x80) throw new Pkcs12ReadError('indefinite-length BER is not supported');
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4 || start + n > buf.length) throw new Pkcs12ReadError('bad DER length');
    len = buf.readUIntBE(start, n);
    start += n;
  }
  if (start + len > buf.length) throw new Pkcs12ReadError('truncated DER');
  return { tag, value: buf.subarray(start, start + len), end: start + len };
}

function children(t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < t.value.length; ) {
    const c = read(t.value, at);
    out.push(c);
    at = c.end;
  }
  return out;
}

function expect(t: Tlv, tag: number, what: string): Tlv {
  if (t.tag !== tag) throw new Pkcs12ReadError(`not a PKCS12 file (${what})`);
  return t;
}

function decodeOid(bytes: Buffer): string {
  const parts: number[] = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let v = 0;
  for (const b of bytes.subarray(1)) {
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}
