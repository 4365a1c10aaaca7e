/**
 * Kafka client configs (Kafka's key names) → the client port's settings. As in Connect's Worker, a producer's keys are
 * the worker's `bootstrap.servers`, then its `producer.*` keys, then the connector's `producer.override.*` keys
 * (likewise `consumer.*`; the admin client uses the worker's top-level keys, then `admin.*`). Keys kafkajs has no
 * equivalent for are returned in `ignored` (the caller logs them at debug level); keys honoured only in part are
 * returned in `warnings`. Malformed values throw KafkaConfigError. No I/O except reading the key and trust store files
 * of a TLS client (kafka-security.ts).
 */
import type { ClientSettings, ConsumerSettings, ProducerSettings } from './port/kafka-port.js';
import { KafkaConfigError } from './port/kafka-error.js';
import { KAFKA_SECURITY_KEYS, securitySettings } from './kafka-security.js';

export { KafkaConfigError };

type Keys = Readonly<Record<string, string>>;

/** What a mapping used, and what it could not. */
export interface MappingNotes {
  /** Keys with no kafkajs equivalent (unknown, or known but meaningless here, such as `linger.ms`). */
  ignored: string[];
  /** Keys honoured only in part, with the reason. */
  warnings: string[];
}

export interface ProducerConfig extends MappingNotes {
  client: ClientSettings;
  producer: ProducerSettings;
  /** How long one produce() keeps retrying before it rejects (Connect: effectively forever). */
  deliveryTimeoutMs: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  /** `max.request.size`: the largest produce request sent (records are cut into several requests under it). */
  maxRequestBytes: number;
}

export interface ConsumerConfig extends MappingNotes {
  client: ClientSettings;
  consumer: Omit<ConsumerSettings, 'groupId'>;
  autoOffsetReset: 'earliest' | 'latest';
  /** Records buffered per partition before its fetching waits (Kafka's `max.poll.records`, at least 500). */
  maxPollRecords: number;
  /** How often a pattern subscription looks for new matching topics (`metadata.max.age.ms`). */
  metadataMaxAgeMs: number;
}

export type OverridePolicy = 'All' | 'None' | 'Principal';

const PRINCIPAL_KEYS = new Set(['sasl.jaas.config', 'sasl.mechanism', 'security.protocol']);

/** Connect's `connector.client.config.override.policy` (default All): which connector overrides are allowed. */
export function overridePolicy(worker: Keys): OverridePolicy {
  const raw = (worker['connector.client.config.override.policy'] ?? 'All').trim();
  const name = raw.replace(/^org\.apache\.kafka\.connect\.connector\.policy\./, '').replace(/ConnectorClientConfigOverridePolicy$/, '');
  if (name === 'All' || name === 'None' || name === 'Principal') return name;
  throw new KafkaConfigError(`connector.client.config.override.policy=${raw} must be All, None or Principal`);
}

/** The overrides the policy allows, and the keys it rejected. */
export function allowedOverrides(policy: OverridePolicy, overrides: Keys | undefined): { allowed: Record<string, string>; rejected: string[] } {
  const allowed: Record<string, string> = {};
  const rejected: string[] = [];
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (policy === 'All' || (policy === 'Principal' && PRINCIPAL_KEYS.has(k))) allowed[k] = v;
    else rejected.push(k);
  }
  return { allowed, rejected };
}

/** The merged keys of one client kind: see the module comment for the order. */
export function clientKeys(worker: Keys, kind: 'producer' | 'consumer' | 'admin', overrides?: Keys): Record<string, string> {
  const out: Record<string, string> = {};
  if (kind === 'admin') {
    for (const k of COMMON_KEYS) if (worker[k] !== undefined) out[k] = worker[k]!;
  } else if (worker['bootstrap.servers'] !== undefined) {
    out['bootstrap.servers'] = worker['bootstrap.servers'];
  }
  const prefix = `${kind}.`;
  for (const [k, v] of Object.entries(worker)) if (k.startsWith(prefix) && !k.startsWith(`${kind}.override.`)) out[k.slice(prefix.length)] = v;
  return { ...out, ...overrides };
}

/** Splits `bootstrap.servers`; throws KafkaConfigError when empty. */
export function bootstrapServers(value: string | undefined): string[] {
  const list = (value ?? '').split(',').map((s) => s.trim().replace(/^[A-Za-z_]+:\/\//, '')).filter(Boolean);
  if (list.length === 0) throw new KafkaConfigError('bootstrap.servers must list at least one host:port');
  return list;
}

const COMMON_KEYS = [
  'bootstrap.servers',
  'client.id',
  'request.timeout.ms',
  'socket.connection.setup.timeout.ms',
  'retries',
  'retry.backoff.ms',
  'retry.backoff.max.ms',
  ...KAFKA_SECURITY_KEYS,
];

/**
 * The keys of the worker's own clients (Connect: the group member and the internal topics' producers, consumers and
 * admin): the top-level keys only, no `producer.`/`consumer.`/`admin.` ones.
 */
export function workerClientKeys(worker: Keys): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of COMMON_KEYS) if (worker[k] !== undefined) out[k] = worker[k]!;
  return out;
}

