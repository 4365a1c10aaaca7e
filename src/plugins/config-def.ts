/**
 * A plugin's config definition (Kafka Connect's ConfigDef): declared once per plugin, it drives config validation,
 * GET /connector-plugins/{p}/config, the validate endpoint, and which values are sensitive (type PASSWORD).
 */
import type { ConfigType, Importance } from '../herder/types.js';

export interface ConfigKeyDef {
  name: string;
  type: ConfigType;
  /** The default as a string; `undefined` means the key is required. `null` means optional without a default. */
  default?: string | null;
  importance: Importance;
  documentation: string;
  group?: string;
  displayName?: string;
  /** Position in its group (Connect's orderInGroup); -1 when not given, as in Connect. */
  order?: number;
  /** Display width hint (Connect's Width); NONE when not given. */
  width?: 'NONE' | 'SHORT' | 'MEDIUM' | 'LONG';
  /** Returns an error message for a bad value (already known to parse as `type`), or undefined. */
  validate?: (value: string, config: Readonly<Record<string, string>>) => string | undefined;
  recommendedValues?: string[];
}

export type ConfigDef = readonly ConfigKeyDef[];

/** True when a key's values must never be logged or shown (Connect's PASSWORD type). */
export function isSensitive(def: ConfigKeyDef): boolean {
  return def.type === 'PASSWORD';
}

/** Checks that a raw string parses as the declared type; returns an error message or undefined. */
export function checkType(def: ConfigKeyDef, value: string): string | undefined {
  const trimmed = value.trim();
  switch (def.type) {
    case 'INT':
    case 'SHORT':
    case 'LONG': {
      if (!/^[-+]?[0-9]+$/.test(trimmed)) return `Invalid value ${value} for configuration ${def.name}: Not a number of type ${def.type}`;
      const n = BigInt(trimmed);
      const [min, max] = def.type === 'SHORT' ? [-32768n, 32767n] : def.type === 'INT' ? [-2147483648n, 2147483647n] : [-(2n ** 63n), 2n ** 63n - 1n];
      if (n < min || n > max) return `Invalid value ${value} for configuration ${def.name}: Not a number of type ${def.type}`;
      return undefined;
    }
    case 'DOUBLE':
      return trimmed === '' || Number.isNaN(Number(trimmed)) ? `Invalid value ${value} for configuration ${def.name}: Not a number of type DOUBLE` : undefined;
    case 'BOOLEAN':
      return /^(true|false)$/i.test(trimmed) ? undefined : `Invalid value ${value} for configuration ${def.name}: Expected value to be either true or false`;
    default:
      return undefined;
  }
}

/**
 * Validates a flat config against a definition: required keys present, values of the right type, custom checks.
 * Returns errors per key (every key of the definition has an entry, possibly empty). Keys not in the definition are
 * not errors (Connect passes unknown keys through to the plugin).
 */
export function validateAgainst(def: ConfigDef, config: Readonly<Record<string, string>>): Map<string, string[]> {
  const errors = new Map<string, string[]>();
  for (const key of def) {
    const list: string[] = [];
    const value = config[key.name] ?? (key.default === undefined ? undefined : key.default);
    if (value === undefined) {
      list.push(`Missing required configuration "${key.name}" which has no default value.`);
    } else if (value !== null) {
      const typeError = checkType(key, value);
      if (typeError) list.push(typeError);
      else {
        const custom = key.validate?.(value, config);
        if (custom) list.push(custom);
      }
    }
    errors.set(key.name, list);
  }
  return errors;
}

/** The value of a key with its default applied, or undefined when absent and without default. */
export function configValue(def: ConfigDef, config: Readonly<Record<string, string>>, name: string): string | undefined {
  const v = config[name];
  if (v !== undefined) return v;
  const d = def.find((k) => k.name === name)?.default;
  return d === null ? undefined : d;
}
