/**
 * The framework's own connector keys (Kafka Connect's ConnectorConfig and SinkConnectorConfig), with Connect's names,
 * types, defaults, groups, order and documentation, plus the rules Connect checks across keys: sink `topics` xor
 * `topics.regex`, the DLQ topic not being consumed, and the structure of `transforms` / `predicates` aliases.
 *
 * Sources also get `topic.creation.groups` (the per-group topic-creation keys are in topic-creation-config.ts) and
 * Connect's exactly-once and offsets-topic keys.
 *
 * The keys, their order and their defaults are those Apache Kafka Connect 4.1.1 answers in config/validate (checked
 * against a real worker by test/compat/rest-compat.test.ts). Some depend on the worker and the plugin (the converter
 * defaults, the plugin versions, the converters installed): frameworkConfigDef() takes them as a FrameworkContext. What
 * pipectl does with the keys it accepts but does not act on as Connect does is in docs/compatibility.md.
 */
import type { ConfigDef, ConfigKeyDef } from './config-def.js';
import type { ConnectorKind } from './plugin.js';
import { invalidValue, javaTrim, parseList } from './config-validation.js';
import { TOPIC_CREATION_GROUPS_KEY } from './topic-creation-config.js';

const COMMON = 'Common';
const TRANSFORMS = 'Transforms';
const PREDICATES = 'Predicates';
const ERRORS = 'Error Handling';

/** Connect's NonEmptyStringWithoutControlChars, plus "/" which cannot appear in a REST path. */
function checkConnectorName(value: string): string | undefined {
  if (value === '') return invalidValue('name', value, 'String may not be empty');
  const control = [...value].map((c) => c.codePointAt(0)!).filter((cp) => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f));
  if (control.length > 0) return invalidValue('name', value, `String may not contain control sequences but had the following ASCII chars: ${control.join(', ')}`);
  if (value.includes('/')) return invalidValue('name', value, 'Connector name may not contain "/"');
  return undefined;
}

/** Connect's answer for a CLASS value that cannot be loaded: the converter is not installed on this worker. */
function knownConverter(converters: ConverterLookup, name: string, value: string): string | undefined {
  return converters.resolve(value) ? undefined : invalidValue(name, value, `Class ${value} could not be found.`);
}

function uniqueAliases(name: string, value: string): string | undefined {
  const aliases = parseList(value);
  return new Set(aliases).size < aliases.length ? invalidValue(name, `[${aliases.join(', ')}]`, 'Duplicate alias provided.') : undefined;
}

const CONVERTER_DOC = (what: string): string =>
  `Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the ${what} in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro.`;

/** The converters installed on the worker, as the framework keys need them (a ConverterRegistry is one). */
export interface ConverterLookup {
  /** The fully qualified class names, sorted. */
  classNames(): string[];
  /** The class a name or alias denotes; undefined when no installed converter matches. */
  resolve(name: string): string | undefined;
}

/** What the framework keys depend on: the worker's converters, the plugin's version, the converters installed. */
export interface FrameworkContext {
  /** The connector plugin's version (`connector.plugin.version`'s default); undefined when unknown. */
  pluginVersion?: string;
  /** The worker's `key.converter` / `value.converter` (Connect shows them as the defaults). */
  keyConverter: string;
  valueConverter: string;
  /** The version the converters report (`*.converter.plugin.version`'s default), pipectl's own for the bundled ones. */
  converterVersion: string;
  /** The converters installed: the recommended values of `key.converter` / `value.converter`, and the valid ones. */
  converters: ConverterLookup;
}

/** Connect's default header converter; pipectl writes header values as it does for strings (see compatibility.md). */
export const SIMPLE_HEADER_CONVERTER = 'org.apache.kafka.connect.storage.SimpleHeaderConverter';

function oneOf(name: string, allowed: readonly string[], message = `String must be one of: ${allowed.join(', ')}`): (v: string) => string | undefined {
  return (v) => (allowed.includes(v) ? undefined : invalidValue(name, v, message));
}

