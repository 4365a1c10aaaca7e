/**
 * PostgresConnector: change data capture from Postgres over logical replication (pgoutput), a drop-in for Debezium's
 * io.debezium.connector.postgresql.PostgresConnector (its config keys and events; see README.md). One task, whatever
 * tasks.max says, as Debezium: one slot is one ordered stream.
 */
import type { Connector, ConnectorPlugin } from '../../plugins/plugin.js';
import { BUNDLED_PLUGIN_VERSION } from '../../plugins/bundled-version.js';
import { POSTGRES_SOURCE_CONFIG } from './postgres-config.js';
import { parsePostgresSettings } from './postgres-settings.js';
import { PostgresSourceTask } from './postgres-source-task.js';

export class PostgresConnector implements Connector {
  private props: Record<string, string> = {};

  /** Throws PIPECTL_PLUGIN_INVALID_CONFIG when the config is invalid (an unsupported Debezium key included). */
  start(config: Readonly<Record<string, string>>): void {
    parsePostgresSettings(config);
    this.props = { ...config };
  }

  /** One task config: the connector's. */
  taskConfigs(): Record<string, string>[] {
    return [{ ...this.props }];
  }

  stop(): void {
    // the task owns the connections
  }
}

export const PostgresSource: ConnectorPlugin = {
  className: 'io.pipectl.connect.postgresql.PostgresConnector',
  aliases: ['PipectlPostgresConnector', 'PipectlPostgres'],
  kind: 'source',
  version: BUNDLED_PLUGIN_VERSION,
  configDef: POSTGRES_SOURCE_CONFIG,
  createConnector: () => new PostgresConnector(),
  taskClassName: 'io.pipectl.connect.postgresql.PostgresConnectorTask',
  createTask: () => new PostgresSourceTask(),
};
