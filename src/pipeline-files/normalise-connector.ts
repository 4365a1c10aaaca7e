/**
 * Normalises one declared connector into Kafka Connect's flat string→string config, the form the runtime stores.
 * The rules (each has a unit test): values become strings (integers keep their exact digits); `class`/`tasksMax`
 * become `connector.class`/`tasks.max`; structured transforms and predicates compile to `transforms=a,b`,
 * `transforms.a.type=…`, `transforms.a.predicate=…`, `transforms.a.negate=…`, `transforms.a.<key>=…` (and likewise
 * `predicates.*`); comma lists in `transforms`/`predicates` are trimmed; `name` is left to the runtime. A setting written
 * in two forms with different values is an error, never a silent pick. `restartPolicy` renders to `pipectl.restart.*`
 * keys (durations in milliseconds; the block means enabled unless it says `enabled: false`).
 */
import { error } from '../diag/diagnostic.js';
import type { Diagnostic, SourcePos } from '../diag/diagnostic.js';
import type { ConnectorRole, ConnectorSpec, TargetState } from './desired-state.js';
import type { Path, SourceDocument } from './yaml-source.js';

type Scalar = string | number | boolean;

interface RawTransform {
  name: string;
  type: string;
  predicate?: string;
  negate?: boolean;
  config?: Record<string, Scalar>;
}

interface RawPredicate {
  name: string;
  type: string;
  config?: Record<string, Scalar>;
}

/** A connector item after schema validation. */
export interface RawConnector {
  name: string;
  type?: ConnectorRole;
  class?: string;
  tasksMax?: number;
  state?: 'running' | 'paused' | 'stopped';
  config?: Record<string, Scalar>;
  transforms?: RawTransform[];
  predicates?: RawPredicate[];
  restartPolicy?: RawRestartPolicy;
}

/** `restartPolicy:` after schema validation (durations: `5s`, `500ms`, `2m`, `1h`, or integer milliseconds). */
interface RawRestartPolicy {
  enabled?: boolean;
  maxRestarts?: number;
  initialDelay?: string | number;
  maxDelay?: string | number;
  multiplier?: number;
  stableAfter?: string | number;
}

/** Each restartPolicy field and the pipectl.restart.* key it renders to (read by the runtime's restart-policy.ts). */
const RESTART_POLICY_KEYS: readonly [keyof RawRestartPolicy, string][] = [
  ['enabled', 'pipectl.restart.enabled'],
  ['maxRestarts', 'pipectl.restart.max.restarts'],
  ['initialDelay', 'pipectl.restart.initial.delay.ms'],
  ['maxDelay', 'pipectl.restart.max.delay.ms'],
  ['multiplier', 'pipectl.restart.backoff.multiplier'],
  ['stableAfter', 'pipectl.restart.stable.ms'],
];

const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration the schema accepted (`^[0-9]+(ms|s|m|h)$` or an integer of milliseconds) in milliseconds, as text. */
function durationMs(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const m = /^([0-9]+)(ms|s|m|h)$/.exec(value)!;
  return String(Number(m[1]) * DURATION_UNIT_MS[m[2]!]!);
}

const STATES: Record<string, TargetState> = { running: 'RUNNING', paused: 'PAUSED', stopped: 'STOPPED' };

/** Kafka Connect's name rules, checked where the user can still fix them (ConnectorsResource + ConnectorConfig). */
export function connectorNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'connector name must not be empty';
  if (name.trim() !== name) return `connector name "${name}" has leading or trailing whitespace (Kafka Connect trims it, so the names would not match)`;
  if (name.includes('/')) return `connector name "${name}" contains "/" (it cannot appear in a REST path)`;
  // URLs resolve "." and ".." segments (percent-encoded too): /connectors/../status is /status, not this connector's.
  if (name === '.' || name === '..') return `connector name "${name}" cannot be addressed in a REST path (/connectors/${name}/… resolves to another path); rename it`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return `connector name ${JSON.stringify(name)} contains a control character`;
  return undefined;
}

