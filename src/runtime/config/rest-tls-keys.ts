/**
 * Which worker keys configure the HTTPS listener of the REST API, as Connect's RestServerConfig/SSLUtils read them:
 * `listeners.https.<ssl key>` when any `listeners.https.*` key is present (all-or-nothing), else the unprefixed
 * `ssl.*` keys. Pure: no I/O; the stores are read by src/runtime/rest/tls-context.ts.
 */
import { WorkerConfigError } from './worker-config-error.js';

export const HTTPS_PREFIX = 'listeners.https.';

/** The ssl keys the HTTPS listener honours (with or without the listeners.https. prefix). */
export const HONOURED_TLS_KEYS: ReadonlySet<string> = new Set([
  'ssl.keystore.location',
  'ssl.keystore.type',
  'ssl.keystore.password',
  'ssl.key.password',
  'ssl.keystore.certificate.chain',
  'ssl.keystore.key',
  'ssl.truststore.location',
  'ssl.truststore.type',
  'ssl.truststore.password',
  'ssl.truststore.certificates',
  'ssl.client.auth',
  'ssl.enabled.protocols',
  'ssl.protocol',
  'ssl.endpoint.identification.algorithm',
  // JVM-only choices with no Node counterpart; they change no protection, so they are accepted and ignored.
  'ssl.keymanager.algorithm',
  'ssl.trustmanager.algorithm',
  'ssl.secure.random.implementation',
  'ssl.provider',
]);

export type ClientAuth = 'none' | 'requested' | 'required';
/** A store's type as written (upper case); undefined: not set, Java's default JKS (tls/store-files.ts). */
export type StoreType = 'PKCS12' | 'PEM' | 'JKS';

export interface StoreKeys {
  /** Absolute path. */
  location?: string;
  type?: StoreType;
  password?: string;
}

export interface RestTlsKeys {
  /** `listeners.https.` or '' (the unprefixed keys): named in messages. */
  prefix: string;
  keystore: StoreKeys & { keyPassword?: string; certificateChain?: string; key?: string };
  truststore: StoreKeys & { certificates?: string };
  clientAuth: ClientAuth;
  /** From ssl.enabled.protocols (default TLSv1.2,TLSv1.3). */
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  maxVersion: 'TLSv1.2' | 'TLSv1.3';
  /** ssl.endpoint.identification.algorithm: 'https' (default) verifies peer host names on inter-worker requests. */
  verifyHostname: boolean;
}

/** True when the worker config sets any `listeners.https.*` key (then the unprefixed ssl.* are not used for REST). */
export function hasPrefixedTlsKeys(raw: Readonly<Record<string, string>>): boolean {
  return Object.keys(raw).some((k) => k.startsWith(HTTPS_PREFIX));
}

/**
 * The HTTPS listener's TLS keys. Paths are resolved against `cwd`. Throws WorkerConfigError
 * (PIPECTL_WORKER_INVALID_CONFIG) naming the key for a malformed ssl.client.auth, store type or protocol list, and
 * PIPECTL_WORKER_TLS_STORE when no key store is configured (an HTTPS listener needs a certificate).
 */
export function restTlsKeys(raw: Readonly<Record<string, string>>, resolvePath: (p: string) => string): RestTlsKeys {
  const prefix = hasPrefixedTlsKeys(raw) ? HTTPS_PREFIX : '';
  const get = (key: string): string | undefined => {
    const v = raw[prefix + key];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  const location = (key: string): string | undefined => {
    const v = get(key)?.trim();
    return v === undefined ? undefined : resolvePath(v);
  };
  const storeType = (key: string): StoreType | undefined => {
    const v = get(key)?.trim().toUpperCase();
    if (v === undefined) return undefined;
    if (v === 'PKCS12' || v === 'PEM' || v === 'JKS') return v;
    throw new WorkerConfigError(`worker config ${prefix}${key}=${get(key)} is not supported: use PKCS12 or PEM`);
  };
  const opt = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));
  const keystore = {
    ...opt('location', location('ssl.keystore.location')),
    ...(storeType('ssl.keystore.type') ? { type: storeType('ssl.keystore.type')! } : {}),
    ...opt('password', get('ssl.keystore.password')),
    ...opt('keyPassword', get('ssl.key.password')),
    ...opt('certificateChain', get('ssl.keystore.certificate.chain')),
    ...opt('key', get('ssl.keystore.key')),
  };
  if (keystore.location === undefined && (keystore.certificateChain === undefined || keystore.key === undefined)) {
    throw new WorkerConfigError(
      `worker config has an https:// listener but no key store: set ${prefix}ssl.keystore.location (PKCS12 or PEM), or ${prefix}ssl.keystore.certificate.chain and ${prefix}ssl.keystore.key with ${prefix}ssl.keystore.type=PEM`,
      'PIPECTL_WORKER_TLS_STORE',
    );
  }
  const truststore = {
    ...opt('location', location('ssl.truststore.location')),
    ...(storeType('ssl.truststore.type') ? { type: storeType('ssl.truststore.type')! } : {}),
    ...opt('password', get('ssl.truststore.password')),
    ...opt('certificates', get('ssl.truststore.certificates')),
  };
  const auth = (get('ssl.client.auth') ?? 'none').trim().toLowerCase();
  if (auth !== 'none' && auth !== 'requested' && auth !== 'required') throw new WorkerConfigError(`worker config ${prefix}ssl.client.auth=${get('ssl.client.auth')} must be none, requested or required`);
  if (auth !== 'none' && truststore.location === undefined && truststore.certificates === undefined) {
    throw new WorkerConfigError(`worker config ${prefix}ssl.client.auth=${auth} needs a trust store to verify client certificates: set ${prefix}ssl.truststore.location`, 'PIPECTL_WORKER_TLS_STORE');
  }
  const protocols = (get('ssl.enabled.protocols') ?? 'TLSv1.2,TLSv1.3').split(',').map((p) => p.trim()).filter(Boolean);
  const known = protocols.filter((p) => p === 'TLSv1.2' || p === 'TLSv1.3') as ('TLSv1.2' | 'TLSv1.3')[];
  if (known.length === 0 || known.length !== protocols.length) {
    throw new WorkerConfigError(`worker config ${prefix}ssl.enabled.protocols=${protocols.join(',')} is not supported: list TLSv1.2 and/or TLSv1.3`);
  }
  const endpoint = (get('ssl.endpoint.identification.algorithm') ?? 'https').trim().toLowerCase();
  return {
    prefix,
    keystore,
    truststore,
    clientAuth: auth,
    minVersion: known.includes('TLSv1.2') ? 'TLSv1.2' : 'TLSv1.3',
    maxVersion: known.includes('TLSv1.3') ? 'TLSv1.3' : 'TLSv1.2',
    verifyHostname: endpoint === 'https',
  };
}
