/**
 * Kafka's key and trust stores read into what Node's TLS takes: PEM and PKCS12 files (and PEM inline), with Connect's
 * rules (a PEM key is PKCS#8; a PEM store has no store password). Files are read by tls/store-files.ts, shared with
 * the https listener: a JKS file is refused with KeystoreFormatError saying how to convert it, a PKCS12 file declared
 * JKS opens as on JDK 9+. Throws KafkaConfigError naming the key.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext as tlsContext } from 'node:tls';
import { KafkaConfigError, KafkaError } from './port/kafka-error.js';
import type { TlsSettings } from './port/kafka-port.js';
import { Pkcs12Error, pkcs12Certificates } from '../tls/pkcs12-certificates.js';
import { readStoreFile } from '../tls/store-files.js';

/** A JKS or JCEKS store, which Node cannot read (PIPECTL_KAFKA_JKS_UNSUPPORTED); the message gives the keytool command. */
export class KeystoreFormatError extends KafkaError {
  constructor(message: string) {
    super('PIPECTL_KAFKA_JKS_UNSUPPORTED', message);
  }
}

/** The `ssl.*` keys a store is read from, without a client prefix. */
export interface StoreKeys {
  type: string | undefined;
  location: string | undefined;
  password: string | undefined;
}

type Read = (key: string) => string | undefined;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function pemBlocks(text: string): { label: string; pem: string }[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1]!, pem: `${m[0]}\n` }));
}

/** Reads the store at `location` (tls/store-files.ts), its failures as this module's typed errors. */
function readStore(prefix: 'ssl.truststore' | 'ssl.keystore', type: string | undefined, location: string): { bytes: Buffer; type: 'PEM' | 'PKCS12' } {
  return readStoreFile(location, type, { locationKey: `${prefix}.location`, typeKey: `${prefix}.type` }, (message, javaStore) =>
    javaStore ? new KeystoreFormatError(message) : new KafkaConfigError(message),
  );
}

function checkCertificates(key: string, pems: readonly string[]): string[] {
  if (pems.length === 0) throw new KafkaConfigError(`${key} holds no certificate (-----BEGIN CERTIFICATE-----)`);
  for (const pem of pems) {
    try {
      new X509Certificate(pem);
    } catch (e) {
      throw new KafkaConfigError(`${key} holds a certificate that cannot be parsed: ${(e as Error).message}`);
    }
  }
  return [...pems];
}

/** The trusted CAs (`ca`) and where they came from. None set: Node's default CAs. */
export function readTruststore(read: Read): Pick<TlsSettings, 'ca' | 'trustSource'> {
  const location = read('ssl.truststore.location') || undefined;
  const inline = read('ssl.truststore.certificates') || undefined;
  const type = read('ssl.truststore.type') || undefined;
  const password = read('ssl.truststore.password') || undefined;
  if (inline !== undefined) {
    if ((type ?? '').toUpperCase() !== 'PEM') throw new KafkaConfigError('ssl.truststore.certificates needs ssl.truststore.type=PEM');
    if (location !== undefined) throw new KafkaConfigError('set ssl.truststore.location or ssl.truststore.certificates, not both');
    if (password !== undefined) throw new KafkaConfigError('ssl.truststore.password must not be set for a PEM truststore');
    const certs = pemBlocks(inline).filter((b) => b.label === 'CERTIFICATE').map((b) => b.pem);
    return { ca: checkCertificates('ssl.truststore.certificates', certs), trustSource: 'ssl.truststore.certificates' };
  }
  if (location === undefined) return { trustSource: "the system's default CAs (no ssl.truststore.location)" };
  const store = readStore('ssl.truststore', type, location);
  const bytes = store.bytes;
  const trustSource = `ssl.truststore.location=${location}`;
  if (store.type === 'PEM') {
    if (password !== undefined) throw new KafkaConfigError('ssl.truststore.password must not be set for a PEM truststore');
    const certs = pemBlocks(bytes.toString('utf8')).filter((b) => b.label === 'CERTIFICATE').map((b) => b.pem);
    return { ca: checkCertificates(trustSource, certs), trustSource };
  }
  try {
    return { ca: checkCertificates(trustSource, pkcs12Certificates(bytes, password)), trustSource };
  } catch (e) {
    if (!(e instanceof Pkcs12Error)) throw e;
    const why = e.wrongPassword ? 'ssl.truststore.password does not open it' : e.message;
    throw new KafkaConfigError(`${trustSource} cannot be read: ${why}`);
  }
}

