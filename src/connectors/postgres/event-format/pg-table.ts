/**
 * What the event format needs to know about a table and the connector's settings. The connector (the rest of
 * src/connectors/postgres) fills these from the pgoutput Relation message, the catalog and its config.
 */

/** One column, as the pgoutput Relation message and the catalog give it. */
export interface PgColumn {
  name: string;
  /** pg_attribute.atttypid (for a domain, the domain's OID: TypeCatalog resolves it to its base type). */
  typeOid: number;
  /** pg_attribute.atttypmod: -1 when the type has no modifier (e.g. `numeric` without precision). */
  typeMod: number;
  /** The column is nullable (NOT NULL → false). */
  optional: boolean;
}

/** A table: its columns in attribute order, and its key columns. */
export interface PgTable {
  schema: string;
  name: string;
  columns: PgColumn[];
  /** Primary-key columns (else those of the unique index used), in key order; [] → the key and key schema are null. */
  keyColumns: string[];
}

/** The connector settings that shape events (Debezium's keys of the same names). */
export interface EventFormatOptions {
  /** `topic.prefix`: names topics and schemas. */
  topicPrefix: string;
  /** `decimal.handling.mode` (numeric, decimal, money). */
  decimalHandlingMode: 'precise' | 'double' | 'string';
  /** `time.precision.mode` (the modes `isostring`, `microseconds`, `nanoseconds` are not implemented). */
  timePrecisionMode: 'adaptive' | 'adaptive_time_microseconds' | 'connect';
  /** `binary.handling.mode` (bytea; unknown types with include.unknown.datatypes). */
  binaryHandlingMode: 'bytes' | 'base64' | 'base64-url-safe' | 'hex';
  /** `include.unknown.datatypes`: false drops columns of unknown types, true emits their text's bytes. */
  includeUnknownDatatypes: boolean;
  /** `unavailable.value.placeholder` (default `__debezium_unavailable_value`; a `hex:` prefix means hex bytes). */
  unavailableValuePlaceholder: string;
  /** `money.fraction.digits` (default 2): the Decimal scale of `money` in precise mode. */
  moneyFractionDigits?: number;
  /** The `source.version` string; default pipectl's own version (Debezium writes its, e.g. "3.6.1.Final"). */
  connectorVersion?: string;
  /** `column.include.list` / `column.exclude.list`, already compiled; absent → every column. */
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

/** One column value as pgoutput (or a snapshot SELECT) gives it: text form, SQL NULL, or unchanged TOAST. */
export type ColumnText = string | null | undefined;
