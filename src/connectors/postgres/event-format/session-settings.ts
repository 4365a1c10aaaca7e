/**
 * The session settings the connector applies on both its connections (snapshot and replication), so that the text
 * forms it receives are the ones this module parses. pgoutput text values are produced by the walsender's output
 * functions, which read these GUCs (set them in the replication connection's startup `options` too).
 */
export const SESSION_SETTINGS: Readonly<Record<string, string>> = {
  DateStyle: 'ISO',
  IntervalStyle: 'postgres',
  TimeZone: 'UTC',
  extra_float_digits: '3',
  bytea_output: 'hex',
};