/** Reads keys of one client, remembering which were used. */
class KeyReader {
  private readonly used = new Set<string>();
  readonly warnings: string[] = [];

  constructor(
    private readonly keys: Keys,
    private readonly where: string,
  ) {}

  str(key: string): string | undefined {
    this.used.add(key);
    const v = this.keys[key];
    return v === undefined ? undefined : v.trim();
  }

  /** Marks a key as understood without reading it (e.g. `group.id`, resolved by the worker). */
  consume(key: string): void {
    this.used.add(key);
  }

  int(key: string, min: number): number | undefined {
    const v = this.str(key);
    if (v === undefined || v === '') return undefined;
    if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < min) throw new KafkaConfigError(`${this.where} config ${key}=${v} must be an integer >= ${min}`);
    return Number(v);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.str(key)?.toLowerCase();
    if (v === undefined || v === '') return undefined;
    if (!(allowed as readonly string[]).includes(v)) throw new KafkaConfigError(`${this.where} config ${key}=${v} must be one of ${allowed.join(', ')}`);
    return v as T;
  }

  notes(): MappingNotes {
    return { ignored: Object.keys(this.keys).filter((k) => !this.used.has(k)).sort(), warnings: this.warnings };
  }
}

/** Kafka's `socket.connection.setup.timeout.ms` default. */
const KAFKA_CONNECTION_SETUP_TIMEOUT_MS = 10_000;

function clientSettings(r: KeyReader, defaultClientId: string): ClientSettings {
  const protocol = r.oneOf('security.protocol', ['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl'] as const) ?? 'plaintext';
  const retries = r.int('retries', 0);
  const backoff = r.int('retry.backoff.ms', 0);
  const backoffMax = r.int('retry.backoff.max.ms', 0);
  const requestTimeoutMs = r.int('request.timeout.ms', 1);
  // Kafka's default (10 s), not kafkajs's 1 s: a TLS or SASL handshake on a busy machine took longer than 1 s, and a
  // distributed worker then spent its start retrying internal-topic reads ("Connection timeout").
  const connectionTimeoutMs = r.int('socket.connection.setup.timeout.ms', 1) ?? KAFKA_CONNECTION_SETUP_TIMEOUT_MS;
  const settings: ClientSettings = {
    brokers: bootstrapServers(r.str('bootstrap.servers')),
    clientId: r.str('client.id') || defaultClientId,
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    connectionTimeoutMs,
    retry: {
      // kafkajs retries a whole call: keep its own count unless `retries` is set (Java's default is "forever").
      ...(retries !== undefined ? { retries: Math.min(retries, 1000) } : {}),
      ...(backoff !== undefined ? { initialRetryTimeMs: Math.max(backoff, 1) } : {}),
      ...(backoffMax !== undefined ? { maxRetryTimeMs: Math.max(backoffMax, 1) } : {}),
    },
    ...securitySettings(protocol, (key) => r.str(key)),
  };
  return settings;
}

const PRODUCER_NOOPS = ['key.serializer', 'value.serializer', 'linger.ms', 'batch.size', 'buffer.memory', 'max.block.ms'];

/** Java's producer default for `max.request.size`. */
const DEFAULT_MAX_REQUEST_BYTES = 1_048_576;

/** Maps a producer's keys (see clientKeys). Defaults: acks=all, idempotent, one request in flight, gzip off, retry forever. */
export function producerConfig(keys: Keys, defaultClientId: string): ProducerConfig {
  const r = new KeyReader(keys, 'producer');
  const client = clientSettings(r, defaultClientId);
  const acksText = r.oneOf('acks', ['all', '-1', '0', '1'] as const) ?? 'all';
  const acks = acksText === 'all' ? -1 : (Number(acksText) as -1 | 0 | 1);
  const idempotence = r.oneOf('enable.idempotence', ['true', 'false'] as const);
  if (idempotence === 'true' && acks !== -1) throw new KafkaConfigError('producer config enable.idempotence=true requires acks=all');
  const compression = r.oneOf('compression.type', ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) ?? 'none';
  if (compression !== 'none' && compression !== 'gzip') r.warnings.push(`compression.type=${compression} is not available in the kafkajs client; records are sent uncompressed`);
  if (r.str('transactional.id') !== undefined) r.warnings.push('transactional.id is ignored: the Kafka data plane has no exactly-once delivery');
  for (const k of PRODUCER_NOOPS) r.consume(k);
  const backoff = r.int('retry.backoff.ms', 0) ?? 100;
  return {
    client,
    producer: {
      idempotent: idempotence !== undefined ? idempotence === 'true' : acks === -1,
      acks,
      maxInFlightRequests: r.int('max.in.flight.requests.per.connection', 1) ?? 1,
      ackTimeoutMs: client.requestTimeoutMs ?? 30_000,
      compression: compression === 'gzip' ? 'gzip' : 'none',
    },
    deliveryTimeoutMs: r.int('delivery.timeout.ms', 0) ?? Number.POSITIVE_INFINITY,
    retryBackoffMs: Math.max(backoff, 1),
    retryBackoffMaxMs: Math.max(r.int('retry.backoff.max.ms', 0) ?? 1000, backoff, 1),
    maxRequestBytes: r.int('max.request.size', 1) ?? DEFAULT_MAX_REQUEST_BYTES,
    ...r.notes(),
  };
}