export function normaliseConnector(doc: SourceDocument, path: Path, raw: RawConnector, pipeline: string, diags: Diagnostic[]): ConnectorSpec | undefined {
  const at = (p: Path, prefer: 'key' | 'value' = 'key'): SourcePos => {
    const loc = doc.locate(p);
    return (prefer === 'key' ? (loc?.key ?? loc?.value) : loc?.value) ?? doc.start;
  };
  const pos = at(path, 'value');
  const errorsBefore = diags.length;

  const nameProblem = connectorNameProblem(raw.name);
  if (nameProblem) diags.push(error('PIPECTL_SPEC_INVALID_CONNECTOR_NAME', nameProblem, at([...path, 'name'], 'value')));

  const config: Record<string, string> = {};
  const configPos: Record<string, SourcePos> = {};
  for (const [key, value] of Object.entries(raw.config ?? {})) {
    config[key] = scalarText(doc, [...path, 'config', key], value);
    configPos[key] = at([...path, 'config', key]);
  }

  // Settings that have a structured form and a flat form.
  const foldAt = (flatKey: string, field: string, value: string | undefined, fieldPath: Path): void => {
    if (value === undefined) return;
    const flat = config[flatKey];
    if (flat !== undefined && flat !== value) {
      diags.push(error('PIPECTL_SPEC_CONFLICTING_KEY', `"${field}: ${value}" conflicts with config "${flatKey}: ${flat}"`, at(fieldPath), `write the setting once, as "${field}" or as config "${flatKey}"`));
      return;
    }
    config[flatKey] = value;
    configPos[flatKey] = at(fieldPath);
  };
  const fold = (flatKey: string, field: string, value: string | undefined): void => foldAt(flatKey, field, value, [...path, field]);
  fold('connector.class', 'class', raw.class);
  fold('tasks.max', 'tasksMax', raw.tasksMax === undefined ? undefined : scalarText(doc, [...path, 'tasksMax'], raw.tasksMax));
  if (raw.restartPolicy) {
    // The block turns the policy on unless it says enabled: false (as Strimzi's autoRestart block does).
    const policy: RawRestartPolicy = { enabled: true, ...raw.restartPolicy };
    for (const [field, key] of RESTART_POLICY_KEYS) {
      const v = policy[field];
      if (v === undefined) continue;
      const text = field === 'initialDelay' || field === 'maxDelay' || field === 'stableAfter' ? durationMs(v as string | number) : String(v);
      const fieldPath = raw.restartPolicy[field] === undefined ? ['restartPolicy'] : ['restartPolicy', field];
      foldAt(key, `restartPolicy.${field}`, text, [...path, ...fieldPath]);
    }
  }

  if (config['name'] !== undefined) {
    if (config['name'] !== raw.name) {
      diags.push(error('PIPECTL_SPEC_CONFLICTING_KEY', `config "name: ${config['name']}" differs from the connector name "${raw.name}"`, configPos['name'], 'Kafka Connect rejects a config whose name differs; remove the key'));
    }
    delete config['name'];
    delete configPos['name'];
  }

  if (config['connector.class'] === undefined || config['connector.class'] === '') {
    diags.push(error('PIPECTL_SPEC_SCHEMA', `connector "${raw.name}" has no class`, pos, 'set "class" (e.g. FileStreamSource) or config "connector.class"'));
  }

  compileChain(doc, path, raw, 'transforms', config, configPos, diags, at);
  compileChain(doc, path, raw, 'predicates', config, configPos, diags, at);
  checkChains(raw.name, config, configPos, pos, diags);

  if (diags.length > errorsBefore) return undefined;
  return {
    name: raw.name,
    pipeline,
    ...(raw.type ? { role: raw.type } : {}),
    state: STATES[raw.state ?? 'running'] ?? 'RUNNING',
    config: sortKeys(config),
    pos,
    configPos,
  };
}

