import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequestError, NotFoundError } from '../../src/herder/errors.js';
import type { ConfigInfos } from '../../src/herder/types.js';
import type { ConnectorPlugin } from '../../src/plugins/plugin.js';
import { createDefaultRegistry } from '../../src/runtime/bundled-plugins.js';

const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

const errorsOf = (infos: ConfigInfos): Record<string, string[]> =>
  Object.fromEntries(infos.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));
const valueOf = (infos: ConfigInfos, key: string): string | null | undefined => infos.configs.find((c) => c.value.name === key)?.value.value;

test('connector.class accepts the class name, the simple name, and the simple name without "Connector"', () => {
  const registry = createDefaultRegistry();
  for (const name of [SOURCE, 'FileStreamSourceConnector', 'FileStreamSource', ' FileStreamSource ']) {
    assert.equal(registry.findConnector(name)?.className, SOURCE, name);
  }
  assert.equal(registry.findConnector('FileStreamSink')?.className, SINK);
  assert.equal(registry.findConnector('FileStream'), undefined);
  assert.equal(registry.findConnector('org.apache.kafka.connect.file.FileStreamSource'), undefined, 'a package path must name a real class');
});

test('an unknown plugin is undefined for lookups, 404 for its config and 400 when resolved', () => {
  const registry = createDefaultRegistry();
  assert.equal(registry.findConnector('NoSuchConnector'), undefined);
  assert.throws(() => registry.pluginConfig('NoSuchConnector'), (e: unknown) => e instanceof NotFoundError && e.message === 'Unknown plugin NoSuchConnector.');
  assert.throws(() => registry.resolveConnector('NoSuch'), (e: unknown) => e instanceof BadRequestError && /which name matches NoSuch, available connectors are: .*FileStreamSinkConnector/.test(e.message));
});

test('an alias claimed by two plugins resolves to neither, and says so', () => {
  const registry = createDefaultRegistry();
  const base = registry.findConnector('FileStreamSource')!;
  registry.register({ ...base, className: 'com.example.FileStreamSourceConnector', aliases: [] });
  assert.equal(registry.findConnector('FileStreamSource'), undefined);
  assert.equal(registry.findConnector(SOURCE)?.className, SOURCE, 'the full class name still works');
  assert.throws(() => registry.resolveConnector('FileStreamSource'), /More than one connector matches alias FileStreamSource/);
  assert.throws(() => registry.register(base), /already registered/);
});

test('the plugin list is sorted by class, with type and version', () => {
  const plugins = createDefaultRegistry().connectorPlugins();
  assert.deepEqual(plugins.map((p) => [p.class, p.type]), [['io.pipectl.connect.generator.GeneratorSourceConnector', 'source'], ['io.pipectl.connect.http.HttpSinkConnector', 'sink'], ['io.pipectl.connect.jdbc.PostgresSinkConnector', 'sink'], ['io.pipectl.connect.postgresql.PostgresConnector', 'source'], [SINK, 'sink'], [SOURCE, 'source']]);
  for (const p of plugins) assert.equal(p.version, '0.1.0', 'the bundled connectors report pipectl\'s version');
  const registry = createDefaultRegistry();
  registry.register({ ...registry.findConnector(SINK)!, className: 'a.b.AaaConnector', aliases: [], version: 'undefined' });
  assert.deepEqual(registry.connectorPlugins()[0], { class: 'a.b.AaaConnector', type: 'sink' }, 'no version field when it is "undefined"');
});

test('plugin config lists the plugin\'s own keys first, then the framework keys', () => {
  const registry = createDefaultRegistry();
  const source = registry.pluginConfig('FileStreamSource').map((k) => k.name);
  assert.deepEqual(source.slice(0, 3), ['file', 'topic', 'batch.size']);
  assert.deepEqual(source.slice(3, 8), ['name', 'connector.class', 'connector.plugin.version', 'tasks.max', 'tasks.max.enforce']);
  assert.ok(source.includes('errors.tolerance') && !source.includes('topics'), 'sources have no topics key');
  const sink = registry.pluginConfig(SINK).map((k) => k.name);
  assert.deepEqual(sink.filter((k) => k.startsWith('topics')), ['topics', 'topics.regex']);
  const tasksMax = registry.pluginConfig('FileStreamSink').find((k) => k.name === 'tasks.max');
  assert.deepEqual(tasksMax, {
    name: 'tasks.max', type: 'INT', required: false, default_value: '1', importance: 'HIGH', documentation: 'Maximum number of tasks to use for this connector.',
    group: 'Common', order: 4, width: 'SHORT', display_name: 'Tasks max', dependents: [],
  });
  const topic = registry.pluginConfig('FileStreamSource').find((k) => k.name === 'topic');
  assert.deepEqual([topic?.required, topic?.default_value, topic?.group, topic?.order, topic?.display_name], [true, null, null, -1, 'topic']);
});

