/** Typed settings of the Postgres source from a (validated) config; see postgres-config.ts for each key. */
import { assertValidConfig, javaTrim, parseList } from '../../plugins/config-validation.js';
import { PluginError } from '../../plugins/plugin-error.js';
import { RESTRICTED_PREFIXES, unsupportedMessage } from './debezium-restricted-keys.js';
import { POSTGRES_SOURCE_CONFIG } from './postgres-config.js';
import { CaptureFilter } from './capture-filter.js';
import type { EventFormatOptions } from './event-format/index.js';

export type SnapshotMode = 'initial' | 'no_data' | 'when_needed' | 'always' | 'initial_only';
export type AutocreateMode = 'all_tables' | 'filtered' | 'disabled' | 'no_tables';

export interface PgConnectionSettings {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  sslMode: string;
  keepAlive: boolean;
}

export interface PostgresSourceSettings {
  connection: PgConnectionSettings;
  topicPrefix: string;
  slotName: string;
  slotDropOnStop: boolean;
  slotMaxRetries: number;
  slotRetryDelayMs: number;
  publicationName: string;
  autocreateMode: AutocreateMode;
  statusUpdateIntervalMs: number;
  filter: CaptureFilter;
  /** Of c, u, d (t is never captured). */
  skippedOperations: ReadonlySet<string>;
  /** `never` is normalised to `no_data`. */
  snapshotMode: SnapshotMode;
  snapshotFetchSize: number;
  tombstonesOnDelete: boolean;
  heartbeatIntervalMs: number;
  heartbeatTopic: string;
  /** What shapes events (the event format's options; the column filter included). */
  eventFormat: EventFormatOptions;
  maxBatchSize: number;
  maxQueueSize: number;
  pollIntervalMs: number;
}

/** Throws a PluginError (PIPECTL_PLUGIN_INVALID_CONFIG) with the first problem when the config is invalid. */
export function parsePostgresSettings(config: Readonly<Record<string, string>>): PostgresSourceSettings {
  assertValidConfig(POSTGRES_SOURCE_CONFIG, config);
  for (const key of Object.keys(config)) {
    const prefix = RESTRICTED_PREFIXES.find((p) => key.startsWith(p));
    if (prefix) throw new PluginError('PIPECTL_PLUGIN_INVALID_CONFIG', unsupportedMessage(key, config[key]!, `the ${prefix}* settings are not supported`));
  }
  const get = (key: string): string => {
    const raw = config[key];
    if (raw !== undefined) return javaTrim(raw);
    return POSTGRES_SOURCE_CONFIG.find((k) => k.name === key)?.default ?? '';
  };
  const list = (key: string): string[] | null => (config[key] === undefined || javaTrim(config[key]!) === '' ? null : parseList(config[key]!));
  const mode = get('snapshot.mode').toLowerCase();
  const prefix = get('topic.prefix');
  const skipped = parseList(get('skipped.operations'));
  const filter = new CaptureFilter({
    schemaInclude: list('schema.include.list'),
    schemaExclude: list('schema.exclude.list'),
    tableInclude: list('table.include.list'),
    tableExclude: list('table.exclude.list'),
    columnInclude: list('column.include.list'),
    columnExclude: list('column.exclude.list'),
  });
  return {
    connection: {
      host: get('database.hostname'),
      port: Number(get('database.port')),
      user: get('database.user'),
      password: config['database.password'],
      database: get('database.dbname'),
      sslMode: get('database.sslmode').toLowerCase(),
      keepAlive: get('database.tcpKeepAlive').toLowerCase() === 'true',
    },
    topicPrefix: prefix,
    slotName: get('slot.name'),
    slotDropOnStop: get('slot.drop.on.stop').toLowerCase() === 'true',
    slotMaxRetries: Number(get('slot.max.retries')),
    slotRetryDelayMs: Number(get('slot.retry.delay.ms')),
    publicationName: get('publication.name'),
    autocreateMode: get('publication.autocreate.mode').toLowerCase() as AutocreateMode,
    statusUpdateIntervalMs: Number(get('status.update.interval.ms')),
    filter,
    skippedOperations: new Set(skipped.includes('none') ? [] : skipped),
    snapshotMode: (mode === 'never' ? 'no_data' : mode) as SnapshotMode,
    snapshotFetchSize: Number(get('snapshot.fetch.size')),
    tombstonesOnDelete: get('tombstones.on.delete').toLowerCase() === 'true',
    heartbeatIntervalMs: Number(get('heartbeat.interval.ms')),
    heartbeatTopic: `${get('topic.heartbeat.prefix')}.${prefix}`,
    eventFormat: {
      topicPrefix: prefix,
      decimalHandlingMode: get('decimal.handling.mode').toLowerCase() as EventFormatOptions['decimalHandlingMode'],
      timePrecisionMode: get('time.precision.mode').toLowerCase() as EventFormatOptions['timePrecisionMode'],
      binaryHandlingMode: get('binary.handling.mode').toLowerCase() as EventFormatOptions['binaryHandlingMode'],
      includeUnknownDatatypes: get('include.unknown.datatypes').toLowerCase() === 'true',
      unavailableValuePlaceholder: get('unavailable.value.placeholder'),
      moneyFractionDigits: Number(get('money.fraction.digits')),
      columnIncluded: (schema, table, column) => filter.column(schema, table, column),
    },
    maxBatchSize: Number(get('max.batch.size')),
    maxQueueSize: Number(get('max.queue.size')),
    pollIntervalMs: Number(get('poll.interval.ms')),
  };
}
