import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigInfos } from '../../src/herder/types.js';
import { createDefaultRegistry } from '../../src/runtime/bundled-plugins.js';

const base = { name: 'gen', 'connector.class': 'Generator', topic: 'orders' };
const DEFAULTS = { 'topic.creation.default.replication.factor': '1', 'topic.creation.default.partitions': '3' };

const errorsOf = (infos: ConfigInfos): Record<string, string[]> =>
  Object.fromEntries(infos.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));

test('a source config without topic.creation keys has only topic.creation.groups, with no errors', () => {
  const infos = createDefaultRegistry().validateConnectorConfig(base);
  assert.equal(infos.error_count, 0, JSON.stringify(errorsOf(infos)));
  const keys = infos.configs.map((c) => c.definition.name).filter((k) => k.startsWith('topic.creation.'));
  assert.deepEqual(keys, ['topic.creation.groups']);
  const sink = createDefaultRegistry().validateConnectorConfig({ name: 'k', 'connector.class': 'FileStreamSink', topics: 't', ...DEFAULTS, 'topic.creation.default.partitions': '0' });
  assert.equal(sink.error_count, 0, 'sinks have no topic creation keys');
});

test('topic creation keys are validated per group, with Connect-shaped messages', () => {
  const registry = createDefaultRegistry();
  const table: [Record<string, string>, Record<string, (string | RegExp)[]>][] = [
    [{ ...DEFAULTS }, {}],
    [{ ...DEFAULTS, 'topic.creation.default.partitions': '-1', 'topic.creation.default.replication.factor': '-1' }, {}],
    [{ 'topic.creation.default.partitions': '3' }, { 'topic.creation.default.replication.factor': ['Missing required configuration "topic.creation.default.replication.factor" which has no default value.'] }],
    [{ 'topic.creation.default.replication.factor': '1' }, { 'topic.creation.default.partitions': ['Missing required configuration "topic.creation.default.partitions" which has no default value.'] }],
    [
      { ...DEFAULTS, 'topic.creation.default.partitions': '0', 'topic.creation.default.replication.factor': '-2' },
      {
        'topic.creation.default.partitions': ["Invalid value 0 for configuration topic.creation.default.partitions: Number of partitions must be positive, or -1 to use the broker's default"],
        'topic.creation.default.replication.factor': ["Invalid value -2 for configuration topic.creation.default.replication.factor: Replication factor must be positive and not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default"],
      },
    ],
    [{ ...DEFAULTS, 'topic.creation.default.partitions': 'many' }, { 'topic.creation.default.partitions': ['Invalid value many for configuration topic.creation.default.partitions: Not a number of type INT'] }],
    [{ ...DEFAULTS, 'topic.creation.groups': 'a, a' }, { 'topic.creation.groups': ['Invalid value [a, a] for configuration topic.creation.groups: Duplicate alias provided.'] }],
    [
      { ...DEFAULTS, 'topic.creation.groups': 'a', 'topic.creation.a.include': 'ok.*, x(', 'topic.creation.a.partitions': '-5' },
      {
        'topic.creation.a.include': [/^Invalid value \[ok\.\*, x\(\] for configuration topic.creation.a.include: Syntax error in regular expression: /],
        'topic.creation.a.partitions': ["Invalid value -5 for configuration topic.creation.a.partitions: Number of partitions must be positive, or -1 to use the broker's default"],
      },
    ],
  ];
  for (const [config, expected] of table) {
    const errors = errorsOf(registry.validateConnectorConfig({ ...base, ...config }));
    assert.deepEqual(Object.keys(errors).sort(), Object.keys(expected).sort(), JSON.stringify(config));
    for (const [key, messages] of Object.entries(expected)) {
      assert.equal(errors[key]!.length, messages.length, key);
      messages.forEach((m, i) => (typeof m === 'string' ? assert.equal(errors[key]![i], m) : assert.match(errors[key]![i]!, m)));
    }
  }
});

test('each group has its own config group; named groups show the default group\'s partitions and replication factor', () => {
  const infos = createDefaultRegistry().validateConnectorConfig({ ...base, ...DEFAULTS, 'topic.creation.groups': 'compacted', 'topic.creation.compacted.include': 'state.*', 'topic.creation.compacted.cleanup.policy': 'compact' });
  assert.equal(infos.error_count, 0, JSON.stringify(errorsOf(infos)));
  assert.deepEqual(infos.groups.filter((g) => g.startsWith('Topic Creation')), ['Topic Creation', 'Topic Creation: default', 'Topic Creation: compacted']);
  const partitions = infos.configs.find((c) => c.definition.name === 'topic.creation.compacted.partitions')!;
  assert.deepEqual([partitions.definition.required, partitions.definition.default_value, partitions.value.value, partitions.definition.type], [false, '3', '3', 'INT']);
  const rf = infos.configs.find((c) => c.definition.name === 'topic.creation.default.replication.factor')!;
  assert.deepEqual([rf.definition.required, rf.definition.type, rf.definition.display_name], [true, 'SHORT', 'Replication Factor for Topics in default']);
  assert.equal(infos.configs.find((c) => c.definition.name === 'topic.creation.default.include')?.value.value, '.*');
});

test('with topic.creation.enable=false on the worker, only topic.creation.groups is checked', () => {
  const registry = createDefaultRegistry({ topicCreationEnable: false });
  assert.equal(registry.validateConnectorConfig({ ...base, 'topic.creation.default.partitions': '0' }).error_count, 0);
  assert.deepEqual(Object.keys(errorsOf(registry.validateConnectorConfig({ ...base, 'topic.creation.groups': 'a,a' }))), ['topic.creation.groups']);
});

test('GET /connector-plugins/{source}/config lists topic.creation.groups, sinks do not', () => {
  const registry = createDefaultRegistry();
  assert.ok(registry.pluginConfig('Generator').some((k) => k.name === 'topic.creation.groups' && k.group === 'Topic Creation'));
  assert.ok(!registry.pluginConfig('FileStreamSink').some((k) => k.name.startsWith('topic.creation')));
});
