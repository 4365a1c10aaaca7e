/**
 * The composition root registers exactly the bundled set: GET /connector-plugins?connectorsOnly=false answers the same
 * list it answered when src/plugins built the default registry itself (pinned here as it was before the move).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUNDLED_PLUGIN_VERSION } from '../../src/plugins/bundled-version.js';
import { PluginRegistry } from '../../src/plugins/plugin-registry.js';
import { BUNDLED_PLUGIN_PACKAGES, createDefaultRegistry } from '../../src/runtime/bundled-plugins.js';
import { pluginList } from '../../src/runtime/herder-base/herder-answers.js';

const T = 'org.apache.kafka.connect.transforms.';
const TRANSFORMATIONS = [
  'Cast$Key', 'Cast$Value', 'DropHeaders', 'ExtractField$Key', 'ExtractField$Value', 'Filter', 'Flatten$Key', 'Flatten$Value', 'HeaderFrom$Key', 'HeaderFrom$Value',
  'HoistField$Key', 'HoistField$Value', 'InsertField$Key', 'InsertField$Value', 'InsertHeader', 'MaskField$Key', 'MaskField$Value', 'RegexRouter', 'ReplaceField$Key',
  'ReplaceField$Value', 'SetSchemaMetadata$Key', 'SetSchemaMetadata$Value', 'TimestampConverter$Key', 'TimestampConverter$Value', 'TimestampRouter', 'ValueToKey',
];
const PREDICATES = ['HasHeaderKey', 'RecordIsTombstone', 'TopicNameMatches'];
const CONVERTERS = [
  'org.apache.kafka.connect.converters.BooleanConverter',
  'org.apache.kafka.connect.converters.ByteArrayConverter',
  'org.apache.kafka.connect.converters.DoubleConverter',
  'org.apache.kafka.connect.converters.FloatConverter',
  'org.apache.kafka.connect.converters.IntegerConverter',
  'org.apache.kafka.connect.converters.LongConverter',
  'org.apache.kafka.connect.converters.ShortConverter',
  'org.apache.kafka.connect.json.JsonConverter',
  'org.apache.kafka.connect.storage.StringConverter',
];

test('the bundled registry lists exactly the plugins the REST API listed before the move', () => {
  const v = BUNDLED_PLUGIN_VERSION;
  assert.equal(v, '0.1.0', "pipectl's version, as package.json says");
  assert.deepEqual(pluginList(createDefaultRegistry(), false, 'W'), [
    { class: 'io.pipectl.connect.generator.GeneratorSourceConnector', type: 'source', version: v },
    { class: 'io.pipectl.connect.http.HttpSinkConnector', type: 'sink', version: v },
    { class: 'io.pipectl.connect.jdbc.PostgresSinkConnector', type: 'sink', version: v },
    { class: 'io.pipectl.connect.postgresql.PostgresConnector', type: 'source', version: v },
    { class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: v },
    { class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: v },
    { class: 'io.debezium.transforms.ExtractNewRecordState', type: 'transformation', version: v },
    ...TRANSFORMATIONS.map((n) => ({ class: T + n, type: 'transformation', version: v })),
    ...PREDICATES.map((n) => ({ class: `${T}predicates.${n}`, type: 'predicate', version: v })),
    ...CONVERTERS.map((c) => ({ class: c, type: 'converter', version: 'W' })),
  ]);
  assert.deepEqual(pluginList(createDefaultRegistry(), true, 'W').map((p) => p.class), [
    'io.pipectl.connect.generator.GeneratorSourceConnector',
    'io.pipectl.connect.http.HttpSinkConnector',
    'io.pipectl.connect.jdbc.PostgresSinkConnector',
    'io.pipectl.connect.postgresql.PostgresConnector',
    'org.apache.kafka.connect.file.FileStreamSinkConnector',
    'org.apache.kafka.connect.file.FileStreamSourceConnector',
  ]);
});

test('the bundled set is the union of the packages the composition root lists, each registered once', () => {
  assert.deepEqual(BUNDLED_PLUGIN_PACKAGES.map((p) => p.name), ['file-connectors', 'generator-connector', 'postgres-connector', 'postgres-sink-connector', 'http-connector', 'transforms', 'converters']);
  const registry = new PluginRegistry();
  for (const pkg of BUNDLED_PLUGIN_PACKAGES) registry.registerPackage(pkg);
  assert.deepEqual(pluginList(registry, false, 'W'), pluginList(createDefaultRegistry(), false, 'W'));
  assert.throws(() => registry.registerPackage(BUNDLED_PLUGIN_PACKAGES[0]!), /already registered/);
});

test('each call builds a registry of its own: registering into one leaves the next untouched', () => {
  const first = createDefaultRegistry();
  first.register({ ...first.findConnector('FileStreamSink')!, className: 'com.example.ExtraSinkConnector', aliases: [] });
  assert.equal(first.connectorPlugins().length, 7);
  assert.equal(createDefaultRegistry().connectorPlugins().length, 6);
});
