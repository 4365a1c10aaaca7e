/**
 * The Postgres sink's config keys, declared once: the Confluent JDBC sink's names and defaults, Debezium's JDBC sink
 * names as aliases for the same settings, and the known keys of both that pipectl refuses (each with why).
 */
import type { ConfigDef, ConfigKeyDef } from '../../plugins/config-def.js';
import { invalidValue } from '../../plugins/config-validation.js';

export const INSERT_MODES = ['insert', 'upsert', 'update'] as const;
export const PK_MODES = ['none', 'kafka', 'record_key', 'record_value'] as const;

const oneOf = (name: string, values: readonly string[]) => (v: string): string | undefined =>
  values.includes(v.toLowerCase()) ? undefined : invalidValue(name, v, `Must be one of ${values.join(', ')}`);
const atLeast = (name: string, min: number) => (v: string): string | undefined => (Number(v) < min ? invalidValue(name, v, `Value must be at least ${min}`) : undefined);

/** The message for a known Confluent/Debezium key pipectl does not implement. */
export function unsupportedSinkKey(key: string, value: string, why: string): string {
  return invalidValue(key, value, `"${key}" is a JDBC sink setting pipectl's Postgres sink does not support: ${why}. Remove it`);
}

interface Restricted {
  name: string;
  /** Values accepted because pipectl behaves that way (compared lower-case); empty: refused whatever its value. */
  accepted: readonly string[];
  why: string;
}

const RESTRICTED: readonly Restricted[] = [
  { name: 'dialect.name', accepted: ['', 'postgresqldatabasedialect'], why: 'the sink speaks PostgreSQL only (PostgreSqlDatabaseDialect)' },
  { name: 'db.timezone', accepted: ['utc'], why: 'timestamps without a zone are written as UTC' },
  { name: 'date.timezone', accepted: ['db_timezone', 'utc'], why: 'dates are written as UTC' },
  { name: 'use.time.zone', accepted: ['utc'], why: 'timestamps without a zone are written as UTC' },
  { name: 'database.time_zone', accepted: ['utc'], why: 'timestamps without a zone are written as UTC' },
  { name: 'quote.sql.identifiers', accepted: ['always'], why: 'identifiers are always quoted (always)' },
  { name: 'table.types', accepted: ['table'], why: 'only tables are written (TABLE)' },
  { name: 'timestamp.precision.mode', accepted: [], why: 'timestamps are written with the precision their schema carries' },
  { name: 'timestamp.fields.list', accepted: [], why: 'timestamps are written with the precision their schema carries' },
  { name: 'truncate.enabled', accepted: ['false'], why: 'truncate events are not applied (ExtractNewRecordState drops them)' },
  { name: 'connection.pool.min_size', accepted: [], why: 'each task holds one connection' },
  { name: 'connection.pool.max_size', accepted: [], why: 'each task holds one connection' },
  { name: 'connection.pool.timeout', accepted: [], why: 'each task holds one connection' },
  { name: 'connection.provider', accepted: [], why: 'it names a Java class' },
  { name: 'dialect.postgres.unnest.insert.enabled', accepted: ['false'], why: 'the write path is chosen by the sink (see the README)' },
  { name: 'collection.naming.strategy', accepted: [], why: 'it names a Java class; table names follow table.name.format' },
  { name: 'table.naming.strategy', accepted: [], why: 'it names a Java class; table names follow table.name.format' },
  { name: 'column.naming.strategy', accepted: [], why: 'it names a Java class; columns are named as the fields' },
  { name: 'sql.server.table.hint', accepted: [], why: 'it is SQL Server only' },
  { name: 'mssql.use.sql.server.compatibility', accepted: [], why: 'it is SQL Server only' },
];

/** Prefixes refused whatever follows (Hibernate's pass-through settings). */
export const RESTRICTED_SINK_PREFIXES = ['hibernate.'];

function restrictedDef(r: Restricted): ConfigKeyDef {
  return {
    name: r.name, type: 'STRING', default: null, importance: 'LOW', group: 'Not supported',
    documentation: `Not supported: ${r.why}.${r.accepted.length > 0 ? ` Accepted only as ${r.accepted.filter((a) => a !== '').join(' / ')}.` : ''}`,
    validate: (v) => (r.accepted.includes(v.toLowerCase()) ? undefined : unsupportedSinkKey(r.name, v, r.why)),
  };
}

/** Two spellings of one setting (Confluent's and Debezium's): set at most one, or both to the same value. */
function alias(name: string, of: string, def: Omit<ConfigKeyDef, 'name'>): ConfigKeyDef {
  return {
    ...def,
    name,
    default: null,
    documentation: `Debezium's name for ${of}. ${def.documentation}`,
    validate: (v, config) => {
      const other = config[of];
      if (other !== undefined && other.trim() !== v) return invalidValue(name, v, `"${of}" is set to another value; set only one of ${of} and ${name}`);
      return def.validate?.(v, config);
    },
  };
}

