/**
 * The converters a worker knows (the converter half of Connect's Plugins): lookup by class name or alias, the class
 * list of the REST API and of `key.converter`'s recommended values, and building a connector's key or value converter
 * from its config (`key.converter=…` plus `key.converter.*` sub-keys, falling back to the worker's). Names resolve as
 * Connect's plugin aliases do: the simple class name (`JsonConverter`) and that name without `Converter` (`Json`).
 * It knows no converter itself: they are registered into it. Nothing here prints or does I/O.
 */
import type { Converter, ConverterPlugin } from './converter.js';
import { ConversionError } from './converter.js';
import { PluginError } from './plugin-error.js';

/** The converter used when neither the connector nor the worker sets one (as in Connect's WorkerConfig). */
export const DEFAULT_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

/** The names Connect derives for a converter class: its simple name, and that name without "Converter". */
function derivedAliases(className: string): string[] {
  const simple = className.slice(className.lastIndexOf('.') + 1);
  const pruned = simple.replace(/Converter$/, '');
  return pruned === '' || pruned === simple ? [simple] : [simple, pruned];
}

/** The registered converters; empty when constructed. */
export class ConverterRegistry {
  private readonly byClass = new Map<string, ConverterPlugin>();
  /** alias → class names claiming it; an alias two converters claim resolves to neither (as in Connect). */
  private readonly byAlias = new Map<string, Set<string>>();

  /** Adds a converter. Throws PluginError (PIPECTL_PLUGIN_DUPLICATE_CLASS) when its class name is already registered. */
  register(plugin: ConverterPlugin): void {
    if (this.byClass.has(plugin.className)) throw new PluginError('PIPECTL_PLUGIN_DUPLICATE_CLASS', `A converter with class ${plugin.className} is already registered`);
    this.byClass.set(plugin.className, plugin);
    for (const alias of derivedAliases(plugin.className)) {
      if (alias === plugin.className) continue;
      const owners = this.byAlias.get(alias) ?? new Set<string>();
      owners.add(plugin.className);
      this.byAlias.set(alias, owners);
    }
  }

  /** The fully qualified names of the registered converters, sorted (GET /connector-plugins?connectorsOnly=false). */
  classNames(): string[] {
    return [...this.byClass.keys()].sort();
  }

  /** The class a name or alias denotes (`JsonConverter`, `Json`, or the FQCN); undefined when unknown or ambiguous. */
  resolve(name: string): string | undefined {
    const trimmed = name.trim();
    if (this.byClass.has(trimmed)) return trimmed;
    const owners = this.byAlias.get(trimmed);
    return owners?.size === 1 ? [...owners][0] : undefined;
  }

  /**
   * Builds the key or value converter for a connector: the connector's own `<kind>.converter` setting wins over the
   * worker's, and the sub-configs come from the same config. Throws a ConversionError naming the key when the class is unknown,
   * and the converter's ConversionError when a sub-config is invalid.
   */
  create(kind: 'key' | 'value', connectorConfig: Readonly<Record<string, string>>, workerConfig: Readonly<Record<string, string>>): Converter {
    const prefix = `${kind}.converter`;
    const source = connectorConfig[prefix] !== undefined ? connectorConfig : workerConfig;
    const className = source[prefix] ?? DEFAULT_CONVERTER;
    const fq = this.resolve(className);
    if (!fq) throw new ConversionError(`Invalid value ${className} for configuration ${prefix}: Class ${className} could not be found.`);
    const converter = this.byClass.get(fq)!.create();
    const sub: Record<string, string> = {};
    for (const [k, v] of Object.entries(source)) if (k.startsWith(`${prefix}.`)) sub[k.slice(prefix.length + 1)] = v;
    converter.configure(sub, kind === 'key');
    return converter;
  }
}
