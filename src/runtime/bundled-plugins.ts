/**
 * The composition root of the plugins pipectl ships: the one place that lists the bundled plugin packages and
 * registers them into a worker's PluginRegistry. The contract (src/plugins) never imports an implementation; each
 * package exports its own registration (a PluginPackage), and a new bundled package is added here, without editing
 * src/plugins. Plugins from `plugin.path` are registered afterwards by loadPluginPath (src/plugins/plugin-path.ts).
 */
import { fileConnectors } from '../connectors/file/index.js';
import { generatorConnectors } from '../connectors/generator/index.js';
import { httpConnectors } from '../connectors/http/index.js';
import { postgresConnectors } from '../connectors/postgres/index.js';
import { postgresSinkConnectors } from '../connectors/postgres-sink/index.js';
import { bundledConverters } from '../converters/bundled-converters.js';
import type { PluginPackage } from '../plugins/plugin-package.js';
import { PluginRegistry } from '../plugins/plugin-registry.js';
import type { PluginRegistryOptions } from '../plugins/plugin-registry.js';
import { bundledTransformations } from '../transforms/bundled-transformations.js';

/** The packages bundled with pipectl, in registration order. */
export const BUNDLED_PLUGIN_PACKAGES: readonly PluginPackage[] = [fileConnectors, generatorConnectors, postgresConnectors, postgresSinkConnectors, httpConnectors, bundledTransformations, bundledConverters];

/**
 * A registry with every bundled plugin registered: the FileStream, Generator, Postgres CDC source, Postgres sink and HTTP sink connectors, Connect's transformations
 * and predicates, its converters. `options` carries the worker settings the registry's validation depends on.
 */
export function createDefaultRegistry(options: PluginRegistryOptions = {}): PluginRegistry {
  const registry = new PluginRegistry(options);
  for (const pkg of BUNDLED_PLUGIN_PACKAGES) registry.registerPackage(pkg);
  return registry;
}