/** A `*.plugin.version` key: one version is installed, so that is the default and the only recommendation. */
function versionKey(name: string, what: string, version: string | undefined, order: number, importance: 'MEDIUM' | 'LOW', width: 'MEDIUM' | 'SHORT', displayName: string): ConfigKeyDef {
  return {
    name, type: 'STRING', default: version ?? null, importance, documentation: `Version of the ${what}.`, group: COMMON, order, width, displayName,
    ...(version === undefined ? {} : { recommendedValues: [version] }),
    validate: (v) =>
      // A plain version other than the installed one cannot be satisfied; ranges ("[1.0,2.0)") are Connect's to judge.
      version !== undefined && v !== '' && /^[\w.-]+$/.test(v) && v !== version ? invalidValue(name, v, `Version ${v} of the ${what} is not installed (installed: ${version})`) : undefined,
  };
}

/** The `transforms` and `predicates` lists (their per-alias keys are in transform-alias-config.ts). */
export const TRANSFORM_LIST_KEYS: ConfigDef = [
  { name: 'transforms', type: 'LIST', default: '', importance: 'LOW', documentation: 'Aliases for the transformations to be applied to records.', group: TRANSFORMS, order: 12, width: 'LONG', displayName: 'Transforms', validate: (v) => uniqueAliases('transforms', v) },
  { name: 'predicates', type: 'LIST', default: '', importance: 'LOW', documentation: 'Aliases for the predicates used by transformations.', group: PREDICATES, order: 13, width: 'LONG', displayName: 'Predicates', validate: (v) => uniqueAliases('predicates', v) },
];

