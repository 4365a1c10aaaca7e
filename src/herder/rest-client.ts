/**
 * RestHerder: the Herder interface over HTTP, against any Connect-compatible worker — ours, or Apache Kafka Connect
 * 3.x/4.x. HTTP answers become the same typed errors an in-process herder throws (see rest-errors.ts); transient
 * failures are retried (see http-transport.ts). It also speaks pipectl's own lease routes (the apply lock), which only
 * our runtime serves: check supportsLeases() first.
 */
import type { CreatedConnector, Herder } from './herder.js';
import { HttpTransport } from './http-transport.js';
import type { RequestEvent, RetryEvent, RetryPolicy, TransportOptions } from './http-transport.js';
import { BadRequestError, HerderError } from './errors.js';
import { errorFromResponse, LeaseHeldError, responseMessage } from './rest-errors.js';
import type { RawResponse } from './rest-errors.js';
import type {
  ConfigInfos,
  ConfigKeyInfo,
  ConnectorConfig,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  ExpandedConnector,
  HealthInfo,
  InitialState,
  PluginInfo,
  RestartRequest,
  ServerInfo,
  TaskInfo,
  TaskState,
} from './types.js';

export type { ExpandedConnector, RequestEvent, RetryEvent, RetryPolicy };
export { LeaseHeldError, RuntimeUnreachableError } from './rest-errors.js';
export { RuntimeTlsError } from './tls-errors.js';
export type { TransportTls } from './http-transport.js';
export { readLiveConnectors, readPluginClasses } from './live-connectors.js';
export type { LiveConnectorSnapshot } from './live-connectors.js';

/** Options of RestHerder; see TransportOptions for each field (timeoutMs default 30 s, retry default 8 attempts). */
export type RestHerderOptions = TransportOptions;

/** A lease record of `/pipectl/v1/leases/{name}`. `expires_at` is an ISO-8601 instant. */
export interface LeaseInfo {
  name: string;
  holder: string;
  expires_at: string;
}

const LEASES = '/pipectl/v1/leases/';
/** The message prefix of our runtime's 404 for a lease that does not exist (how supportsLeases() recognises it). */
export const NO_LEASE_MESSAGE_PREFIX = 'No lease named';

/**
 * `/connectors/{name}`, percent-encoded. "." and ".." cannot be a path segment (URLs resolve them, encoded or not):
 * refused here with BadRequestError rather than sent to another route.
 */
const c = (name: string): string => {
  if (name === '.' || name === '..') throw new BadRequestError(`connector name "${name}" cannot be addressed in a REST path (/connectors/${name}/… resolves to another path)`);
  return `/connectors/${encodeURIComponent(name)}`;
};

const TOPICS = '/pipectl/v1/topics';

/** A topic as GET /pipectl/v1/topics reports it. */
export interface TopicSnapshot {
  name: string;
  partitions: number;
  replicationFactor: number;
  config: Record<string, string>;
}

export class RestHerder implements Herder {
  private readonly http: HttpTransport;

  /** Throws a TypeError when `options.url` is not an absolute http(s) URL. */
  constructor(private readonly options: RestHerderOptions) {
    this.http = new HttpTransport(options);
  }

  /**
   * The same client (headers, credentials) for another worker of the runtime, e.g. one a status names; one try, no
   * retries: a worker that does not answer is reported as such, not waited for.
   */
  at(url: string): RestHerder {
    return new RestHerder({ ...this.options, url, retry: { attempts: 1 }, timeoutMs: 10_000 });
  }

  /**
   * GET /metrics (pipectl's runtime: Prometheus's text format), or undefined when the runtime has none — Apache Kafka
   * Connect answers 404 (its metrics are JMX), as does a pipectl worker with metrics.prometheus.enable=false.
   */
  async metricsText(): Promise<string | undefined> {
    const res = await this.http.send('GET', '/metrics');
    if (res.status === 404) return undefined;
    if (res.status >= 200 && res.status < 300) return res.text;
    throw errorFromResponse(this.url, 'GET', '/metrics', res, res.attempts);
  }

  /** The runtime's base URL, without a trailing slash. */
  get url(): string {
    return this.http.url;
  }

  async serverInfo(): Promise<ServerInfo> {
    return (await this.get('/')) as ServerInfo;
  }

  /**
   * GET /health: resolves with the worker's answer for 200, 503 (starting) and 500 (unhealthy) alike. A runtime
   * without /health (Kafka Connect < 3.9) that answers GET / is reported healthy.
   */
  async health(): Promise<HealthInfo> {
    const res = await this.http.send('GET', '/health', undefined, { retryUnavailable: false });
    const body = res.body as Partial<HealthInfo> | undefined;
    if (typeof body?.status === 'string' && typeof body.message === 'string') return body as HealthInfo;
    if (res.status === 404) {
      await this.serverInfo();
      return { status: 'healthy', message: 'The runtime has no /health endpoint (Kafka Connect before 3.9); GET / answered.' };
    }
    throw errorFromResponse(this.url, 'GET', '/health', res, res.attempts);
  }

  async connectors(): Promise<string[]> {
    return ((await this.get('/connectors')) as string[]).slice().sort();
  }

