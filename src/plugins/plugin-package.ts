/**
 * What one plugin package contributes to a worker: its connectors, transformations and predicates, and converters.
 * Each bundled package exports one (src/connectors/file `fileConnectors`, src/transforms `bundledTransformations`,
 * src/converters `bundledConverters` …) and a composition root registers it with PluginRegistry.registerPackage(), so
 * the registry and this contract never import an implementation (Redpanda Connect's plugins register themselves into
 * an environment the same way).
 */
import type { ConverterPlugin } from './converter.js';
import type { ConnectorPlugin } from './plugin.js';
import type { TransformationPlugin } from './transformation.js';

export interface PluginPackage {
  /** A short name for the package (e.g. `file-connectors`), for messages and tests. */
  readonly name: string;
  readonly connectors?: readonly ConnectorPlugin[];
  /** Transformations and predicates (told apart by their `kind`). */
  readonly transformations?: readonly TransformationPlugin[];
  readonly converters?: readonly ConverterPlugin[];
}
