/**
 * A failed TLS handshake with the runtime, worded so the user can fix it: which host, which CA file (or the system
 * CAs), and what to pass. Never retried: a certificate does not become trusted by waiting.
 */
import { HerderError } from './errors.js';
import { findCode } from './rest-errors.js';

/** What the client used, for the message (paths only). */
export interface TlsFiles {
  caFile?: string;
  clientCertFile?: string;
}

export class RuntimeTlsError extends HerderError {
  override readonly code = 'PIPECTL_RUNTIME_TLS';

  constructor(
    readonly url: string,
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('internal', message, options);
    this.name = 'RuntimeTlsError';
  }
}

/** OpenSSL's certificate verification failures, as Node reports them in `code`. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** The RuntimeTlsError for a request failure that is a TLS one, else undefined. */
export function tlsFailure(err: unknown, url: string, files: TlsFiles = {}): RuntimeTlsError | undefined {
  const code = findCode(err);
  if (code === undefined) return undefined;
  const host = new URL(url).host;
  const trusted = files.caFile ? `the CA file ${files.caFile}` : "the system's CAs (no --ca-file given)";
  const detail = innerMessage(err);
  let message: string | undefined;
  if (UNTRUSTED.has(code)) {
    message = `the TLS certificate of the runtime at ${host} is not trusted (${code}: ${detail}); it was verified against ${trusted}. Fix: pass the PEM certificate of the CA that signed the worker's certificate with --ca-file FILE (or runtime.tls.caFile in pipectl.yaml)`;
  } else if (EXPIRED.has(code)) {
    message = `the TLS certificate of the runtime at ${host} is not valid now (${code}: ${detail}). Fix: renew the worker's certificate (its ssl.keystore), or check this machine's clock`;
  } else if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    message = `the TLS certificate of the runtime at ${host} does not name host ${new URL(url).hostname} (${detail}); it was verified against ${trusted}. Fix: use a URL with a host name the certificate lists in its subjectAltName, or reissue the certificate with this one`;
  } else if (code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' || (code.startsWith('ERR_SSL_') && code.includes('HANDSHAKE_FAILURE') && !files.clientCertFile)) {
    message = `the runtime at ${host} requires a client certificate (ssl.client.auth=required) and refused the TLS connection (${code}). Fix: pass --client-cert FILE and --client-key FILE (or runtime.tls.clientCert and clientKey in pipectl.yaml), signed by a CA in the worker's trust store`;
  } else if (code === 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' || code === 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE' || code === 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN' || (code.startsWith('ERR_SSL_') && code.includes('HANDSHAKE_FAILURE'))) {
    message = `the runtime at ${host} refused the client certificate ${files.clientCertFile ?? ''} (${code}). Fix: use a client certificate signed by a CA in the worker's trust store (ssl.truststore.location)`;
  } else if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    message = `the runtime at ${host} did not answer TLS (${code}): it probably serves plain HTTP on that port. Fix: use an http:// URL, or the port of its https:// listener`;
  } else if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    message = `the TLS handshake with the runtime at ${host} failed (${code}: ${detail}); the server certificate was verified against ${trusted}${files.clientCertFile ? ` and the client certificate ${files.clientCertFile} was sent` : ''}`;
  }
  return message === undefined ? undefined : new RuntimeTlsError(url, code, message, { cause: err });
}

/** The deepest message in the cause chain (fetch wraps the socket error in "fetch failed"). */
function innerMessage(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 5 && e instanceof Error && e.cause instanceof Error; i++) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}
