/**
 * The framework's own connector keys (Kafka Connect's ConnectorConfig and SinkConnectorConfig), with Connect's names,
 * types, defaults, groups, order and documentation, plus the rules Connect checks across keys: sink `topics` xor
 * `topics.regex`, the DLQ topic not being consumed, and the structure of `transforms` / `predicates` aliases.
 *
 * Sources also get `topic.creation.groups` (the per-group topic-creation keys are in topic-creation-config.ts).
 *
 * Left out on purpose (the runtime does not implement them yet): `tasks.max.enforce`, `config.action.reload`,
 * `errors.deadletterqueue.topic.replication.factor`, and the source-only exactly-once / offsets-topic groups.
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

function uniqueAliases(name: string, value: string): string | undefined {
  const aliases = parseList(value);
  return new Set(aliases).size < aliases.length ? invalidValue(name, `[${aliases.join(', ')}]`, 'Duplicate alias provided.') : undefined;
}

const CONVERTER_DOC = (what: string): string =>
  `Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the ${what} in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro.`;

/** Keys every connector has (Connect's ConnectorConfig.configDef()), in Connect's order. */
export const COMMON_CONNECTOR_CONFIG: ConfigDef = [
  { name: 'name', type: 'STRING', importance: 'HIGH', documentation: 'Globally unique name to use for this connector.', group: COMMON, order: 1, width: 'MEDIUM', displayName: 'Connector name', validate: checkConnectorName },
  {
    name: 'connector.class', type: 'STRING', importance: 'HIGH', group: COMMON, order: 2, width: 'LONG', displayName: 'Connector class',
    documentation: 'Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector. If the connector is org.apache.kafka.connect.file.FileStreamSinkConnector, you can either specify this full name,  or use "FileStreamSink" or "FileStreamSinkConnector" to make the configuration a bit shorter',
  },
  {
    name: 'tasks.max', type: 'INT', default: '1', importance: 'HIGH', documentation: 'Maximum number of tasks to use for this connector.', group: COMMON, order: 3, width: 'SHORT', displayName: 'Tasks max',
    validate: (v) => (Number(v) < 1 ? invalidValue('tasks.max', Number(v), 'Value must be at least 1') : undefined),
  },
  { name: 'key.converter', type: 'CLASS', default: null, importance: 'LOW', documentation: CONVERTER_DOC('keys'), group: COMMON, order: 5, width: 'SHORT', displayName: 'Key converter class' },
  { name: 'value.converter', type: 'CLASS', default: null, importance: 'LOW', documentation: CONVERTER_DOC('values'), group: COMMON, order: 6, width: 'SHORT', displayName: 'Value converter class' },
  {
    name: 'header.converter', type: 'CLASS', default: null, importance: 'LOW', group: COMMON, order: 7, width: 'SHORT', displayName: 'Header converter class',
    documentation: 'HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the header values in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro. By default, the SimpleHeaderConverter is used to serialize header values to strings and deserialize them by inferring the schemas.',
  },
  { name: 'transforms', type: 'LIST', default: '', importance: 'LOW', documentation: 'Aliases for the transformations to be applied to records.', group: TRANSFORMS, order: 8, width: 'LONG', displayName: 'Transforms', validate: (v) => uniqueAliases('transforms', v) },
  { name: 'predicates', type: 'LIST', default: '', importance: 'LOW', documentation: 'Aliases for the predicates used by transformations.', group: PREDICATES, order: 9, width: 'LONG', displayName: 'Predicates', validate: (v) => uniqueAliases('predicates', v) },
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
    name: 'errors.deadletterqueue.context.headers.enable', type: 'BOOLEAN', default: 'false', importance: 'MEDIUM', group: ERRORS, order: 8, width: 'MEDIUM', displayName: 'Enable Error Context Headers',
    documentation: 'If true, add headers containing error context to the messages written to the dead letter queue. To avoid clashing with headers from the original record, all error context header keys, all error context header keys will start with <code>__connect.errors.</code>',
  },
];

/** Source keys (Connect's SourceConnectorConfig.configDef, without the exactly-once and offsets-topic keys). */
export const SOURCE_CONNECTOR_CONFIG: ConfigDef = [...COMMON_CONNECTOR_CONFIG, TOPIC_CREATION_GROUPS_KEY];
export const SINK_CONNECTOR_CONFIG: ConfigDef = [...COMMON_CONNECTOR_CONFIG, ...SINK_ONLY_CONFIG];

/** The framework keys for a connector of this kind (without the per-alias transform and predicate keys). */
export function frameworkConfigDef(kind: ConnectorKind): ConfigDef {
  return kind === 'sink' ? SINK_CONNECTOR_CONFIG : SOURCE_CONNECTOR_CONFIG;
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
