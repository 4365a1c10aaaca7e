/**
 * What every kafkajs adapter shares: error classification, the client config, log forwarding and header conversion,
 * and the few untyped kafkajs Cluster/Broker methods the adapters call.
 */
import type { ConnectionOptions } from 'node:tls';
import type { IHeaders, KafkaConfig, LogEntry, SASLOptions } from 'kafkajs';
import type { RecordHeader } from '../../data-plane/data-plane.js';
import type { Logger } from '../../logger.js';
import type { ClientSettings, ErrorInfo, TlsSettings } from '../port/kafka-port.js';
import { logLevel } from './load.js';

/** Errors kafkajs raises without a broker error code that are about connectivity, hence worth retrying. */
export const TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSStaleTopicMetadataAssignment',
]);

/** Looks through kafkajs's wrappers (retries exceeded, non-retriable) to the original error. */
export function classifyKafkaError(error: unknown): ErrorInfo {
  const chain: Record<string, unknown>[] = [];
  for (let e: unknown = error; e && typeof e === 'object' && chain.length < 10; e = (e as { cause?: unknown }).cause) chain.push(e as Record<string, unknown>);
  const root = chain[chain.length - 1];
  if (!root) return { retriable: false };
  const type = chain.map((e) => e['type']).find((t): t is string => typeof t === 'string');
  const security = securityFailure(chain);
  const retriable = root['retriable'] === true || TRANSIENT_NAMES.has(String(root['name']));
  // A handshake cut short may also be a broker restarting: that one stays retriable.
  if (security) return { retriable: retriable && security.code === 'TLS_HANDSHAKE_DISCONNECTED', security, ...(type ? { type } : {}) };
  return type ? { retriable, type } : { retriable };
}

/**
 * Node's TLS error codes (OpenSSL's verify results, ERR_TLS_*, ERR_SSL_*): kafkajs reports them as a retriable
 * KafkaJSConnectionError carrying the code, but no retry makes an untrusted certificate trusted.
 */
const TLS_CODE = /^(CERT_|UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|HOSTNAME_MISMATCH|ERR_TLS_|ERR_SSL_|ERR_OSSL_)/;

function securityFailure(chain: readonly Record<string, unknown>[]): ErrorInfo['security'] {
  const sasl = chain.find((e) => e['name'] === 'KafkaJSSASLAuthenticationError');
  if (sasl) return { kind: 'authentication', reason: String(sasl['message']) };
  // Node's words when the peer closed the socket mid-handshake (e.g. TLS sent to a plaintext listener).
  const tls = chain.find((e) => (typeof e['code'] === 'string' && TLS_CODE.test(e['code'])) || /before secure TLS connection was established/.test(String(e['message'])));
  if (!tls) return undefined;
  const broker = chain.map((e) => e['broker']).find((b): b is string => typeof b === 'string');
  const code = typeof tls['code'] === 'string' && TLS_CODE.test(tls['code']) ? tls['code'] : 'TLS_HANDSHAKE_DISCONNECTED';
  // OpenSSL's long form (`…:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:…`): keep the words.
  const message = String(tls['message']).replace(/^Connection error: /, '');
  const reason = /SSL routines:[^:]*:([^:]+):/.exec(message)?.[1] ?? message;
  return { kind: 'tls', reason, code, ...(broker ? { broker } : {}) };
}

export function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const { message, error } = log as { message: string; error?: unknown };
      logger.debug(`kafkajs ${logLevel[level] ?? level} [${namespace}] ${message}`, error === undefined ? undefined : { error: String(error) });
    };
}

export function retryOptions(retry: ClientSettings['retry']): { retries?: number; initialRetryTime?: number; maxRetryTime?: number } {
  const r = retry ?? {};
  return {
    ...(r.retries !== undefined ? { retries: r.retries } : {}),
    ...(r.initialRetryTimeMs !== undefined ? { initialRetryTime: r.initialRetryTimeMs } : {}),
    ...(r.maxRetryTimeMs !== undefined ? { maxRetryTime: r.maxRetryTimeMs } : {}),
  };
}

export function kafkaConfig(client: ClientSettings, logger: Logger): KafkaConfig {
  return {
    brokers: client.brokers,
    clientId: client.clientId,
    logLevel: logLevel.INFO,
    logCreator: kafkaLogCreator(logger),
    ...(client.requestTimeoutMs !== undefined ? { requestTimeout: client.requestTimeoutMs } : {}),
    ...(client.connectionTimeoutMs !== undefined ? { connectionTimeout: client.connectionTimeoutMs } : {}),
    ...(client.ssl ? { ssl: tlsOptions(client.ssl) } : {}),
    ...(client.sasl ? { sasl: { mechanism: client.sasl.mechanism, username: client.sasl.username, password: client.sasl.password } as SASLOptions } : {}),
    retry: retryOptions(client.retry),
  };
}

/** The port's TLS settings as the options kafkajs hands to tls.connect(). */
export function tlsOptions(tls: TlsSettings): ConnectionOptions {
  return {
    rejectUnauthorized: true,
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert } : {}),
    ...(tls.key ? { key: tls.key } : {}),
    ...(tls.pfx ? { pfx: tls.pfx } : {}),
    ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
    ...(tls.minVersion ? { minVersion: tls.minVersion } : {}),
    ...(tls.maxVersion ? { maxVersion: tls.maxVersion } : {}),
    // ssl.endpoint.identification.algorithm= (empty): the chain is still verified, the host name is not.
    ...(tls.verifyHostname ? {} : { checkServerIdentity: () => undefined }),
  };
}

/** kafkajs headers are an object (a repeated key holds an array); kafkajs cannot write a null value, so it becomes empty. */
export function toKafkaHeaders(headers: readonly RecordHeader[] | undefined): IHeaders | undefined {
  if (!headers || headers.length === 0) return undefined;
  const out: IHeaders = Object.create(null) as IHeaders;
  for (const h of headers) {
    const value = h.value ?? Buffer.alloc(0);
    const prev = out[h.key];
    out[h.key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

export function fromKafkaHeaders(headers: IHeaders | undefined): RecordHeader[] {
  const out: RecordHeader[] = [];
  if (!headers) return out;
  for (const [key, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) out.push({ key, value: v === undefined || v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(v) });
  }
  return out;
}


/** The few methods of kafkajs's (untyped) Cluster and Broker used for commits outside a generation. */
export interface GroupCoordinatorBroker {
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
  offsetCommit(request: { groupId: string; groupGenerationId: number; memberId: string; topics: { topic: string; partitions: { partition: number; offset: string }[] }[] }): Promise<unknown>;
}
export interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<GroupCoordinatorBroker>;
}

