/**
 * Source-connector topic creation (Kafka Connect's KIP-158: TopicCreation, TopicCreationGroup): the groups of a
 * connector config, the first group that matches a topic, the settings a new topic gets from it, and `TopicCreation`,
 * which a source task asks before it first writes to a topic. Parsing and matching are pure; only
 * `TopicCreation.ensure` does I/O, through a narrow port.
 */
import { configValue } from '../../plugins/config-def.js';
import type { ConfigDef } from '../../plugins/config-def.js';
import { javaTrim, parseList, validateConfigDef } from '../../plugins/config-validation.js';
import {
  DEFAULT_TOPIC_CREATION_GROUP,
  namedTopicCreationGroups,
  TOPIC_CREATION_GROUP_KEYS,
  TOPIC_CREATION_GROUPS_KEY,
  TOPIC_CREATION_PREFIX,
  topicCreationConfigDef,
  usesTopicCreation,
} from '../../plugins/topic-creation-config.js';
import type { TopicDescription, TopicSettings } from '../data-plane/data-plane.js';
import { DataPlaneError, isDataPlaneError } from '../data-plane/data-plane-error.js';
import type { LogFields, Logger } from '../logger.js';
import { WorkerError } from './worker-error.js';

/** One group: which topics it applies to, and what a topic created with it gets. */
export interface TopicCreationGroup {
  name: string;
  /** Whole-name patterns; a topic must match one of them. */
  include: readonly RegExp[];
  /** Whole-name patterns; a topic matching one of them is not in the group (exclusion wins). */
  exclude: readonly RegExp[];
  /** -1 = the data plane's default (Kafka's `num.partitions`). */
  partitions: number;
  /** -1 = the data plane's default (Kafka's `default.replication.factor`). */
  replicationFactor: number;
  /** Topic configs (`cleanup.policy`, `retention.ms`, …), as given. */
  config: Readonly<Record<string, string>>;
}

/** A regex of a `topic.creation.*` list, matched against the whole topic name (Java's Pattern.matches). */
const wholeName = (regex: string): RegExp => new RegExp(`^(?:${regex})$`);

/** The keys `topic.creation.<group>.<key>` that are not group keys: the group's topic configs, prefix removed. */
function otherConfigs(config: Readonly<Record<string, string>>, group: string): Record<string, string> {
  const prefix = `${TOPIC_CREATION_PREFIX}${group}.`;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    if (!k.startsWith(prefix)) continue;
    const key = k.slice(prefix.length);
    if (key !== '' && !TOPIC_CREATION_GROUP_KEYS.includes(key)) out[key] = v;
  }
  return out;
}

function readGroup(def: ConfigDef, config: Readonly<Record<string, string>>, name: string): TopicCreationGroup {
  const key = (k: string): string => `${TOPIC_CREATION_PREFIX}${name}.${k}`;
  const int = (k: string): number => Number(javaTrim(configValue(def, config, key(k))!));
  const isDefault = name === DEFAULT_TOPIC_CREATION_GROUP;
  return {
    name,
    // As in Connect, the default group's include/exclude are ignored: it applies to whatever no other group matched.
    include: (isDefault ? ['.*'] : parseList(configValue(def, config, key('include')) ?? '')).map(wholeName),
    exclude: (isDefault ? [] : parseList(configValue(def, config, key('exclude')) ?? '')).map(wholeName),
    partitions: int('partitions'),
    replicationFactor: int('replication.factor'),
    config: otherConfigs(config, name),
  };
}

/**
 * The topic creation groups of a source connector config: the groups of `topic.creation.groups` in order, then
 * `default` (always last). Undefined when topic creation does not apply: `enabled` (the worker's
 * `topic.creation.enable`) is false, or the config has no `topic.creation.*` key.
 * Throws a WorkerError (PIPECTL_WORKER_TOPIC_CREATION_FAILED) with the first validation message when the keys are invalid (e.g. a missing
 * `topic.creation.default.partitions`), as Connect's SourceConnectorConfig does.
 */
export function topicCreationGroups(config: Readonly<Record<string, string>>, enabled: boolean): TopicCreationGroup[] | undefined {
  if (!enabled || !usesTopicCreation(config)) return undefined;
  const def = [TOPIC_CREATION_GROUPS_KEY, ...topicCreationConfigDef(config)];
  for (const r of validateConfigDef(def, config)) if (r.errors.length > 0) throw new WorkerError('PIPECTL_WORKER_TOPIC_CREATION_FAILED', r.errors[0]!);
  return [...namedTopicCreationGroups(config), DEFAULT_TOPIC_CREATION_GROUP].map((name) => readGroup(def, config, name));
}

/** True when the topic matches one of the group's include patterns and none of its exclude patterns. */
export function groupMatches(group: TopicCreationGroup, topic: string): boolean {
  return group.include.some((r) => r.test(topic)) && !group.exclude.some((r) => r.test(topic));
}

