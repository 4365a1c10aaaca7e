/**
 * The distributed worker's settings: Kafka Connect's distributed worker keys (reference §5.1). Defaults differ from
 * Connect's in three places, so that a killed worker's tasks run elsewhere within 10 s with default settings:
 * `session.timeout.ms` 6000 (Connect 10000; 6000 is the broker's default minimum), `heartbeat.interval.ms` 1000
 * (Connect 3000) and `scheduled.rebalance.max.delay.ms` 0 (Connect 300000). The trade-off is in the README: a worker
 * that is only being restarted loses its work to the others instead of getting it back.
 */
import { toSettings, WorkerConfigError } from './worker-config.js';
import type { StandaloneWorkerSettings } from './worker-config.js';
import { toInterWorkerSettings } from './inter-worker-keys.js';
import type { InterWorkerSettings } from './inter-worker-keys.js';

export interface InternalTopicSettings {
  name: string;
  partitions: number;
  /** -1: the broker's default. */
  replicationFactor: number;
  /** Other `<prefix>.*` keys, passed as topic configs (cleanup.policy is always compact). */
  configs: Record<string, string>;
}

export interface DistributedWorkerSettings extends Omit<StandaloneWorkerSettings, 'bootstrapServers' | 'fsync' | 'fsyncIntervalMs'> {
  bootstrapServers: string[];
  groupId: string;
  configTopic: InternalTopicSettings;
  offsetTopic: InternalTopicSettings;
  statusTopic: InternalTopicSettings;
  /**
   * pipectl's lease topic (the apply lock, one per cluster): `pipectl.lease.storage.topic`, default
   * `<config.storage.topic>-pipectl-leases`; always one partition; replication factor
   * `pipectl.lease.storage.replication.factor`, default the config topic's. Java workers ignore these keys.
   */
  leaseTopic: InternalTopicSettings;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  scheduledRebalanceMaxDelayMs: number;
  /** `connect.protocol` and the KIP-507 `inter.worker.*` keys (inter-worker-keys.ts). */
  interWorker: InterWorkerSettings;
}

export const DISTRIBUTED_DEFAULTS = {
  sessionTimeoutMs: 6000,
  heartbeatIntervalMs: 1000,
  rebalanceTimeoutMs: 60000,
  scheduledRebalanceMaxDelayMs: 0,
  offsetFlushIntervalMs: 60000,
} as const;

/** Validates and fills defaults; throws WorkerConfigError naming the key for anything missing or malformed. */
export function toDistributedSettings(raw: Record<string, string>, cwd: string, env: Readonly<Record<string, string | undefined>> = {}): DistributedWorkerSettings {
  const base = toSettings(raw, cwd, env);
  const required = (key: string): string => {
    const v = raw[key]?.trim();
    if (!v) throw new WorkerConfigError(`worker config ${key} is required in distributed mode`);
    return v;
  };
  const int = (key: string, fallback: number, min: number): number => {
    const v = raw[key]?.trim();
    if (v === undefined || v === '') return fallback;
    if (!/^-?\d+$/.test(v) || Number(v) < min) throw new WorkerConfigError(`worker config ${key}=${v} must be an integer >= ${min}`);
    return Number(v);
  };
  const topic = (prefix: string, partitions: number, ignorePartitions = false, defaults?: { name: string; replicationFactor: number }): InternalTopicSettings => {
    const name = defaults ? raw[`${prefix}.topic`]?.trim() || defaults.name : required(`${prefix}.topic`);
    const configs: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (!k.startsWith(`${prefix}.`)) continue;
      const rest = k.slice(prefix.length + 1);
      if (['topic', 'partitions', 'replication.factor', 'cleanup.policy'].includes(rest)) continue;
      configs[rest] = v;
    }
    const rf = int(`${prefix}.replication.factor`, defaults?.replicationFactor ?? 3, -1);
    if (rf === 0) throw new WorkerConfigError(`worker config ${prefix}.replication.factor must be -1 (broker default) or >= 1`);
    const p = ignorePartitions ? 1 : int(`${prefix}.partitions`, partitions, -1);
    if (p === 0) throw new WorkerConfigError(`worker config ${prefix}.partitions must be -1 (broker default) or >= 1`);
    return { name, partitions: p, replicationFactor: rf, configs };
  };
  required('bootstrap.servers');
  const groupId = required('group.id');
  // The config topic always has one partition: its records are one ordered log (config.storage.partitions is ignored).
  const configTopic = topic('config.storage', 1, true);
  const settings: DistributedWorkerSettings = {
    ...base,
    bootstrapServers: base.bootstrapServers ?? [],
    groupId,
    configTopic,
    offsetTopic: topic('offset.storage', 25),
    statusTopic: topic('status.storage', 5),
    // Named after the config topic, which is unique per cluster and a legal topic name (group.id need not be).
    leaseTopic: topic('pipectl.lease.storage', 1, true, { name: `${configTopic.name}-pipectl-leases`, replicationFactor: configTopic.replicationFactor }),
    sessionTimeoutMs: int('session.timeout.ms', DISTRIBUTED_DEFAULTS.sessionTimeoutMs, 1),
    heartbeatIntervalMs: int('heartbeat.interval.ms', DISTRIBUTED_DEFAULTS.heartbeatIntervalMs, 1),
    rebalanceTimeoutMs: int('rebalance.timeout.ms', DISTRIBUTED_DEFAULTS.rebalanceTimeoutMs, 1),
    scheduledRebalanceMaxDelayMs: int('scheduled.rebalance.max.delay.ms', DISTRIBUTED_DEFAULTS.scheduledRebalanceMaxDelayMs, 0),
    interWorker: toInterWorkerSettings(raw),
  };
  if (settings.heartbeatIntervalMs >= settings.sessionTimeoutMs) {
    throw new WorkerConfigError(`worker config heartbeat.interval.ms (${settings.heartbeatIntervalMs}) must be lower than session.timeout.ms (${settings.sessionTimeoutMs})`);
  }
  const names = [settings.configTopic.name, settings.offsetTopic.name, settings.statusTopic.name, settings.leaseTopic.name];
  if (new Set(names).size !== 4) {
    throw new WorkerConfigError(`worker config: config.storage.topic, offset.storage.topic, status.storage.topic and pipectl.lease.storage.topic must be four different topics (got ${names.join(', ')})`);
  }
  return settings;
}