const CONNECTION = 'Connection';
const WRITES = 'Writes';
const DATA_MAPPING = 'Data Mapping';
const DDL = 'DDL Support';
const RETRIES = 'Retries';

const insertMode: Omit<ConfigKeyDef, 'name'> = {
  type: 'STRING', default: 'insert', importance: 'HIGH', group: WRITES, recommendedValues: [...INSERT_MODES],
  documentation: 'insert: INSERT (a duplicate key fails the record). upsert: INSERT … ON CONFLICT (key) DO UPDATE, idempotent (needs a key: pk.mode other than none). update: UPDATE by key (a missing row is not created).',
  validate: (v, c) => {
    const bad = oneOf('insert.mode', INSERT_MODES)(v);
    if (bad) return bad;
    const mode = (c['pk.mode'] ?? c['primary.key.mode'] ?? 'none').trim().toLowerCase();
    return v.toLowerCase() !== 'insert' && mode === 'none' ? invalidValue('insert.mode', v, `${v.toLowerCase()} requires key field names to be known (set pk.mode to record_key, record_value or kafka)`) : undefined;
  },
};
const pkMode: Omit<ConfigKeyDef, 'name'> = {
  type: 'STRING', default: 'none', importance: 'HIGH', group: DATA_MAPPING, recommendedValues: [...PK_MODES],
  documentation: 'Where the key columns come from: none; kafka (__connect_topic, __connect_partition, __connect_offset); record_key (the key\'s fields, or its one value named by pk.fields); record_value (value fields named by pk.fields, or all).',
  validate: oneOf('pk.mode', PK_MODES),
};
const pkFields: Omit<ConfigKeyDef, 'name'> = {
  type: 'LIST', default: '', importance: 'MEDIUM', group: DATA_MAPPING,
  documentation: 'Key column names, read per pk.mode (kafka: exactly three names, or empty for the defaults).',
};
const tableFormat: Omit<ConfigKeyDef, 'name'> = {
  type: 'STRING', default: '${topic}', importance: 'MEDIUM', group: DATA_MAPPING,
  documentation: 'The target table; ${topic} is the topic with its dots made underscores (Debezium\'s rule: prefix.public.items → prefix_public_items). One dot in the result separates a schema (archive.${topic}); no dot: the connection\'s current schema.',
  validate: (v) => {
    if (v.includes('${source.')) return invalidValue('table.name.format', v, '${source.*} placeholders are not supported (records arrive unwrapped, without source)');
    const probe = v.replace(/\$\{topic\}/g, 't');
    if (probe.split('.').length > 2) return invalidValue('table.name.format', v, 'At most one dot (schema.table)');
    if (probe.split('.').some((p) => p === '')) return invalidValue('table.name.format', v, 'A schema and table name must not be empty');
    return undefined;
  },
};

