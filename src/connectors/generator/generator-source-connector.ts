/**
 * GeneratorSourceConnector: a source of synthetic, schema'd records for demos, benchmarks and error-handling tests.
 * It creates `tasks.max` tasks; each has its own source partition and its own reproducible stream of records.
 */
import type { Connector, ConnectorPlugin } from '../../plugins/plugin.js';
import { BUNDLED_PLUGIN_VERSION } from '../../plugins/bundled-version.js';
import { PluginError } from '../../plugins/plugin-error.js';
import { GENERATOR_CONFIG, GENERATOR_TASK_ID_CONFIG, parseGeneratorConfig } from './generator-config.js';
import { GeneratorSourceTask } from './generator-source-task.js';

export class GeneratorSourceConnector implements Connector {
  private props: Record<string, string> = {};

  /** Throws when the config is invalid (e.g. `topic` missing, `shape` unknown, `rate` negative). */
  start(config: Readonly<Record<string, string>>): void {
    parseGeneratorConfig(config);
    this.props = { ...config };
  }

  /** Exactly `maxTasks` configs: the connector's config plus `generator.task.id` = 0 … maxTasks-1. */
  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, (_, i) => ({ ...this.props, [GENERATOR_TASK_ID_CONFIG]: String(i) }));
  }

  stop(): void {
    // nothing runs in the background
  }

  /**
   * Accepts null offsets (resets: the task starts again at sequence 0) and `{seq: <integer ≥ -1>}` (the task continues
   * at seq + 1) for partitions with `generator` and `task`. Throws for anything else. Returns true.
   */
  alterOffsets(_config: Readonly<Record<string, string>>, offsets: Map<Record<string, unknown>, Record<string, unknown> | null>): boolean {
    for (const [partition, offset] of offsets) {
      if (partition === null || partition === undefined || !Object.hasOwn(partition, 'generator') || !Object.hasOwn(partition, 'task')) {
        throw new PluginError('PIPECTL_PLUGIN_OFFSETS_REFUSED', "Partition objects should contain the keys 'generator' and 'task'");
      }
      if (offset === null || offset === undefined) continue;
      const seq = offset['seq'];
      const ok = (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= -1) || (typeof seq === 'bigint' && seq >= -1n);
      if (!ok) throw new PluginError('PIPECTL_PLUGIN_OFFSETS_REFUSED', "Offset objects should either be null or contain the key 'seq' with an integer value of at least -1");
    }
    return true;
  }
}

/** The generator plugin as the registry knows it. */
export const GeneratorSource: ConnectorPlugin = {
  className: 'io.pipectl.connect.generator.GeneratorSourceConnector',
  aliases: ['GeneratorSourceConnector', 'GeneratorSource', 'Generator'],
  kind: 'source',
  version: BUNDLED_PLUGIN_VERSION,
  configDef: GENERATOR_CONFIG,
  createConnector: () => new GeneratorSourceConnector(),
  taskClassName: 'io.pipectl.connect.generator.GeneratorSourceTask',
  createTask: () => new GeneratorSourceTask(),
};
