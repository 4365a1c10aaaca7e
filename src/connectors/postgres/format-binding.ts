/**
 * The one place the connector takes the event format from. While ./event-format/ has stub bodies, TableEventFormat is
 * the shim's (format-shim.ts); switch the line below to the event format's own when its bodies are merged.
 */
export { ShimTableEventFormat as TableEventFormat } from './format-shim.js';
export { SESSION_SETTINGS, TypeCatalog, sequenceText } from './event-format/index.js';
export type { ColumnText, EventFormatOptions, PgColumn, PgTable, SourceInfo } from './event-format/index.js';
