/**
 * Finds a converter by Connect's class name or its simple name, and configures it from a connector or worker config
 * (`key.converter=…` plus `key.converter.*` sub-keys).
 */
import { ByteArrayConverter } from './byte-array-converter.js';
import type { Converter } from './converter.js';
import { JsonConverter } from './json-converter.js';
import { StringConverter } from './string-converter.js';

const CONVERTERS: Record<string, () => Converter> = {
  'org.apache.kafka.connect.json.JsonConverter': () => new JsonConverter(),
  'org.apache.kafka.connect.storage.StringConverter': () => new StringConverter(),
  'org.apache.kafka.connect.converters.ByteArrayConverter': () => new ByteArrayConverter(),
};

export const DEFAULT_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

/** The fully qualified names of the bundled converters. */
export function converterClassNames(): string[] {
  return Object.keys(CONVERTERS).sort();
}

export function resolveConverterClass(name: string): string | undefined {
  const trimmed = name.trim();
  if (CONVERTERS[trimmed]) return trimmed;
  return Object.keys(CONVERTERS).find((fq) => fq.endsWith(`.${trimmed}`));
}

/**
 * Builds the key or value converter for a connector: the connector's own `<prefix>` setting wins over the worker's.
 * Throws an Error naming the key when the class is unknown.
 */
export function createConverter(kind: 'key' | 'value', connectorConfig: Readonly<Record<string, string>>, workerConfig: Readonly<Record<string, string>>): Converter {
  const prefix = `${kind}.converter`;
  const source = connectorConfig[prefix] !== undefined ? connectorConfig : workerConfig;
  const className = source[prefix] ?? DEFAULT_CONVERTER;
  const fq = resolveConverterClass(className);
  if (!fq) throw new Error(`Invalid value ${className} for configuration ${prefix}: Class ${className} could not be found.`);
  const converter = CONVERTERS[fq]!();
  const sub: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (k.startsWith(`${prefix}.`)) sub[k.slice(prefix.length + 1)] = v;
  converter.configure(sub, kind === 'key');
  return converter;
}
