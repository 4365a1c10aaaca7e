/**
 * The keys of KIP-158 topic creation for source connectors (Kafka Connect's SourceConnectorConfig and
 * TopicCreationConfig): `topic.creation.groups`, and for the implicit `default` group and each listed group
 * `topic.creation.<group>.include`, `.exclude`, `.replication.factor`, `.partitions`. Any other
 * `topic.creation.<group>.<key>` is a topic config of that group (not validated here; the data plane checks it when it
 * creates a topic). These definitions drive both `config/validate` and the worker's parsing (src/runtime/worker/
 * topic-creation.ts), so the two cannot disagree.
 */
import type { ConfigDef, ConfigKeyDef } from './config-def.js';
import { invalidValue, javaTrim, parseList } from './config-validation.js';

export const TOPIC_CREATION_PREFIX = 'topic.creation.';
export const TOPIC_CREATION_GROUPS = 'topic.creation.groups';
export const DEFAULT_TOPIC_CREATION_GROUP = 'default';
/** The group-level keys; every other `topic.creation.<group>.*` key is a topic config. */
export const TOPIC_CREATION_GROUP_KEYS: readonly string[] = ['include', 'exclude', 'replication.factor', 'partitions'];

const GROUP = 'Topic Creation';

const INCLUDE_DOC = 'A list of regular expression literals used to match the topic names used by the source connector. This list is used to include topics that should be created using the topic settings defined by this group.';
const EXCLUDE_DOC = 'A list of regular expression literals used to match the topic names used by the source connector. This list is used to exclude topics from being created with the topic settings defined by this group. Note that exclusion rules have precedent and override any inclusion rules for the topics.';
const DEFAULT_REGEX_NOTE = ' Ignored for the default group, which applies to every topic that no other group matches (as in Kafka Connect).';
const RF_DOC = "The replication factor for new topics created for this connector using this group. This value may be -1 to use the broker's default replication factor, or may be a positive number not larger than the number of brokers in the Kafka cluster. A value larger than the number of brokers in the Kafka cluster will result in an error when the new topic is created. For the default group this configuration is required. For any other group defined in topic.creation.groups this config is optional and if it's missing it gets the value of the default group";
const PARTITIONS_DOC = "The number of partitions new topics created for this connector. This value may be -1 to use the broker's default number of partitions, or a positive number representing the desired number of partitions. For the default group this configuration is required. For any other group defined in topic.creation.groups this config is optional and if it's missing it gets the value of the default group";

const renderList = (items: readonly string[]): string => `[${items.join(', ')}]`;

/** `topic.creation.groups` (Connect's SourceConnectorConfig.configDef): a list of unique group aliases. */
export const TOPIC_CREATION_GROUPS_KEY: ConfigKeyDef = {
  name: TOPIC_CREATION_GROUPS, type: 'LIST', default: '', importance: 'LOW', documentation: 'Groups of configurations for topics created by source connectors',
  group: GROUP, order: 1, width: 'LONG', displayName: 'Topic Creation Groups',
  validate: (v) => {
    const aliases = parseList(v);
    return new Set(aliases).size < aliases.length ? invalidValue(TOPIC_CREATION_GROUPS, renderList(aliases), 'Duplicate alias provided.') : undefined;
  },
};

/** True when the config has any `topic.creation.*` key (Connect's SourceConnectorConfig.usesTopicCreation). */
export function usesTopicCreation(config: Readonly<Record<string, string>>): boolean {
  return Object.keys(config).some((k) => k.startsWith(TOPIC_CREATION_PREFIX));
}

/**
 * The groups listed in `topic.creation.groups`, in order, without duplicates, blanks and `default` (which always
 * exists and always comes last).
 */
export function namedTopicCreationGroups(config: Readonly<Record<string, string>>): string[] {
  return [...new Set(parseList(config[TOPIC_CREATION_GROUPS] ?? ''))].filter((g) => g !== '' && g !== DEFAULT_TOPIC_CREATION_GROUP);
}

/** Connect's TopicCreationConfig validators: a positive number, or -1 for the broker's default. */
function checkReplicationFactor(name: string, value: string): string | undefined {
  const n = Number(value);
  return n !== -1 && n < 1 ? invalidValue(name, n, "Replication factor must be positive and not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default") : undefined;
}

