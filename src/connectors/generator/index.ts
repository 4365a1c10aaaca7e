/** The generator source: synthetic, reproducible, schema'd records (see README.md), and its registration. */
import type { PluginPackage } from '../../plugins/plugin-package.js';
import { GeneratorSource } from './generator-source-connector.js';

export { GeneratorSource, GeneratorSourceConnector } from './generator-source-connector.js';
export { GeneratorSourceTask, nextSequence } from './generator-source-task.js';
export type { GeneratorSourceTaskOptions } from './generator-source-task.js';
export { GENERATOR_CONFIG, GENERATOR_TASK_ID_CONFIG, parseGeneratorConfig } from './generator-config.js';
export type { GeneratorSettings } from './generator-config.js';
export { GeneratorRecordFactory } from './record-factory.js';
export { SHAPE_NAMES, shapeByName } from './shapes.js';
export type { Shape, ShapeName } from './shapes.js';
export { SYSTEM_CLOCK, TokenBucket } from './token-bucket.js';
export type { Clock } from './token-bucket.js';
export { SplitMix32 } from './prng.js';

/** This package's registration: the Generator source (src/runtime/bundled-plugins.ts registers it). */
export const generatorConnectors: PluginPackage = { name: 'generator-connector', connectors: [GeneratorSource] };