const CONSUMER_NOOPS = ['key.deserializer', 'value.deserializer', 'enable.auto.commit', 'auto.commit.interval.ms', 'group.id'];

/**
 * The sink consumer's group timing when `session.timeout.ms` / `heartbeat.interval.ms` are not set (worker
 * `consumer.*`, connector `consumer.override.*`). The Java consumer's 45 s / 3 s would keep a killed worker's sink
 * consumer in its group for 45 s: its partitions go to the task's new consumer only when that session expires (or at
 * the rebalance timeout, 60 s), so the sink stalls that long after a `kill -9` or a broker restart although the task
 * itself runs elsewhere after ~6 s. These are the worker group's own defaults (distributed-config.ts): 6 s is the
 * broker's default `group.min.session.timeout.ms`, and a member is told to rejoin only in the answer to its next
 * heartbeat, so 1 s keeps the other members' part of a rebalance short. The price, as for the worker group: a sink
 * whose process does not heartbeat for 6 s (an event loop blocked that long, a long GC pause, a network blip) is
 * dropped from its group and its partitions are re-delivered from the last commit; and heartbeats are three times as
 * frequent. `max.poll.interval.ms` (kafkajs `rebalanceTimeout`, 60 s when unset) is left alone: it bounds how long
 * the coordinator waits for live members to rejoin, not how long it keeps a dead one (that is the session).
 */
export const SINK_CONSUMER_DEFAULTS = { sessionTimeoutMs: 6000, heartbeatIntervalMs: 1000 } as const;

/**
 * Maps a consumer's keys (see clientKeys). `group.id` is read by the worker (it names the group), so it is accepted
 * here without effect. Defaults: session 6 s and heartbeat 1 s (SINK_CONSUMER_DEFAULTS; a set session.timeout.ms
 * alone gets a heartbeat of at most a third of it), fetch wait 500 ms, read_uncommitted.
 */
export function consumerConfig(keys: Keys, defaultClientId: string, defaultReset: 'earliest' | 'latest'): ConsumerConfig {
  const r = new KeyReader(keys, 'consumer');
  const client = clientSettings(r, defaultClientId);
  const reset = r.oneOf('auto.offset.reset', ['earliest', 'latest', 'none'] as const);
  if (reset === 'none') throw new KafkaConfigError('consumer config auto.offset.reset=none is not supported by the kafkajs client (earliest, latest)');
  const isolation = r.oneOf('isolation.level', ['read_committed', 'read_uncommitted'] as const) ?? 'read_uncommitted';
  const sessionTimeoutMs = r.int('session.timeout.ms', 1) ?? SINK_CONSUMER_DEFAULTS.sessionTimeoutMs;
  const heartbeatIntervalMs = r.int('heartbeat.interval.ms', 1) ?? Math.min(SINK_CONSUMER_DEFAULTS.heartbeatIntervalMs, Math.floor(sessionTimeoutMs / 3));
  if (heartbeatIntervalMs >= sessionTimeoutMs) throw new KafkaConfigError(`consumer config heartbeat.interval.ms=${heartbeatIntervalMs} must be lower than session.timeout.ms=${sessionTimeoutMs}`);
  const optional = (key: string, min: number): number | undefined => r.int(key, min);
  const rebalanceTimeoutMs = optional('max.poll.interval.ms', 1);
  const maxBytesPerPartition = optional('max.partition.fetch.bytes', 1);
  const maxBytes = optional('fetch.max.bytes', 1);
  const minBytes = optional('fetch.min.bytes', 0);
  for (const k of CONSUMER_NOOPS) r.consume(k);
  return {
    client,
    consumer: {
      sessionTimeoutMs,
      heartbeatIntervalMs,
      maxWaitTimeMs: r.int('fetch.max.wait.ms', 0) ?? 500,
      readUncommitted: isolation === 'read_uncommitted',
      ...(rebalanceTimeoutMs !== undefined ? { rebalanceTimeoutMs } : {}),
      ...(maxBytesPerPartition !== undefined ? { maxBytesPerPartition } : {}),
      ...(maxBytes !== undefined ? { maxBytes } : {}),
      ...(minBytes !== undefined ? { minBytes } : {}),
    },
    autoOffsetReset: reset ?? defaultReset,
    maxPollRecords: Math.max(r.int('max.poll.records', 1) ?? 500, 500),
    metadataMaxAgeMs: r.int('metadata.max.age.ms', 1000) ?? 30_000,
    ...r.notes(),
  };
}

/** Maps the admin client's keys (the worker's top-level client keys, then `admin.*`). */
export function adminConfig(keys: Keys): { client: ClientSettings } & MappingNotes {
  const r = new KeyReader(keys, 'admin');
  return { client: clientSettings(r, 'pipectl-admin'), ...r.notes() };
}
