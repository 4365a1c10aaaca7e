/**
 * Finds a converter by Connect's class name or an alias, and configures it from a connector or worker config
 * (`key.converter=…` plus `key.converter.*` sub-keys). Aliases follow Connect's plugin aliases: the simple class
 * name (`JsonConverter`) and that name without the `Converter` suffix (`Json`).
 */
import { ByteArrayConverter } from './byte-array-converter.js';
import type { Converter } from './converter.js';
import { ConversionError } from './converter.js';
import { JsonConverter } from './json-converter.js';
import { BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from './number-converters.js';
import { StringConverter } from './string-converter.js';

const CONVERTERS: Readonly<Record<string, () => Converter>> = {
  'org.apache.kafka.connect.json.JsonConverter': () => new JsonConverter(),
  'org.apache.kafka.connect.storage.StringConverter': () => new StringConverter(),
  'org.apache.kafka.connect.converters.ByteArrayConverter': () => new ByteArrayConverter(),
  'org.apache.kafka.connect.converters.BooleanConverter': () => new BooleanConverter(),
  'org.apache.kafka.connect.converters.DoubleConverter': () => new DoubleConverter(),
  'org.apache.kafka.connect.converters.FloatConverter': () => new FloatConverter(),
  'org.apache.kafka.connect.converters.IntegerConverter': () => new IntegerConverter(),
  'org.apache.kafka.connect.converters.LongConverter': () => new LongConverter(),
  'org.apache.kafka.connect.converters.ShortConverter': () => new ShortConverter(),
};

/** The converter used when neither the connector nor the worker sets one (as in Connect's WorkerConfig). */
export const DEFAULT_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

const ALIASES: ReadonlyMap<string, string> = new Map(
  Object.keys(CONVERTERS).flatMap((fq) => {
    const simple = fq.slice(fq.lastIndexOf('.') + 1);
    return [[simple, fq], [simple.replace(/Converter$/, ''), fq]] as [string, string][];
  }),
);

/** The fully qualified names of the bundled converters, sorted (GET /connector-plugins?connectorsOnly=false). */
export function converterClassNames(): string[] {
  return Object.keys(CONVERTERS).sort();
}

/** The class a name or alias denotes (`JsonConverter`, `Json`, or the FQCN); undefined when unknown. */
export function resolveConverterClass(name: string): string | undefined {
  const trimmed = name.trim();
  if (Object.hasOwn(CONVERTERS, trimmed)) return trimmed;
  return ALIASES.get(trimmed);
}

/**
 * Builds the key or value converter for a connector: the connector's own `<kind>.converter` setting wins over the
 * worker's, and the sub-configs come from the same config. Throws a ConversionError naming the key when the class is unknown,
 * and the converter's ConversionError when a sub-config is invalid.
 */
export function createConverter(kind: 'key' | 'value', connectorConfig: Readonly<Record<string, string>>, workerConfig: Readonly<Record<string, string>>): Converter {
  const prefix = `${kind}.converter`;
  const source = connectorConfig[prefix] !== undefined ? connectorConfig : workerConfig;
  const className = source[prefix] ?? DEFAULT_CONVERTER;
  const fq = resolveConverterClass(className);
  if (!fq) throw new ConversionError(`Invalid value ${className} for configuration ${prefix}: Class ${className} could not be found.`);
  const converter = CONVERTERS[fq]!();
  const sub: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (k.startsWith(`${prefix}.`)) sub[k.slice(prefix.length + 1)] = v;
  converter.configure(sub, kind === 'key');
  return converter;
}
