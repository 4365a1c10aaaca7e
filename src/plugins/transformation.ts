/**
 * The SMT contract (Kafka Connect's Transformation and Predicate), for records on their way through a worker. A record
 * is a plain object (ConnectRecord, or its SourceRecord/SinkRecord refinements); a transformation returns a new record
 * (spread the input so fields it does not know, like sourceOffset or kafkaOffset, survive), the same one, or null to
 * drop it. Values are schemaless (plain JSON maps, schema null) or schema'd (a Schema in Connect's JSON form; a struct
 * value is a plain object keyed by field name).
 */
import type { ConfigDef } from './config-def.js';
import type { ConnectRecord } from './connect-data.js';

export interface Transformation {
  /** Receives the transform's own keys (`transforms.<alias>.` removed, `type`/`predicate`/`negate` excluded). Throws TransformConfigError. */
  configure(config: Readonly<Record<string, string>>): void;
  apply<R extends ConnectRecord>(record: R): R | null;
  close?(): void;
}

export interface Predicate {
  configure(config: Readonly<Record<string, string>>): void;
  test(record: ConnectRecord): boolean;
}

/** A transformation or predicate as the registry knows it; `$Key`/`$Value` variants are separate plugins. */
export interface TransformationPlugin {
  kind: 'transformation' | 'predicate';
  /** Fully qualified Connect name, e.g. org.apache.kafka.connect.transforms.InsertField$Value. */
  className: string;
  /** Short names accepted in `transforms.<alias>.type`, e.g. InsertField$Value. */
  aliases: readonly string[];
  version: string;
  configDef: ConfigDef;
  create(): Transformation | Predicate;
}

/** A bad transform or predicate setting; `key` is the setting's name within the transform (e.g. `static.field`). */
export class TransformConfigError extends Error {
  readonly code = 'PIPECTL_TRANSFORM_INVALID_CONFIG';

  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransformConfigError';
  }
}

/**
 * A regular expression or date pattern that Java would reject, or that JavaScript cannot express (java-regex.ts,
 * simple-date-format.ts); the caller words it as the setting's error (TransformConfigError, a config validation message).
 */
export class PatternSyntaxError extends Error {
  readonly code = 'PIPECTL_TRANSFORM_INVALID_CONFIG';

  constructor(message: string) {
    super(message);
    this.name = 'PatternSyntaxError';
  }
}

/** A record the transform cannot handle (wrong type, missing field); the worker reports it in stage "transformation". */
export class TransformDataError extends Error {
  readonly code = 'PIPECTL_TRANSFORM_BAD_RECORD';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransformDataError';
  }
}
