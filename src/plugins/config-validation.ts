/**
 * Validates a flat config against a ConfigDef the way Kafka Connect's `ConfigDef.validateAll` does, keeping the parsed
 * value of every key (the validate endpoint shows it), and converts definitions and results to the REST shapes
 * (`ConfigKeyInfo`, `ConfigValueInfo`). Messages follow Connect's ConfigException form:
 * `Invalid value <v> for configuration <key>: <reason>`.
 */
import type { ConfigDef, ConfigKeyDef } from './config-def.js';
import { PluginError } from './plugin-error.js';
import type { ConfigKeyInfo, ConfigValueInfo } from '../herder/types.js';

/** One key's outcome: the value as Connect would render it (null when absent or unparsable) and its errors. */
export interface ValidatedValue {
  name: string;
  value: string | null;
  errors: string[];
}

/** Connect's ConfigException message. */
export function invalidValue(name: string, value: unknown, reason: string): string {
  return `Invalid value ${value === null ? 'null' : String(value)} for configuration ${name}: ${reason}`;
}

/** Java's String.trim(): strips every char ≤ U+0020 (JS trim() keeps most control characters). */
export function javaTrim(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
}

/** Connect's LIST parsing: trimmed, split on commas with surrounding whitespace; "" is the empty list. */
export function parseList(value: string): string[] {
  const trimmed = javaTrim(value);
  return trimmed === '' ? [] : trimmed.split(/\s*,\s*/);
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  SHORT: [-32768n, 32767n],
  INT: [-2147483648n, 2147483647n],
  LONG: [-(2n ** 63n), 2n ** 63n - 1n],
};

/**
 * Parses a raw value as the key's type. Returns the rendered value (what ConfigDef.convertToString would give; PASSWORD
 * values become "[hidden]") or an error message.
 */
export function parseValue(def: ConfigKeyDef, raw: string): { value: string } | { error: string } {
  const trimmed = javaTrim(raw);
  switch (def.type) {
    case 'SHORT':
    case 'INT':
    case 'LONG': {
      const [min, max] = INT_RANGES[def.type]!;
      if (/^[-+]?[0-9]+$/.test(trimmed)) {
        const n = BigInt(trimmed);
        if (n >= min && n <= max) return { value: n.toString() };
      }
      return { error: invalidValue(def.name, raw, `Not a number of type ${def.type}`) };
    }
    case 'DOUBLE': {
      const n = Number(trimmed);
      return trimmed === '' || Number.isNaN(n) ? { error: invalidValue(def.name, raw, 'Not a number of type DOUBLE') } : { value: String(n) };
    }
    case 'BOOLEAN':
      return /^(true|false)$/i.test(trimmed) ? { value: trimmed.toLowerCase() } : { error: invalidValue(def.name, raw, 'Expected value to be either true or false') };
    case 'LIST':
      return { value: parseList(trimmed).join(',') };
    case 'PASSWORD':
      return { value: '[hidden]' };
    default: // STRING, CLASS (class names are resolved by whoever loads them)
      return { value: trimmed };
  }
}

/**
 * Validates every key of `def` against `config`: required keys present, values parse as their type, then the key's own
 * check (given the trimmed value). Returns one result per key, in definition order. Keys of `config` that `def` does
 * not define are ignored (Connect passes them through to the plugin).
 */
export function validateConfigDef(def: ConfigDef, config: Readonly<Record<string, string>>): ValidatedValue[] {
  return def.map((key) => {
    const raw = Object.hasOwn(config, key.name) ? config[key.name] : undefined;
    const source = raw ?? key.default;
    if (source === undefined) return { name: key.name, value: null, errors: [`Missing required configuration "${key.name}" which has no default value.`] };
    if (source === null) return { name: key.name, value: null, errors: [] };
    const parsed = parseValue(key, source);
    if ('error' in parsed) return { name: key.name, value: null, errors: [parsed.error] };
    const problem = key.validate?.(javaTrim(source), config);
    return { name: key.name, value: parsed.value, errors: problem ? [problem] : [] };
  });
}

/** A definition in the REST shape (GET /connector-plugins/{p}/config, `definition` in a validation answer). */
export function toConfigKeyInfo(def: ConfigKeyDef): ConfigKeyInfo {
  const required = def.default === undefined;
  let defaultValue: string | null = null;
  if (!required && def.default !== null && def.default !== undefined) {
    const parsed = parseValue(def, def.default);
    defaultValue = 'value' in parsed ? parsed.value : def.default;
  }
  return {
    name: def.name,
    type: def.type,
    required,
    default_value: defaultValue,
    importance: def.importance,
    documentation: def.documentation,
    group: def.group ?? null,
    order: def.order ?? -1,
    width: def.width ?? 'NONE',
    display_name: def.displayName ?? def.name,
    dependents: [],
  };
}

/** A validation result in the REST shape; recommended values come from the definition. */
export function toConfigValueInfo(def: ConfigKeyDef, result: ValidatedValue): ConfigValueInfo {
  return { name: result.name, value: result.value, recommended_values: [...(def.recommendedValues ?? [])], errors: [...result.errors], visible: true };
}

/**
 * For a connector or task start(): throws a PluginError (PIPECTL_PLUGIN_INVALID_CONFIG) with the first problem
 * (Connect's AbstractConfig constructor throws a ConfigException the same way). Returns nothing when the config is valid.
 */
export function assertValidConfig(def: ConfigDef, config: Readonly<Record<string, string>>): void {
  for (const r of validateConfigDef(def, config)) {
    if (r.errors.length > 0) throw new PluginError('PIPECTL_PLUGIN_INVALID_CONFIG', r.errors[0]!);
  }
}
