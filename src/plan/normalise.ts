/**
 * Normalisation before diffing, so a plan never shows a false or perpetual change (the most common complaint against
 * every declarative Connect tool): values compared as strings; `connector.class` aliases (FileStreamSource,
 * FileStreamSourceConnector, the FQCN) compared as the installed class; `name`, `__internal.*`, pipectl's own
 * reserved keys and a configurable ignore list never produce a change; `transforms`/`predicates` lists compared
 * trimmed. Secret references are compared as the reference text.
 */
import { createHash } from 'node:crypto';
import { APPLY_STAMP_KEYS } from './applied-stamp.js';
import { APPLIED_HASH_KEY, OWNER_KEY } from './types.js';

const ALWAYS_IGNORED = ['name', '__internal.*', OWNER_KEY, APPLIED_HASH_KEY, ...APPLY_STAMP_KEYS];
const LIST_KEYS = new Set(['transforms', 'predicates']);

export interface NormaliseContext {
  /** Installed connector classes (fully qualified), for alias resolution. */
  pluginClasses: readonly string[];
  ignoreKeys: readonly string[];
}

/** The installed class an alias refers to, as Connect resolves it; the input when nothing matches. */
export function canonicalClass(name: string, pluginClasses: readonly string[]): string {
  const n = name.trim();
  if (pluginClasses.includes(n)) return n;
  const matches = pluginClasses.filter((fq) => {
    const simple = fq.slice(fq.lastIndexOf('.') + 1);
    return simple === n || (simple.endsWith('Connector') && simple.slice(0, -'Connector'.length) === n);
  });
  return matches.length === 1 ? matches[0]! : n;
}

export function isIgnoredKey(key: string, extra: readonly string[]): boolean {
  for (const pattern of [...ALWAYS_IGNORED, ...extra]) {
    if (pattern.endsWith('*') ? key.startsWith(pattern.slice(0, -1)) : key === pattern) return true;
  }
  return false;
}

/** The comparable form of a config: sorted keys, string values, ignored keys dropped, aliases resolved. */
export function normaliseConfig(config: Readonly<Record<string, unknown>>, ctx: NormaliseContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(config).sort()) {
    if (isIgnoredKey(key, ctx.ignoreKeys)) continue;
    let value = String(config[key]);
    if (key === 'connector.class') value = canonicalClass(value, ctx.pluginClasses);
    else if (LIST_KEYS.has(key)) value = value.split(',').map((s) => s.trim()).filter(Boolean).join(',');
    out[key] = value;
  }
  return out;
}

/** A short, stable fingerprint of a normalised config (stored in APPLIED_HASH_KEY to detect drift). */
export function configHash(normalised: Readonly<Record<string, string>>): string {
  return sha256(JSON.stringify(normalised)).slice(0, 16);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
