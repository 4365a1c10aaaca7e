/**
 * Registration flows one way: a plugin package that src/plugins has never heard of (defined here, in the test) is
 * registered into a fresh PluginRegistry and is then listed, validated and looked up like a bundled one. Nothing under
 * src/plugins is edited for it, and nothing under src/plugins imports an implementation or the runtime.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ConfigInfos } from '../../src/herder/types.js';
import type { Converter, ConverterPlugin } from '../../src/plugins/converter.js';
import type { ConnectorPlugin, SourceTask } from '../../src/plugins/plugin.js';
import type { PluginPackage } from '../../src/plugins/plugin-package.js';
import { PluginRegistry } from '../../src/plugins/plugin-registry.js';
import type { TransformationPlugin } from '../../src/plugins/transformation.js';
import { REPO_ROOT } from '../support/paths.js';

const ECHO = 'com.example.echo.EchoSourceConnector';

const echoSource: ConnectorPlugin = {
  className: ECHO,
  aliases: ['Echo'],
  kind: 'source',
  version: '2.0.0',
  configDef: [
    { name: 'echo.text', type: 'STRING', importance: 'HIGH', documentation: 'What to echo.' },
    { name: 'echo.count', type: 'INT', default: '1', importance: 'LOW', documentation: 'How often.', validate: (v) => (Number(v) < 1 ? 'echo.count must be at least 1' : undefined) },
  ],
  createConnector: () => ({ start: () => {}, taskConfigs: () => [{}], stop: () => {} }),
  taskClassName: 'com.example.echo.EchoSourceTask',
  createTask: (): SourceTask => ({ start: () => {}, poll: () => null, stop: () => {} }),
};

const upper: TransformationPlugin = {
  kind: 'transformation',
  className: 'com.example.echo.Upper',
  aliases: ['Upper'],
  version: '2.0.0',
  configDef: [{ name: 'field', type: 'STRING', importance: 'HIGH', documentation: 'The field to upper-case.' }],
  create: () => ({ configure: () => {}, apply: (r) => r }),
};

const hexConverter: ConverterPlugin = {
  className: 'com.example.echo.HexConverter',
  version: '2.0.0',
  create: (): Converter => ({
    configure: () => {},
    fromConnectData: (_t, _s, v) => (v === null ? null : Buffer.from(String(v))),
    toConnectData: (_t, b) => ({ schema: null, value: b?.toString() ?? null }),
  }),
};

const echoPackage: PluginPackage = { name: 'echo', connectors: [echoSource], transformations: [upper], converters: [hexConverter] };

const errorsOf = (infos: ConfigInfos): Record<string, string[]> =>
  Object.fromEntries(infos.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));

test('a fresh registry knows no plugin: the contract ships no implementation', () => {
  const registry = new PluginRegistry();
  assert.deepEqual(registry.connectorPlugins(), []);
  assert.deepEqual(registry.transformationPlugins(), []);
  assert.deepEqual(registry.converterClassNames(), []);
  assert.equal(registry.findConnector('FileStreamSource'), undefined);
  assert.match(errorsOf(registry.validateConnectorConfig({ name: 'x', 'connector.class': 'FileStreamSource' }))['connector.class']![0]!, /available connectors are: $/);
});

test('a registered package is listed: its connector, transformation and converter', () => {
  const registry = new PluginRegistry();
  registry.registerPackage(echoPackage);
  assert.deepEqual(registry.connectorPlugins(), [{ class: ECHO, type: 'source', version: '2.0.0' }]);
  assert.deepEqual(registry.transformationPlugins(), [{ class: 'com.example.echo.Upper', type: 'transformation', version: '2.0.0' }]);
  assert.deepEqual(registry.converterClassNames(), ['com.example.echo.HexConverter']);
});

test('a registered connector is found by class, declared alias and the aliases Connect derives', () => {
  const registry = new PluginRegistry();
  registry.registerPackage(echoPackage);
  for (const name of [ECHO, 'Echo', 'EchoSourceConnector', 'EchoSource', ' EchoSource ']) assert.equal(registry.findConnector(name), echoSource, name);
  assert.equal(registry.resolveConnector('Echo'), echoSource);
  assert.deepEqual(registry.pluginConfig('Echo').slice(0, 3).map((k) => k.name), ['echo.text', 'echo.count', 'name']);
});

test("a registered connector's config is validated with its own keys, its transformations and its converters", () => {
  const registry = new PluginRegistry();
  registry.registerPackage(echoPackage);
  const good = registry.validateConnectorConfig({
    name: 'e', 'connector.class': 'EchoSource', 'echo.text': 'hi', 'key.converter': 'Hex', 'value.converter': 'com.example.echo.HexConverter',
    transforms: 'u', 'transforms.u.type': 'Upper', 'transforms.u.field': 'f',
  });
  assert.deepEqual(errorsOf(good), {});
  assert.equal(good.name, 'EchoSource');
  assert.equal(good.configs.find((c) => c.value.name === 'connector.plugin.version')?.value.value, '2.0.0');
  assert.deepEqual(good.configs.find((c) => c.value.name === 'key.converter')?.definition.default_value, 'org.apache.kafka.connect.json.JsonConverter');
  assert.deepEqual(good.configs.find((c) => c.value.name === 'value.converter')?.value.recommended_values, ['com.example.echo.HexConverter']);

  const bad = registry.validateConnectorConfig({ name: 'e', 'connector.class': 'Echo', 'echo.count': '0', 'key.converter': 'Hex', 'value.converter': 'JsonConverter', transforms: 'u', 'transforms.u.type': 'Upper' });
  assert.deepEqual(errorsOf(bad), {
    'value.converter': ['Invalid value JsonConverter for configuration value.converter: Class JsonConverter could not be found.'],
    'transforms.u.field': ['Missing required configuration "transforms.u.field" which has no default value.'],
    'echo.text': ['Missing required configuration "echo.text" which has no default value.'],
    'echo.count': ['echo.count must be at least 1'],
  });
});

test("a registered converter is what the worker's converters are built from", () => {
  const registry = new PluginRegistry();
  registry.registerPackage(echoPackage);
  const converter = registry.createConverter('value', { 'value.converter': 'HexConverter' }, {});
  assert.equal(converter.fromConnectData('t', null, 'ab')?.toString(), 'ab');
  assert.throws(() => registry.createConverter('key', {}, {}), /Invalid value org\.apache\.kafka\.connect\.json\.JsonConverter for configuration key\.converter/);
});

test('registering a class twice throws, whatever the package', () => {
  const registry = new PluginRegistry();
  registry.registerPackage(echoPackage);
  assert.throws(() => registry.registerPackage({ name: 'again', connectors: [echoSource] }), /already registered/);
  assert.throws(() => registry.registerPackage({ name: 'again', transformations: [upper] }), /already registered/);
  assert.throws(() => registry.registerPackage({ name: 'again', converters: [hexConverter] }), /already registered/);
});

test('nothing under src/plugins imports an implementation (connectors, transforms, converters) or the runtime', () => {
  const dir = join(REPO_ROOT, 'src', 'plugins');
  const offenders: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/from '\.\.\/(connectors|transforms|converters|runtime)\//g)) offenders.push(`${file}: ${m[0]}`);
  }
  assert.deepEqual(offenders, []);
});
