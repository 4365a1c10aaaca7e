/**
 * The plan: pure data describing which herder operations would reconcile the live state with the desired state. It
 * holds what apply needs — the literal config to send, literal values in its changes — and so is never shown as it
 * is: its public form (public-form.ts: every secret redacted, versioned by FORMAT_VERSION) is what `plan --json`
 * prints, what `plan --out` saves and what every view reads.
 */
import type { ConnectorType, StatusState, TargetState as ConnectTargetState } from '../herder/types.js';
import type { Diagnostic } from '../diag/diagnostic.js';
import type { TargetState } from '../pipeline-files/desired-state.js';

/** The version of the plan's public form; bump it when that form changes incompatibly. */
export const FORMAT_VERSION = 1;

/** The reserved config key that marks a connector as managed by a pipectl project (value: the project id). */
export const OWNER_KEY = 'pipectl.owner';
/** The reserved config key holding the fingerprint of the config pipectl last applied (drift detection). */
export const APPLIED_HASH_KEY = 'pipectl.applied.hash';
/** Reserved keys apply stamps on the connectors it creates or updates (applied-stamp.ts): when, by whom, which commit. */
export const APPLIED_AT_KEY = 'pipectl.applied.at';
export const APPLIED_BY_KEY = 'pipectl.applied.by';
export const APPLIED_COMMIT_KEY = 'pipectl.applied.commit';

/** One connector as read from the runtime (GET /connectors?expand=info&expand=status). */
export interface LiveConnector {
  name: string;
  config: Record<string, string>;
  type: ConnectorType;
  /** Connector status state (RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED, RESTARTING). */
  state: StatusState;
  taskStates: StatusState[];
  /** The stored target state when the runtime reports it; else inferred from `state`. */
  targetState?: ConnectTargetState;
}

/** One topic as the runtime reports it (GET /pipectl/v1/topics). */
export interface LiveTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** The configs set on the topic itself (overrides), not the broker's or the log's defaults. */
  config: Record<string, string>;
}

export interface LiveState {
  /** The runtime's base URL (for the plan header). */
  url: string;
  connectors: LiveConnector[];
  /** Undefined when the runtime exposes no topics (then topic operations are not planned). */
  topics?: LiveTopic[];
  /** Connector classes installed on the runtime, for alias resolution (FileStreamSource ≡ …FileStreamSourceConnector). */
  pluginClasses: string[];
}

export interface PlanOptions {
  /** Who owns what pipectl creates (OWNER_KEY value): from pipectl.yaml `project`, else the repository folder name. */
  project: string;
  /** Propose deleting owned connectors that are no longer declared (topics are never deleted; see topics.ts). */
  prune: boolean;
  /** Take ownership of declared connectors that exist live but are not owned. */
  adopt: boolean;
  /** Connectors to restart even without a change (`--restart NAME`). */
  restart: string[];
  /**
   * Extra config keys (exact or ending in `*`) that never produce a change — in connector configs and in the configs
   * of declared topics; `name` and `__internal.*` always.
   */
  ignoreKeys: string[];
}

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ConfigChange {
  key: string;
  kind: ChangeKind;
  /** Live value (in a public form: as shown, `(sensitive)` for secrets). Absent for `added`. */
  before?: string;
  /** Desired value (in a public form: as shown, `(sensitive)` for secrets). Absent for `removed`. */
  after?: string;
  /** The key names a secret or a value holds a secret reference (sensitivity.ts): its values are never shown. */
  sensitive: boolean;
}

interface OpBase {
  /** What the operation acts on: a connector or topic name. */
  name: string;
  /** The pipeline that declares it (absent for deletes of undeclared connectors). */
  pipeline?: string;
}

export type PlanOperation =
  | (OpBase & { op: 'create-topic'; partitions?: number; replicationFactor?: number; config: Record<string, string> })
  /**
   * Changes an existing topic where Kafka allows it: `partitions` (only ever up) and topic configs. `config` is the
   * patch to send — a value sets a key, null resets it to the default — and `changes` the same keys for display.
   */
  | (OpBase & { op: 'update-topic'; partitions?: { from: number; to: number }; config: Record<string, string | null>; changes: ConfigChange[] })
  /** `config`: the config to send, with pipectl's ownership keys (OWNER_KEY, APPLIED_HASH_KEY). */
  | (OpBase & { op: 'create'; initialState: TargetState; config: Record<string, string> })
  | (OpBase & { op: 'update'; config: Record<string, string>; changes: ConfigChange[]; adopt: boolean })
  | (OpBase & { op: 'pause' })
  | (OpBase & { op: 'resume' })
  | (OpBase & { op: 'stop' })
  /**
   * `requested` (--restart NAME): the connector and all its tasks. `failed`: a connector declared running whose
   * connector or tasks the live state shows FAILED; only those parts are restarted (Connect's
   * `restart?includeTasks=true&onlyFailed=true`), and `failed` says which, as seen when planning.
   */
  | (OpBase & { op: 'restart'; reason: 'requested' | 'failed'; failed?: FailedParts })
  | (OpBase & { op: 'delete'; role: ConnectorType });

export type PlanOperationKind = PlanOperation['op'];

/** The FAILED parts of a connector: the connector itself, and task indexes (in task id order). */
export interface FailedParts {
  connector: boolean;
  tasks: number[];
}

export interface Drift {
  connector: string;
  /** Keys whose live value differs from what pipectl last applied (changed outside pipectl). */
  keys: string[];
}

/**
 * A problem the plan found: diag's Diagnostic (one diagnostic type for files and plan), with a PLAN_CODES code, a
 * summary, the position in the pipeline file when there is one, and the `connector` or `topic` it is about.
 */
export type PlanDiagnostic = Diagnostic;

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  stateChange: number;
  restart: number;
  createTopic: number;
  updateTopic: number;
}

export interface Plan {
  formatVersion: typeof FORMAT_VERSION;
  project: string;
  target: string;
  operations: PlanOperation[];
  drift: Drift[];
  diagnostics: PlanDiagnostic[];
  summary: PlanSummary;
  /** Fingerprints of the inputs: apply --plan refuses when either changed since. */
  fingerprints: { desired: string; live: string };
}