function checkPartitions(name: string, value: string): string | undefined {
  const n = Number(value);
  return n !== -1 && n < 1 ? invalidValue(name, n, "Number of partitions must be positive, or -1 to use the broker's default") : undefined;
}

function checkRegexes(name: string, value: string): string | undefined {
  const list = parseList(value);
  for (const r of list) {
    try {
      new RegExp(r);
    } catch (e) {
      return invalidValue(name, renderList(list), `Syntax error in regular expression: ${(e as Error).message}`);
    }
  }
  return undefined;
}

/** The default group's value of a numeric key when it is set and valid (a named group inherits it), else null. */
function inherited(config: Readonly<Record<string, string>>, key: 'replication.factor' | 'partitions'): string | null {
  const raw = config[`${TOPIC_CREATION_PREFIX}${DEFAULT_TOPIC_CREATION_GROUP}.${key}`];
  if (raw === undefined) return null;
  const v = javaTrim(raw);
  if (!/^[-+]?[0-9]+$/.test(v)) return null;
  const name = `${TOPIC_CREATION_PREFIX}${DEFAULT_TOPIC_CREATION_GROUP}.${key}`;
  const limit = key === 'partitions' ? 2147483647 : 32767;
  if (Math.abs(Number(v)) > limit) return null;
  const problem = key === 'partitions' ? checkPartitions(name, v) : checkReplicationFactor(name, v);
  return problem ? null : String(Number(v));
}

function groupKeys(alias: string, config: Readonly<Record<string, string>>): ConfigKeyDef[] {
  const isDefault = alias === DEFAULT_TOPIC_CREATION_GROUP;
  const prefix = `${TOPIC_CREATION_PREFIX}${alias}.`;
  const group = `${GROUP}: ${alias}`;
  const common = { importance: 'LOW', group, width: 'LONG' } as const;
  return [
    {
      ...common, name: `${prefix}include`, type: 'LIST', default: isDefault ? '.*' : '', order: 1, displayName: `Inclusion Topic Pattern for ${alias}`,
      documentation: INCLUDE_DOC + (isDefault ? DEFAULT_REGEX_NOTE : ''),
      ...(isDefault ? {} : { validate: (v: string) => checkRegexes(`${prefix}include`, v) }),
    },
    {
      ...common, name: `${prefix}exclude`, type: 'LIST', default: '', order: 2, displayName: `Exclusion Topic Pattern for ${alias}`,
      documentation: EXCLUDE_DOC + (isDefault ? DEFAULT_REGEX_NOTE : ''),
      ...(isDefault ? {} : { validate: (v: string) => checkRegexes(`${prefix}exclude`, v) }),
    },
    {
      ...common, name: `${prefix}replication.factor`, type: 'SHORT', order: 3, displayName: `Replication Factor for Topics in ${alias}`, documentation: RF_DOC,
      ...(isDefault ? {} : { default: inherited(config, 'replication.factor') }),
      validate: (v: string) => checkReplicationFactor(`${prefix}replication.factor`, v),
    },
    {
      ...common, name: `${prefix}partitions`, type: 'INT', order: 4, displayName: `Partition Count for Topics in ${alias}`, documentation: PARTITIONS_DOC,
      ...(isDefault ? {} : { default: inherited(config, 'partitions') }),
      validate: (v: string) => checkPartitions(`${prefix}partitions`, v),
    },
  ];
}

/**
 * The per-group keys for this config (Connect's SourceConnectorConfig.enrich over embedDefaultGroup): the `default`
 * group's (replication factor and partitions required), then each group of `topic.creation.groups` in order (its
 * replication factor and partitions default to the default group's). Empty when the config has no `topic.creation.*`
 * key: topic creation is then not used, and nothing is required.
 */
export function topicCreationConfigDef(config: Readonly<Record<string, string>>): ConfigDef {
  if (!usesTopicCreation(config)) return [];
  return [DEFAULT_TOPIC_CREATION_GROUP, ...namedTopicCreationGroups(config)].flatMap((alias) => groupKeys(alias, config));
}
