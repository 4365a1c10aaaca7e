/**
 * The checks of a saved plan read back (`readPlanFile`): every field of the file, nested ones included, against the
 * types it was written from. Each check returns a fresh value built from the checked fields only (an unknown field is
 * refused, not carried along), or throws a `PlanFieldError` naming the first wrong field by its path
 * (`plan.operations[2].op`), what was expected and what was found.
 *
 * The checks are tied to the types at compile time (`Same<…>` below): a field added to, removed from or retyped in
 * PlanFile or PublicPlan fails to compile here until its check follows — a typed checker instead of a separate JSON
 * schema, so that the TypeScript types stay the one source of truth of the file's shape.
 */
import type { LiveDigest } from './live-changes.js';
import type { PlanFile, SavedVarSource } from './plan-file.js';
import type { PublicOperation, PublicPlan } from './public-form.js';

/** What is wrong with a file read back: `at` the path of the field, `expected` its expected form, `found` the value. */
export class PlanFieldError extends Error {
  /** A wrong field makes the whole file unusable: the code of PlanFileError, which readPlanFile turns this into. */
  readonly code = 'PIPECTL_APPLY_PLAN_FILE';

  constructor(
    readonly at: string,
    readonly expected: string,
    readonly found: unknown,
  ) {
    super(`${at}: expected ${expected}, found ${describe(found)}`);
    this.name = 'PlanFieldError';
  }
}

/** A check: the value at `at` as a T, or a PlanFieldError. */
type Check<T> = (value: unknown, at: string) => T;
/** An optional field: absent (undefined) passes. */
type Optional<T> = { readonly optional: Check<T> };
type Shape = Record<string, Check<unknown> | Optional<unknown>>;
type Checked<C> = C extends Optional<infer T> ? T : C extends Check<infer T> ? T : never;
type OptionalKeys<S> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
type Out<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Checked<S[K]> } & { [K in OptionalKeys<S>]?: Checked<S[K]> };
/** True when A and B are assignable both ways. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

const str: Check<string> = (v, at) => {
  if (typeof v !== 'string') throw new PlanFieldError(at, 'a string', v);
  return v;
};
const int: Check<number> = (v, at) => {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new PlanFieldError(at, 'an integer', v);
  return v;
};
const bool: Check<boolean> = (v, at) => {
  if (typeof v !== 'boolean') throw new PlanFieldError(at, 'true or false', v);
  return v;
};
function oneOf<L extends string | number>(...values: L[]): Check<L> {
  return (v, at) => {
    if (!values.includes(v as L)) throw new PlanFieldError(at, values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v);
    return v as L;
  };
}
const opt = <T>(check: Check<T>): Optional<T> => ({ optional: check });
const nullable =
  <T>(check: Check<T>): Check<T | null> =>
  (v, at) =>
    v === null ? null : check(v, at);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list<T>(check: Check<T>): Check<T[]> {
  return (v, at) => {
    if (!Array.isArray(v)) throw new PlanFieldError(at, 'a list', v);
    return v.map((item, i) => check(item, `${at}[${i}]`));
  };
}

/** A map whose keys are data (config keys, connector names); checked in the file's order. */
function map<T>(check: Check<T>): Check<Record<string, T>> {
  return (v, at) => {
    if (!isObject(v)) throw new PlanFieldError(at, 'an object', v);
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(v)) out[k] = check(x, `${at}[${JSON.stringify(k)}]`);
    return out;
  };
}

/** An object with exactly these fields (in this order); an unknown field is refused. */
function object<S extends Shape>(shape: S): Check<Out<S>> {
  return (v, at) => {
    if (!isObject(v)) throw new PlanFieldError(at, 'an object', v);
    const out: Record<string, unknown> = {};
    for (const [k, c] of Object.entries(shape)) {
      const path = at === '' ? k : `${at}.${k}`;
      if ('optional' in c) {
        if (v[k] !== undefined) out[k] = c.optional(v[k], path);
      } else out[k] = c(v[k], path);
    }
    const unknown = Object.keys(v).find((k) => !(k in shape));
    if (unknown !== undefined) throw new PlanFieldError(at === '' ? unknown : `${at}.${unknown}`, 'no such field', v[unknown]);
    return out as Out<S>;
  };
}