/**
 * The first group (in `topic.creation.groups` order) that matches the topic, else the last group (`default`, as
 * `topicCreationGroups` returns it). `groups` must not be empty.
 */
export function findGroup(groups: readonly TopicCreationGroup[], topic: string): TopicCreationGroup {
  return groups.slice(0, -1).find((g) => groupMatches(g, topic)) ?? groups[groups.length - 1]!;
}

/** The settings of a topic created with this group. */
export function topicSettings(group: TopicCreationGroup): TopicSettings {
  return { partitions: group.partitions, replicationFactor: group.replicationFactor, config: { ...group.config } };
}

/** What TopicCreation needs from the data plane (declared here, where it is consumed). */
export interface TopicCreationPort {
  describeTopic(name: string): Promise<TopicDescription | undefined>;
  /** Resolves false when the topic already exists. */
  createTopic(name: string, settings: TopicSettings): Promise<boolean>;
}

/**
 * One source task's topic creation (Connect's TopicCreation + AbstractWorkerSourceTask.maybeCreateTopic): before the
 * first write to a topic, checks whether it exists and creates it with its group's settings if not. A topic is checked
 * once per task; an existing topic is left as it is.
 */
export class TopicCreation {
  private readonly known = new Set<string>();

  constructor(
    private readonly groups: readonly TopicCreationGroup[],
    private readonly admin: TopicCreationPort,
    private readonly logger: Logger,
    private readonly fields: LogFields,
    private readonly retry: { timeoutMs: number; backoffMs: number } = { timeoutMs: 60_000, backoffMs: 100 },
  ) {}

  /**
   * Makes sure every topic exists, in order. Throws a WorkerError naming the topic and group when one can be neither found
   * nor created; topics handled before it stay known.
   */
  async ensure(topics: Iterable<string>): Promise<void> {
    for (const topic of topics) {
      if (this.known.has(topic)) continue;
      await this.ensureOne(topic);
      this.known.add(topic);
    }
  }

  private async ensureOne(topic: string): Promise<void> {
    const group = findGroup(this.groups, topic);
    const settings = topicSettings(group);
    const what = `topic ${topic} with partitions=${settings.partitions}, replication.factor=${settings.replicationFactor}, configs=${JSON.stringify(settings.config)} (topic creation group ${group.name})`;
    const deadline = Date.now() + this.retry.timeoutMs;
    for (let backoff = this.retry.backoffMs; ; backoff = Math.min(backoff * 2, 2000)) {
      try {
        await this.describeOrCreate(topic, group.name, settings);
        return;
      } catch (e) {
        // A topic the broker is still creating or electing a leader for answers UNKNOWN_TOPIC_OR_PARTITION or
        // LEADER_NOT_AVAILABLE for a moment (seen on a loaded machine): retried, as Connect's TopicAdmin does.
        if (!isRetriable(e) || Date.now() + backoff >= deadline) throw this.failure(what, group.name, e);
        this.logger.info(`creating ${what} failed, retrying: ${e instanceof Error ? e.message : String(e)}`, { ...this.fields, topic });
        await new Promise((resolve) => setTimeout(resolve, backoff));
      }
    }
  }

  private async describeOrCreate(topic: string, group: string, settings: TopicSettings): Promise<void> {
    if (await this.admin.describeTopic(topic)) {
      this.logger.info('topic already exists; topic creation skipped', { ...this.fields, topic });
      return;
    }
    const created = await this.admin.createTopic(topic, settings);
    if (created) this.logger.info('created topic', { ...this.fields, topic, group, partitions: settings.partitions, replication_factor: settings.replicationFactor });
    else this.logger.info('topic was created meanwhile; topic creation skipped', { ...this.fields, topic });
  }

  /** The task's error: the topic, its settings and group, the cause, and what to do. */
  private failure(what: string, group: string, e: unknown): Error {
    // Both data planes report a bad name, partition count, replication factor or topic config with these codes.
    const rejected = isDataPlaneError(e, 'PIPECTL_LOG_INVALID_ARGUMENT', 'PIPECTL_LOG_INVALID_TOPIC');
    const hint = rejected
      ? `Fix the connector's topic.creation.${group}.* settings (or create the topic), and restart the task.`
      : 'Ensure that the task is authorized to create topics or that the topic exists, and restart the task.';
    return new WorkerError('PIPECTL_WORKER_TOPIC_CREATION_FAILED', `Task failed to create new ${what}: ${e instanceof Error ? e.message : String(e)}. ${hint}`, { cause: e });
  }
}

/** Whether the client marked the failure (or one it wraps) retriable; settings the data plane refuses never are. */
function isRetriable(e: unknown): boolean {
  if (e instanceof DataPlaneError) return false;
  for (let x: unknown = e, depth = 0; x && typeof x === 'object' && depth < 10; depth++) {
    const err = x as { retriable?: unknown; cause?: unknown; originalError?: unknown };
    if (err.retriable === true) return true;
    x = err.originalError ?? err.cause;
  }
  return false;
}
