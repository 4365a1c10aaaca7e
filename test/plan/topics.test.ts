/** planTopics: the table of what is compared and what is left alone (the main cases are golden plans in testdata/). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computePlan } from '../../src/plan/compute-plan.js';
import { planTopics } from '../../src/plan/topics.js';
import type { LiveTopic, PlanOptions } from '../../src/plan/types.js';
import type { TopicSpec } from '../../src/pipeline-files/desired-state.js';

const OPTIONS: PlanOptions = { project: 'shop', prune: false, adopt: false, restart: [], ignoreKeys: [] };
const POS = { file: 'pipelines/t.yaml', line: 6, column: 7 };

function declared(settings: Partial<TopicSpec> = {}): TopicSpec {
  return { name: 't', pipelines: ['p'], config: {}, pos: POS, settingPos: {}, configPos: {}, ...settings };
}

function live(settings: Partial<LiveTopic> = {}): LiveTopic {
  return { name: 't', partitions: 3, replicationFactor: 1, config: {}, ...settings };
}

const summary = (desired: TopicSpec[], topics: LiveTopic[], options: Partial<PlanOptions> = {}): string[] => {
  const { operations, diagnostics } = planTopics(desired, topics, { ...OPTIONS, ...options });
  return [
    ...operations.map((o) => (o.op === 'update-topic' ? `update ${o.name} ${JSON.stringify(o.partitions ?? null)} ${JSON.stringify(o.config)}` : `${o.op} ${o.name}`)),
    ...diagnostics.map((d) => `${d.severity} ${d.code}${d.pos === undefined ? '' : ` @${d.pos.line}:${d.pos.column}`}`),
  ];
};

test('only declared settings are compared: no partitions or replication factor in the file means no opinion', () => {
  assert.deepEqual(summary([declared()], [live({ partitions: 12, replicationFactor: 3 })]), []);
  assert.deepEqual(summary([declared({ partitions: 3, replicationFactor: 1 })], [live()]), []);
  assert.deepEqual(summary([declared({ replicationFactor: -1 })], [live({ replicationFactor: 3 })]), [], '-1 means the default: never compared');
});

test('partitions up is an update; down is an error at the partitions: line (at the topic when the line is unknown)', () => {
  assert.deepEqual(summary([declared({ partitions: 6 })], [live()]), ['update t {"from":3,"to":6} {}']);
  const at = { file: 'pipelines/t.yaml', line: 7, column: 7 };
  assert.deepEqual(summary([declared({ partitions: 2, settingPos: { partitions: at } })], [live()]), ['error PIPECTL_PLAN_TOPIC_PARTITIONS_DECREASE @7:7']);
  assert.deepEqual(summary([declared({ partitions: 2 })], [live()]), ['error PIPECTL_PLAN_TOPIC_PARTITIONS_DECREASE @6:7']);
  // The config change is still shown (the plan cannot be applied anyway while it has an error).
  assert.deepEqual(summary([declared({ partitions: 2, config: { 'retention.ms': '1' } })], [live()]), ['update t null {"retention.ms":"1"}', 'error PIPECTL_PLAN_TOPIC_PARTITIONS_DECREASE @6:7']);
});

test('a replication factor change is a warning, and the rest of the topic is still planned', () => {
  const at = { file: 'pipelines/t.yaml', line: 8, column: 7 };
  assert.deepEqual(summary([declared({ partitions: 4, replicationFactor: 3, settingPos: { replicationFactor: at } })], [live()]), [
    'update t {"from":3,"to":4} {}',
    'warning PIPECTL_PLAN_TOPIC_REPLICATION_FACTOR @8:7',
  ]);
});

test('configs: declared keys are set, undeclared overrides are reset (null), and --ignore-key leaves a key alone on both sides', () => {
  const current = live({ config: { 'retention.ms': '100', 'cleanup.policy': 'delete', 'segment.bytes': '1048576', 'message.timestamp.type': 'LogAppendTime' } });
  const wanted = declared({ config: { 'retention.ms': '200', 'cleanup.policy': 'delete', 'min.insync.replicas': '1', 'message.timestamp.difference.max.ms': '5' } });
  assert.deepEqual(summary([wanted], [current]), [
    'update t null {"message.timestamp.difference.max.ms":"5","message.timestamp.type":null,"min.insync.replicas":"1","retention.ms":"200","segment.bytes":null}',
  ]);
  assert.deepEqual(summary([wanted], [current], { ignoreKeys: ['message.timestamp.*'] }), ['update t null {"min.insync.replicas":"1","retention.ms":"200","segment.bytes":null}']);
  assert.deepEqual(summary([declared({ config: { 'retention.ms': '100' } })], [live({ config: { 'retention.ms': '100' } })]), [], 'equal strings: no change');
});

test('undeclared topics are never touched; with --prune the plan says which it leaves in place', () => {
  const others = Array.from({ length: 12 }, (_, i) => live({ name: `other-${String(i).padStart(2, '0')}` }));
  assert.deepEqual(summary([declared()], [live(), ...others]), []);
  const { diagnostics } = planTopics([declared()], [live(), ...others], { ...OPTIONS, prune: true });
  assert.deepEqual(diagnostics.map((d) => [d.severity, d.code]), [['warning', 'PIPECTL_PLAN_TOPICS_NOT_PRUNED']]);
  assert.match(diagnostics[0]!.summary, /12 topics on the runtime are not declared \(other-00, other-01, .*, other-09, and 2 more\) and are left in place/);
  assert.deepEqual(summary([declared()], [live()], { prune: true }), [], 'nothing undeclared: nothing to say');
});

test('computePlan: topic operations come first, and a runtime without topics gets none', () => {
  const desired = { pipelines: [], connectors: [], topics: [declared({ partitions: 6 }), declared({ name: 'new' })] };
  const withTopics = computePlan(desired, { url: 'u', connectors: [], pluginClasses: [], topics: [live()] }, OPTIONS);
  assert.deepEqual(withTopics.operations.map((o) => `${o.op} ${o.name}`), ['update-topic t', 'create-topic new']);
  assert.deepEqual([withTopics.summary.createTopic, withTopics.summary.updateTopic], [1, 1]);
  const without = computePlan(desired, { url: 'u', connectors: [], pluginClasses: [] }, OPTIONS);
  assert.deepEqual(without.operations, []);
  // A topic change made outside pipectl makes a saved plan stale (its live fingerprint covers topic configs).
  const changed = computePlan(desired, { url: 'u', connectors: [], pluginClasses: [], topics: [live({ config: { 'retention.ms': '1' } })] }, OPTIONS);
  assert.notEqual(changed.fingerprints.live, withTopics.fingerprints.live);
});

test('a warning about many names lists ten and counts the rest (400 undeclared owned connectors, item 8 of issue 13)', () => {
  const connectors = Array.from({ length: 400 }, (_, i) => ({
    name: `c-${String(i).padStart(3, '0')}`,
    config: { 'connector.class': 'FileStreamSink', 'pipectl.owner': 'shop' },
    type: 'sink' as const,
    state: 'RUNNING' as const,
    taskStates: [],
  }));
  const plan = computePlan({ pipelines: [], connectors: [], topics: [] }, { url: 'u', connectors, pluginClasses: [] }, OPTIONS);
  const warning = plan.diagnostics.find((d) => d.code === 'PIPECTL_PLAN_UNDECLARED_OWNED');
  assert.ok(warning);
  assert.equal(
    warning.summary,
    '400 connectors owned by project "shop" are no longer declared (c-000, c-001, c-002, c-003, c-004, c-005, c-006, c-007, c-008, c-009, and 390 more); run with --prune to delete them',
  );
  const topics = planTopics([], Array.from({ length: 400 }, (_, i) => live({ name: `t-${String(i).padStart(3, '0')}` })), { ...OPTIONS, prune: true });
  assert.match(topics.diagnostics[0]!.summary, /t-009, and 390 more/);
});