/** Compiles the structured `transforms`/`predicates` list into flat keys, or normalises a flat list. */
function compileChain(
  doc: SourceDocument,
  path: Path,
  raw: RawConnector,
  kind: 'transforms' | 'predicates',
  config: Record<string, string>,
  configPos: Record<string, SourcePos>,
  diags: Diagnostic[],
  at: (p: Path, prefer?: 'key' | 'value') => SourcePos,
): void {
  const list = raw[kind];
  if (list === undefined) {
    if (config[kind] !== undefined) config[kind] = splitList(config[kind]!).join(',');
    return;
  }
  const flatKeys = Object.keys(config).filter((k) => k === kind || k.startsWith(`${kind}.`));
  if (flatKeys.length > 0) {
    diags.push(error('PIPECTL_SPEC_CONFLICTING_KEY', `${kind} are declared both as a list and as config "${flatKeys[0]}"`, at([...path, kind]), `keep one form: the "${kind}" list or the flat "${kind}.*" config keys`));
    return;
  }
  const seen = new Set<string>();
  (list as (RawTransform | RawPredicate)[]).forEach((item, i) => {
    const itemPath = [...path, kind, i];
    const itemPos = at(itemPath, 'value');
    if (seen.has(item.name)) {
      diags.push(error('PIPECTL_SPEC_DUPLICATE_TRANSFORM', `${kind === 'transforms' ? 'transform' : 'predicate'} "${item.name}" is declared twice in connector "${raw.name}"`, at([...itemPath, 'name'], 'value')));
      return;
    }
    seen.add(item.name);
    const prefix = `${kind}.${item.name}.`;
    const put = (key: string, value: string, pos: SourcePos): void => {
      config[prefix + key] = value;
      configPos[prefix + key] = pos;
    };
    put('type', item.type, at([...itemPath, 'type']));
    const step = item as RawTransform;
    if (step.predicate !== undefined) put('predicate', step.predicate, at([...itemPath, 'predicate']));
    if (step.negate !== undefined) put('negate', String(step.negate), at([...itemPath, 'negate']));
    for (const [key, value] of Object.entries(item.config ?? {})) {
      const reserved = key === 'type' || (kind === 'transforms' && (key === 'predicate' || key === 'negate'));
      if (reserved) {
        diags.push(error('PIPECTL_SPEC_CONFLICTING_KEY', `config "${key}" of ${kind === 'transforms' ? 'transform' : 'predicate'} "${item.name}" must be written as the "${key}" field`, at([...itemPath, 'config', key])));
        continue;
      }
      put(key, scalarText(doc, [...itemPath, 'config', key], value), at([...itemPath, 'config', key]));
    }
    configPos[kind] ??= itemPos;
  });
  if (seen.size > 0) config[kind] = [...seen].join(',');
}

/** Every alias in `transforms`/`predicates` needs a type, and every predicate a transform names must be declared. */
function checkChains(name: string, config: Record<string, string>, configPos: Record<string, SourcePos>, pos: SourcePos, diags: Diagnostic[]): void {
  const predicates = new Set(splitList(config['predicates'] ?? ''));
  for (const kind of ['transforms', 'predicates'] as const) {
    for (const alias of splitList(config[kind] ?? '')) {
      if (config[`${kind}.${alias}.type`] === undefined) {
        diags.push(error('PIPECTL_SPEC_SCHEMA', `${kind} alias "${alias}" of connector "${name}" has no "${kind}.${alias}.type"`, configPos[kind] ?? pos));
      }
    }
  }
  for (const alias of splitList(config['transforms'] ?? '')) {
    const predicate = config[`transforms.${alias}.predicate`];
    if (predicate !== undefined && !predicates.has(predicate)) {
      diags.push(error('PIPECTL_SPEC_UNKNOWN_PREDICATE', `transform "${alias}" uses predicate "${predicate}", which connector "${name}" does not declare`, configPos[`transforms.${alias}.predicate`] ?? pos, `declare it under "predicates"`));
    }
  }
}

function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** A config value as the string the runtime receives. Integers keep the digits as written (no float rounding). */
export function scalarText(doc: SourceDocument, path: Path, value: Scalar): string {
  if (typeof value === 'number') {
    const text = doc.locate(path)?.text;
    if (text !== undefined && /^-?[0-9]+$/.test(text)) return text.replace(/^(-?)0+(?=[0-9])/, '$1');
  }
  return String(value);
}

function sortKeys(obj: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(obj).sort()) out[key] = obj[key]!;
  return out;
}
