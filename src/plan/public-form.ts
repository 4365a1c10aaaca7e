/**
 * The plan's public form: what `plan --json` prints, what `plan --out` saves and the only thing the views
 * (src/views) read — so the terminal, the JSON and a PR comment cannot disagree, and none of them can show a secret.
 * Versioned by FORMAT_VERSION.
 *
 * `toPublicPlan` is a pure function of the Plan. It builds every object afresh, field by field, in the order the
 * types declare them (an operation's `op` first, config maps sorted by key), so that:
 * - every value passes through the one redaction rule (sensitivity.ts) here and nowhere else: a config to send keeps
 *   its `${…}` references but no literal secret or URL password; a create also gets `redactedConfig`, the config as
 *   declared and as a reviewer reads it (every sensitive value hidden); a change marked sensitive — or whose key or
 *   values the rule finds sensitive — shows `(sensitive)` for both values;
 * - a property the types do not declare (a resolved config attached by mistake) never reaches it;
 * - adding a field to the Plan types fails to compile here until its public form is decided (`satisfies AllKeys`).
 */
import { display, isSensitive, redactConfigForDisplay, redactToSend, SENSITIVE } from './sensitivity.js';
import { withoutApplyStamp } from './applied-stamp.js';
import { APPLIED_HASH_KEY, OWNER_KEY } from './types.js';
import type { ConfigChange, Drift, FailedParts, Plan, PlanDiagnostic, PlanOperation, PlanSummary } from './types.js';

export { SENSITIVE };
export type { ChangeKind, ConfigChange, Drift, FailedParts, PlanDiagnostic, PlanOperationKind, PlanSummary } from './types.js';

type OpOf<K extends PlanOperation['op']> = Extract<PlanOperation, { op: K }>;

/** A create in the public form: `config` as sent (references kept, literal secrets redacted), and as reviewed. */
export type PublicCreate = OpOf<'create'> & {
  /** The declared config (without pipectl's ownership keys), every sensitive value shown as `(sensitive)`. */
  redactedConfig: Record<string, string>;
};

/** An operation of the public form: a PlanOperation with its values redacted (a create also has `redactedConfig`). */
export type PublicOperation = Exclude<PlanOperation, { op: 'create' }> | PublicCreate;

/**
 * A diagnostic in the public form: flat, as saved plans and `plan --json` have always written it — diag's `summary`
 * as `message`, its position as `file`, `line`, `column`.
 */
export interface PublicDiagnostic {
  severity: PlanDiagnostic['severity'];
  code: string;
  message: string;
  detail?: string;
  connector?: string;
  topic?: string;
  file?: string;
  line?: number;
  column?: number;
}

/** The public form of a Plan (see the module comment). Every config value and change in it is already redacted. */
export type PublicPlan = Omit<Plan, 'operations' | 'diagnostics'> & { operations: PublicOperation[]; diagnostics: PublicDiagnostic[] };

/** Exactly the keys of T, each required (optional ones may be undefined): what a field list must name. */
type AllKeys<T> = { [K in keyof T]-?: unknown };

/** `fields` without its undefined entries, so that the form equals its own JSON text parsed back. */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

const sortedKeys = (r: object): string[] => Object.keys(r).sort();

/** A config to send: references kept, literal secrets and URL passwords redacted, keys sorted. */
function configToSend(config: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of sortedKeys(config)) out[k] = redactToSend(k, String(config[k]));
  return out;
}

/** A topic config patch: values as a config to send, null (reset to the default) kept as null. */
function patchToSend(patch: Readonly<Record<string, string | null>>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const k of sortedKeys(patch)) {
    const v = patch[k];
    out[k] = v === null || v === undefined ? null : redactToSend(k, v);
  }
  return out;
}