test('a valid source config validates with no errors, in Connect\'s shape', () => {
  const infos = createDefaultRegistry().validateConnectorConfig({ name: 'src', 'connector.class': 'FileStreamSource', topic: 't', file: '/tmp/x', 'tasks.max': ' 2 ' });
  assert.equal(infos.name, 'FileStreamSource', 'name is connector.class as given');
  assert.equal(infos.error_count, 0, JSON.stringify(errorsOf(infos)));
  assert.deepEqual(infos.groups, ['Common', 'Transforms', 'Predicates', 'Error Handling', 'Topic Creation', 'Exactly Once Support', 'offsets.topic']);
  assert.deepEqual(infos.configs.map((c) => c.definition.name).slice(0, 4), ['name', 'connector.class', 'connector.plugin.version', 'tasks.max']);
  assert.deepEqual(infos.configs.slice(-3).map((c) => c.definition.name), ['file', 'topic', 'batch.size']);
  assert.deepEqual(infos.configs.find((c) => c.value.name === 'tasks.max')?.value, { name: 'tasks.max', value: '2', recommended_values: [], errors: [], visible: true });
  assert.equal(valueOf(infos, 'batch.size'), '2000', 'defaults are shown as values');
  assert.equal(valueOf(infos, 'key.converter'), 'org.apache.kafka.connect.json.JsonConverter', "the worker's converter is the default");
});

test("config/validate has Connect 4.1.1's keys, with the converter choices and versions (item 10 of issue 13)", () => {
  const registry = createDefaultRegistry({ converters: { value: 'org.apache.kafka.connect.storage.StringConverter' } });
  const sink = registry.validateConnectorConfig({ name: 's', 'connector.class': 'FileStreamSink', topics: 't' });
  assert.deepEqual(sink.configs.map((c) => c.definition.name), [
    'name', 'connector.class', 'connector.plugin.version', 'tasks.max', 'tasks.max.enforce', 'key.converter', 'key.converter.plugin.version',
    'value.converter', 'value.converter.plugin.version', 'header.converter', 'header.converter.plugin.version', 'transforms', 'predicates',
    'config.action.reload', 'errors.retry.timeout', 'errors.retry.delay.max.ms', 'errors.tolerance', 'errors.log.enable', 'errors.log.include.messages',
    'topics', 'topics.regex', 'errors.deadletterqueue.topic.name', 'errors.deadletterqueue.topic.replication.factor', 'errors.deadletterqueue.context.headers.enable', 'file',
  ]);
  const value = (k: string) => sink.configs.find((c) => c.definition.name === k)!;
  assert.equal(value('value.converter').definition.default_value, 'org.apache.kafka.connect.storage.StringConverter');
  assert.equal(value('key.converter').value.recommended_values.length, 9);
  assert.ok(value('header.converter').value.recommended_values.includes('org.apache.kafka.connect.storage.SimpleHeaderConverter'));
  assert.deepEqual(value('connector.plugin.version').value.recommended_values, ['0.1.0']);
  assert.equal(value('errors.deadletterqueue.topic.replication.factor').value.value, '3');
  const bad = registry.validateConnectorConfig({ name: 's', 'connector.class': 'FileStreamSource', topic: 't', 'config.action.reload': 'sometimes', 'exactly.once.support': 'required', 'connector.plugin.version': '9.9.9' });
  assert.deepEqual(bad.configs.filter((c) => c.value.errors.length > 0).map((c) => c.definition.name), ['connector.plugin.version', 'config.action.reload', 'exactly.once.support']);
});

test('validation reports a missing topic, a bad tasks.max and a bad tolerance on their keys', () => {
  const registry = createDefaultRegistry();
  const infos = registry.validateConnectorConfig({ name: 'src', 'connector.class': SOURCE, 'tasks.max': 'abc', 'errors.tolerance': 'some' });
  assert.deepEqual(errorsOf(infos), {
    topic: ['Missing required configuration "topic" which has no default value.'],
    'tasks.max': ['Invalid value abc for configuration tasks.max: Not a number of type INT'],
    'errors.tolerance': ['Invalid value some for configuration errors.tolerance: String must be one of: none, all'],
  });
  assert.equal(infos.error_count, 3);
  assert.deepEqual(errorsOf(registry.validateConnectorConfig({ name: 'src', 'connector.class': SOURCE, topic: 't', 'tasks.max': '0' }))['tasks.max'], ['Invalid value 0 for configuration tasks.max: Value must be at least 1']);
  assert.deepEqual(errorsOf(registry.validateConnectorConfig({ name: 'src', 'connector.class': SOURCE, topic: '  ' }))['topic'], ['Invalid value  for configuration topic: String must be non-empty']);
});

