/**
 * The Postgres source's config keys, Debezium's names and defaults for what it supports (plus the refused ones from
 * debezium-restricted-keys.ts), declared once: they drive validation, config/validate and the docs.
 */
import type { ConfigDef, ConfigKeyDef } from '../../plugins/config-def.js';
import { invalidValue, parseList } from '../../plugins/config-validation.js';
import { RESTRICTED_KEY_DEFS, unsupportedMessage } from './debezium-restricted-keys.js';

export const SNAPSHOT_MODES = ['initial', 'no_data', 'never', 'when_needed', 'always', 'initial_only'] as const;
export const AUTOCREATE_MODES = ['all_tables', 'filtered', 'disabled', 'no_tables'] as const;
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

const oneOf = (name: string, values: readonly string[], refused: Record<string, string> = {}) => (v: string): string | undefined => {
  const lower = v.toLowerCase();
  if (refused[lower]) return unsupportedMessage(name, v, refused[lower]);
  return values.includes(lower) ? undefined : invalidValue(name, v, `Must be one of ${values.join(', ')}`);
};
const atLeast = (name: string, min: number) => (v: string): string | undefined => (Number(v) < min ? invalidValue(name, v, `Value must be at least ${min}`) : undefined);

/** A regex list: each pattern must compile (JavaScript syntax; the README lists the differences from Java's). */
function regexList(name: string, pairedWith: string): ConfigKeyDef {
  return {
    name, type: 'LIST', default: null, importance: 'MEDIUM', group: 'Filters',
    documentation: `Comma-separated regular expressions, each matched against the whole identifier. Use ${name} or ${pairedWith}, not both.`,
    validate: (v, config) => {
      if (config[pairedWith] !== undefined && config[pairedWith]!.trim() !== '') return invalidValue(name, v, `"${name}" is already specified; "${pairedWith}" may not be used with it`);
      for (const p of parseList(v)) {
        try {
          new RegExp(`^(?:${p})$`);
        } catch (e) {
          return invalidValue(name, v, `the pattern ${p} is not a valid regular expression: ${(e as Error).message}`);
        }
      }
      return undefined;
    },
  };
}

const CONNECTION = 'Connection';
const REPLICATION = 'Replication';

