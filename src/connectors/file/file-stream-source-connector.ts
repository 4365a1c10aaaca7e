/**
 * FileStreamSourceConnector (org.apache.kafka.connect.file): one task reading a file, or stdin when `file` is empty.
 * Only one input stream makes sense, so it creates exactly one task whatever `tasks.max` says.
 */
import type { Connector, ConnectorPlugin } from '../../plugins/plugin.js';
import { assertValidConfig, javaTrim } from '../../plugins/config-validation.js';
import { BUNDLED_PLUGIN_VERSION } from '../../plugins/bundled-version.js';
import { PluginError } from '../../plugins/plugin-error.js';
import { FILE_STREAM_SOURCE_CONFIG } from './file-stream-config.js';
import { FileStreamSourceTask } from './file-stream-source-task.js';

export class FileStreamSourceConnector implements Connector {
  private props: Record<string, string> = {};

  /** Throws when the config is invalid (e.g. `topic` missing or empty). */
  start(config: Readonly<Record<string, string>>): void {
    assertValidConfig(FILE_STREAM_SOURCE_CONFIG, config);
    this.props = { ...config };
  }

  /** Always one task config (the connector's own config), even when `maxTasks` is larger. */
  taskConfigs(_maxTasks: number): Record<string, string>[] {
    return [{ ...this.props }];
  }

  stop(): void {
    // nothing runs in the background
  }

  /**
   * Accepts null offsets (resets) and `{position: <non-negative integer>}` for partitions that have a `filename`;
   * throws, with Connect's messages, for anything else and whenever the connector reads stdin. Returns true: the
   * framework's offsets are all there is.
   */
  alterOffsets(config: Readonly<Record<string, string>>, offsets: Map<Record<string, unknown>, Record<string, unknown> | null>): boolean {
    if (javaTrim(config['file'] ?? '') === '') {
      throw new PluginError('PIPECTL_PLUGIN_OFFSETS_REFUSED', "Offsets cannot be modified if the 'file' configuration is unspecified. This is because stdin is used for input and offsets are not tracked.");
    }
    for (const [partition, offset] of offsets) {
      if (offset === null || offset === undefined) continue; // tombstones are always fine, even for old garbage
      if (!Object.hasOwn(offset, 'position')) throw new PluginError('PIPECTL_PLUGIN_OFFSETS_REFUSED', "Offset objects should either be null or contain the key 'position'");
      const position = offset['position'];
      const isLong = (typeof position === 'number' && Number.isSafeInteger(position)) || typeof position === 'bigint';
      if (!isLong) throw new PluginError('PIPECTL_PLUGIN_OFFSETS_REFUSED', "The value for the 'position' key in the offset is expected to be a Long value");
      if ((position as number | bigint) < 0) throw new PluginError('PIPECTL_PLUGIN_OFFSETS_REFUSED', "The value for the 'position' key in the offset should be a non-negative value");
      if (partition === null || partition === undefined) throw new PluginError('PIPECTL_PLUGIN_OFFSETS_REFUSED', 'Partition objects cannot be null');
      if (!Object.hasOwn(partition, 'filename')) throw new PluginError('PIPECTL_PLUGIN_OFFSETS_REFUSED', "Partition objects should contain the key 'filename'");
    }
    return true;
  }
}

/** The FileStreamSource plugin as the registry knows it. */
export const FileStreamSource: ConnectorPlugin = {
  className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  aliases: ['FileStreamSourceConnector', 'FileStreamSource'],
  kind: 'source',
  version: BUNDLED_PLUGIN_VERSION,
  configDef: FILE_STREAM_SOURCE_CONFIG,
  createConnector: () => new FileStreamSourceConnector(),
  taskClassName: 'org.apache.kafka.connect.file.FileStreamSourceTask',
  createTask: () => new FileStreamSourceTask(),
};
