/** The Postgres sink (see README.md) and its registration. */
import type { PluginPackage } from '../../plugins/plugin-package.js';
import { PostgresSink } from './postgres-sink-connector.js';

export { PostgresSink, PostgresSinkConnector } from './postgres-sink-connector.js';
export { PostgresSinkTask } from './postgres-sink-task.js';
export { POSTGRES_SINK_CONFIG } from './postgres-sink-config.js';
export { parseSinkSettings, parseConnectionUrl } from './sink-settings.js';
export type { PostgresSinkSettings } from './sink-settings.js';

/** This package's registration: the Postgres sink (src/runtime/bundled-plugins.ts registers it). */
export const postgresSinkConnectors: PluginPackage = { name: 'postgres-sink-connector', connectors: [PostgresSink] };