/** The config as declared and reviewed: the config to send without the keys pipectl adds, through `display`. */
function declaredConfig(config: Readonly<Record<string, string>>): Record<string, string> {
  const { [OWNER_KEY]: _owner, [APPLIED_HASH_KEY]: _hash, ...declared } = config;
  return redactConfigForDisplay(withoutApplyStamp(declared));
}

function change(c: ConfigChange): ConfigChange {
  const sensitive = c.sensitive === true || isSensitive(c.key, c.before, c.after);
  const shown = (v: string | undefined): string | undefined => (v === undefined ? undefined : display(c.key, v, sensitive));
  return defined({ key: c.key, kind: c.kind, before: shown(c.before), after: shown(c.after), sensitive } satisfies AllKeys<ConfigChange>);
}

function operation(o: PlanOperation): PublicOperation {
  const base = { op: o.op, name: o.name, pipeline: o.pipeline };
  switch (o.op) {
    case 'create-topic':
      return defined({ ...base, op: o.op, partitions: o.partitions, replicationFactor: o.replicationFactor, config: configToSend(o.config) } satisfies AllKeys<OpOf<'create-topic'>>);
    case 'update-topic': {
      const partitions = o.partitions === undefined ? undefined : ({ from: o.partitions.from, to: o.partitions.to } satisfies AllKeys<NonNullable<OpOf<'update-topic'>['partitions']>>);
      return defined({ ...base, op: o.op, partitions, config: patchToSend(o.config), changes: o.changes.map(change) } satisfies AllKeys<OpOf<'update-topic'>>);
    }
    case 'create':
      return defined({ ...base, op: o.op, initialState: o.initialState, config: configToSend(o.config), redactedConfig: declaredConfig(o.config) } satisfies AllKeys<PublicCreate>);
    case 'update':
      return defined({ ...base, op: o.op, config: configToSend(o.config), changes: o.changes.map(change), adopt: o.adopt === true } satisfies AllKeys<OpOf<'update'>>);
    case 'restart': {
      const failed = o.failed === undefined ? undefined : ({ connector: o.failed.connector, tasks: [...o.failed.tasks] } satisfies AllKeys<FailedParts>);
      return defined({ ...base, op: o.op, reason: o.reason, failed } satisfies AllKeys<OpOf<'restart'>>);
    }
    case 'delete':
      return defined({ ...base, op: o.op, role: o.role } satisfies AllKeys<OpOf<'delete'>>);
    case 'pause':
    case 'resume':
    case 'stop':
      return defined({ ...base, op: o.op } satisfies AllKeys<OpOf<'pause' | 'resume' | 'stop'>>);
  }
}

const drift = (d: Drift): Drift => ({ connector: d.connector, keys: [...d.keys] }) satisfies AllKeys<Drift>;

function diagnostic(d: PlanDiagnostic): PublicDiagnostic {
  const { severity, code, summary: message, detail, connector, topic } = d;
  const fields = { severity, code, message, detail, connector, topic, file: d.pos?.file, line: d.pos?.line, column: d.pos?.column };
  return defined(fields satisfies AllKeys<PublicDiagnostic>);
}

function summary(s: PlanSummary): PlanSummary {
  const { create, update, delete: del, stateChange, restart, createTopic, updateTopic } = s;
  return { create, update, delete: del, stateChange, restart, createTopic, updateTopic } satisfies AllKeys<PlanSummary>;
}

/** The public form of `plan` (see the module comment). Pure; never throws for a well-typed Plan. */
export function toPublicPlan(plan: Plan): PublicPlan {
  const form = {
    formatVersion: plan.formatVersion,
    project: plan.project,
    target: plan.target,
    operations: plan.operations.map(operation),
    drift: plan.drift.map(drift),
    diagnostics: plan.diagnostics.map(diagnostic),
    summary: summary(plan.summary),
    fingerprints: { desired: plan.fingerprints.desired, live: plan.fingerprints.live } satisfies AllKeys<Plan['fingerprints']>,
  };
  return form satisfies AllKeys<PublicPlan>;
}
