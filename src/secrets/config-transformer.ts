/**
 * Resolves secret references in a config with the worker's config providers, with the semantics of Kafka Connect's
 * ConfigTransformer: every `${provider:[path:]key}` is collected first, each provider is asked once per path for all
 * of that path's keys, then every reference that found a value is replaced. A reference to an unknown provider, a
 * key that was not found, or a lookup that failed is left exactly as written; where Connect would stay silent (or,
 * for a failed lookup, throw), this adds a warning to `errors`. Warnings name keys, providers and paths — never values.
 */
import type { ConfigData, ConfigProvider } from './config-provider.js';
import { loadConfigProviders, RESERVED_PROVIDER_NAMES } from './config-providers.js';
import type { ConfigProviderOptions } from './config-providers.js';
import { findReferences } from './reference-pattern.js';
import type { SecretReference } from './reference-pattern.js';

export interface TransformResult {
  /** The config with every resolvable reference replaced; same keys as the input. */
  config: Record<string, string>;
  /** One warning per reference left as written (deduplicated). Safe to log: they never contain a resolved value. */
  errors: string[];
  /** The distinct non-empty values that replaced references: what must be redacted from logs and traces. */
  secrets: string[];
}

export interface ConfigTransformer {
  /** The configured provider names, in `config.providers` order. */
  readonly providerNames: readonly string[];
  /** Resolves references in `config`. Never throws; the input is not modified. */
  transform(config: Readonly<Record<string, string>>): TransformResult;
}

type Lookup = { ok: ConfigData } | { failed: string };

/**
 * A transformer for the providers the worker config declares (`config.providers`, see config-providers.ts). Throws
 * SecretsConfigError when those settings are unusable, so a misconfigured worker fails at startup as in Connect.
 */
export function createConfigTransformer(workerConfig: Readonly<Record<string, string>>, options: ConfigProviderOptions = {}): ConfigTransformer {
  const providers = loadConfigProviders(workerConfig, options);
  return { providerNames: [...providers.keys()], transform: (config) => transformWith(providers, config) };
}

/** The transformation itself, for any set of providers. */
export function transformWith(providers: ReadonlyMap<string, ConfigProvider>, config: Readonly<Record<string, string>>): TransformResult {
  const refs = new Map<string, SecretReference[]>();
  const wanted = new Map<string, Map<string, Set<string>>>(); // provider → path → keys
  for (const [name, value] of Object.entries(config)) {
    const found = typeof value === 'string' ? findReferences(value) : [];
    if (found.length === 0) continue;
    refs.set(name, found);
    for (const r of found) {
      if (!providers.has(r.provider)) continue;
      const byPath = wanted.get(r.provider) ?? new Map<string, Set<string>>();
      wanted.set(r.provider, byPath);
      const keys = byPath.get(r.path) ?? new Set<string>();
      byPath.set(r.path, keys);
      keys.add(r.key);
    }
  }

  const lookups = new Map<string, Map<string, Lookup>>();
  for (const [providerName, byPath] of wanted) {
    const provider = providers.get(providerName)!;
    const results = new Map<string, Lookup>();
    for (const [path, keys] of byPath) {
      try {
        results.set(path, { ok: provider.get(path, keys) });
      } catch (e) {
        results.set(path, { failed: e instanceof Error ? e.message : String(e) });
      }
    }
    lookups.set(providerName, results);
  }

  const out: Record<string, string> = { ...config };
  const errors = new Set<string>();
  const secrets = new Set<string>();
  for (const [name, found] of refs) {
    const value = config[name]!;
    let resolved = '';
    let at = 0;
    for (const r of found) {
      resolved += value.slice(at, r.index);
      at = r.index + r.text.length;
      const lookup = lookups.get(r.provider)?.get(r.path);
      const replacement = lookup && 'ok' in lookup ? lookup.ok.data.get(r.key) : undefined;
      if (replacement !== undefined) {
        resolved += replacement;
        if (replacement !== '') secrets.add(replacement);
        continue;
      }
      resolved += r.text;
      errors.add(`${name}: ${r.text} was left as written: ${whyUnresolved(r, lookup, providers)}`);
    }
    out[name] = resolved + value.slice(at);
  }
  return { config: out, errors: [...errors], secrets: [...secrets] };
}

function whyUnresolved(r: SecretReference, lookup: Lookup | undefined, providers: ReadonlyMap<string, ConfigProvider>): string {
  if (lookup === undefined) {
    if (RESERVED_PROVIDER_NAMES.includes(r.provider)) return `\${${r.provider}:…} is a pipectl variable, substituted when pipeline files are loaded, not by the worker`;
    const names = [...providers.keys()];
    return `no config provider named "${r.provider}" (config.providers: ${names.length > 0 ? names.join(', ') : 'none'})`;
  }
  if ('failed' in lookup) return `config provider "${r.provider}" failed: ${lookup.failed}`;
  return lookup.ok.missingReasons?.get(r.key) ?? `config provider "${r.provider}" has no key "${r.key}"${r.path ? ` at ${r.path}` : ''}`;
}
