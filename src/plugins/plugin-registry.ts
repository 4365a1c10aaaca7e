/**
 * The connector plugins a worker knows (Kafka Connect's Plugins / DelegatingClassLoader): lookup by class name or
 * alias, the plugin list and per-plugin config definitions of the REST API, and config validation in the exact
 * ConfigInfos shape of PUT /connector-plugins/{p}/config/validate. Nothing here prints or does I/O.
 */
import { FileStreamSink, FileStreamSource } from '../connectors/file/index.js';
import { GeneratorSource } from '../connectors/generator/index.js';
import { BadRequestError, NotFoundError } from '../herder/errors.js';
import type { ConfigInfos, ConfigKeyInfo, PluginInfo } from '../herder/types.js';
import { enrichedAliasConfigDef } from '../transforms/transform-validation.js';
import { createDefaultTransformationRegistry } from '../transforms/transformation-registry.js';
import type { TransformationRegistry } from '../transforms/transformation-registry.js';
import { DEFAULT_FRAMEWORK_CONTEXT, frameworkConfigDef, sinkTopicProblems } from './common-connector-config.js';
import type { FrameworkContext } from './common-connector-config.js';
import type { ConfigKeyDef } from './config-def.js';
import { toConfigKeyInfo, toConfigValueInfo, validateConfigDef } from './config-validation.js';
import type { ValidatedValue } from './config-validation.js';
import type { ConnectorPlugin } from './plugin.js';
import { PluginError } from './plugin-error.js';
import { topicCreationConfigDef } from './topic-creation-config.js';

export { loadPluginPath } from './plugin-path.js';
export type { PluginLoadError, PluginPathResult } from './plugin-path.js';

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

export class PluginRegistry {
  private readonly byClass = new Map<string, ConnectorPlugin>();
  /** alias → class names claiming it; an alias claimed by two classes is ambiguous and resolves to nothing. */
  private readonly byAlias = new Map<string, Set<string>>();

  /**
   * @param transformations the SMTs and predicates that `transforms.*.type` / `predicates.*.type` may name (validation
   *   checks them and their config); the bundled set by default.
   */
  constructor(
    readonly transformations: TransformationRegistry = createDefaultTransformationRegistry(),
    private readonly options: PluginRegistryOptions = {},
  ) {}

  /** Adds a plugin. Throws PluginError (PIPECTL_PLUGIN_DUPLICATE_CLASS) when a plugin with the same class name is already registered. */
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
      ...DEFAULT_FRAMEWORK_CONTEXT,
      keyConverter: this.options.converters?.key ?? DEFAULT_FRAMEWORK_CONTEXT.keyConverter,
      valueConverter: this.options.converters?.value ?? DEFAULT_FRAMEWORK_CONTEXT.valueConverter,
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

/** A registry with the bundled connectors (FileStreamSource, FileStreamSink, Generator). */
export function createDefaultRegistry(options: PluginRegistryOptions = {}): PluginRegistry {
  const registry = new PluginRegistry(undefined, options);
  registry.register(FileStreamSource);
  registry.register(FileStreamSink);
  registry.register(GeneratorSource);
  return registry;
}
