import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadPluginPath } from '../../src/plugins/plugin-path.js';
import { createDefaultRegistry } from '../../src/runtime/bundled-plugins.js';
import { writeTree } from '../support/paths.js';

/** A self-contained plugin module (no imports), as a third party would ship it. */
const pluginModule = (className: string): string => `
export const plugin = {
  className: '${className}',
  aliases: [],
  kind: 'source',
  version: '2.0.0',
  configDef: [{ name: 'greeting', type: 'STRING', default: 'hi', importance: 'LOW', documentation: 'What to say.' }],
  taskClassName: '${className}Task',
  createConnector: () => ({ start() {}, taskConfigs: () => [{}], stop() {} }),
  createTask: () => ({ start() {}, poll: () => null, stop() {} }),
};
export const notAPlugin = { className: 'x' };
`;

test('loadPluginPath registers plugins from a folder and reports broken modules instead of throwing', async () => {
  const { dir, cleanup } = writeTree({
    'plugins/greeting.mjs': pluginModule('com.example.GreetingSourceConnector'),
    'plugins/broken.mjs': 'export const = ;',
    'plugins/helper.mjs': 'export const answer = 42;',
    'plugins/notes.txt': 'not a module',
    'plugins/cjs-plugin.js': `module.exports = { plugin: { className: 'com.example.CjsSinkConnector', kind: 'sink', createConnector() {}, createTask() {} } };`,
    'plugins/packaged/package.json': JSON.stringify({ name: 'packaged', type: 'module', exports: './lib/main.js' }),
    'plugins/packaged/lib/main.js': pluginModule('com.example.PackagedSourceConnector'),
  });
  try {
    const registry = createDefaultRegistry();
    const result = await loadPluginPath(registry, [join(dir, 'plugins'), join(dir, 'missing')]);
    assert.deepEqual(result.loaded.map((l) => l.className).sort(), ['com.example.CjsSinkConnector', 'com.example.GreetingSourceConnector', 'com.example.PackagedSourceConnector']);
    assert.deepEqual(result.errors.map((e) => e.path), [join(dir, 'plugins', 'broken.mjs'), join(dir, 'missing')]);
    assert.match(result.errors[0]!.message, /^Could not load plugin module .*broken\.mjs: /);

    assert.equal(registry.findConnector('GreetingSource')?.version, '2.0.0', 'aliases are derived for loaded plugins');
    assert.equal(registry.findConnector('CjsSink')?.taskClassName, 'com.example.CjsSinkTask', 'missing fields get defaults');
    assert.deepEqual(registry.pluginConfig('GreetingSourceConnector').slice(0, 2).map((k) => k.name), ['greeting', 'name']);
    assert.equal(registry.validateConnectorConfig({ name: 'g', 'connector.class': 'GreetingSource' }).error_count, 0);

    const again = await loadPluginPath(registry, [join(dir, 'plugins')]);
    assert.equal(again.loaded.length, 0);
    assert.ok(again.errors.some((e) => /already registered/.test(e.message)), 'a duplicate class is reported, not thrown');
  } finally {
    cleanup();
  }
});