export const POSTGRES_SINK_CONFIG: ConfigDef = [
  {
    name: 'connection.url', type: 'STRING', importance: 'HIGH', group: CONNECTION,
    documentation: 'jdbc:postgresql://host[:port]/database[?user=…&password=…&sslmode=…] or postgresql://[user[:password]@]host[:port]/database[?sslmode=…]. A password here is hidden from logs and errors; prefer connection.password.',
    validate: (v) => (/^(jdbc:postgresql|postgres|postgresql):\/\//i.test(v) ? undefined : invalidValue('connection.url', '[url]', 'Must start with jdbc:postgresql://, postgresql:// or postgres://')),
  },
  { name: 'connection.user', type: 'STRING', default: null, importance: 'HIGH', group: CONNECTION, documentation: 'The database user (Confluent\'s name; connection.username is Debezium\'s). Overrides one in the URL.' },
  alias('connection.username', 'connection.user', { type: 'STRING', importance: 'HIGH', group: CONNECTION, documentation: 'The database user.' }),
  { name: 'connection.password', type: 'PASSWORD', default: null, importance: 'HIGH', group: CONNECTION, documentation: 'Its password; use a secret reference such as ${env:PGPASSWORD}. Overrides one in the URL.' },
  { name: 'connection.attempts', type: 'INT', default: '3', importance: 'LOW', group: CONNECTION, documentation: 'Attempts to open the connection at start.', validate: atLeast('connection.attempts', 1) },
  { name: 'connection.backoff.ms', type: 'LONG', default: '10000', importance: 'LOW', group: CONNECTION, documentation: 'Wait between those attempts.', validate: atLeast('connection.backoff.ms', 0) },
  { name: 'insert.mode', ...insertMode },
  { name: 'pk.mode', ...pkMode },
  alias('primary.key.mode', 'pk.mode', pkMode),
  { name: 'pk.fields', ...pkFields },
  alias('primary.key.fields', 'pk.fields', pkFields),
  { name: 'fields.whitelist', type: 'LIST', default: '', importance: 'MEDIUM', group: DATA_MAPPING, documentation: 'Value fields to write (empty: all); key columns are always written.' },
  { name: 'field.include.list', type: 'LIST', default: '', importance: 'MEDIUM', group: DATA_MAPPING, documentation: 'Debezium\'s: value fields to write, as field or topic:field (empty: all). Not with field.exclude.list.', validate: (v, c) => (v.trim() !== '' && (c['field.exclude.list'] ?? '').trim() !== '' ? invalidValue('field.include.list', v, 'Set field.include.list or field.exclude.list, not both') : undefined) },
  { name: 'field.exclude.list', type: 'LIST', default: '', importance: 'MEDIUM', group: DATA_MAPPING, documentation: 'Debezium\'s: value fields not to write, as field or topic:field.' },
  {
    name: 'delete.enabled', type: 'BOOLEAN', default: 'false', importance: 'MEDIUM', group: WRITES,
    documentation: 'A record with a null value (a tombstone, or a delete unwrapped by ExtractNewRecordState) deletes the row by key. Needs pk.mode=record_key. When false such records are skipped (as Debezium\'s sink; Confluent\'s fails).',
    validate: (v, c) => {
      const mode = (c['pk.mode'] ?? c['primary.key.mode'] ?? 'none').trim().toLowerCase();
      return v.toLowerCase() === 'true' && mode !== 'record_key' ? invalidValue('delete.enabled', v, "Primary key mode must be 'record_key' when delete support is enabled") : undefined;
    },
  },
  { name: 'table.name.format', ...tableFormat },
  alias('collection.name.format', 'table.name.format', tableFormat),
  { name: 'auto.create', type: 'BOOLEAN', default: 'false', importance: 'MEDIUM', group: DDL, documentation: 'CREATE TABLE a missing table from the record\'s schemas, with the key columns as PRIMARY KEY.' },
  { name: 'auto.evolve', type: 'BOOLEAN', default: 'false', importance: 'MEDIUM', group: DDL, documentation: 'ALTER TABLE … ADD COLUMN (nullable) for fields the table lacks. Never drops or retypes a column.' },
  {
    name: 'schema.evolution', type: 'STRING', default: null, importance: 'MEDIUM', group: DDL, recommendedValues: ['none', 'basic'],
    documentation: 'Debezium\'s: basic = auto.create and auto.evolve; none = neither (unless those keys are set).',
    validate: oneOf('schema.evolution', ['none', 'basic']),
  },
  { name: 'replace.null.with.default', type: 'BOOLEAN', default: 'true', importance: 'LOW', group: DATA_MAPPING, documentation: 'A null field whose schema has a default is written as that default.' },
  { name: 'batch.size', type: 'INT', default: '3000', importance: 'MEDIUM', group: WRITES, documentation: 'Most rows one transaction writes; a put() with more is written in several transactions.', validate: atLeast('batch.size', 1) },
  { name: 'max.retries', type: 'INT', default: '10', importance: 'MEDIUM', group: RETRIES, documentation: 'Retries of a transaction that failed for a transient reason (connection lost, serialization failure, deadlock) before put() gives the batch back as retriable.', validate: atLeast('max.retries', 0) },
  { name: 'retry.backoff.ms', type: 'INT', default: '3000', importance: 'MEDIUM', group: RETRIES, documentation: 'Wait between those retries.', validate: atLeast('retry.backoff.ms', 0) },
  alias('flush.max.retries', 'max.retries', { type: 'INT', importance: 'LOW', group: RETRIES, documentation: 'Retries of a failed transaction.', validate: atLeast('flush.max.retries', 0) }),
  alias('flush.retry.delay.ms', 'retry.backoff.ms', { type: 'INT', importance: 'LOW', group: RETRIES, documentation: 'Wait between retries.', validate: atLeast('flush.retry.delay.ms', 0) }),
  { name: 'use.reduction.buffer', type: 'BOOLEAN', default: 'false', importance: 'LOW', group: WRITES, documentation: 'Debezium\'s; accepted either way: within a batch the sink always keeps only the last change of a key (a delete before it is kept).' },
  { name: 'trim.sensitive.log', type: 'BOOLEAN', default: 'false', importance: 'LOW', documentation: 'Accepted either way: record values never go into the sink\'s log lines or error messages.' },
  ...RESTRICTED.map(restrictedDef),
];
