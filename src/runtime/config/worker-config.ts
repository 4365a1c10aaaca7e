/**
 * The standalone worker's settings: Kafka Connect's worker keys (a `.properties` file, or YAML with the same keys)
 * plus pipectl's own (`data.dir`, `log.fsync.*`). Unknown keys are kept: converters and plugins read their own.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseProperties } from './properties.js';
import { unhonouredSecurityKeys } from './security-keys.js';
import { restartPolicyOf, restartPolicyProblem } from './restart-policy.js';
import type { RestartPolicy } from './restart-policy.js';

export interface StandaloneWorkerSettings {
  /** Every key as given (strings), for converters and plugins. */
  raw: Record<string, string>;
  dataDir: string;
  /** The first entry of `listeners` (default http://127.0.0.1:8083). */
  listener: string;
  offsetFlushIntervalMs: number;
  gracefulTimeoutMs: number;
  pluginPath: string[];
  fsync: 'always' | 'interval' | 'never';
  fsyncIntervalMs: number;
  advertisedHost?: string;
  advertisedPort?: number;
  /**
   * `bootstrap.servers` (host:port list) when set: records then live in that Kafka cluster instead of the embedded
   * log (source offsets, configs and statuses stay in `data.dir`, as in Connect's standalone mode).
   */
  bootstrapServers?: string[];
  /**
   * `topic.creation.enable` (default true): source connectors with `topic.creation.*` keys create the topics they write
   * to with those settings (KIP-158); when false those keys are ignored.
   */
  topicCreationEnable: boolean;
  /** `metrics.prometheus.enable` (default true): GET /metrics serves the worker's metrics; when false none are kept. */
  metricsEnable: boolean;
  /**
   * `pipectl.restart.*`: the restart policy of connectors that set none of these keys themselves (default: off; see
   * config/restart-policy.ts for the default schedule and why).
   */
  restartPolicy: RestartPolicy;
}

/** A worker config or connector file the worker cannot start with; the message names the file or key. */
export class WorkerConfigError extends Error {
  /** The catalogue code (src/diag/codes.ts): PIPECTL_WORKER_INVALID_CONFIG unless a refusal names a finer one. */
  readonly code: 'PIPECTL_WORKER_UNSUPPORTED_SECURITY' | 'PIPECTL_WORKER_INVALID_CONFIG';

  constructor(message: string, code: 'PIPECTL_WORKER_UNSUPPORTED_SECURITY' | 'PIPECTL_WORKER_INVALID_CONFIG' = 'PIPECTL_WORKER_INVALID_CONFIG') {
    super(message);
    this.name = 'WorkerConfigError';
    this.code = code;
  }
}

/** Reads a worker config file; `.yaml`/`.yml`/`.json` are YAML, anything else is Java properties. */
export function readWorkerConfigFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new WorkerConfigError(`cannot read worker config ${path}: ${(e as Error).message}`);
  }
  if (/\.(ya?ml|json)$/i.test(path)) {
    const parsed = parseYaml(text) as unknown;
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new WorkerConfigError(`worker config ${path} must be a mapping of keys to values`);
    return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  return parseProperties(text);
}

/**
 * Validates a worker config and fills defaults (standalone; distributed builds on it). Throws WorkerConfigError naming
 * the key for a malformed value, and with code PIPECTL_WORKER_UNSUPPORTED_SECURITY naming every security key the
 * runtime does not honour (see security-keys.ts).
 */
export function toSettings(raw: Record<string, string>, cwd: string): StandaloneWorkerSettings {
  const unhonoured = unhonouredSecurityKeys(raw);
  if (unhonoured.length > 0) {
    const list = unhonoured.map((u) => `${u.key} (${u.reason})`).join('; ');
    throw new WorkerConfigError(`worker config sets security settings this runtime does not honour, so it will not start without the protection they ask for; remove them: ${list}`, 'PIPECTL_WORKER_UNSUPPORTED_SECURITY');
  }
  const int = (key: string, fallback: number, min = 0): number => {
    const v = raw[key];
    if (v === undefined || v.trim() === '') return fallback;
    if (!/^\d+$/.test(v.trim()) || Number(v) < min) throw new WorkerConfigError(`worker config ${key}=${v} must be an integer >= ${min}`);
    return Number(v);
  };
  const fsync = (raw['log.fsync'] ?? 'interval').trim();
  if (fsync !== 'always' && fsync !== 'interval' && fsync !== 'never') throw new WorkerConfigError(`worker config log.fsync=${fsync} must be always, interval or never`);
  const bool = (key: string, fallback: boolean): boolean => {
    const v = raw[key]?.trim();
    if (v === undefined || v === '') return fallback;
    if (!/^(true|false)$/i.test(v)) throw new WorkerConfigError(`worker config ${key}=${v} must be true or false`);
    return v.toLowerCase() === 'true';
  };
  const listener = (raw['listeners'] ?? 'http://127.0.0.1:8083').split(',')[0]!.trim();
  const bootstrap = (raw['bootstrap.servers'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (raw['bootstrap.servers'] !== undefined && bootstrap.length === 0) throw new WorkerConfigError('worker config bootstrap.servers must list at least one host:port');
  return {
    raw,
    dataDir: resolve(cwd, raw['data.dir'] ?? './pipectl-data'),
    listener,
    offsetFlushIntervalMs: int('offset.flush.interval.ms', 60000, 1),
    gracefulTimeoutMs: int('task.shutdown.graceful.timeout.ms', 5000),
    pluginPath: (raw['plugin.path'] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((p) => resolve(cwd, p)),
    fsync,
    fsyncIntervalMs: int('log.fsync.interval.ms', 1000, 1),
    topicCreationEnable: bool('topic.creation.enable', true),
    metricsEnable: bool('metrics.prometheus.enable', true),
    restartPolicy: workerRestartPolicy(raw),
    ...(raw['rest.advertised.host.name'] ? { advertisedHost: raw['rest.advertised.host.name'] } : {}),
    ...(raw['rest.advertised.port'] ? { advertisedPort: int('rest.advertised.port', 0) } : {}),
    ...(bootstrap.length > 0 ? { bootstrapServers: bootstrap } : {}),
  };
}

/** The worker's `pipectl.restart.*` keys over the defaults; WorkerConfigError names a malformed or unknown key. */
function workerRestartPolicy(raw: Record<string, string>): RestartPolicy {
  const problem = restartPolicyProblem(raw);
  if (problem) throw new WorkerConfigError(`worker config: ${problem}`);
  return restartPolicyOf(raw);
}

/** The REST server's access settings from a worker config: Connect's CORS keys and the advertised host and port. */
export function restAccess(settings: Pick<StandaloneWorkerSettings, 'raw' | 'advertisedHost' | 'advertisedPort'>): { accessControlAllowOrigin?: string; accessControlAllowMethods?: string; advertisedHost?: string; advertisedPort?: number } {
  const origin = settings.raw['access.control.allow.origin'];
  const methods = settings.raw['access.control.allow.methods'];
  return {
    ...(origin !== undefined ? { accessControlAllowOrigin: origin } : {}),
    ...(methods !== undefined ? { accessControlAllowMethods: methods } : {}),
    ...(settings.advertisedHost !== undefined ? { advertisedHost: settings.advertisedHost } : {}),
    ...(settings.advertisedPort !== undefined ? { advertisedPort: settings.advertisedPort } : {}),
  };
}
