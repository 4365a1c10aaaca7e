/**
 * HttpSinkConnector: POSTs (or PUTs, PATCHes) records as JSON arrays to one HTTP endpoint. It creates `tasks.max`
 * identical tasks; each sends the batches of the partitions it is assigned.
 */
import { BUNDLED_PLUGIN_VERSION } from '../../plugins/bundled-version.js';
import { assertValidConfig } from '../../plugins/config-validation.js';
import type { Connector, ConnectorPlugin } from '../../plugins/plugin.js';
import { HTTP_SINK_CONFIG } from './http-sink-config.js';
import { HttpSinkTask } from './http-sink-task.js';

export class HttpSinkConnector implements Connector {
  private props: Record<string, string> = {};

  /** Throws a PluginError (PIPECTL_PLUGIN_INVALID_CONFIG) when the config is invalid. */
  start(config: Readonly<Record<string, string>>): void {
    assertValidConfig(HTTP_SINK_CONFIG, config);
    this.props = { ...config };
  }

  /** `maxTasks` copies of the connector's config. */
  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }

  stop(): void {
    // nothing runs in the background
  }

  /** Any offsets are fine: the sink keeps no state of its own. */
  alterOffsets(): boolean {
    return true;
  }
}

/** The HTTP sink plugin as the registry knows it. */
export const HttpSink: ConnectorPlugin = {
  className: 'io.pipectl.connect.http.HttpSinkConnector',
  aliases: ['HttpSinkConnector', 'HttpSink', 'PipectlHttpSink'],
  kind: 'sink',
  version: BUNDLED_PLUGIN_VERSION,
  configDef: HTTP_SINK_CONFIG,
  createConnector: () => new HttpSinkConnector(),
  taskClassName: 'io.pipectl.connect.http.HttpSinkTask',
  createTask: () => new HttpSinkTask(),
};
