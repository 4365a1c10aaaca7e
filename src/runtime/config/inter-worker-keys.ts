/**
 * The distributed worker's KIP-507 keys (reference §4): `connect.protocol` and the `inter.worker.*` keys that say how
 * the leader generates the session key and how workers sign and verify their internal requests. Pure: no I/O.
 *
 * Differs from Connect: the algorithms are the three HMACs Node's crypto computes the same as the JCA
 * (HmacSHA1, HmacSHA256, HmacSHA512) instead of any JCA name; another name is refused at start with
 * PIPECTL_WORKER_INTER_WORKER_CONFIG. `connect.protocol=eager` is refused with PIPECTL_WORKER_UNSUPPORTED_PROTOCOL:
 * the membership only speaks the incremental cooperative protocols (compatible, sessioned).
 */
import { WorkerConfigError } from './worker-config-error.js';

/** The HMAC algorithms supported, by JCA name. */
export type HmacAlgorithm = 'HmacSHA1' | 'HmacSHA256' | 'HmacSHA512';

/** `connect.protocol` as honoured: the subprotocol a worker prefers (it also offers the lower ones). */
export type ConnectProtocolMode = 'compatible' | 'sessioned';

export interface InterWorkerSettings {
  connectProtocol: ConnectProtocolMode;
  keyGenerationAlgorithm: HmacAlgorithm;
  /** Bits of a generated key: `inter.worker.key.size`, or the generator's default (HmacSHA256: 256). */
  keySizeBits: number;
  keyTtlMs: number;
  signatureAlgorithm: HmacAlgorithm;
  verificationAlgorithms: HmacAlgorithm[];
}

/** The Node digest of each algorithm (createHmac) and the key size, in bits, of the JCA KeyGenerator by default. */
export const HMAC_ALGORITHMS: Readonly<Record<HmacAlgorithm, { digest: 'sha1' | 'sha256' | 'sha512'; defaultKeyBits: number }>> = {
  HmacSHA1: { digest: 'sha1', defaultKeyBits: 512 },
  HmacSHA256: { digest: 'sha256', defaultKeyBits: 256 },
  HmacSHA512: { digest: 'sha512', defaultKeyBits: 512 },
};

export const INTER_WORKER_DEFAULTS = { connectProtocol: 'sessioned', algorithm: 'HmacSHA256', keyTtlMs: 3_600_000 } as const;

/** True for a JCA name this runtime signs and verifies with (case-sensitive, as the JCA's lookup is in practice). */
export function isHmacAlgorithm(name: string): name is HmacAlgorithm {
  return Object.hasOwn(HMAC_ALGORITHMS, name);
}

const MAX_INT = 2147483647;

/**
 * Reads the keys with their defaults. Throws WorkerConfigError: PIPECTL_WORKER_UNSUPPORTED_PROTOCOL for
 * `connect.protocol=eager`, PIPECTL_WORKER_INVALID_CONFIG for another unknown protocol or a malformed number,
 * PIPECTL_WORKER_INTER_WORKER_CONFIG for an algorithm other than the three HMACs, an empty verification list, or a
 * signature algorithm missing from the verification list (Connect's ConfigException at startup).
 */
export function toInterWorkerSettings(raw: Readonly<Record<string, string>>): InterWorkerSettings {
  const value = (key: string): string | undefined => {
    const v = raw[key]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const protocol = (value('connect.protocol') ?? INTER_WORKER_DEFAULTS.connectProtocol).toLowerCase();
  if (protocol === 'eager') {
    throw new WorkerConfigError('worker config connect.protocol=eager is not supported: pipectl workers only speak the incremental cooperative protocols; use compatible or sessioned (the default)', 'PIPECTL_WORKER_UNSUPPORTED_PROTOCOL');
  }
  if (protocol !== 'compatible' && protocol !== 'sessioned') throw new WorkerConfigError(`worker config connect.protocol=${raw['connect.protocol']} must be eager, compatible or sessioned`);
  const algorithm = (key: string, v: string): HmacAlgorithm => {
    if (!isHmacAlgorithm(v)) throw interWorker(`worker config ${key}=${v} is not supported: use one of ${Object.keys(HMAC_ALGORITHMS).join(', ')}`);
    return v;
  };
  const keyGenerationAlgorithm = algorithm('inter.worker.key.generation.algorithm', value('inter.worker.key.generation.algorithm') ?? INTER_WORKER_DEFAULTS.algorithm);
  const size = value('inter.worker.key.size');
  let keySizeBits = HMAC_ALGORITHMS[keyGenerationAlgorithm].defaultKeyBits;
  if (size !== undefined) {
    if (!/^\d+$/.test(size) || Number(size) < 8 || Number(size) > MAX_INT || Number(size) % 8 !== 0) throw interWorker(`worker config inter.worker.key.size=${size} must be a positive number of bits divisible by 8`);
    keySizeBits = Number(size);
  }
  const ttl = value('inter.worker.key.ttl.ms');
  if (ttl !== undefined && (!/^\d+$/.test(ttl) || Number(ttl) > MAX_INT)) throw new WorkerConfigError(`worker config inter.worker.key.ttl.ms=${ttl} must be an integer from 0 to ${MAX_INT}`);
  const signatureAlgorithm = algorithm('inter.worker.signature.algorithm', value('inter.worker.signature.algorithm') ?? INTER_WORKER_DEFAULTS.algorithm);
  const list = (value('inter.worker.verification.algorithms') ?? INTER_WORKER_DEFAULTS.algorithm).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (list.length === 0) throw interWorker('worker config inter.worker.verification.algorithms must name at least one algorithm');
  const verificationAlgorithms = [...new Set(list.map((a) => algorithm('inter.worker.verification.algorithms', a)))];
  if (!verificationAlgorithms.includes(signatureAlgorithm)) {
    throw interWorker(`worker config inter.worker.signature.algorithm=${signatureAlgorithm} must be one of inter.worker.verification.algorithms (${verificationAlgorithms.join(', ')})`);
  }
  return { connectProtocol: protocol, keyGenerationAlgorithm, keySizeBits, keyTtlMs: ttl === undefined ? INTER_WORKER_DEFAULTS.keyTtlMs : Number(ttl), signatureAlgorithm, verificationAlgorithms };
}

function interWorker(message: string): WorkerConfigError {
  return new WorkerConfigError(message, 'PIPECTL_WORKER_INTER_WORKER_CONFIG');
}
