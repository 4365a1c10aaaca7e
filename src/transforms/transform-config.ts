/**
 * Reading a transformation's or predicate's own config (Connect's `SimpleConfig`): every key of the plugin's ConfigDef
 * is checked once, in `configure()`, and the first problem is thrown as a TransformConfigError naming the key. Values
 * are read as Connect reads them: strings trimmed, lists split on commas, defaults applied.
 */
import type { ConfigDef, ConfigKeyDef } from '../plugins/config-def.js';
import { javaTrim, parseList, validateConfigDef } from '../plugins/config-validation.js';
import { TransformConfigError } from '../plugins/transformation.js';

/** A validated plugin config. Getters take a key of the definition; absent keys without a default read as null / []. */
export interface TransformConfig {
  string(name: string): string | null;
  boolean(name: string): boolean;
  list(name: string): string[];
}

/** Validates `config` against `def` and returns typed getters. Throws TransformConfigError for the first bad key. */
export function parseTransformConfig(def: ConfigDef, config: Readonly<Record<string, string>>): TransformConfig {
  for (const result of validateConfigDef(def, config)) {
    if (result.errors.length > 0) throw new TransformConfigError(result.name, result.errors[0]!);
  }
  const raw = (name: string): string | null => {
    if (Object.hasOwn(config, name)) return config[name]!;
    const key = def.find((k) => k.name === name);
    return key?.default ?? null;
  };
  return {
    string: (name) => {
      const v = raw(name);
      return v === null ? null : javaTrim(v);
    },
    boolean: (name) => javaTrim(raw(name) ?? 'false').toLowerCase() === 'true',
    list: (name) => parseList(raw(name) ?? ''),
  };
}

/** Java's `List.toString()` of a list config value, as Connect's ConfigException messages show it: `[a, b]`. */
export function javaList(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

/** Java's `String.split(":")`: trailing empty strings removed (so "a:" has one part and ":b" has two). */
export function javaSplit(value: string, separator: string): string[] {
  if (value === '') return [''];
  const parts = value.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** The common `replace.null.with.default` key (Connect 3.8+, KIP-1040). */
export const REPLACE_NULL_WITH_DEFAULT: ConfigKeyDef = {
  name: 'replace.null.with.default',
  type: 'BOOLEAN',
  default: 'true',
  importance: 'MEDIUM',
  documentation: 'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
};
