/**
 * The desired state: what the pipeline files declare, validated and normalised into Kafka Connect's own terms
 * (flat string→string connector configs). Deterministic: the same files always give the same value, in file order.
 */
import type { SourcePos } from '../diag/diagnostic.js';

/** Kafka Connect's target states, as `initial_state` and the status API spell them. */
export type TargetState = 'RUNNING' | 'PAUSED' | 'STOPPED';

export type ConnectorRole = 'source' | 'sink';

export interface ConnectorSpec {
  /** The connector's name in the runtime. */
  name: string;
  /** The pipeline (metadata.name) that declares it. */
  pipeline: string;
  /** Declared role, when the file says; otherwise learnt from the runtime later. */
  role?: ConnectorRole;
  state: TargetState;
  /**
   * The config exactly as it will be sent to the runtime: keys sorted, values strings, `connector.class` and
   * `tasks.max` folded in, structured transforms compiled to `transforms.*`. Secret references (`${env:…}`,
   * `${file:…}`) are kept as written; `name` is not included (the runtime injects it).
   */
  config: Record<string, string>;
  /** Where the connector is declared (its list item). */
  pos: SourcePos;
  /** Where each config key was written, for later diagnostics (plan, apply). */
  configPos: Record<string, SourcePos>;
}

export interface TopicSpec {
  name: string;
  /** Pipelines that declare this topic (a topic may be shared, with identical settings). */
  pipelines: string[];
  partitions?: number;
  replicationFactor?: number;
  config: Record<string, string>;
  /** Where the topic is declared (its `name`). */
  pos: SourcePos;
  /** Where `partitions` and `replicationFactor` were written, when they were (for plan diagnostics). */
  settingPos: { partitions?: SourcePos; replicationFactor?: SourcePos };
  /** Where each config key was written. */
  configPos: Record<string, SourcePos>;
}

export interface PipelineSpec {
  name: string;
  labels: Record<string, string>;
  file: string;
  pos: SourcePos;
  /** Names of its connectors, in file order. */
  connectors: string[];
  /** Names of its topics, in file order. */
  topics: string[];
}

export interface DesiredState {
  pipelines: PipelineSpec[];
  connectors: ConnectorSpec[];
  topics: TopicSpec[];
}
