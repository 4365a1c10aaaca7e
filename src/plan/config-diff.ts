/** The per-key diff of two flat configs, shared by connector and topic planning. */
import { display, isSensitive } from './sensitivity.js';
import type { ConfigChange } from './types.js';

/** Per-key changes from `live` to `desired` (both normalised), sorted by key, with secrets shown as (sensitive). */
export function diffConfigs(live: Readonly<Record<string, string>>, desired: Readonly<Record<string, string>>): ConfigChange[] {
  const keys = [...new Set([...Object.keys(live), ...Object.keys(desired)])].sort();
  const out: ConfigChange[] = [];
  for (const key of keys) {
    const before = live[key];
    const after = desired[key];
    if (before === after) continue;
    const sensitive = isSensitive(key, before, after);
    if (before === undefined) out.push({ key, kind: 'added', after: display(key, after!, sensitive), sensitive });
    else if (after === undefined) out.push({ key, kind: 'removed', before: display(key, before, sensitive), sensitive });
    else out.push({ key, kind: 'changed', before: display(key, before, sensitive), after: display(key, after, sensitive), sensitive });
  }
  return out;
}
