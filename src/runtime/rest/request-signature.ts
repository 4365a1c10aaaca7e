/**
 * KIP-507 signatures of the internal requests between the workers of a cluster (reference §4): the sender signs the
 * exact bytes of the body it sends with the cluster's session key; the receiver computes the MAC over the raw bytes it
 * received, before parsing them, and compares in constant time. Pure apart from the HMAC: no clock, no I/O.
 * The key and the signatures never go into a log line or an answer.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { HMAC_ALGORITHMS, isHmacAlgorithm } from '../config/inter-worker-keys.js';
import type { HmacAlgorithm } from '../config/inter-worker-keys.js';
import { HttpError } from './http-error.js';

export const SIGNATURE_HEADER = 'X-Connect-Authorization';
export const SIGNATURE_ALGORITHM_HEADER = 'X-Connect-Request-Signature-Algorithm';

/** A parsed signature of one request: the MAC it claims, its algorithm and the raw body it was received with. */
export interface InternalRequestSignature {
  algorithm: HmacAlgorithm;
  signature: Buffer;
  body: Buffer;
}

/** What the receiving worker knows when it verifies (Connect's herder state). */
export interface InternalRequestVerifier {
  /** True while the group runs the `sessioned` protocol: only then are the checks made. */
  sessioned(): boolean;
  /** `inter.worker.verification.algorithms`. */
  readonly verificationAlgorithms: readonly string[];
  /** The session key last read from the config topic; undefined before the first. */
  sessionKey(): Buffer | undefined;
}

/** The MAC of `body` under `key`, as raw bytes. */
export function mac(key: Buffer, algorithm: HmacAlgorithm, body: Buffer): Buffer {
  return createHmac(HMAC_ALGORITHMS[algorithm].digest, key).update(body).digest();
}

/** The headers that sign a request with this body (zero bytes for a request without one). */
export function signatureHeaders(key: Buffer, algorithm: HmacAlgorithm, body: Buffer): Record<string, string> {
  return { [SIGNATURE_HEADER]: mac(key, algorithm, body).toString('base64'), [SIGNATURE_ALGORITHM_HEADER]: algorithm };
}

/** JCA Mac names other workers may send that this runtime does not compute: recognised so that they get Connect's message. */
const OTHER_JCA_MACS = new Set(['HmacMD5', 'HmacSHA224', 'HmacSHA384', 'HmacSHA512/224', 'HmacSHA512/256', 'HmacSHA3-224', 'HmacSHA3-256', 'HmacSHA3-384', 'HmacSHA3-512']);

/**
 * The signature carried by the two headers (Connect's InternalRequestSignature.fromHeaders): undefined when either is
 * missing. Throws HttpError 400 when the algorithm is unknown or the signature is not base64 — whether or not the
 * group verifies signatures, as Connect's REST layer parses them first. An algorithm the JCA knows but this runtime
 * does not compute is returned as the string it is, so that the verification answers with Connect's message.
 */
export function parseSignature(signature: string | undefined, algorithm: string | undefined, body: Buffer): InternalRequestSignature | { unsupported: string } | undefined {
  if (signature === undefined || algorithm === undefined) return undefined;
  if (!isHmacAlgorithm(algorithm) && !OTHER_JCA_MACS.has(algorithm)) throw new HttpError(400, `Algorithm ${algorithm} not available`);
  const text = signature.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1 || (text.includes('=') && text.length % 4 !== 0)) {
    throw new HttpError(400, 'Illegal base64 encoding of the request signature');
  }
  if (!isHmacAlgorithm(algorithm)) return { unsupported: algorithm };
  return { algorithm, signature: Buffer.from(text, 'base64'), body };
}

/** Whether the signature is the MAC of its body under `key`; constant time in the signature's content. */
export function signatureMatches(s: InternalRequestSignature, key: Buffer): boolean {
  const expected = mac(key, s.algorithm, s.body);
  return expected.length === s.signature.length && timingSafeEqual(expected, s.signature);
}

/**
 * Connect's checks of an internal request, in its order; a no-op unless the group is sessioned. Throws HttpError:
 * 400 without a signature; 400 for an algorithm outside the verification list; 503 before a session key was read;
 * 403 when the MAC differs.
 */
export function verifyInternalRequest(verifier: InternalRequestVerifier, parsed: ReturnType<typeof parseSignature>): void {
  if (!verifier.sessioned()) return;
  if (parsed === undefined) throw new HttpError(400, 'Internal request missing required signature');
  const algorithm = 'unsupported' in parsed ? parsed.unsupported : parsed.algorithm;
  if (!verifier.verificationAlgorithms.includes(algorithm) || 'unsupported' in parsed) {
    throw new HttpError(
      400,
      `This worker does not support the '${algorithm}' key signing algorithm used by other workers. This worker is currently configured to use: [${verifier.verificationAlgorithms.join(', ')}]. ` +
        "Check that all workers' configuration files permit the same set of signature algorithms, and correct any misconfigured worker and restart it.",
    );
  }
  const key = verifier.sessionKey();
  if (key === undefined) throw new HttpError(503, 'This worker is still starting up and has not been able to read a session key from the config topic yet');
  if (!signatureMatches(parsed, key)) throw new HttpError(403, 'Internal request contained invalid signature.');
}
