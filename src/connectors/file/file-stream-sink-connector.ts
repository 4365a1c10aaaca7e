/**
 * FileStreamSinkConnector (org.apache.kafka.connect.file): writes each record value as a line to a file, or to stdout
 * when `file` is empty. It creates `tasks.max` identical tasks (they all append to the same file).
 */
import type { Connector, ConnectorPlugin } from '../../plugins/plugin.js';
import { assertValidConfig } from '../../plugins/config-validation.js';
import { BUNDLED_PLUGIN_VERSION } from '../../plugins/bundled-version.js';
import { FILE_STREAM_SINK_CONFIG } from './file-stream-config.js';
import { FileStreamSinkTask } from './file-stream-sink-task.js';

export class FileStreamSinkConnector implements Connector {
  private props: Record<string, string> = {};

  /** Throws when the config is invalid. */
  start(config: Readonly<Record<string, string>>): void {
    assertValidConfig(FILE_STREAM_SINK_CONFIG, config);
    this.props = { ...config };
  }

  /** `maxTasks` copies of the connector's config. */
  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }

  stop(): void {
    // nothing runs in the background
  }

  /** Any offsets are fine: the sink manages none of its own. */
  alterOffsets(): boolean {
    return true;
  }
}

/** The FileStreamSink plugin as the registry knows it. */
export const FileStreamSink: ConnectorPlugin = {
  className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
  aliases: ['FileStreamSinkConnector', 'FileStreamSink'],
  kind: 'sink',
  version: BUNDLED_PLUGIN_VERSION,
  configDef: FILE_STREAM_SINK_CONFIG,
  createConnector: () => new FileStreamSinkConnector(),
  taskClassName: 'org.apache.kafka.connect.file.FileStreamSinkTask',
  createTask: () => new FileStreamSinkTask(),
};