/** Keys every connector has (Connect's ConnectorConfig.configDef()), in Connect's order. */
export function commonConnectorConfig(ctx: FrameworkContext): ConfigDef {
  const converters = ctx.converters.classNames();
  const headerConverters = [...converters, SIMPLE_HEADER_CONVERTER].sort();
  return [
    { name: 'name', type: 'STRING', importance: 'HIGH', documentation: 'Globally unique name to use for this connector.', group: COMMON, order: 1, width: 'MEDIUM', displayName: 'Connector name', validate: checkConnectorName },
    {
      name: 'connector.class', type: 'STRING', importance: 'HIGH', group: COMMON, order: 2, width: 'LONG', displayName: 'Connector class',
      documentation: 'Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector. If the connector is org.apache.kafka.connect.file.FileStreamSinkConnector, you can either specify this full name,  or use "FileStreamSink" or "FileStreamSinkConnector" to make the configuration a bit shorter',
    },
    versionKey('connector.plugin.version', 'connector', ctx.pluginVersion, 3, 'MEDIUM', 'MEDIUM', 'Connector version'),
    {
      name: 'tasks.max', type: 'INT', default: '1', importance: 'HIGH', documentation: 'Maximum number of tasks to use for this connector.', group: COMMON, order: 4, width: 'SHORT', displayName: 'Tasks max',
      validate: (v) => (Number(v) < 1 ? invalidValue('tasks.max', Number(v), 'Value must be at least 1') : undefined),
    },
    {
      name: 'tasks.max.enforce', type: 'BOOLEAN', default: 'true', importance: 'LOW', group: COMMON, order: 5, width: 'SHORT', displayName: 'Enforce tasks max',
      documentation: '(Deprecated) Whether to enforce that the tasks.max property is respected by the connector. By default, connectors that generate too many tasks will fail, and existing sets of tasks that exceed the tasks.max property will also be failed. If this property is set to false, then connectors will be allowed to generate more than the maximum number of tasks, and existing sets of tasks that exceed the tasks.max property will be allowed to run. This property is deprecated and will be removed in an upcoming major release.',
    },
    { name: 'key.converter', type: 'CLASS', default: ctx.keyConverter, importance: 'LOW', documentation: CONVERTER_DOC('keys'), group: COMMON, order: 6, width: 'SHORT', displayName: 'Key converter class', recommendedValues: converters, validate: (v) => knownConverter(ctx.converters, 'key.converter', v) },
    versionKey('key.converter.plugin.version', 'key converter', ctx.converterVersion, 7, 'LOW', 'SHORT', 'Key converter version'),
    { name: 'value.converter', type: 'CLASS', default: ctx.valueConverter, importance: 'LOW', documentation: CONVERTER_DOC('values'), group: COMMON, order: 8, width: 'SHORT', displayName: 'Value converter class', recommendedValues: converters, validate: (v) => knownConverter(ctx.converters, 'value.converter', v) },
    versionKey('value.converter.plugin.version', 'value converter', ctx.converterVersion, 9, 'LOW', 'SHORT', 'Value converter version'),
    {
      name: 'header.converter', type: 'CLASS', default: SIMPLE_HEADER_CONVERTER, importance: 'LOW', group: COMMON, order: 10, width: 'SHORT', displayName: 'Header converter class', recommendedValues: headerConverters,
      documentation: 'HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the header values in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro. By default, the SimpleHeaderConverter is used to serialize header values to strings and deserialize them by inferring the schemas.',
    },
    versionKey('header.converter.plugin.version', 'header converter', ctx.converterVersion, 11, 'LOW', 'SHORT', 'Header converter version'),
    ...TRANSFORM_LIST_KEYS,
    {
      name: 'config.action.reload', type: 'STRING', default: 'restart', importance: 'LOW', group: COMMON, order: 14, width: 'MEDIUM', displayName: 'Reload Action',
      documentation: "The action that Connect should take on the connector when changes in external configuration providers result in a change in the connector's configuration properties. A value of 'none' indicates that Connect will do nothing. A value of 'restart' indicates that Connect should restart/reload the connector with the updated configuration properties.The restart may actually be scheduled in the future if the external configuration provider indicates that a configuration value will expire in the future.",
      validate: oneOf('config.action.reload', ['none', 'restart']),
    },
    {
      name: 'errors.retry.timeout', type: 'LONG', default: '0', importance: 'MEDIUM', group: ERRORS, order: 1, width: 'MEDIUM', displayName: 'Retry Timeout for Errors',
      documentation: 'The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, which means no retries will be attempted. Use -1 for infinite retries.',
    },
    {
      name: 'errors.retry.delay.max.ms', type: 'LONG', default: '60000', importance: 'MEDIUM', group: ERRORS, order: 2, width: 'MEDIUM', displayName: 'Maximum Delay Between Retries for Errors',
      documentation: 'The maximum duration in milliseconds between consecutive retry attempts. Jitter will be added to the delay once this limit is reached to prevent thundering herd issues.',
    },
    {
      name: 'errors.tolerance', type: 'STRING', default: 'none', importance: 'MEDIUM', group: ERRORS, order: 3, width: 'SHORT', displayName: 'Error Tolerance',
      documentation: "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that any error will result in an immediate connector task failure; 'all' changes the behavior to skip over problematic records.",
      validate: (v) => (v === 'none' || v === 'all' ? undefined : invalidValue('errors.tolerance', v, 'String must be one of: none, all')),
    },
    {
      name: 'errors.log.enable', type: 'BOOLEAN', default: 'false', importance: 'MEDIUM', group: ERRORS, order: 4, width: 'SHORT', displayName: 'Log Errors',
      documentation: "If true, write each error and the details of the failed operation and problematic record to the Connect application log. This is 'false' by default, so that only errors that are not tolerated are reported.",
    },
    {
      name: 'errors.log.include.messages', type: 'BOOLEAN', default: 'false', importance: 'MEDIUM', group: ERRORS, order: 5, width: 'SHORT', displayName: 'Log Error Details',
      documentation: "Whether to include in the log the Connect record that resulted in a failure. For sink records, the topic, partition, offset, and timestamp will be logged. For source records, the key and value (and their schemas), all headers, and the timestamp, Kafka topic, Kafka partition, source partition, and source offset will be logged. This is 'false' by default, which will prevent record keys, values, and headers from being written to log files.",
    },
  ];
}

function checkRegex(value: string): string | undefined {
  try {
    new RegExp(value);
    return undefined;
  } catch (e) {
    return invalidValue('topics.regex', value, (e as Error).message);
  }
}

