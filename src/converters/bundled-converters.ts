/**
 * The converters pipectl bundles (Connect's JsonConverter, StringConverter, ByteArrayConverter and the number
 * converters), as ConverterPlugins under Connect's class names. The composition root (src/runtime/bundled-plugins.ts)
 * registers `bundledConverters` into a worker's registry; this package knows nothing of the registry itself.
 */
import { BUNDLED_PLUGIN_VERSION } from '../plugins/bundled-version.js';
import type { Converter, ConverterPlugin } from '../plugins/converter.js';
import type { PluginPackage } from '../plugins/plugin-package.js';
import { ByteArrayConverter } from './byte-array-converter.js';
import { JsonConverter } from './json-converter.js';
import { BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from './number-converters.js';
import { StringConverter } from './string-converter.js';

const converter = (className: string, create: () => Converter): ConverterPlugin => ({ className, version: BUNDLED_PLUGIN_VERSION, create });

/** Every bundled converter. */
export const BUNDLED_CONVERTERS: readonly ConverterPlugin[] = [
  converter('org.apache.kafka.connect.json.JsonConverter', () => new JsonConverter()),
  converter('org.apache.kafka.connect.storage.StringConverter', () => new StringConverter()),
  converter('org.apache.kafka.connect.converters.ByteArrayConverter', () => new ByteArrayConverter()),
  converter('org.apache.kafka.connect.converters.BooleanConverter', () => new BooleanConverter()),
  converter('org.apache.kafka.connect.converters.DoubleConverter', () => new DoubleConverter()),
  converter('org.apache.kafka.connect.converters.FloatConverter', () => new FloatConverter()),
  converter('org.apache.kafka.connect.converters.IntegerConverter', () => new IntegerConverter()),
  converter('org.apache.kafka.connect.converters.LongConverter', () => new LongConverter()),
  converter('org.apache.kafka.connect.converters.ShortConverter', () => new ShortConverter()),
];

/** This package's registration: the bundled converters. */
export const bundledConverters: PluginPackage = { name: 'converters', converters: BUNDLED_CONVERTERS };
