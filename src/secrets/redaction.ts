/**
 * Keeping secrets out of logs, status traces and error messages. Two kinds of values are secret: those that came from
 * references (`${env:…}`, `${file:…}`, …) and those of keys typed PASSWORD — by the plugin's ConfigDef, or by Kafka's
 * client configs (`ssl.key.password`, `sasl.jaas.config`, …, also under prefixes such as `producer.override.`).
 * Redaction is by value: every occurrence of a secret in a text becomes `[hidden]`, as Connect prints PASSWORD values.
 * A very short secret therefore also hides unrelated occurrences of the same characters; that is the safe side.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import { isSensitive } from '../plugins/config-def.js';
import { findReferences } from './reference-pattern.js';

/** What a secret is replaced with (Connect's rendering of a PASSWORD value). */
export const HIDDEN = '[hidden]';

/** Kafka's client configs of type PASSWORD (SslConfigs, SaslConfigs); Connect's own ConfigDefs declare none. */
export const CLIENT_PASSWORD_KEYS: readonly string[] = [
  'ssl.key.password',
  'ssl.keystore.password',
  'ssl.keystore.key',
  'ssl.keystore.certificate.chain',
  'ssl.truststore.password',
  'ssl.truststore.certificates',
  'sasl.jaas.config',
];

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The values in `resolved` that came from references in `raw` (the same config before and after transform). For a
 * value that is exactly one reference, that is the whole resolved value; for one with text around its references,
 * each substituted part; with two or more references (which may split ambiguously) the whole resolved value as well.
 * References left unresolved are not secrets. Distinct, non-empty values, in no particular order.
 */
export function collectSecretValues(raw: Readonly<Record<string, string>>, resolved: Readonly<Record<string, string>>): string[] {
  const out = new Set<string>();
  for (const [key, rawValue] of Object.entries(raw)) {
    const value = resolved[key];
    if (typeof rawValue !== 'string' || value === undefined || value === rawValue) continue;
    const refs = findReferences(rawValue);
    if (refs.length === 0) continue;
    let pattern = '^';
    let at = 0;
    for (const r of refs) {
      pattern += `${escapeRegExp(rawValue.slice(at, r.index))}([\\s\\S]*?)`;
      at = r.index + r.text.length;
    }
    const match = new RegExp(`${pattern}${escapeRegExp(rawValue.slice(at))}$`).exec(value);
    if (!match || refs.length > 1) out.add(value);
    refs.forEach((r, i) => {
      const part = match?.[i + 1];
      if (part !== undefined && part !== '' && part !== r.text) out.add(part);
    });
  }
  out.delete('');
  return [...out];
}

/**
 * `text` with every occurrence of every secret replaced by `[hidden]`, longest secrets first, in one pass (a
 * replacement is never re-scanned). A secret is also found in its JSON-escaped form, as it appears inside serialized
 * configs or traces. Empty secrets are ignored.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s === '') continue;
    forms.add(s);
    const json = JSON.stringify(s).slice(1, -1);
    if (json !== s) forms.add(json);
  }
  if (forms.size === 0 || text === '') return text;
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return text.replace(new RegExp(alternatives.join('|'), 'g'), HIDDEN);
}

/** True when `key` is a Kafka client PASSWORD config, bare or under a prefix (`producer.override.ssl.key.password`). */
export function isClientPasswordKey(key: string): boolean {
  return CLIENT_PASSWORD_KEYS.some((k) => key === k || key.endsWith(`.${k}`));
}

/** The keys of `config` whose values are secret by type: PASSWORD in `configDef`, or a client PASSWORD config. */
export function sensitiveKeys(config: Readonly<Record<string, string>>, configDef: ConfigDef = []): string[] {
  const passwords = new Set(configDef.filter(isSensitive).map((d) => d.name));
  return Object.keys(config).filter((k) => passwords.has(k) || isClientPasswordKey(k));
}

/** The non-empty values of sensitiveKeys(config, configDef) — pass the resolved config to get the real secrets. */
export function sensitiveValues(config: Readonly<Record<string, string>>, configDef: ConfigDef = []): string[] {
  return [...new Set(sensitiveKeys(config, configDef).map((k) => config[k]!).filter((v) => v !== ''))];
}

/**
 * A copy of `config` fit for a log line: values of sensitive keys (see sensitiveKeys) become `[hidden]`, and every
 * other value has the given secrets redacted. Pass the raw config to log references as written instead.
 */
export function redactConfig(config: Readonly<Record<string, string>>, secrets: Iterable<string>, configDef: ConfigDef = []): Record<string, string> {
  const sensitive = new Set(sensitiveKeys(config, configDef));
  const list = [...secrets];
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, sensitive.has(k) ? HIDDEN : redact(v, list)]));
}
