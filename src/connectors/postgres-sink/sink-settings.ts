/** Typed settings of the Postgres sink from a (validated) config; see postgres-sink-config.ts for each key. */
import { assertValidConfig, javaTrim, parseList } from '../../plugins/config-validation.js';
import { PluginError } from '../../plugins/plugin-error.js';
import { POSTGRES_SINK_CONFIG, RESTRICTED_SINK_PREFIXES, unsupportedSinkKey } from './postgres-sink-config.js';

export type InsertMode = 'insert' | 'upsert' | 'update';
export type PkMode = 'none' | 'kafka' | 'record_key' | 'record_value';

export interface SinkConnection {
  host: string;
  port: number;
  database: string;
  user: string | undefined;
  password: string | undefined;
  /** disable | require | verify-full… (libpq's sslmode; from the URL). */
  sslMode: string;
  applicationName: string;
}

export interface PostgresSinkSettings {
  connection: SinkConnection;
  connectionAttempts: number;
  connectionBackoffMs: number;
  insertMode: InsertMode;
  pkMode: PkMode;
  pkFields: string[];
  /** Value fields to write (null: all) and not to write, each optionally as topic:field. */
  fieldInclude: string[] | null;
  fieldExclude: string[];
  deleteEnabled: boolean;
  tableNameFormat: string;
  autoCreate: boolean;
  autoEvolve: boolean;
  replaceNullWithDefault: boolean;
  batchSize: number;
  maxRetries: number;
  retryBackoffMs: number;
}

const fail = (message: string): never => {
  throw new PluginError('PIPECTL_PLUGIN_INVALID_CONFIG', message);
};

/**
 * Reads `jdbc:postgresql://host[:port][/db][?k=v…]` or `postgres[ql]://[user[:pw]@]host[:port][/db][?…]`. The URL
 * never goes into a message (it may hold a password). Parameters user, password, sslmode, ssl, ApplicationName are
 * read; other (JDBC driver tuning) parameters are ignored.
 */
export function parseConnectionUrl(url: string): SinkConnection {
  const trimmed = javaTrim(url);
  const m = /^(?:jdbc:postgresql|postgresql|postgres):\/\/(.*)$/i.exec(trimmed);
  if (!m) return fail('Invalid value [url] for configuration connection.url: Must start with jdbc:postgresql://, postgresql:// or postgres://');
  let parsed: URL;
  try {
    parsed = new URL(`postgresql://${m[1]}`);
  } catch {
    return fail('Invalid value [url] for configuration connection.url: not a valid URL (host[:port]/database expected)');
  }
  if (parsed.host.includes(',') || m[1]!.split(/[/?]/)[0]!.includes(',')) fail('Invalid value [url] for configuration connection.url: several hosts are not supported');
  const params = parsed.searchParams;
  const ssl = params.get('sslmode') ?? (params.get('ssl') === 'true' ? 'require' : 'prefer');
  const user = params.get('user') ?? (parsed.username === '' ? undefined : decodeURIComponent(parsed.username));
  const password = params.get('password') ?? (parsed.password === '' ? undefined : decodeURIComponent(parsed.password));
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost',
    port: parsed.port === '' ? 5432 : Number(parsed.port),
    database: database === '' ? (user ?? 'postgres') : database,
    user,
    password,
    sslMode: ssl.toLowerCase(),
    applicationName: params.get('ApplicationName') ?? params.get('application_name') ?? 'pipectl-postgres-sink',
  };
}

/** Throws a PluginError (PIPECTL_PLUGIN_INVALID_CONFIG) with the first problem when the config is invalid. */
export function parseSinkSettings(config: Readonly<Record<string, string>>): PostgresSinkSettings {
  assertValidConfig(POSTGRES_SINK_CONFIG, config);
  for (const key of Object.keys(config)) {
    const prefix = RESTRICTED_SINK_PREFIXES.find((p) => key.startsWith(p));
    if (prefix) fail(unsupportedSinkKey(key, '[value]', `the ${prefix}* settings are not supported`));
  }
  const raw = (key: string): string | undefined => (config[key] === undefined ? undefined : javaTrim(config[key]!));
  const get = (key: string, ...aliases: string[]): string => {
    for (const k of [key, ...aliases]) if (raw(k) !== undefined) return raw(k)!;
    const d = POSTGRES_SINK_CONFIG.find((k) => k.name === key)?.default;
    return d ?? '';
  };
  const bool = (key: string): boolean => get(key).toLowerCase() === 'true';
  const connection = parseConnectionUrl(get('connection.url'));
  const user = raw('connection.user') ?? raw('connection.username');
  if (user !== undefined && user !== '') connection.user = user;
  if (config['connection.password'] !== undefined) connection.password = config['connection.password'];
  if (!connection.user) fail('Missing the database user: set connection.user (or connection.username), or user= in connection.url');
  const insertMode = get('insert.mode').toLowerCase() as InsertMode;
  const pkMode = get('pk.mode', 'primary.key.mode').toLowerCase() as PkMode;
  const pkFields = parseList(get('pk.fields', 'primary.key.fields'));
  if (insertMode !== 'insert' && pkMode === 'none') fail(`Invalid value ${insertMode} for configuration insert.mode: ${insertMode} requires key field names to be known (set pk.mode to record_key, record_value or kafka)`);
  if (pkMode === 'kafka' && pkFields.length !== 0 && pkFields.length !== 3) fail(`Invalid value ${pkFields.join(',')} for configuration pk.fields: with pk.mode=kafka give exactly three names (topic, partition, offset) or none`);
  if (bool('delete.enabled') && pkMode !== 'record_key') fail("Invalid value true for configuration delete.enabled: Primary key mode must be 'record_key' when delete support is enabled");
  const evolution = raw('schema.evolution')?.toLowerCase();
  const include = [...parseList(get('fields.whitelist')), ...parseList(get('field.include.list'))];
  return {
    connection,
    connectionAttempts: Number(get('connection.attempts')),
    connectionBackoffMs: Number(get('connection.backoff.ms')),
    insertMode,
    pkMode,
    pkFields,
    fieldInclude: include.length > 0 ? include : null,
    fieldExclude: parseList(get('field.exclude.list')),
    deleteEnabled: bool('delete.enabled'),
    tableNameFormat: get('table.name.format', 'collection.name.format'),
    autoCreate: raw('auto.create') !== undefined ? bool('auto.create') : evolution === 'basic',
    autoEvolve: raw('auto.evolve') !== undefined ? bool('auto.evolve') : evolution === 'basic',
    replaceNullWithDefault: bool('replace.null.with.default'),
    batchSize: Number(get('batch.size')),
    maxRetries: Number(get('max.retries', 'flush.max.retries')),
    retryBackoffMs: Number(get('retry.backoff.ms', 'flush.retry.delay.ms')),
  };
}
