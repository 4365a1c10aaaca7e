/**
 * Reads the HTTPS listener's key store and trust store (PKCS12 or PEM files, or Connect's inline PEM keys) into Node's
 * TLS options, for the server side and for the inter-worker client. Files are read by tls/store-files.ts (JKS refused
 * with the keytool command that converts it, a type checked against the content). A PKCS12 trust store's certificates are read by tls/pkcs12-certificates.ts (Node's `pfx`
 * needs a private key). Errors name files and keys, never passwords.
 */
import { createSecureContext } from 'node:tls';
import type { SecureContextOptions } from 'node:tls';
import type { ClientAuth, RestTlsKeys } from '../config/rest-tls-keys.js';
import { WorkerConfigError } from '../config/worker-config-error.js';
import { Pkcs12Error, pkcs12Certificates } from '../tls/pkcs12-certificates.js';
import { readStoreFile } from '../tls/store-files.js';

/** The TLS material of the REST API, ready for node:https. */
export interface RestTls {
  /** For https.createServer (plus requestCert/rejectUnauthorized from clientAuth). */
  server: SecureContextOptions & { requestCert: boolean; rejectUnauthorized: boolean };
  clientAuth: ClientAuth;
  /** For requests to other workers: their CA (else the system CAs) and this worker's certificate, as Connect's RestClient. */
  peer: SecureContextOptions & { verifyHostname: boolean };
}

/** Loads and checks the stores. Throws WorkerConfigError (PIPECTL_WORKER_TLS_STORE) naming the key and file. */
export function loadRestTls(keys: RestTlsKeys): RestTls {
  const identity = keyStoreOptions(keys);
  const ca = trustStoreCa(keys);
  const requestCert = keys.clientAuth !== 'none';
  const server = { ...identity, ...(ca ? { ca } : {}), minVersion: keys.minVersion, maxVersion: keys.maxVersion, requestCert, rejectUnauthorized: keys.clientAuth === 'required' };
  try {
    createSecureContext(server);
  } catch (e) {
    throw storeError(`${keys.prefix}ssl.keystore.location${keys.keystore.location ? `=${keys.keystore.location}` : ''} cannot be used: ${(e as Error).message} (a wrong ${keys.prefix}ssl.keystore.password or ${keys.prefix}ssl.key.password, or a certificate without its private key)`);
  }
  return { server, clientAuth: keys.clientAuth, peer: { ...identity, ...(ca ? { ca } : {}), minVersion: keys.minVersion, maxVersion: keys.maxVersion, verifyHostname: keys.verifyHostname } };
}

function keyStoreOptions(keys: RestTlsKeys): SecureContextOptions {
  const ks = keys.keystore;
  const key = `${keys.prefix}ssl.keystore.location`;
  if (ks.location === undefined) {
    // Connect's inline PEM (KIP-651): ssl.keystore.certificate.chain and ssl.keystore.key.
    return { cert: ks.certificateChain!, key: ks.key!, ...(ks.keyPassword !== undefined ? { passphrase: ks.keyPassword } : {}) };
  }
  const { bytes, type } = readStoreFile(ks.location, ks.type, { locationKey: key, typeKey: `${keys.prefix}ssl.keystore.type` }, storeError);
  if (type === 'PEM') return { cert: bytes, key: bytes, ...(ks.keyPassword !== undefined ? { passphrase: ks.keyPassword } : {}) };
  // PKCS12: one password for the store and its key, as keytool writes them; ssl.key.password when only that is set.
  const passphrase = ks.password ?? ks.keyPassword;
  return { pfx: bytes, ...(passphrase !== undefined ? { passphrase } : {}) };
}

function trustStoreCa(keys: RestTlsKeys): string | Buffer | undefined {
  const ts = keys.truststore;
  const key = `${keys.prefix}ssl.truststore.location`;
  if (ts.location === undefined) return ts.certificates;
  const { bytes, type } = readStoreFile(ts.location, ts.type, { locationKey: key, typeKey: `${keys.prefix}ssl.truststore.type` }, storeError);
  if (type === 'PEM') return bytes;
  try {
    const certs = pkcs12Certificates(bytes, ts.password);
    if (certs.length === 0) throw new Pkcs12Error('it holds no certificate');
    return certs.join('');
  } catch (e) {
    if (!(e instanceof Pkcs12Error)) throw e;
    throw storeError(
      `${key}=${ts.location} cannot be read as a PKCS12 trust store: ${e.wrongPassword ? `${keys.prefix}ssl.truststore.password does not open it` : e.message}. Export its certificates to PEM with ` +
        `openssl pkcs12 -in ${ts.location} -nokeys -out ${ts.location.replace(/\.(p12|pfx|pkcs12)$/i, '')}.pem, then set ${keys.prefix}ssl.truststore.type=PEM and ${key} to the new file`,
    );
  }
}

function storeError(message: string): WorkerConfigError {
  return new WorkerConfigError(`worker config ${message}`, 'PIPECTL_WORKER_TLS_STORE');
}