/** One of several object shapes, chosen by the string field `tag`. */
function tagged<K extends string, M extends Record<string, Check<unknown>>>(tag: K, variants: M): Check<Checked<M[keyof M]>> {
  return (v, at) => {
    if (!isObject(v)) throw new PlanFieldError(at, 'an object', v);
    const variant = Object.hasOwn(variants, String(v[tag])) ? variants[String(v[tag])] : undefined;
    if (!variant) throw new PlanFieldError(`${at}.${tag}`, `one of ${Object.keys(variants).map((x) => JSON.stringify(x)).join(', ')}`, v[tag]);
    return variant(v, at) as Checked<M[keyof M]>;
  };
}

const change = object({ key: str, kind: oneOf('added', 'removed', 'changed'), before: opt(str), after: opt(str), sensitive: bool });
const base = { name: str, pipeline: opt(str) };
const operation = tagged('op', {
  'create-topic': object({ op: oneOf('create-topic'), ...base, partitions: opt(int), replicationFactor: opt(int), config: map(str) }),
  'update-topic': object({ op: oneOf('update-topic'), ...base, partitions: opt(object({ from: int, to: int })), config: map(nullable(str)), changes: list(change) }),
  create: object({ op: oneOf('create'), ...base, initialState: oneOf('RUNNING', 'PAUSED', 'STOPPED'), config: map(str), redactedConfig: map(str) }),
  update: object({ op: oneOf('update'), ...base, config: map(str), changes: list(change), adopt: bool }),
  pause: object({ op: oneOf('pause'), ...base }),
  resume: object({ op: oneOf('resume'), ...base }),
  stop: object({ op: oneOf('stop'), ...base }),
  restart: object({ op: oneOf('restart'), ...base, reason: oneOf('requested', 'failed'), failed: opt(object({ connector: bool, tasks: list(int) })) }),
  delete: object({ op: oneOf('delete'), ...base, role: oneOf('source', 'sink', 'unknown') }),
});
const diagnostic = object({
  severity: oneOf('error', 'warning'),
  code: str,
  message: str,
  detail: opt(str),
  connector: opt(str),
  topic: opt(str),
  file: opt(str),
  line: opt(int),
  column: opt(int),
});
const summaryFields = { create: int, update: int, delete: int, stateChange: int, restart: int, createTopic: int, updateTopic: int };

/** The public form of a plan, as a saved plan holds it. */
export const checkPublicPlan = object({
  formatVersion: oneOf(1),
  project: str,
  target: str,
  operations: list(operation),
  drift: list(object({ connector: str, keys: list(str) })),
  diagnostics: list(diagnostic),
  summary: object(summaryFields),
  fingerprints: object({ desired: str, live: str }),
});

const liveDigest = object({
  salt: str,
  connectors: map(object({ target: str, failed: str, keys: map(str) })),
  topics: opt(map(object({ partitions: int, replicationFactor: int, keys: map(str) }))),
});
const varSource = tagged('kind', {
  var: object({ kind: oneOf('var'), name: str, fingerprint: str }),
  file: object({ kind: oneOf('file'), path: str }),
});

/** A whole saved plan (version 2). */
export const checkPlanFile = object({
  pipectlPlanFile: oneOf(2),
  salt: str,
  paths: list(str),
  varSources: list(varSource),
  headers: list(object({ name: str, fingerprint: str })),
  flags: object({ url: opt(str), env: opt(str), prune: bool, adopt: bool, restart: list(str), ignoreKey: list(str) }),
  live: liveDigest,
  plan: checkPublicPlan,
});

// The checks follow the types: each line fails to compile when they part.
const sameOperation: Same<Checked<typeof operation>, PublicOperation> = true;
const samePlan: Same<ReturnType<typeof checkPublicPlan>, PublicPlan> = true;
const sameDigest: Same<ReturnType<typeof liveDigest>, LiveDigest> = true;
const sameVarSource: Same<ReturnType<typeof varSource>, SavedVarSource> = true;
const sameFile: Same<ReturnType<typeof checkPlanFile>, PlanFile> = true;
void [sameOperation, samePlan, sameDigest, sameVarSource, sameFile];
