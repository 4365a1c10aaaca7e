import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import type { TopicDescription, TopicSettings } from '../../../src/runtime/data-plane/data-plane.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { findGroup, groupMatches, TopicCreation, topicCreationGroups, topicSettings } from '../../../src/runtime/worker/topic-creation.js';
import type { TopicCreationGroup, TopicCreationPort } from '../../../src/runtime/worker/topic-creation.js';
import { writeTree } from '../../support/paths.js';

const DEFAULTS = { 'topic.creation.default.replication.factor': '1', 'topic.creation.default.partitions': '3' };

/** A group's data without its RegExp objects, for deepEqual. */
const plain = (g: TopicCreationGroup): object => ({ ...g, include: g.include.map((r) => r.source), exclude: g.exclude.map((r) => r.source) });

test('topic creation does not apply without topic.creation.* keys, or when the worker disables it', () => {
  assert.equal(topicCreationGroups({ topic: 't', 'connector.class': 'Generator' }, true), undefined);
  assert.equal(topicCreationGroups({ ...DEFAULTS, 'topic.creation.default.partitions': '0' }, false), undefined, 'not even validated when disabled');
});

test('groups come in topic.creation.groups order with default last; named groups inherit partitions and replication factor', () => {
  const groups = topicCreationGroups(
    {
      ...DEFAULTS,
      'topic.creation.groups': ' compacted , default, audit',
      'topic.creation.compacted.include': 'state\\..*, .*-changelog',
      'topic.creation.compacted.exclude': 'state\\.tmp\\..*',
      'topic.creation.compacted.partitions': '1',
      'topic.creation.compacted.cleanup.policy': 'compact',
      'topic.creation.audit.include': 'audit-.*',
      'topic.creation.audit.replication.factor': '-1',
      'topic.creation.audit.retention.ms': '-1',
      'topic.creation.default.include': 'never',
      'topic.creation.default.compression.type': 'gzip',
    },
    true,
  );
  assert.deepEqual(groups?.map(plain), [
    { name: 'compacted', include: ['^(?:state\\..*)$', '^(?:.*-changelog)$'], exclude: ['^(?:state\\.tmp\\..*)$'], partitions: 1, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } },
    { name: 'audit', include: ['^(?:audit-.*)$'], exclude: [], partitions: 3, replicationFactor: -1, config: { 'retention.ms': '-1' } },
    { name: 'default', include: ['^(?:.*)$'], exclude: [], partitions: 3, replicationFactor: 1, config: { 'compression.type': 'gzip' } },
  ]);
});

test('invalid topic.creation keys throw the first validation message', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ 'topic.creation.default.partitions': '3' }, /Missing required configuration "topic.creation.default.replication.factor"/],
    [{ 'topic.creation.default.replication.factor': '1' }, /Missing required configuration "topic.creation.default.partitions"/],
    [{ 'topic.creation.groups': 'a' }, /Missing required configuration "topic.creation.default.replication.factor"/],
    [{ ...DEFAULTS, 'topic.creation.default.partitions': '0' }, /Invalid value 0 for configuration topic.creation.default.partitions: Number of partitions must be positive, or -1/],
    [{ ...DEFAULTS, 'topic.creation.default.replication.factor': '-2' }, /Invalid value -2 for configuration topic.creation.default.replication.factor: Replication factor must be positive/],
    [{ ...DEFAULTS, 'topic.creation.default.replication.factor': '40000' }, /Not a number of type SHORT/],
    [{ ...DEFAULTS, 'topic.creation.groups': 'a', 'topic.creation.a.include': 'x(' }, /topic.creation.a.include: Syntax error in regular expression/],
    [{ ...DEFAULTS, 'topic.creation.groups': 'a,b,a' }, /Invalid value \[a, b, a\] for configuration topic.creation.groups: Duplicate alias provided./],
  ];
  for (const [config, message] of cases) assert.throws(() => topicCreationGroups(config, true), message, JSON.stringify(config));
});

test('a topic goes to the first group that includes and does not exclude it, else to default', () => {
  const groups = topicCreationGroups(
    {
      ...DEFAULTS,
      'topic.creation.groups': 'compacted,audit,empty',
      'topic.creation.compacted.include': 'state\\..*',
      'topic.creation.compacted.exclude': 'state\\.tmp\\..*',
      'topic.creation.audit.include': 'audit-.*,state\\..*',
    },
    true,
  )!;
  const table: [string, string][] = [
    ['state.orders', 'compacted'],
    ['state.tmp.x', 'audit'], // excluded from compacted, included by audit's second pattern
    ['audit-2024', 'audit'],
    ['xaudit-2024', 'default'], // patterns match whole names
    ['audit-', 'audit'],
    ['orders', 'default'], // "empty" has no include pattern: it matches nothing
  ];
  for (const [topic, group] of table) assert.equal(findGroup(groups, topic).name, group, topic);
  assert.equal(groupMatches(groups[2]!, ''), false);
  assert.deepEqual(topicSettings(groups[0]!), { partitions: 3, replicationFactor: 1, config: {} });
});