/** Connect accepts only PKCS#8 keys in PEM; Java's KeyStore would refuse the others, so they are refused here too. */
function pemKey(key: string, text: string, keyPassword: string | undefined): string {
  const blocks = pemBlocks(text).filter((b) => b.label.endsWith('PRIVATE KEY'));
  if (blocks.length !== 1) throw new KafkaConfigError(`${key} must hold exactly one private key, found ${blocks.length}`);
  const { label, pem } = blocks[0]!;
  if (label !== 'PRIVATE KEY' && label !== 'ENCRYPTED PRIVATE KEY') {
    throw new KafkaConfigError(`${key} holds a "${label}", but Kafka's PEM keys must be PKCS#8; convert it with \`openssl pkcs8 -topk8 -in <key> -out <key.p8>\` (add -nocrypt for no password)`);
  }
  if (label === 'ENCRYPTED PRIVATE KEY' && keyPassword === undefined) throw new KafkaConfigError(`${key} holds an encrypted key: set ssl.key.password`);
  try {
    createPrivateKey(keyPassword === undefined ? pem : { key: pem, passphrase: keyPassword });
  } catch {
    throw new KafkaConfigError(`${key}: the private key cannot be opened${keyPassword === undefined ? '' : ' with ssl.key.password'}`);
  }
  return pem;
}

/** The client's own certificate and key for mutual TLS; {} when no keystore is set. */
export function readKeystore(read: Read): Pick<TlsSettings, 'cert' | 'key' | 'pfx' | 'passphrase'> {
  const location = read('ssl.keystore.location') || undefined;
  const type = read('ssl.keystore.type') || undefined;
  const password = read('ssl.keystore.password') || undefined;
  const keyPassword = read('ssl.key.password') || undefined;
  const chain = read('ssl.keystore.certificate.chain') || undefined;
  const inlineKey = read('ssl.keystore.key') || undefined;
  if (chain !== undefined || inlineKey !== undefined) {
    if ((type ?? '').toUpperCase() !== 'PEM') throw new KafkaConfigError('ssl.keystore.certificate.chain and ssl.keystore.key need ssl.keystore.type=PEM');
    if (chain === undefined || inlineKey === undefined) throw new KafkaConfigError('set both ssl.keystore.certificate.chain and ssl.keystore.key');
    if (location !== undefined) throw new KafkaConfigError('set ssl.keystore.location or ssl.keystore.certificate.chain/ssl.keystore.key, not both');
    if (password !== undefined) throw new KafkaConfigError('ssl.keystore.password must not be set for a PEM keystore');
    const cert = checkCertificates('ssl.keystore.certificate.chain', pemBlocks(chain).filter((b) => b.label === 'CERTIFICATE').map((b) => b.pem)).join('');
    return { cert, key: pemKey('ssl.keystore.key', inlineKey, keyPassword), ...(keyPassword !== undefined ? { passphrase: keyPassword } : {}) };
  }
  if (location === undefined) return {};
  const store = readStore('ssl.keystore', type, location);
  const bytes = store.bytes;
  const where = `ssl.keystore.location=${location}`;
  if (store.type === 'PEM') {
    if (password !== undefined) throw new KafkaConfigError('ssl.keystore.password must not be set for a PEM keystore (the key is protected by ssl.key.password)');
    const text = bytes.toString('utf8');
    const cert = checkCertificates(where, pemBlocks(text).filter((b) => b.label === 'CERTIFICATE').map((b) => b.pem)).join('');
    return { cert, key: pemKey(where, text, keyPassword), ...(keyPassword !== undefined ? { passphrase: keyPassword } : {}) };
  }
  // Node opens a PKCS12 file with one password; keytool refuses distinct store and key passwords for PKCS12 as well.
  if (keyPassword !== undefined && password !== undefined && keyPassword !== password) {
    throw new KafkaConfigError(`${where}: ssl.key.password differs from ssl.keystore.password, which a PKCS12 keystore cannot use here (give the key the store's password)`);
  }
  const passphrase = password ?? keyPassword;
  try {
    tlsContext({ pfx: bytes, ...(passphrase !== undefined ? { passphrase } : {}) });
  } catch (e) {
    const wrong = /mac verify|password/i.test((e as Error).message);
    throw new KafkaConfigError(`${where} cannot be opened: ${wrong ? 'ssl.keystore.password is wrong' : (e as Error).message}`);
  }
  return { pfx: bytes, ...(passphrase !== undefined ? { passphrase } : {}) };
}
