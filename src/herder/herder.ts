/**
 * The Herder: the whole control plane of a Connect-style runtime, the one interface through which the REST API and
 * plan/apply see a runtime. Implementations: the standalone herder (src/runtime/standalone), the distributed herder
 * (src/runtime/distributed), both built on src/runtime/herder-base, and RestHerder (rest-client.ts), which drives any
 * Connect-compatible worker over HTTP, ours or Apache Kafka Connect's.
 *
 * Every method rejects with a HerderError subclass (NotFoundError, AlreadyExistsError, BadRequestError,
 * ConflictError) for the cases Kafka Connect reports with 404/409/400.
 */
import type {
  ConfigInfos,
  ConfigKeyInfo,
  ConnectorConfig,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  HealthInfo,
  InitialState,
  PluginInfo,
  RestartRequest,
  ServerInfo,
  TaskInfo,
  TaskState,
} from './types.js';

export interface CreatedConnector {
  /** True when the connector did not exist before (201), false when an existing one was updated (200). */
  created: boolean;
  info: ConnectorInfo;
}

export interface Herder {
  serverInfo(): Promise<ServerInfo>;
  health(): Promise<HealthInfo>;

  /** Names of all connectors, sorted. */
  connectors(): Promise<string[]>;
  connectorInfo(name: string): Promise<ConnectorInfo>;
  /** The raw stored config: secret references are returned as written, never resolved. */
  connectorConfig(name: string): Promise<ConnectorConfig>;
  /** Creates a connector (rejects with AlreadyExistsError when it exists). The default initial state is RUNNING. */
  createConnector(name: string, config: ConnectorConfig, initialState?: InitialState): Promise<ConnectorInfo>;
  /** Creates or replaces a connector's config; the target state of an existing connector is kept. */
  putConnectorConfig(name: string, config: ConnectorConfig): Promise<CreatedConnector>;
  /** Merges a partial config over the current one; a null value deletes the key (KIP-477). */
  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo>;
  deleteConnector(name: string): Promise<void>;

  pauseConnector(name: string): Promise<void>;
  resumeConnector(name: string): Promise<void>;
  /** Stops the connector and removes its tasks (KIP-875); idempotent. */
  stopConnector(name: string): Promise<void>;
  /** Restarts the Connector instance only (the plain form of POST /restart). */
  restartConnector(name: string): Promise<void>;
  /** KIP-745 restart; resolves with the plan: current states with the instances to restart marked RESTARTING. */
  restartConnectorAndTasks(request: RestartRequest): Promise<ConnectorStateInfo>;
  restartTask(name: string, task: number): Promise<void>;

  connectorStatus(name: string): Promise<ConnectorStateInfo>;
  taskStatus(name: string, task: number): Promise<TaskState>;
  taskConfigs(name: string): Promise<TaskInfo[]>;

  /** Validates a connector config; resolves (never rejects) with per-key errors, like Connect's 200 answer. */
  validateConnectorConfig(config: ConnectorConfig): Promise<ConfigInfos>;
  plugins(connectorsOnly: boolean): Promise<PluginInfo[]>;
  pluginConfig(pluginName: string): Promise<ConfigKeyInfo[]>;

  connectorOffsets(name: string): Promise<ConnectorOffsets>;
  /** Only while the connector is STOPPED (else BadRequestError). Resolves with Connect's success message. */
  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string>;
  resetConnectorOffsets(name: string): Promise<string>;

  /**
   * Distributed mode's internal endpoint (`POST /connectors/{name}/tasks`): a worker that runs a connector hands its
   * newly generated task configs to the leader, which writes them to the config topic. Absent on herders that have no
   * cluster (the endpoint then answers 404, as a standalone Connect worker's would).
   */
  putTaskConfigs?(name: string, configs: readonly Record<string, string>[]): Promise<void>;
}
