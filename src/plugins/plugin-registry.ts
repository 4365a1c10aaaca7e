/**
 * The plugins a worker knows (Kafka Connect's Plugins / DelegatingClassLoader): connectors, transformations and
 * predicates, converters. Lookup by class name or alias, the plugin list and per-plugin config definitions of the REST
 * API, and config validation in the exact ConfigInfos shape of PUT /connector-plugins/{p}/config/validate.
 *
 * It knows no plugin itself: plugins are registered into it, one package at a time (registerPackage) by a composition
 * root (src/runtime/bundled-plugins.ts for the bundled ones) or one connector at a time (register, as plugin.path
 * does). Registration flows one way: implementations import this contract, never the reverse. Nothing here prints or
 * does I/O.
 */
import { BadRequestError, NotFoundError } from '../herder/errors.js';
import type { ConfigInfos, ConfigKeyInfo, PluginInfo } from '../herder/types.js';
import { BUNDLED_PLUGIN_VERSION } from './bundled-version.js';
import { frameworkConfigDef, sinkTopicProblems } from './common-connector-config.js';
import type { FrameworkContext } from './common-connector-config.js';
import type { ConfigKeyDef } from './config-def.js';
import { toConfigKeyInfo, toConfigValueInfo, validateConfigDef } from './config-validation.js';
import type { ValidatedValue } from './config-validation.js';
import type { Converter } from './converter.js';
import { ConverterRegistry, DEFAULT_CONVERTER } from './converter-registry.js';
import type { ConnectorPlugin } from './plugin.js';
import type { PluginPackage } from './plugin-package.js';
import { PluginError } from './plugin-error.js';
import { topicCreationConfigDef } from './topic-creation-config.js';
import { enrichedAliasConfigDef } from './transform-alias-config.js';
import { TransformationRegistry } from './transformation-registry.js';

/** The names Connect derives for a class: its simple name, and that name without a trailing "Connector". */
function derivedAliases(className: string): string[] {
  const simple = className.slice(className.lastIndexOf('.') + 1);
  const pos = simple.lastIndexOf('Connector');
  return pos > 0 ? [simple, simple.slice(0, pos)] : [simple];
}

export interface PluginRegistryOptions {
  /**
   * The worker's `topic.creation.enable` (default true). When false, a source config's `topic.creation.<group>.*`
   * keys are not validated (the worker ignores them), as in Connect; `topic.creation.groups` still is.
   */
  topicCreationEnable?: boolean;
  /**
   * The worker's `key.converter` / `value.converter` as configured (Connect shows them as those keys' defaults in a
   * connector's config definition); default: JsonConverter, as the worker's own default.
   */
  converters?: { key?: string | undefined; value?: string | undefined };
}

/** A worker's plugins; empty when constructed, filled by registerPackage() / register(). See the file comment. */
export class PluginRegistry {
  private readonly byClass = new Map<string, ConnectorPlugin>();
  /** alias → class names claiming it; an alias claimed by two classes is ambiguous and resolves to nothing. */
  private readonly byAlias = new Map<string, Set<string>>();

  /** The SMTs and predicates `transforms.*.type` / `predicates.*.type` may name (validated with their config). */
  readonly transformations = new TransformationRegistry();
  /** The converters `key.converter` / `value.converter` may name. */
  readonly converters = new ConverterRegistry();

  /** An empty registry: nothing is installed until plugins are registered. */
  constructor(private readonly options: PluginRegistryOptions = {}) {}

  /**
   * Registers everything a plugin package contributes: its connectors, transformations and predicates, converters.
   * Throws PluginError (PIPECTL_PLUGIN_DUPLICATE_CLASS) when one of its classes is already registered (plugins registered before it stay registered).
   */
  registerPackage(pkg: PluginPackage): void {
    for (const plugin of pkg.connectors ?? []) this.register(plugin);
    for (const plugin of pkg.transformations ?? []) this.transformations.register(plugin);
    for (const plugin of pkg.converters ?? []) this.converters.register(plugin);
  }

  /** Adds a connector plugin. Throws PluginError (PIPECTL_PLUGIN_DUPLICATE_CLASS) when its class name is already registered. */
  register(plugin: ConnectorPlugin): void {
    if (this.byClass.has(plugin.className)) throw new PluginError('PIPECTL_PLUGIN_DUPLICATE_CLASS', `A plugin with class ${plugin.className} is already registered`);
    this.byClass.set(plugin.className, plugin);
    for (const alias of new Set([...plugin.aliases, ...derivedAliases(plugin.className)])) {
      if (alias === plugin.className) continue;
      const owners = this.byAlias.get(alias) ?? new Set<string>();
      owners.add(plugin.className);
      this.byAlias.set(alias, owners);
    }
  }

  /**
   * The plugin for a fully qualified class name, its simple name, or the simple name without "Connector"
   * (e.g. `FileStreamSource`). Undefined when unknown or when the alias is ambiguous.
   */
  findConnector(nameOrAlias: string): ConnectorPlugin | undefined {
    const name = nameOrAlias.trim();
    const exact = this.byClass.get(name);
    if (exact) return exact;
    const owners = this.byAlias.get(name);
    return owners?.size === 1 ? this.byClass.get([...owners][0]!) : undefined;
  }

  /** Like findConnector, but throws a BadRequestError with Connect's message when nothing (or more than one) matches. */
  resolveConnector(nameOrAlias: string): ConnectorPlugin {
    const plugin = this.findConnector(nameOrAlias);
    if (!plugin) throw new BadRequestError(this.lookupFailure(nameOrAlias));
    return plugin;
  }

