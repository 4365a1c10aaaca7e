/**
 * PostgresSinkConnector: writes records into Postgres tables, with the config contract of the Confluent and Debezium
 * JDBC sinks (see README.md). tasks.max tasks, each with the connector's config.
 */
import { BUNDLED_PLUGIN_VERSION } from '../../plugins/bundled-version.js';
import type { Connector, ConnectorPlugin } from '../../plugins/plugin.js';
import { POSTGRES_SINK_CONFIG } from './postgres-sink-config.js';
import { PostgresSinkTask } from './postgres-sink-task.js';
import { parseSinkSettings } from './sink-settings.js';

export class PostgresSinkConnector implements Connector {
  private props: Record<string, string> = {};

  /** Throws PIPECTL_PLUGIN_INVALID_CONFIG when the config is invalid (a refused JDBC sink key included). */
  start(config: Readonly<Record<string, string>>): void {
    parseSinkSettings(config);
    this.props = { ...config };
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }

  stop(): void {}
}

export const PostgresSink: ConnectorPlugin = {
  className: 'io.pipectl.connect.jdbc.PostgresSinkConnector',
  aliases: ['PostgresSink', 'PipectlPostgresSink'],
  kind: 'sink',
  version: BUNDLED_PLUGIN_VERSION,
  configDef: POSTGRES_SINK_CONFIG,
  createConnector: () => new PostgresSinkConnector(),
  taskClassName: 'io.pipectl.connect.jdbc.PostgresSinkTask',
  createTask: () => new PostgresSinkTask(),
};
