/**
 * The JSON view of a plan (`plan --json`): its public form (src/plan/public-form.ts) as text — every field, in the
 * order the types declare them (an operation's `op` first), config maps sorted by key, 2-space indent, trailing
 * newline. Written field by field rather than by JSON.stringify, because a JavaScript object lists integer-like keys
 * first whatever their insertion order, and a config map's keys must come out sorted as text. Redacts nothing itself:
 * the public form is already redacted.
 */
import type { PublicPlan } from '../plan/public-form.js';

/** A JSON object with its key order fixed; undefined values are left out. */
type Ordered = { readonly ordered: readonly (readonly [string, Json | undefined])[] };
type Json = string | number | boolean | null | readonly Json[] | Ordered;

/** A map whose keys are data (config maps), written sorted as text. */
const SORTED_MAPS = new Set(['config', 'redactedConfig']);

/** `value` as Json: objects keep their key order, except the maps named in SORTED_MAPS, which are sorted. */
function ordered(value: unknown, sorted = false): Json {
  if (value === null || typeof value !== 'object') return value as string | number | boolean | null;
  if (Array.isArray(value)) return value.map((v) => ordered(v));
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  return { ordered: (sorted ? keys.sort() : keys).map((k) => [k, record[k] === undefined ? undefined : ordered(record[k], SORTED_MAPS.has(k))] as const) };
}

function write(v: Json, indent: string): string {
  if (v === null || typeof v !== 'object') return typeof v === 'number' && !Number.isFinite(v) ? 'null' : JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    const items = (v as readonly Json[]).map((x) => `${inner}${write(x, inner)}`);
    return items.length === 0 ? '[]' : `[\n${items.join(',\n')}\n${indent}]`;
  }
  const fields = (v as Ordered).ordered.filter((e): e is readonly [string, Json] => e[1] !== undefined);
  const items = fields.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${write(x, inner)}`);
  return items.length === 0 ? '{}' : `{\n${items.join(',\n')}\n${indent}}`;
}

/** The public form as JSON text: stable order, 2-space indent, trailing newline; `JSON.parse` gives it back. */
export function renderPlanJson(plan: PublicPlan): string {
  return `${write(ordered(plan), '')}\n`;
}
