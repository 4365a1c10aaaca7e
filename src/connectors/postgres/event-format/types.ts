/**
 * The inputs of the event format: a table as pgoutput's Relation message and the catalog describe it, the options a
 * connector config sets, and what the connector knows of one change. Values arrive as Postgres text forms (what
 * pgoutput sends and a SELECT returns under SESSION_SETTINGS): a string, null for SQL NULL, undefined for an unchanged
 * TOASTed value pgoutput did not send.
 */

/** A column: its type (pg_type oid, atttypmod, -1 when none) and whether it is nullable. */
export interface PgColumn {
  name: string;
  typeOid: number;
  typeMod: number;
  optional: boolean;
}

/** A captured table; `keyColumns` are the primary key (else a unique index) in key order, [] for no key. */
export interface PgTable {
  schema: string;
  name: string;
  columns: PgColumn[];
  keyColumns: string[];
}

/** The connector settings that shape events (Debezium's keys of the same names). */
export interface EventFormatOptions {
  /** `topic.prefix`: names topics and schemas. */
  topicPrefix: string;
  decimalHandlingMode: 'precise' | 'double' | 'string';
  /** (`isostring`, `microseconds`, `nanoseconds` are not implemented.) */
  timePrecisionMode: 'adaptive' | 'adaptive_time_microseconds' | 'connect';
  binaryHandlingMode: 'bytes' | 'base64' | 'base64-url-safe' | 'hex';
  /** false leaves out columns of unknown types; true writes their text's bytes (Debezium: their raw bytes). */
  includeUnknownDatatypes: boolean;
  /** Stand-in for an unchanged TOASTed value with no old value to take (`hex:` prefix: hex bytes). */
  unavailableValuePlaceholder: string;
  /** `money.fraction.digits` (default 2): the Decimal scale of `money` in precise mode. */
  moneyFractionDigits?: number;
  /** `source.version`; default pipectl's own version. */
  connectorVersion?: string;
  /** `column.include.list` / `column.exclude.list`, compiled; absent: every column. */
  columnIncluded?: (schema: string, table: string, column: string) => boolean;
}

/** Debezium's defaults for the options above (topicPrefix has none). */
export const EVENT_FORMAT_DEFAULTS: Readonly<Omit<EventFormatOptions, 'topicPrefix'>> = {
  decimalHandlingMode: 'precise',
  timePrecisionMode: 'adaptive',
  binaryHandlingMode: 'bytes',
  includeUnknownDatatypes: false,
  unavailableValuePlaceholder: '__debezium_unavailable_value',
  moneyFractionDigits: 2,
};

export type SnapshotMarker = 'true' | 'first' | 'first_in_data_collection' | 'last_in_data_collection' | 'last' | 'false';

/** What the connector knows of one event, for Debezium's `source` block. */
export interface SourceInfo {
  /** Commit time (streaming) or the time read once per table (snapshot), µs since the epoch. */
  tsUs: bigint;
  snapshot: SnapshotMarker;
  db: string;
  /** `["<last commit LSN>","<this LSN>"]` (sequenceText), or null. */
  sequence: string | null;
  schema: string;
  table: string;
  txId: number | null;
  /** The WAL position of this change (snapshot: the slot's consistent point). */
  lsn: bigint | null;
}

export type TextValue = string | null | undefined;
/** The name the connector uses for a text value. */
export type ColumnText = TextValue;

/**
 * Session settings both connections of the connector apply, so that text forms are the ones parsed here: ISO dates,
 * UTC offsets, exact floats, hex bytea, postgres-style intervals.
 */
export const SESSION_SETTINGS: Readonly<Record<string, string>> = {
  DateStyle: 'ISO',
  TimeZone: 'UTC',
  extra_float_digits: '3',
  bytea_output: 'hex',
  IntervalStyle: 'postgres',
};