  /**
   * One `GET /connectors?expand=info&expand=status`. Resolves with the map of Connect ≥ 2.3 (and ours), or undefined
   * when the runtime ignored `expand` and answered the plain list of names (older Connect). A connector whose status
   * is not known yet is left out by Connect itself.
   */
  async connectorsExpanded(): Promise<Record<string, ExpandedConnector> | undefined> {
    const body = await this.get('/connectors?expand=info&expand=status');
    if (Array.isArray(body)) return undefined;
    return body as Record<string, ExpandedConnector>;
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    return (await this.get(c(name))) as ConnectorInfo;
  }

  async connectorConfig(name: string): Promise<ConnectorConfig> {
    return (await this.get(`${c(name)}/config`)) as ConnectorConfig;
  }

  /** POST /connectors; `initial_state` (KIP-980, Connect ≥ 3.7) is sent only when given. */
  async createConnector(name: string, config: ConnectorConfig, initialState?: InitialState): Promise<ConnectorInfo> {
    c(name); // refuses a name no later request could address
    const request = { name, config, ...(initialState !== undefined ? { initial_state: initialState } : {}) };
    return (await this.http.call('POST', '/connectors', request)).body as ConnectorInfo;
  }

  /** PUT /connectors/{n}/config: `created` is true for a 201, false for a 200. */
  async putConnectorConfig(name: string, config: ConnectorConfig): Promise<CreatedConnector> {
    const res = await this.http.call('PUT', `${c(name)}/config`, config);
    return { created: res.status === 201, info: res.body as ConnectorInfo };
  }

