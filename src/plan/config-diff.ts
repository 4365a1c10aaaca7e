/** The per-key diff of two flat configs, shared by connector and topic planning. */
import { isSensitive } from './sensitivity.js';
import type { ConfigChange } from './types.js';

/**
 * Per-key changes from `live` to `desired` (both normalised), sorted by key, with their literal values and marked
 * `sensitive` by sensitivity.ts; the plan's public form (public-form.ts) is where they are redacted.
 */
export function diffConfigs(live: Readonly<Record<string, string>>, desired: Readonly<Record<string, string>>): ConfigChange[] {
  const keys = [...new Set([...Object.keys(live), ...Object.keys(desired)])].sort();
  const out: ConfigChange[] = [];
  for (const key of keys) {
    const before = live[key];
    const after = desired[key];
    if (before === after) continue;
    const sensitive = isSensitive(key, before, after);
    if (before === undefined) out.push({ key, kind: 'added', after: after!, sensitive });
    else if (after === undefined) out.push({ key, kind: 'removed', before, sensitive });
    else out.push({ key, kind: 'changed', before, after, sensitive });
  }
  return out;
}
