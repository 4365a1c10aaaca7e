/**
 * The plan's JSON form (`plan --json`, `plan --out`): every field of the Plan type, in the order the type declares
 * them (an operation's `op` first), config maps sorted by key, 2-space indent, trailing newline. Written field by
 * field from the types rather than by JSON.stringify(plan), so that nothing the type does not declare — such as a
 * resolved config someone attached to an operation — can reach the output, and so that adding a field to the type
 * fails to compile here until its serialisation is decided.
 */
import type { ConfigChange, Drift, FailedParts, Plan, PlanDiagnostic, PlanOperation, PlanSummary } from '../plan/types.js';
import { isSensitive, maskUrlPasswords } from '../plan/sensitivity.js';
import { containsSecretReference } from '../pipeline-files/references.js';
import { SENSITIVE } from './operations.js';

/** A JSON object with its key order fixed; undefined values are left out. */
type Ordered = { readonly ordered: readonly (readonly [string, Json | undefined])[] };
type Json = string | number | boolean | null | readonly Json[] | Ordered;

/** Exactly the keys of T, each required (optional ones may be undefined): what an ordered object must list. */
type AllKeys<T> = { [K in keyof T]-?: unknown };
type OpOf<K extends PlanOperation['op']> = Extract<PlanOperation, { op: K }>;

/** `fields` as an ordered object; `satisfies AllKeys<T>` at each call keeps the list complete and exact. */
const obj = (fields: Record<string, Json | undefined>): Ordered => ({ ordered: Object.entries(fields) });

/**
 * A config map, sorted. A literal value of a key that names a secret (password, token, …) is shown as (sensitive):
 * the JSON form goes to CI logs and plan files. Secret *references* (`${env:X}`) are kept — they are not secrets, and
 * they are what is compared. `apply --plan` executes the plan recomputed from the files (it must match the saved
 * fingerprints), so it never needs a redacted value back.
 */
const sortedRecord = (r: Readonly<Record<string, string>>): Ordered => ({
  ordered: Object.keys(r)
    .sort()
    .map((k) => {
      const v = String(r[k]);
      return [k, isSensitive(k, v) && !containsSecretReference(v) ? SENSITIVE : maskUrlPasswords(v, SENSITIVE)] as const;
    }),
});

/** A topic config patch, sorted: values shown like a config map's; null (reset to the default) kept as null. */
const sortedPatch = (r: Readonly<Record<string, string | null>>): Ordered => ({
  ordered: Object.keys(r)
    .sort()
    .map((k) => {
      const v = r[k];
      if (v === null || v === undefined) return [k, null] as const;
      return [k, isSensitive(k, v) && !containsSecretReference(v) ? SENSITIVE : maskUrlPasswords(v, SENSITIVE)] as const;
    }),
});

function change(c: ConfigChange): Ordered {
  // A change marked sensitive never shows a value, whatever the planner put in before/after.
  const shown = (v: string | undefined): string | undefined => (v === undefined ? undefined : c.sensitive ? SENSITIVE : v);
  const f = { key: c.key, kind: c.kind, before: shown(c.before), after: shown(c.after), sensitive: c.sensitive === true };
  return obj(f satisfies AllKeys<ConfigChange>);
}

function operation(o: PlanOperation): Ordered {
  const base = { op: o.op, name: o.name, pipeline: o.pipeline };
  switch (o.op) {
    case 'create-topic': {
      const f = { ...base, partitions: o.partitions, replicationFactor: o.replicationFactor, config: sortedRecord(o.config) };
      return obj(f satisfies AllKeys<OpOf<'create-topic'>>);
    }
    case 'update-topic': {
      const partitions = o.partitions === undefined ? undefined : obj({ from: o.partitions.from, to: o.partitions.to } satisfies AllKeys<NonNullable<OpOf<'update-topic'>['partitions']>>);
      const f = { ...base, partitions, config: sortedPatch(o.config), changes: o.changes.map(change) };
      return obj(f satisfies AllKeys<OpOf<'update-topic'>>);
    }
    case 'create': {
      const f = { ...base, initialState: o.initialState, config: sortedRecord(o.config), redactedConfig: sortedRecord(o.redactedConfig) };
      return obj(f satisfies AllKeys<OpOf<'create'>>);
    }
    case 'update': {
      const f = { ...base, config: sortedRecord(o.config), changes: o.changes.map(change), adopt: o.adopt === true };
      return obj(f satisfies AllKeys<OpOf<'update'>>);
    }
    case 'restart': {
      const failed = o.failed === undefined ? undefined : obj({ connector: o.failed.connector, tasks: [...o.failed.tasks] } satisfies AllKeys<FailedParts>);
      return obj({ ...base, reason: o.reason, failed } satisfies AllKeys<OpOf<'restart'>>);
    }
    case 'delete':
      return obj({ ...base, role: o.role } satisfies AllKeys<OpOf<'delete'>>);
    case 'pause':
    case 'resume':
    case 'stop':
      return obj(base satisfies AllKeys<OpOf<'pause' | 'resume' | 'stop'>>);
  }
}

const drift = (d: Drift): Ordered => obj({ connector: d.connector, keys: [...d.keys] } satisfies AllKeys<Drift>);

/** A diagnostic in the plan's public form: flat, its summary as `message` and its position as `file`/`line`/`column`. */
function diagnostic(d: PlanDiagnostic): Ordered {
  const f = { severity: d.severity, code: d.code, message: d.summary, detail: d.detail, connector: d.connector, topic: d.topic, file: d.pos?.file, line: d.pos?.line, column: d.pos?.column };
  return obj(f satisfies AllKeys<Omit<PlanDiagnostic, 'summary' | 'pos'> & { message: string; file: string; line: number; column: number }>);
}

function summary(s: PlanSummary): Ordered {
  const f = { create: s.create, update: s.update, delete: s.delete, stateChange: s.stateChange, restart: s.restart, createTopic: s.createTopic, updateTopic: s.updateTopic };
  return obj(f satisfies AllKeys<PlanSummary>);
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

/**
 * The plan as JSON text: stable order, 2-space indent, trailing newline; `JSON.parse` gives back a Plan, but for its
 * diagnostics, which keep their flat public form (`message`, `file`, `line`, `column`).
 */
export function renderPlanJson(plan: Plan): string {
  const f = {
    formatVersion: plan.formatVersion,
    project: plan.project,
    target: plan.target,
    operations: plan.operations.map(operation),
    drift: plan.drift.map(drift),
    diagnostics: plan.diagnostics.map(diagnostic),
    summary: summary(plan.summary),
    fingerprints: obj({ desired: plan.fingerprints.desired, live: plan.fingerprints.live } satisfies AllKeys<Plan['fingerprints']>),
  };
  return `${write(obj(f satisfies AllKeys<Plan>), '')}\n`;
}
