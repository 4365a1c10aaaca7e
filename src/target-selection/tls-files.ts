/**
 * Reads the TLS files of a target (CA bundle, client certificate and key) once, before any request, so that a missing
 * or malformed file is reported as such and not as a failed handshake. Never echoes file contents.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { TargetTls } from './resolve-target.js';
import { targetError } from './target-error.js';

/** The files' contents for node:https, with their paths kept for error messages. */
export interface ClientTlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  caFile?: string;
  clientCertFile?: string;
}

/** Throws TargetError PIPECTL_TARGET_TLS_FILE naming the file when it cannot be read, is not PEM, or cert and key do not match. */
export function readClientTls(tls: TargetTls): ClientTlsMaterial {
  const ca = tls.caFile !== undefined ? readPem(tls.caFile, '--ca-file', 'CERTIFICATE') : undefined;
  const cert = tls.clientCert !== undefined ? readPem(tls.clientCert, '--client-cert', 'CERTIFICATE') : undefined;
  const key = tls.clientKey !== undefined ? readPem(tls.clientKey, '--client-key', 'PRIVATE KEY') : undefined;
  try {
    createSecureContext({ ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) });
  } catch (e) {
    const files = [tls.caFile, tls.clientCert, tls.clientKey].filter(Boolean).join(', ');
    throw targetError('PIPECTL_TARGET_TLS_FILE', `the TLS files ${files} cannot be used: ${(e as Error).message}`, 'the key must be the unencrypted private key of the client certificate, and the CA file PEM certificates');
  }
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(tls.caFile ? { caFile: tls.caFile } : {}), ...(tls.clientCert ? { clientCertFile: tls.clientCert } : {}) };
}

function readPem(path: string, flag: string, kind: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw targetError('PIPECTL_TARGET_TLS_FILE', `${flag} ${path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!bytes.toString('latin1').includes(kind === 'PRIVATE KEY' ? 'PRIVATE KEY-----' : `-----BEGIN ${kind}-----`)) {
    const convert = kind === 'CERTIFICATE' ? 'openssl x509 -inform DER -in FILE -out FILE.pem' : 'openssl pkey -in FILE -out FILE.pem';
    throw targetError('PIPECTL_TARGET_TLS_FILE', `${flag} ${path} holds no PEM ${kind.toLowerCase()} ("-----BEGIN ${kind}-----")`, `convert it to PEM, e.g. ${convert} (from PKCS12: openssl pkcs12 -in FILE.p12 ${kind === 'CERTIFICATE' ? '-nokeys' : '-nocerts -nodes'} -out FILE.pem)`);
  }
  return bytes;
}
