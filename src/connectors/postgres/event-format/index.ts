/**
 * The Debezium change-event format of the Postgres source, pure: table metadata + Postgres text values → Connect
 * schemas and values that our JsonConverter writes as the JSON a Debezium 3.x consumer reads. See README.md.
 */
export { TableEventFormat } from './table-event-format.js';
export type { EnvelopeOp } from './table-event-format.js';
export { TypeCatalog } from './type-catalog.js';
export { EVENT_FORMAT_DEFAULTS, SESSION_SETTINGS } from './types.js';
export type { ColumnText, EventFormatOptions, PgColumn, PgTable, SnapshotMarker, SourceInfo, TextValue } from './types.js';
export { SOURCE_SCHEMA, sequenceText, sourceStruct } from './source-block.js';
export { EventFormatError } from './event-format-error.js';