  /** PATCH /connectors/{n}/config (KIP-477, Connect ≥ 3.8; older runtimes answer 405 → HerderError). */
  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    return (await this.http.call('PATCH', `${c(name)}/config`, patch)).body as ConnectorInfo;
  }

  async deleteConnector(name: string): Promise<void> {
    await this.http.call('DELETE', c(name));
  }

  async pauseConnector(name: string): Promise<void> {
    await this.http.call('PUT', `${c(name)}/pause`);
  }

  async resumeConnector(name: string): Promise<void> {
    await this.http.call('PUT', `${c(name)}/resume`);
  }

  /** PUT /connectors/{n}/stop (KIP-875, Connect ≥ 3.5). */
  async stopConnector(name: string): Promise<void> {
    await this.http.call('PUT', `${c(name)}/stop`);
  }

  async restartConnector(name: string): Promise<void> {
    await this.http.call('POST', `${c(name)}/restart`);
  }

  /**
   * POST /connectors/{n}/restart?includeTasks=&onlyFailed= → the 202 plan. With both flags false Connect answers 204
   * without a plan; the current status is then read and returned.
   */
  async restartConnectorAndTasks(request: RestartRequest): Promise<ConnectorStateInfo> {
    const query = `includeTasks=${request.includeTasks}&onlyFailed=${request.onlyFailed}`;
    const res = await this.http.call('POST', `${c(request.connector)}/restart?${query}`);
    if (res.body !== undefined) return res.body as ConnectorStateInfo;
    return this.connectorStatus(request.connector);
  }

  async restartTask(name: string, task: number): Promise<void> {
    await this.http.call('POST', `${c(name)}/tasks/${task}/restart`);
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    return (await this.get(`${c(name)}/status`)) as ConnectorStateInfo;
  }

  async taskStatus(name: string, task: number): Promise<TaskState> {
    return (await this.get(`${c(name)}/tasks/${task}/status`)) as TaskState;
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    return (await this.get(`${c(name)}/tasks`)) as TaskInfo[];
  }

  /**
   * PUT /connector-plugins/{connector.class}/config/validate. Rejects with BadRequestError, without a request, when
   * the config has no `connector.class` (Connect's message), since the path needs it.
   */
  async validateConnectorConfig(config: ConnectorConfig): Promise<ConfigInfos> {
    const plugin = config['connector.class'];
    if (plugin === undefined || plugin.trim() === '') {
      throw new BadRequestError(`Connector config ${JSON.stringify(config)} contains no connector type`);
    }
    return (await this.http.call('PUT', `/connector-plugins/${encodeURIComponent(plugin)}/config/validate`, config)).body as ConfigInfos;
  }

  async plugins(connectorsOnly: boolean): Promise<PluginInfo[]> {
    return (await this.get(`/connector-plugins?connectorsOnly=${connectorsOnly}`)) as PluginInfo[];
  }

  async pluginConfig(pluginName: string): Promise<ConfigKeyInfo[]> {
    return (await this.get(`/connector-plugins/${encodeURIComponent(pluginName)}/config`)) as ConfigKeyInfo[];
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    return (await this.get(`${c(name)}/offsets`)) as ConnectorOffsets;
  }

  async alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string> {
    return messageOf(await this.http.call('PATCH', `${c(name)}/offsets`, offsets));
  }

  async resetConnectorOffsets(name: string): Promise<string> {
    return messageOf(await this.http.call('DELETE', `${c(name)}/offsets`));
  }

  /**
   * True when the runtime serves pipectl's lease routes: GET /pipectl/v1/leases/… answers 200, or 404 with our
   * "No lease named…" error body. Jersey's 404 (Kafka Connect), a non-JSON 404 or a 405 mean unsupported (false).
   * Rejects only when the runtime cannot be reached.
   */
  async supportsLeases(): Promise<boolean> {
    const res = await this.http.send('GET', `${LEASES}pipectl-probe`);
    if (res.status === 200) return isLease(res.body);
    return res.status === 404 && responseMessage(res).startsWith(NO_LEASE_MESSAGE_PREFIX) && typeof res.body === 'object';
  }

  /**
   * Takes the lease `name` for `ttlMs`, or renews it when `holder` already holds it. Rejects with LeaseHeldError
   * (never retried) when someone else holds it, with HerderError when the runtime has no lease routes.
   */
  async acquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseInfo> {
    const path = `${LEASES}${encodeURIComponent(name)}`;
    const res = await this.http.send('PUT', path, { holder, ttl_ms: ttlMs }, { retryConflicts: false });
    if (res.status === 200) return res.body as LeaseInfo;
    throw leaseError(this.url, 'PUT', path, res);
  }

  /** Extends a lease this holder has (the same request as acquireLease; a lease that expired meanwhile is re-taken). */
  async renewLease(name: string, holder: string, ttlMs: number): Promise<LeaseInfo> {
    return this.acquireLease(name, holder, ttlMs);
  }

  /**
   * Releases the lease if `holder` holds it: resolves true when released, false when there was none (expired or
   * never taken). Rejects with LeaseHeldError when someone else holds it.
   */
  async releaseLease(name: string, holder: string): Promise<boolean> {
    const path = `${LEASES}${encodeURIComponent(name)}?holder=${encodeURIComponent(holder)}`;
    const res = await this.http.send('DELETE', path, undefined, { retryConflicts: false });
    if (res.status === 204 || res.status === 200) return true;
    if (res.status === 404 && responseMessage(res).startsWith(NO_LEASE_MESSAGE_PREFIX)) return false;
    throw leaseError(this.url, 'DELETE', path, res);
  }

  /** The current lease `name`, or undefined when there is none. */
  async getLease(name: string): Promise<LeaseInfo | undefined> {
    const path = `${LEASES}${encodeURIComponent(name)}`;
    const res = await this.http.send('GET', path);
    if (res.status === 200) return res.body as LeaseInfo;
    if (res.status === 404 && responseMessage(res).startsWith(NO_LEASE_MESSAGE_PREFIX)) return undefined;
    throw leaseError(this.url, 'GET', path, res);
  }

  /**
   * Topics as pipectl's runtime reports them (`GET /pipectl/v1/topics`), or undefined when the runtime has no such
   * route (Apache Kafka Connect): then plan does not plan topics.
   */
  async listTopics(): Promise<TopicSnapshot[] | undefined> {
    const res = await this.http.send('GET', TOPICS);
    if (res.status === 200 && Array.isArray(res.body)) return res.body as TopicSnapshot[];
    return undefined;
  }

  /** Creates a topic through pipectl's runtime (`POST /pipectl/v1/topics`); an existing topic is not an error. */
  async createTopic(name: string, settings: { partitions?: number; replicationFactor?: number; config: Record<string, string> }): Promise<void> {
    const res = await this.http.send('POST', TOPICS, { name, ...settings });
    if (res.status === 201 || res.status === 409) return;
    throw new HerderError('internal', `creating topic ${name} through ${this.url}${TOPICS} failed: HTTP ${res.status} ${responseMessage(res)}`);
  }

  /**
   * Changes a topic through pipectl's runtime (`PATCH /pipectl/v1/topics/{name}`): raises its partition count to
   * `partitions` (the same count is no change) and applies `config` as a merge patch (a value sets a key, null resets
   * it to the default). Resolves with the topic as the runtime then describes it. Rejects with NotFoundError for an
   * unknown topic, BadRequestError for a change the runtime refuses (fewer partitions, an invalid config), and
   * HerderError for anything else (including a runtime without the route).
   */
  async alterTopic(name: string, changes: { partitions?: number; config?: Record<string, string | null> }): Promise<TopicSnapshot> {
    // Idempotent (a partition count and config values, not increments), so the transport's retries are safe.
    return (await this.http.call('PATCH', `${TOPICS}/${encodeURIComponent(name)}`, changes)).body as TopicSnapshot;
  }

  private async get(path: string): Promise<unknown> {
    return (await this.http.call('GET', path)).body;
  }
}

function messageOf(res: RawResponse): string {
  const message = (res.body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : '';
}

function isLease(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as LeaseInfo).holder === 'string';
}

function leaseError(url: string, method: string, path: string, res: RawResponse & { attempts: number }): HerderError {
  if (res.status === 409) {
    const body = (res.body ?? {}) as { holder?: unknown; expires_at?: unknown };
    return new LeaseHeldError(
      responseMessage(res),
      typeof body.holder === 'string' ? body.holder : undefined,
      typeof body.expires_at === 'string' ? body.expires_at : undefined,
    );
  }
  return errorFromResponse(url, method, path, res, res.attempts);
}
