/**
 * The standalone worker's settings: Kafka Connect's worker keys (a `.properties` file, or YAML with the same keys)
 * plus pipectl's own (`data.dir`, `log.fsync.*`). Unknown keys are kept: converters and plugins read their own.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseProperties } from './properties.js';
import { unhonouredSecurityKeys } from './security-keys.js';
import { WorkerConfigError } from './worker-config-error.js';
import { basicAuthJaasFile } from './rest-auth-keys.js';
import { restTlsKeys } from './rest-tls-keys.js';
import type { RestTlsKeys } from './rest-tls-keys.js';
import { restartPolicyOf, restartPolicyProblem } from './restart-policy.js';
import type { RestartPolicy } from './restart-policy.js';

export interface StandaloneWorkerSettings {
  /** Every key as given (strings), for converters and plugins. */
  raw: Record<string, string>;
  dataDir: string;
  /** The first entry of `listeners` (default http://127.0.0.1:8083). */
  listener: string;
  /** Every entry of `listeners`, comma-separated as written (one REST server each). */
  listeners: string;
  /** The REST API's TLS and authentication settings. */
  restSecurity: RestSecuritySettings;
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
  /** `pipectl.ui.enable` (default true): GET /ui serves the read-only web view of the pipelines; when false, 404. */
  uiEnable: boolean;
  /**
   * `pipectl.restart.*`: the restart policy of connectors that set none of these keys themselves (default: off; see
   * config/restart-policy.ts for the default schedule and why).
   */
  restartPolicy: RestartPolicy;
}

export { WorkerConfigError } from './worker-config-error.js';
export type { WorkerConfigErrorCode } from './worker-config-error.js';

/** What protects the REST API: read from the worker config by toSettings, loaded by src/runtime/rest/rest-security.ts. */
export interface RestSecuritySettings {
  /** The HTTPS listener's keys; set when `listeners` has an https:// entry. */
  tls?: RestTlsKeys;
  /** The JAAS file of Basic auth; set when rest.extension.classes names BasicAuthSecurityRestExtension. */
  basicAuthJaasFile?: string;
  /** `rest.advertised.listener` as written (checked against the listeners when the REST server starts). */
  advertisedListener?: string;
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
 * runtime does not honour (see security-keys.ts), PIPECTL_WORKER_TLS_STORE for an https listener without a key store and
 * PIPECTL_WORKER_BASIC_AUTH_CONFIG for Basic auth without a JAAS file. `env` is read for KAFKA_OPTS only.
 */
export function toSettings(raw: Record<string, string>, cwd: string, env: Readonly<Record<string, string | undefined>> = {}): StandaloneWorkerSettings {
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
  const listeners = raw['listeners'] ?? 'http://127.0.0.1:8083';
  const listener = listeners.split(',')[0]!.trim();
  const inCwd = (p: string): string => resolve(cwd, p);
  const jaas = basicAuthJaasFile(raw, env, inCwd);
  const advertisedListener = raw['rest.advertised.listener']?.trim();
  const restSecurity: RestSecuritySettings = {
    ...(/(^|,)\s*https:\/\//i.test(listeners) ? { tls: restTlsKeys(raw, inCwd) } : {}),
    ...(jaas !== undefined ? { basicAuthJaasFile: jaas } : {}),
    ...(advertisedListener ? { advertisedListener } : {}),
  };
  const bootstrap = (raw['bootstrap.servers'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (raw['bootstrap.servers'] !== undefined && bootstrap.length === 0) throw new WorkerConfigError('worker config bootstrap.servers must list at least one host:port');
  return {
    raw,
    dataDir: resolve(cwd, raw['data.dir'] ?? './pipectl-data'),
    listener,
    listeners,
    restSecurity,
    offsetFlushIntervalMs: int('offset.flush.interval.ms', 60000, 1),
    gracefulTimeoutMs: int('task.shutdown.graceful.timeout.ms', 5000),
    pluginPath: (raw['plugin.path'] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((p) => resolve(cwd, p)),
    fsync,
    fsyncIntervalMs: int('log.fsync.interval.ms', 1000, 1),
    topicCreationEnable: bool('topic.creation.enable', true),
    metricsEnable: bool('metrics.prometheus.enable', true),
    uiEnable: bool('pipectl.ui.enable', true),
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
