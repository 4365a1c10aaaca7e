/**
 * The transformations and predicates a worker knows (the SMT half of Connect's Plugins): lookup by class name or alias
 * with Connect's error messages, the plugin list of GET /connector-plugins?connectorsOnly=false, and each plugin's
 * config definition. It knows no transformation itself: they are registered into it (the bundled ones by the
 * composition root, src/runtime/bundled-plugins.ts). Nothing here prints or does I/O.
 */
import type { ConfigKeyInfo, PluginInfo } from '../herder/types.js';
import type { ConfigDef } from './config-def.js';
import { toConfigKeyInfo } from './config-validation.js';
import { PluginError } from './plugin-error.js';
import type { TransformationPlugin } from './transformation.js';

export type TransformationKind = TransformationPlugin['kind'];

const byClassName = (a: TransformationPlugin, b: TransformationPlugin): number => (a.className < b.className ? -1 : a.className > b.className ? 1 : 0);

export class TransformationRegistry {
  private readonly byClass = new Map<string, TransformationPlugin>();
  /** alias → class names claiming it; an alias two plugins claim resolves to neither (as in Connect). */
  private readonly byAlias = new Map<string, Set<string>>();

  /** Adds a plugin. Throws PluginError (PIPECTL_PLUGIN_DUPLICATE_CLASS) when its class name is already registered. */
  register(plugin: TransformationPlugin): void {
    if (this.byClass.has(plugin.className)) throw new PluginError('PIPECTL_PLUGIN_DUPLICATE_CLASS', `A transformation or predicate with class ${plugin.className} is already registered`);
    this.byClass.set(plugin.className, plugin);
    for (const alias of plugin.aliases) {
      if (alias === plugin.className) continue;
      const owners = this.byAlias.get(alias) ?? new Set<string>();
      owners.add(plugin.className);
      this.byAlias.set(alias, owners);
    }
  }

  /** The plugin for a class name or unambiguous alias (surrounding whitespace ignored), or undefined. */
  find(nameOrAlias: string): TransformationPlugin | undefined {
    const name = nameOrAlias.trim();
    const exact = this.byClass.get(name);
    if (exact) return exact;
    const owners = this.byAlias.get(name);
    return owners?.size === 1 ? this.byClass.get([...owners][0]!) : undefined;
  }

  /**
   * The plugin of `kind` named by the value of config key `key`, or the error Connect reports on that key: the class
   * cannot be found, is the abstract outer class of `$Key`/`$Value` variants, or is of the other kind.
   */
  resolve(key: string, nameOrAlias: string, kind: TransformationKind): TransformationPlugin | { error: string } {
    const name = nameOrAlias.trim();
    const plugin = this.find(name);
    if (!plugin) {
      const variants = ['$Key', '$Value'].map((v) => this.find(name + v)?.className).filter((c): c is string => c !== undefined);
      if (variants.length > 0) return { error: `This class is abstract and cannot be created. Did you mean ${variants.join(', ')}?` };
      return { error: `Invalid value ${name} for configuration ${key}: Class ${name} could not be found.` };
    }
    if (plugin.kind !== kind) return { error: `Class ${plugin.className} does not implement the ${kind === 'predicate' ? 'Predicate' : 'Transformation'} interface` };
    return plugin;
  }

  /** All plugins, or those of one kind, sorted by class name. */
  plugins(kind?: TransformationKind): TransformationPlugin[] {
    return [...this.byClass.values()].filter((p) => kind === undefined || p.kind === kind).sort(byClassName);
  }

  /**
   * The entries GET /connector-plugins?connectorsOnly=false adds for SMTs: transformations, then predicates, each sorted
   * by class, `version` left out when it is "undefined" (as for connectors).
   */
  pluginInfos(): PluginInfo[] {
    return [...this.plugins('transformation'), ...this.plugins('predicate')].map((p) =>
      p.version && p.version !== 'undefined' ? { class: p.className, type: p.kind, version: p.version } : { class: p.className, type: p.kind },
    );
  }

  /** A plugin's own config definition, or undefined when the name is unknown. */
  configDef(nameOrAlias: string): ConfigDef | undefined {
    return this.find(nameOrAlias)?.configDef;
  }

  /** GET /connector-plugins/{name}/config for a transformation or predicate; undefined when the name is unknown. */
  pluginConfig(nameOrAlias: string): ConfigKeyInfo[] | undefined {
    return this.configDef(nameOrAlias)?.map(toConfigKeyInfo);
  }
}
