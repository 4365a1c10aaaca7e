/**
 * The Debezium change-event format of pipectl's Postgres CDC source, as a pure module: Postgres column metadata and
 * text values in, Connect schemas and values out (see README.md for the type mapping and the differences from
 * Debezium 3.6.1). Shape follows issue 16's contract, with these additions: EventFormatOptions.moneyFractionDigits
 * and .connectorVersion, TableEventFormat.rowSchema, op 't' in envelope(), TypeCatalog.resolve().
 */
export type { ColumnText, EventFormatOptions, PgColumn, PgTable } from './pg-table.js';
export { EVENT_FORMAT_DEFAULTS } from './pg-table.js';
export { SESSION_SETTINGS } from './session-settings.js';
export type { ResolvedType } from './type-catalog.js';
export { TypeCatalog } from './type-catalog.js';
export type { SourceInfo } from './source-info.js';
export { SOURCE_SCHEMA, sequenceText, sourceStruct } from './source-info.js';
export type { EnvelopeOp } from './table-event-format.js';
export { TableEventFormat } from './table-event-format.js';