/** Sink-only keys (Connect's SinkConnectorConfig), appended after the common ones. */
export const SINK_ONLY_CONFIG: ConfigDef = [
  { name: 'topics', type: 'LIST', default: '', importance: 'HIGH', documentation: 'List of topics to consume, separated by commas', group: COMMON, order: 4, width: 'LONG', displayName: 'Topics' },
  {
    name: 'topics.regex', type: 'STRING', default: '', importance: 'HIGH', group: COMMON, order: 4, width: 'LONG', displayName: 'Topics regex', validate: checkRegex,
    documentation: 'Regular expression giving topics to consume. Under the hood, the regex is compiled to a <code>java.util.regex.Pattern</code>. Only one of topics or topics.regex should be specified.',
  },
  {
    name: 'errors.deadletterqueue.topic.name', type: 'STRING', default: '', importance: 'MEDIUM', group: ERRORS, order: 6, width: 'MEDIUM', displayName: 'Dead Letter Queue Topic Name',
    documentation: 'The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when processed by this sink connector, or its transformations or converters. The topic name is blank by default, which means that no messages are to be recorded in the DLQ.',
  },
  {
    name: 'errors.deadletterqueue.topic.replication.factor', type: 'SHORT', default: '3', importance: 'MEDIUM', group: ERRORS, order: 7, width: 'MEDIUM', displayName: 'Dead Letter Queue Topic Replication Factor',
    documentation: "Replication factor used to create the dead letter queue topic when it doesn't already exist.",
  },
  {
    name: 'errors.deadletterqueue.context.headers.enable', type: 'BOOLEAN', default: 'false', importance: 'MEDIUM', group: ERRORS, order: 8, width: 'MEDIUM', displayName: 'Enable Error Context Headers',
    documentation: 'If true, add headers containing error context to the messages written to the dead letter queue. To avoid clashing with headers from the original record, all error context header keys, all error context header keys will start with <code>__connect.errors.</code>',
  },
];

/**
 * Source-only keys after `topic.creation.groups` (Connect's SourceConnectorConfig): exactly-once support and a
 * per-connector offsets topic. pipectl provides neither, so `exactly.once.support=required` is an error (as in Connect
 * on a worker without exactly-once source support) and the others are accepted and have no effect
 * (docs/compatibility.md).
 */
export const SOURCE_ONLY_CONFIG: ConfigDef = [
  {
    name: 'exactly.once.support', type: 'STRING', default: 'requested', importance: 'MEDIUM', group: 'Exactly Once Support', order: 2, width: 'SHORT', displayName: 'Exactly once support',
    documentation: 'Permitted values are requested, required. If set to "required", forces a preflight check for the connector to ensure that it can provide exactly-once semantics with the given configuration. Some connectors may be capable of providing exactly-once semantics but not signal to Connect that they support this; in that case, documentation for the connector should be consulted carefully before creating it, and the value for this property should be set to "requested". Additionally, if the value is set to "required" but the worker that performs preflight validation does not have exactly-once support enabled for source connectors, requests to create or validate the connector will fail.',
    validate: (v) => {
      const value = v.toLowerCase();
      if (value === 'requested') return undefined;
      if (value === 'required') return invalidValue('exactly.once.support', v, 'exactly-once support for source connectors is not provided by this worker (pipectl has none)');
      return invalidValue('exactly.once.support', v, 'String must be one of (case insensitive): requested, required');
    },
  },
  {
    name: 'transaction.boundary', type: 'STRING', default: 'poll', importance: 'MEDIUM', group: 'Exactly Once Support', order: 3, width: 'SHORT', displayName: 'Transaction Boundary',
    documentation: "Permitted values are: poll, interval, connector. If set to 'poll', a new producer transaction will be started and committed for every batch of records that each task from this connector provides to Connect. If set to 'connector', relies on connector-defined transaction boundaries; note that not all connectors are capable of defining their own transaction boundaries, and in that case, attempts to instantiate a connector with this value will fail. Finally, if set to 'interval', commits transactions only after a user-defined time interval has passed.",
    validate: (v) => (['poll', 'interval', 'connector'].includes(v.toLowerCase()) ? undefined : invalidValue('transaction.boundary', v, 'String must be one of (case insensitive): poll, interval, connector')),
  },
  {
    name: 'transaction.boundary.interval.ms', type: 'LONG', default: null, importance: 'LOW', group: 'Exactly Once Support', order: 4, width: 'SHORT', displayName: 'Transaction boundary interval',
    documentation: "If 'transaction.boundary' is set to 'interval', determines the interval for producer transaction commits by connector tasks. If unset, defaults to the value of the worker-level 'offset.flush.interval.ms' property. It has no effect if a different transaction.boundary is specified.",
    validate: (v) => (Number(v) < 0 ? invalidValue('transaction.boundary.interval.ms', v, 'Value must be at least 0') : undefined),
  },
  {
    name: 'offsets.storage.topic', type: 'STRING', default: null, importance: 'LOW', group: 'offsets.topic', order: 1, width: 'LONG', displayName: 'Offsets topic',
    documentation: "The name of a separate offsets topic to use for this connector. If empty or not specified, the worker\u2019s global offsets topic name will be used. If specified, the offsets topic will be created if it does not already exist on the Kafka cluster targeted by this connector (which may be different from the one used for the worker's global offsets topic if the bootstrap.servers property of the connector's producer has been overridden from the worker's). Only applicable in distributed mode; in standalone mode, setting this property will have no effect.",
  },
];

