/**
 * The shapes of Kafka Connect's control plane, as its REST API spells them (snake_case where Connect uses it), shared
 * by the Herder implementations, the REST server and the REST client.
 */

export type ConnectorType = 'source' | 'sink' | 'unknown';

/** What the user wants, as stored (Connect's TargetState). */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

/** `initial_state` of POST /connectors (KIP-980). */
export type InitialState = 'RUNNING' | 'PAUSED' | 'STOPPED';

/** What is actually happening (Connect's AbstractStatus.State, without DESTROYED which users never see). */
export type StatusState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';

export type ConnectorConfig = Record<string, string>;

export interface ConnectorTaskId {
  connector: string;
  task: number;
}

/** GET /connectors/{name} */
export interface ConnectorInfo {
  name: string;
  config: ConnectorConfig;
  tasks: ConnectorTaskId[];
  type: ConnectorType;
}

export interface ConnectorState {
  state: StatusState;
  worker_id: string;
  /** The failure's stack trace; left out when empty. */
  trace?: string;
  /** The plugin's version (Connect 4.x reports it); left out when the plugin is unknown. */
  version?: string;
}

export interface TaskState extends ConnectorState {
  id: number;
  /**
   * pipectl's runtime only (Connect has no such field; its clients ignore it): how many times the restart policy
   * restarted this task since it was last started by anything else. Absent when none.
   */
  restarts?: number;
}

/** GET /connectors/{name}/status */
export interface ConnectorStateInfo {
  name: string;
  connector: ConnectorState;
  tasks: TaskState[];
  type: ConnectorType;
}

/** One entry of `GET /connectors?expand=info&expand=status`; either part is absent when it was not asked for. */
export interface ExpandedConnector {
  info?: ConnectorInfo;
  status?: ConnectorStateInfo;
}

/** GET /connectors/{name}/tasks */
export interface TaskInfo {
  id: ConnectorTaskId;
  config: ConnectorConfig;
}

/** POST /connectors/{name}/restart options (KIP-745). */
export interface RestartRequest {
  connector: string;
  includeTasks: boolean;
  onlyFailed: boolean;
}

export interface PluginInfo {
  class: string;
  type: 'source' | 'sink' | 'transformation' | 'predicate' | 'converter' | 'header_converter';
  version?: string;
}

export type ConfigType = 'BOOLEAN' | 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'LIST' | 'CLASS' | 'PASSWORD';
export type Importance = 'HIGH' | 'MEDIUM' | 'LOW';

/** GET /connector-plugins/{p}/config item, and `definition` in a validation answer. */
export interface ConfigKeyInfo {
  name: string;
  type: ConfigType;
  required: boolean;
  default_value: string | null;
  importance: Importance;
  documentation: string;
  group: string | null;
  order: number;
  width: 'NONE' | 'SHORT' | 'MEDIUM' | 'LONG';
  display_name: string;
  dependents: string[];
}

export interface ConfigValueInfo {
  name: string;
  value: string | null;
  recommended_values: string[];
  errors: string[];
  visible: boolean;
}

/** PUT /connector-plugins/{p}/config/validate */
export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: { definition: ConfigKeyInfo; value: ConfigValueInfo }[];
}

/** One entry of GET /connectors/{name}/offsets (sink partitions are {kafka_topic, kafka_partition}). */
export interface ConnectorOffset {
  partition: Record<string, unknown>;
  offset: Record<string, unknown> | null;
}

export interface ConnectorOffsets {
  offsets: ConnectorOffset[];
}

/** GET / */
export interface ServerInfo {
  version: string;
  commit: string;
  kafka_cluster_id: string | null;
}

/** GET /health */
export interface HealthInfo {
  status: 'healthy' | 'starting' | 'unhealthy';
  message: string;
}