test('a sink needs exactly one of topics and topics.regex', () => {
  const registry = createDefaultRegistry();
  const both = registry.validateConnectorConfig({ name: 'k', 'connector.class': 'FileStreamSink', topics: 'a', 'topics.regex': 'a.*' });
  const message = 'topics and topics.regex are mutually exclusive options, but both are set.';
  assert.deepEqual(errorsOf(both), { topics: [message], 'topics.regex': [message] });
  assert.equal(both.error_count, 2);
  const neither = registry.validateConnectorConfig({ name: 'k', 'connector.class': 'FileStreamSink' });
  assert.deepEqual(errorsOf(neither)['topics'], ['Must configure one of topics or topics.regex']);
  assert.equal(registry.validateConnectorConfig({ name: 'k', 'connector.class': 'FileStreamSink', 'topics.regex': 'orders-.*' }).error_count, 0);
  const dlq = registry.validateConnectorConfig({ name: 'k', 'connector.class': 'FileStreamSink', topics: 'a, dlq', 'errors.deadletterqueue.topic.name': 'dlq' });
  assert.match(errorsOf(dlq)['topics']![0]!, /The DLQ topic 'dlq' may not be included in the list of topics/);
});

test('a missing or unknown connector.class is an error on that key, not an exception', () => {
  const registry = createDefaultRegistry();
  const unknown = registry.validateConnectorConfig({ name: 'x', 'connector.class': 'FileStreamSorce', 'tasks.max': '-1' });
  assert.equal(unknown.name, 'FileStreamSorce');
  const errors = errorsOf(unknown);
  assert.match(errors['connector.class']![0]!, /^Failed to find any class that implements Connector and which name matches FileStreamSorce, available connectors are: /);
  assert.ok(errors['tasks.max'], 'framework keys are still checked');
  const missing = registry.validateConnectorConfig({ name: 'x' });
  assert.equal(missing.name, '');
  assert.deepEqual(errorsOf(missing), { 'connector.class': ['Missing required configuration "connector.class" which has no default value.'] });
});

test('connector names: empty, with "/", or with control characters are errors', () => {
  const registry = createDefaultRegistry();
  const nameErrors = (name: string): string[] | undefined => errorsOf(registry.validateConnectorConfig({ name, 'connector.class': SOURCE, topic: 't' }))['name'];
  assert.deepEqual(nameErrors(''), ['Invalid value  for configuration name: String may not be empty']);
  assert.match(nameErrors('a/b')![0]!, /may not contain "\/"/);
  assert.deepEqual(nameErrors('a\u0007b'), ['Invalid value a\u0007b for configuration name: String may not contain control sequences but had the following ASCII chars: 7']);
  assert.equal(nameErrors('orders-source'), undefined);
  assert.deepEqual(errorsOf(registry.validateConnectorConfig({ 'connector.class': SOURCE, topic: 't' }))['name'], ['Missing required configuration "name" which has no default value.']);
});

test('each transform alias needs a type, and aliases must be unique', () => {
  const registry = createDefaultRegistry();
  const base = { name: 'src', 'connector.class': SOURCE, topic: 't' };
  const infos = registry.validateConnectorConfig({ ...base, transforms: 'a, b', 'transforms.a.type': 'InsertField$Value', 'transforms.b.negate': 'true' });
  assert.deepEqual(errorsOf(infos), { 'transforms.b.type': ['Missing required configuration "transforms.b.type" which has no default value.'] });
  assert.deepEqual(infos.groups.slice(-2), ['Transforms: a', 'Transforms: b']);
  assert.equal(infos.configs.find((c) => c.definition.name === 'transforms.a.type')?.definition.display_name, 'Transformation type for a');
  assert.equal(valueOf(infos, 'transforms'), 'a,b');
  assert.deepEqual(errorsOf(registry.validateConnectorConfig({ ...base, transforms: 'a,a', 'transforms.a.type': 'X' }))['transforms'], ['Invalid value [a, a] for configuration transforms: Duplicate alias provided.']);
  const negate = registry.validateConnectorConfig({ ...base, transforms: 'a', 'transforms.a.type': 'X', 'transforms.a.negate': 'true' });
  assert.match(errorsOf(negate)['transforms.a.type']![0]!, /'transforms.a.negate' was provided but there is no config 'transforms.a.predicate'/);
  assert.deepEqual(Object.keys(errorsOf(registry.validateConnectorConfig({ ...base, predicates: 'p' }))), ['predicates.p.type']);
});

test('PASSWORD values are rendered as [hidden] and never echoed', () => {
  const registry = createDefaultRegistry();
  const plugin: ConnectorPlugin = {
    ...registry.findConnector('FileStreamSource')!,
    className: 'com.example.SecretSourceConnector',
    aliases: [],
    configDef: [{ name: 'db.password', type: 'PASSWORD', importance: 'HIGH', documentation: 'The password.' }],
  };
  registry.register(plugin);
  const infos = registry.validateConnectorConfig({ name: 's', 'connector.class': 'SecretSource', 'db.password': 's3cr3t' });
  assert.equal(infos.error_count, 0);
  assert.equal(valueOf(infos, 'db.password'), '[hidden]');
  assert.ok(!JSON.stringify(infos).includes('s3cr3t'));
});
