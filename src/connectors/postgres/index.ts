/** The Postgres CDC source (see README.md) and its registration. */
import type { PluginPackage } from '../../plugins/plugin-package.js';
import { PostgresSource } from './postgres-source-connector.js';

export { PostgresConnector, PostgresSource } from './postgres-source-connector.js';
export { PostgresSourceTask } from './postgres-source-task.js';
export { POSTGRES_SOURCE_CONFIG } from './postgres-config.js';
export { parsePostgresSettings } from './postgres-settings.js';
export type { PostgresSourceSettings } from './postgres-settings.js';
export { decodePgoutput } from './pgoutput-decoder.js';
export type { PgoutputMessage } from './pgoutput-decoder.js';
export { formatLsn, parseLsn } from './lsn.js';

/** This package's registration: the Postgres source (src/runtime/bundled-plugins.ts registers it). */
export const postgresConnectors: PluginPackage = { name: 'postgres-connector', connectors: [PostgresSource] };
