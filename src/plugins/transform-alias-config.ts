/**
 * The config definition of a connector's `transforms.*` and `predicates.*` keys, as Connect's ConnectorConfig.enrich
 * builds it: each alias's `type` must name a plugin of the right kind in the transformation registry, and the plugin's
 * own keys are validated under the alias's prefix (`transforms.a.regex`), with `transforms.a.predicate` /
 * `transforms.a.negate` added for every transformation. Validating against it gives data keyed by the full config key;
 * nothing throws. Like Connect, only per-key checks run here; checks that span keys inside a plugin (InsertField with no
 * field at all) surface when the chain is built.
 */
import type { ConfigDef, ConfigKeyDef } from './config-def.js';
import { aliasConfigDef } from './common-connector-config.js';
import { parseList } from './config-validation.js';
import type { TransformationKind, TransformationRegistry } from './transformation-registry.js';
import type { TransformationPlugin } from './transformation.js';

/** The keys every transformation stage has besides its plugin's (Connect's TransformationStage configs). */
export const STAGE_KEYS = ['type', 'predicate', 'negate'] as const;

/**
 * The keys under `prefix` (e.g. `transforms.a.`) with the prefix removed: what the plugin's configure() receives.
 * `type`, and for transformations `predicate` and `negate`, are left out.
 */
export function pluginConfigOf(config: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const reserved: readonly string[] = prefix.startsWith('transforms.') ? STAGE_KEYS : ['type'];
  const out: Record<string, string> = {};
  for (const key of Object.keys(config)) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    if (!reserved.includes(name)) out[name] = config[key]!;
  }
  return out;
}

const IMPORTANCE = { HIGH: 0, MEDIUM: 1, LOW: 2 } as const;

/** Connect's ConfigDef.sortedConfigs order: group, order in group, required first, importance, name. */
function sortedKeys(def: ConfigDef): ConfigKeyDef[] {
  const groups = [...new Set(def.flatMap((k) => (k.group ? [k.group] : [])))];
  const groupIndex = (k: ConfigKeyDef): number => (k.group ? groups.indexOf(k.group) : -1);
  return [...def].sort(
    (a, b) =>
      groupIndex(a) - groupIndex(b) ||
      (a.order ?? -1) - (b.order ?? -1) ||
      Number(a.default !== undefined) - Number(b.default !== undefined) ||
      IMPORTANCE[a.importance] - IMPORTANCE[b.importance] ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

function stageKeys(prefix: string): ConfigKeyDef[] {
  return [
    {
      name: 'predicate', type: 'STRING', default: null, importance: 'MEDIUM', documentation: 'The alias of a predicate used to determine whether to apply this transformation.',
      validate: (v, config) =>
        parseList(config['predicates'] ?? '').includes(v) ? undefined : `Invalid value ${v} for configuration ${prefix}predicate: predicate '${v}' is not declared in 'predicates'`,
    },
    { name: 'negate', type: 'BOOLEAN', default: 'false', importance: 'MEDIUM', documentation: 'Whether the configured predicate should be negated.' },
  ];
}

/** A plugin's keys embedded under an alias (ConfigDef.embed): prefixed names, the alias's group, orders from 1. */
function embeddedKeys(prefix: string, group: string, plugin: TransformationPlugin): ConfigKeyDef[] {
  const isTransform = plugin.kind === 'transformation';
  // The implicit predicate/negate keys mask plugin keys of the same name, as in Connect.
  const own = isTransform ? [...stageKeys(prefix), ...plugin.configDef.filter((k) => k.name !== 'predicate' && k.name !== 'negate')] : [...plugin.configDef];
  return sortedKeys(own).map((k, i) => {
    const stageKey = isTransform && (k.name === 'predicate' || k.name === 'negate');
    const check = k.validate;
    const embedded: ConfigKeyDef = {
      ...k,
      name: prefix + k.name,
      group: k.group ? `${group}: ${k.group}` : group,
      order: i + 1,
      displayName: k.displayName ?? k.name,
    };
    // Plugin checks see the plugin's own config, as its configure() will; the stage keys see the connector's.
    if (check) embedded.validate = stageKey ? check : (v, config) => check(v, pluginConfigOf(config, prefix));
    return embedded;
  });
}

/**
 * Connect's ConnectorConfig.enrich for `transforms` and `predicates`: the `<list>.<alias>.type` keys of
 * aliasConfigDef (now also checked against the registry, with its classes as recommended values), each followed by the
 * keys of the plugin it names. An alias whose type is missing or unknown contributes only its `type` key.
 */
export function enrichedAliasConfigDef(config: Readonly<Record<string, string>>, registry: TransformationRegistry): ConfigDef {
  const out: ConfigKeyDef[] = [];
  for (const typeKey of aliasConfigDef(config)) {
    const kind: TransformationKind = typeKey.name.startsWith('transforms.') ? 'transformation' : 'predicate';
    const prefix = typeKey.name.slice(0, -'type'.length);
    const structural = typeKey.validate;
    out.push({
      ...typeKey,
      recommendedValues: registry.plugins(kind).map((p) => p.className),
      validate: (v, cfg) => {
        const problem = structural?.(v, cfg);
        if (problem) return problem;
        const found = registry.resolve(typeKey.name, v, kind);
        return 'error' in found ? found.error : undefined;
      },
    });
    const typeName = config[typeKey.name];
    const plugin = typeName === undefined ? undefined : registry.resolve(typeKey.name, typeName, kind);
    if (plugin && !('error' in plugin)) out.push(...embeddedKeys(prefix, typeKey.group ?? '', plugin));
  }
  return out;
}