  /** All connector plugins, sorted by class name (GET /connector-plugins?connectorsOnly=true). */
  connectorPlugins(): PluginInfo[] {
    return [...this.byClass.values()]
      .sort((a, b) => (a.className < b.className ? -1 : a.className > b.className ? 1 : 0))
      .map((p) => (p.version && p.version !== 'undefined' ? { class: p.className, type: p.kind, version: p.version } : { class: p.className, type: p.kind }));
  }

  /**
   * The transformations and predicates, for GET /connector-plugins?connectorsOnly=false (listed after the connectors):
   * transformations then predicates, each sorted by class name.
   */
  transformationPlugins(): PluginInfo[] {
    return this.transformations.pluginInfos();
  }

  /** The converters' class names, sorted (listed after the transformations with connectorsOnly=false). */
  converterClassNames(): string[] {
    return this.converters.classNames();
  }

  /**
   * A connector's key or value converter, configured from its config (falling back to the worker's): see
   * ConverterRegistry.create. Throws an Error naming the key when the class is not installed.
   */
  createConverter(kind: 'key' | 'value', connectorConfig: Readonly<Record<string, string>>, workerConfig: Readonly<Record<string, string>>): Converter {
    return this.converters.create(kind, connectorConfig, workerConfig);
  }

  /**
   * GET /connector-plugins/{name}/config: the plugin's own keys first, then the framework keys it does not redefine.
   * Throws NotFoundError "Unknown plugin X." when no plugin matches.
   */
  pluginConfig(name: string): ConfigKeyInfo[] {
    const plugin = this.findConnector(name);
    if (!plugin) throw new NotFoundError(`Unknown plugin ${name}.`);
    const own = new Set(plugin.configDef.map((k) => k.name));
    return [...plugin.configDef, ...frameworkConfigDef(plugin.kind, this.frameworkContext(plugin)).filter((k) => !own.has(k.name))].map(toConfigKeyInfo);
  }

  /**
   * Validates a connector config as Connect's AbstractHerder.validateConnectorConfig does, returning errors as data
   * (never throws): framework keys (sink keys for sinks) and per-alias transform/predicate keys first (each alias's
   * `type` checked against the transformation registry and followed by its plugin's keys, e.g. `transforms.a.regex`,
   * as Connect's ConnectorConfig.enrich does), then the plugin's keys it does not share with the framework. A missing
   * or unknown `connector.class` is reported as an error on that key, with the other framework keys still validated.
   * For sources with any `topic.creation.*` key (and topic creation enabled), the keys of the `default` group and of
   * each group in `topic.creation.groups` follow the framework keys (Connect checks these only when the connector
   * starts; checking them here turns a failing connector into a 400 at create). PASSWORD values are rendered "[hidden]".
   */
  validateConnectorConfig(config: Readonly<Record<string, string>>): ConfigInfos {
    const connType = config['connector.class'];
    const plugin = connType === undefined ? undefined : this.findConnector(connType);
    const kind = plugin?.kind ?? 'source';
    const topicCreation = kind === 'source' && (this.options.topicCreationEnable ?? true) ? topicCreationConfigDef(config) : [];
    const framework = [...frameworkConfigDef(kind, this.frameworkContext(plugin)), ...topicCreation, ...enrichedAliasConfigDef(config, this.transformations)];
    const defs = new Map<string, ConfigKeyDef>(framework.map((d) => [d.name, d]));
    const results = new Map<string, ValidatedValue>(validateConfigDef(framework, config).map((r) => [r.name, r]));
    const addError = (key: string, message: string): void => void results.get(key)?.errors.push(message);

    if (connType !== undefined && !plugin) addError('connector.class', this.lookupFailure(connType));
    if (plugin?.kind === 'sink') {
      for (const [key, messages] of sinkTopicProblems(config)) for (const m of messages) addError(key, m);
    }
    if (plugin) {
      // As in Connect, a plugin key that redefines a framework key keeps the framework key's place but wins.
      for (const d of plugin.configDef) defs.set(d.name, d);
      for (const r of validateConfigDef(plugin.configDef, config)) results.set(r.name, r);
    }

    const groups = [...new Set([...framework, ...(plugin?.configDef ?? [])].flatMap((d) => (d.group ? [d.group] : [])))];
    const configs = [...defs.values()].map((d) => ({ definition: toConfigKeyInfo(d), value: toConfigValueInfo(d, results.get(d.name)!) }));
    const errorCount = configs.reduce((n, c) => n + c.value.errors.length, 0);
    return { name: connType ?? '', error_count: errorCount, groups, configs };
  }

  /** What the framework keys show for this plugin on this worker: the plugin's version, the worker's converters. */
  private frameworkContext(plugin: ConnectorPlugin | undefined): FrameworkContext {
    const version = plugin?.version && plugin.version !== 'undefined' ? plugin.version : undefined;
    return {
      keyConverter: this.options.converters?.key ?? DEFAULT_CONVERTER,
      valueConverter: this.options.converters?.value ?? DEFAULT_CONVERTER,
      converterVersion: BUNDLED_PLUGIN_VERSION,
      converters: this.converters,
      ...(version === undefined ? {} : { pluginVersion: version }),
    };
  }

  /** Connect's Plugins.connectorClass messages. */
  private lookupFailure(nameOrAlias: string): string {
    const classes = [...this.byClass.keys()].sort().join(', ');
    const owners = this.byAlias.get(nameOrAlias.trim());
    if (owners && owners.size > 1) {
      return `More than one connector matches alias ${nameOrAlias}. Please use full package and class name instead. Classes found: ${[...owners].sort().join(', ')}`;
    }
    return `Failed to find any class that implements Connector and which name matches ${nameOrAlias}, available connectors are: ${classes}`;
  }
}