export const POSTGRES_SOURCE_CONFIG: ConfigDef = [
  { name: 'database.hostname', type: 'STRING', importance: 'HIGH', group: CONNECTION, documentation: 'Host of the Postgres server.', validate: (v) => (v === '' ? invalidValue('database.hostname', v, 'String must be non-empty') : undefined) },
  { name: 'database.port', type: 'INT', default: '5432', importance: 'HIGH', group: CONNECTION, documentation: 'Port of the Postgres server.', validate: atLeast('database.port', 1) },
  { name: 'database.user', type: 'STRING', importance: 'HIGH', group: CONNECTION, documentation: 'A user with REPLICATION (and CREATE on the database when the publication is to be created).' },
  { name: 'database.password', type: 'PASSWORD', default: null, importance: 'HIGH', group: CONNECTION, documentation: 'Its password; use a secret reference such as ${env:PGPASSWORD}.' },
  { name: 'database.dbname', type: 'STRING', importance: 'HIGH', group: CONNECTION, documentation: 'The database to capture (one per connector).' },
  { name: 'database.sslmode', type: 'STRING', default: 'prefer', importance: 'MEDIUM', group: CONNECTION, recommendedValues: [...SSL_MODES], documentation: 'disable, allow and prefer connect without TLS (pipectl does not try TLS first); require encrypts without checking the certificate; verify-ca and verify-full check it against the system CAs.', validate: oneOf('database.sslmode', SSL_MODES) },
  { name: 'database.tcpKeepAlive', type: 'BOOLEAN', default: 'true', importance: 'LOW', group: CONNECTION, documentation: 'TCP keep-alive on both connections.' },
  {
    name: 'topic.prefix', type: 'STRING', importance: 'HIGH', documentation: 'Namespace of every topic (<prefix>.<schema>.<table>), schema name and the source partition {"server": <prefix>}.',
    validate: (v) => (/^[A-Za-z0-9._-]+$/.test(v) ? undefined : invalidValue('topic.prefix', v, 'Only letters, digits, ".", "_" and "-" are allowed')),
  },
  {
    name: 'plugin.name', type: 'STRING', default: 'pgoutput', importance: 'MEDIUM', group: REPLICATION, recommendedValues: ['pgoutput'],
    documentation: "The logical decoding plug-in: only pgoutput (built into Postgres 10+). Absent means pgoutput, where Debezium's default is decoderbufs.",
    validate: oneOf('plugin.name', ['pgoutput'], { decoderbufs: 'only the pgoutput plug-in is supported (decoderbufs is a server extension pipectl does not decode)' }),
  },
  { name: 'slot.name', type: 'STRING', default: 'debezium', importance: 'MEDIUM', group: REPLICATION, documentation: 'The logical replication slot.', validate: (v) => (/^[a-z0-9_]{1,63}$/.test(v) ? undefined : invalidValue('slot.name', v, 'Must match [a-z0-9_]{1,63}')) },
  { name: 'slot.drop.on.stop', type: 'BOOLEAN', default: 'false', importance: 'LOW', group: REPLICATION, documentation: 'Drop the slot when the task stops in an orderly way (tests and demos only: changes made while it is stopped are lost).' },
  { name: 'slot.max.retries', type: 'INT', default: '6', importance: 'LOW', group: REPLICATION, documentation: 'Attempts to create or start the slot while it is active for another connection.', validate: atLeast('slot.max.retries', 0) },
  { name: 'slot.retry.delay.ms', type: 'LONG', default: '10000', importance: 'LOW', group: REPLICATION, documentation: 'Wait between those attempts.', validate: atLeast('slot.retry.delay.ms', 0) },
  { name: 'publication.name', type: 'STRING', default: 'dbz_publication', importance: 'MEDIUM', group: REPLICATION, documentation: 'The publication pgoutput streams.', validate: (v) => (v === '' ? invalidValue('publication.name', v, 'String must be non-empty') : undefined) },
  {
    name: 'publication.autocreate.mode', type: 'STRING', default: 'all_tables', importance: 'MEDIUM', group: REPLICATION, recommendedValues: [...AUTOCREATE_MODES],
    documentation: 'all_tables: create FOR ALL TABLES when missing. filtered: create, or set, FOR TABLE <the captured tables>. disabled: the publication must exist. no_tables: create it empty.',
    validate: oneOf('publication.autocreate.mode', AUTOCREATE_MODES),
  },
  { name: 'status.update.interval.ms', type: 'INT', default: '10000', importance: 'LOW', group: REPLICATION, documentation: 'Period of standby status updates (they repeat the last confirmed position).', validate: atLeast('status.update.interval.ms', 1) },
  regexList('schema.include.list', 'schema.exclude.list'),
  regexList('schema.exclude.list', 'schema.include.list'),
  regexList('table.include.list', 'table.exclude.list'),
  regexList('table.exclude.list', 'table.include.list'),
  regexList('column.include.list', 'column.exclude.list'),
  regexList('column.exclude.list', 'column.include.list'),
  { name: 'table.ignore.builtin', type: 'BOOLEAN', default: 'true', importance: 'LOW', group: 'Filters', documentation: 'Skip pg_catalog and information_schema. (pgoutput never sends them; false is accepted and changes nothing.)' },
  {
    name: 'skipped.operations', type: 'LIST', default: 't', importance: 'LOW', group: 'Filters', documentation: 'Operations not written: any of c, u, d, t, or none. Truncates are always skipped (t) — they are not captured.',
    validate: (v) => {
      const ops = parseList(v);
      const bad = ops.filter((o) => !['c', 'u', 'd', 't', 'none'].includes(o));
      return bad.length > 0 ? invalidValue('skipped.operations', v, `Unknown operation ${bad.join(', ')}; use c, u, d, t or none`) : undefined;
    },
  },
  {
    name: 'snapshot.mode', type: 'STRING', default: 'initial', importance: 'MEDIUM', group: 'Snapshot', recommendedValues: [...SNAPSHOT_MODES],
    documentation: 'initial: snapshot when there is no completed snapshot in the offsets. always: at every start. no_data (never): stream only. when_needed: also when the slot lost the stored position. initial_only: snapshot, then idle.',
    validate: oneOf('snapshot.mode', SNAPSHOT_MODES, { configuration_based: 'snapshot.mode=configuration_based is not supported', custom: 'snapshot.mode=custom is not supported', exported: 'exported is an old name; use initial (the snapshot is always the exported one)' }),
  },
  { name: 'snapshot.fetch.size', type: 'INT', default: '10240', importance: 'LOW', group: 'Snapshot', documentation: 'Rows fetched per round trip of the snapshot cursor.', validate: atLeast('snapshot.fetch.size', 1) },
  { name: 'tombstones.on.delete', type: 'BOOLEAN', default: 'true', importance: 'MEDIUM', documentation: 'Write a tombstone (same key, null value) after each delete.' },
  { name: 'heartbeat.interval.ms', type: 'INT', default: '0', importance: 'MEDIUM', documentation: 'Period of heartbeat records on __debezium-heartbeat.<prefix>; 0 = none. Their offsets let the slot advance on a database whose changes are all filtered out.', validate: atLeast('heartbeat.interval.ms', 0) },
  { name: 'topic.heartbeat.prefix', type: 'STRING', default: '__debezium-heartbeat', importance: 'LOW', documentation: 'Heartbeat topic prefix: heartbeats go to <this>.<topic.prefix>.' },
  { name: 'decimal.handling.mode', type: 'STRING', default: 'precise', importance: 'MEDIUM', group: 'Types', recommendedValues: ['precise', 'double', 'string'], documentation: 'numeric/decimal as Connect Decimal (precise), double or string.', validate: oneOf('decimal.handling.mode', ['precise', 'double', 'string']) },
  {
    name: 'time.precision.mode', type: 'STRING', default: 'adaptive', importance: 'MEDIUM', group: 'Types', recommendedValues: ['adaptive', 'adaptive_time_microseconds', 'connect'],
    documentation: 'How dates and times are written: adaptive, adaptive_time_microseconds or connect (see the event format README).',
    validate: oneOf('time.precision.mode', ['adaptive', 'adaptive_time_microseconds', 'connect'], { isostring: 'time.precision.mode=isostring is not implemented', microseconds: 'time.precision.mode=microseconds is not implemented', nanoseconds: 'time.precision.mode=nanoseconds is not implemented' }),
  },
  { name: 'money.fraction.digits', type: 'SHORT', default: '2', importance: 'LOW', group: 'Types', documentation: 'The Decimal scale of money columns in precise mode.', validate: atLeast('money.fraction.digits', 0) },
  { name: 'include.unknown.datatypes', type: 'BOOLEAN', default: 'false', importance: 'LOW', group: 'Types', documentation: 'false leaves out columns of types the mapping does not know; true writes their text as bytes.' },
  { name: 'unavailable.value.placeholder', type: 'STRING', default: '__debezium_unavailable_value', importance: 'LOW', group: 'Types', documentation: 'Stands for an unchanged TOAST value pgoutput did not send (a hex: prefix means hex bytes).' },
  { name: 'binary.handling.mode', type: 'STRING', default: 'bytes', importance: 'MEDIUM', group: 'Types', recommendedValues: ['bytes', 'base64', 'base64-url-safe', 'hex'], documentation: 'bytea as bytes, base64, base64-url-safe or hex strings.', validate: oneOf('binary.handling.mode', ['bytes', 'base64', 'base64-url-safe', 'hex']) },
  { name: 'max.batch.size', type: 'INT', default: '2048', importance: 'LOW', documentation: 'Records per poll().', validate: atLeast('max.batch.size', 1) },
  {
    name: 'max.queue.size', type: 'INT', default: '8192', importance: 'LOW', documentation: 'Records buffered ahead of poll() (the replication stream pauses when it is full). Must be larger than max.batch.size.',
    validate: (v, config) => (Number(v) <= Number(config['max.batch.size'] ?? '2048') ? invalidValue('max.queue.size', v, 'Must be larger than max.batch.size') : undefined),
  },
  { name: 'poll.interval.ms', type: 'LONG', default: '500', importance: 'LOW', documentation: 'How long poll() waits for records before returning none.', validate: atLeast('poll.interval.ms', 0) },
  ...RESTRICTED_KEY_DEFS,
];