/** The framework keys for a connector of this kind (without the per-alias transform and predicate keys). */
export function frameworkConfigDef(kind: ConnectorKind, ctx: FrameworkContext): ConfigDef {
  const common = commonConnectorConfig(ctx);
  return kind === 'sink' ? [...common, ...SINK_ONLY_CONFIG] : [...common, TOPIC_CREATION_GROUPS_KEY, ...SOURCE_ONLY_CONFIG];
}

/**
 * The keys Connect adds for each alias listed in `transforms` and `predicates` (ConnectorConfig.enrich): a required
 * `transforms.<alias>.type` / `predicates.<alias>.type` in group "Transforms: <alias>" / "Predicates: <alias>". Only the
 * structure is checked; whether the class exists is up to the transform registry.
 */
export function aliasConfigDef(config: Readonly<Record<string, string>>): ConfigDef {
  const keys: ConfigKeyDef[] = [];
  for (const [list, kind, group, display] of [['transforms', 'transformation', 'Transforms', 'Transformation'], ['predicates', 'predicate', 'Predicates', 'Predicate']] as const) {
    for (const alias of new Set(parseList(config[list] ?? ''))) {
      const prefix = `${list}.${alias}.`;
      keys.push({
        name: `${prefix}type`, type: 'CLASS', importance: 'HIGH', documentation: `Class for the '${alias}' ${kind}.`,
        group: `${group}: ${alias}`, order: 0, width: 'LONG', displayName: `${display} type for ${alias}`,
        validate: (_v, cfg) =>
          list === 'transforms' && cfg[`${prefix}negate`] !== undefined && cfg[`${prefix}predicate`] === undefined
            ? `Config '${prefix}negate' was provided but there is no config '${prefix}predicate' defining a predicate to be negated.`
            : undefined,
      });
    }
  }
  return keys;
}

const isBlank = (v: string | undefined): boolean => v === undefined || javaTrim(v) === '';

/**
 * Connect's sink rules (SinkConnectorConfig.validate): exactly one of `topics` / `topics.regex`, and the DLQ topic must
 * not be one of the consumed topics. Returns extra errors per key (only keys with errors appear).
 */
export function sinkTopicProblems(config: Readonly<Record<string, string>>): Map<string, string[]> {
  const problems = new Map<string, string[]>();
  const add = (key: string, message: string): void => void problems.set(key, [...(problems.get(key) ?? []), message]);
  const topics = config['topics'];
  const regex = config['topics.regex'];
  const dlq = javaTrim(config['errors.deadletterqueue.topic.name'] ?? '');
  if (!isBlank(topics) && !isBlank(regex)) {
    for (const key of ['topics', 'topics.regex']) add(key, 'topics and topics.regex are mutually exclusive options, but both are set.');
  }
  if (isBlank(topics) && isBlank(regex)) {
    for (const key of ['topics', 'topics.regex']) add(key, 'Must configure one of topics or topics.regex');
  }
  if (dlq !== '') {
    if (!isBlank(topics)) {
      const list = [...new Set(parseList(topics!).filter((t) => t !== ''))];
      if (list.includes(dlq)) add('topics', `The DLQ topic '${dlq}' may not be included in the list of topics ('topics=[${list.join(', ')}]') consumed by the connector`);
    }
    if (!isBlank(regex)) {
      try {
        if (new RegExp(`^(?:${regex!})$`).test(dlq)) add('topics.regex', `The DLQ topic '${dlq}' may not be matched by the regex for the topics ('topics.regex=${regex!}') consumed by the connector`);
      } catch {
        // an invalid regex is already reported by the key's own check
      }
    }
  }
  return problems;
}