/** An in-memory twin of the data plane's topic calls, recording what it was asked. */
function memoryTopics(existing: string[] = [], fail?: (name: string) => Error | undefined): TopicCreationPort & { created: [string, TopicSettings][]; describes: string[] } {
  const topics = new Map<string, TopicDescription>(existing.map((n) => [n, { name: n, partitions: 1, replicationFactor: 1, config: {} }]));
  const created: [string, TopicSettings][] = [];
  const describes: string[] = [];
  return {
    created,
    describes,
    async describeTopic(name) {
      describes.push(name);
      return topics.get(name);
    },
    async createTopic(name, settings) {
      const error = fail?.(name);
      if (error) throw error;
      if (topics.has(name)) return false;
      created.push([name, settings]);
      topics.set(name, { name, partitions: settings.partitions, replicationFactor: settings.replicationFactor ?? 1, config: { ...settings.config } });
      return true;
    },
  };
}

test('TopicCreation creates a missing topic once, with its group\'s settings, and leaves existing topics alone', async () => {
  const groups = topicCreationGroups({ ...DEFAULTS, 'topic.creation.groups': 'logs', 'topic.creation.logs.include': 'logs-.*', 'topic.creation.logs.partitions': '2', 'topic.creation.logs.retention.ms': '60000' }, true)!;
  const admin = memoryTopics(['existing']);
  const creation = new TopicCreation(groups, admin, silentLogger, { connector: 'c', task: 0 });
  await creation.ensure(['logs-a', 'orders', 'existing']);
  await creation.ensure(['logs-a', 'orders', 'existing']);
  assert.deepEqual(admin.created, [
    ['logs-a', { partitions: 2, replicationFactor: 1, config: { 'retention.ms': '60000' } }],
    ['orders', { partitions: 3, replicationFactor: 1, config: {} }],
  ]);
  assert.deepEqual(admin.describes, ['logs-a', 'orders', 'existing'], 'each topic is checked once per task');
});

test('TopicCreation fails with the topic and group named, and checks the topic again next time', async () => {
  const groups = topicCreationGroups(DEFAULTS, true)!;
  let refuse = true;
  const admin = memoryTopics([], () => (refuse ? new Error('Topic authorization failed') : undefined));
  const creation = new TopicCreation(groups, admin, silentLogger, {});
  await assert.rejects(creation.ensure(['ok-later']), /Task failed to create new topic ok-later with partitions=3, replication.factor=1, configs=\{\} \(topic creation group default\): Topic authorization failed\./);
  refuse = false;
  await creation.ensure(['ok-later']);
  assert.deepEqual(admin.created.map(([n]) => n), ['ok-later']);
});

test('TopicCreation retries a failure the client marks retriable (a topic still being created), until its deadline', async () => {
  const groups = topicCreationGroups(DEFAULTS, true)!;
  // What kafkajs throws while the broker has not finished creating the topic (seen on a loaded machine).
  const notHosted = (): Error => Object.assign(new Error('This server does not host this topic-partition'), { type: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true });
  let failures = 2;
  const admin = memoryTopics([], () => (failures-- > 0 ? notHosted() : undefined));
  await new TopicCreation(groups, admin, silentLogger, {}, { timeoutMs: 10_000, backoffMs: 1 }).ensure(['late']);
  assert.deepEqual(admin.created.map(([name]) => name), ['late']);
  const never = memoryTopics([], notHosted);
  await assert.rejects(new TopicCreation(groups, never, silentLogger, {}, { timeoutMs: 30, backoffMs: 5 }).ensure(['never']), /Task failed to create new topic never .*does not host this topic-partition/);
});

test('on the embedded log, -1 partitions and replication factor mean the log\'s defaults', async () => {
  const tree = writeTree({});
  const log = await openEmbeddedLog({ dir: join(tree.dir, 'log'), defaultPartitions: 2 });
  try {
    const groups = topicCreationGroups({ 'topic.creation.default.replication.factor': '-1', 'topic.creation.default.partitions': '-1', 'topic.creation.default.retention.ms': '1000' }, true)!;
    await new TopicCreation(groups, log, silentLogger, {}).ensure(['t']);
    assert.deepEqual(await log.describeTopic('t'), { name: 't', partitions: 2, replicationFactor: 1, config: { 'retention.ms': '1000' } });
  } finally {
    await log.close();
    tree.cleanup();
  }
});
