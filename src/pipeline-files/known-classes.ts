/**
 * Classes `validate` can recognise without a runtime: the plugins bundled with pipectl and the connector, transform,
 * predicate and converter classes shipped in Apache Kafka Connect's own distribution (4.1: connect-file, connect-json,
 * connect-runtime, connect-transforms, connect-mirror). A runtime may have any other plugin installed, so an unknown
 * class is never an error here; it is a warning only when it looks like a typo of a known one ("did you mean") or
 * claims Connect's own package (`org.apache.kafka.connect.…`) without being one of its classes. The runtime's
 * config/validate (during plan) remains the authority. test/pipeline-files/known-classes.test.ts checks the bundled part
 * against pipectl's plugin registries, so this list cannot go stale silently.
 */
import { warning } from '../diag/diagnostic.js';
import type { Diagnostic, SourcePos } from '../diag/diagnostic.js';
import type { ConnectorSpec } from './desired-state.js';

export type ClassKind = 'connector' | 'transform' | 'predicate' | 'converter';

const T = 'org.apache.kafka.connect.transforms.';
const keyValue = (names: string[]): string[] => names.flatMap((n) => [`${T}${n}$Key`, `${T}${n}$Value`]);

/** Classes of Apache Kafka Connect's distribution, by kind. */
export const CONNECT_DISTRIBUTION_CLASSES: Readonly<Record<ClassKind, readonly string[]>> = {
  connector: [
    'org.apache.kafka.connect.file.FileStreamSinkConnector',
    'org.apache.kafka.connect.file.FileStreamSourceConnector',
    'org.apache.kafka.connect.mirror.MirrorCheckpointConnector',
    'org.apache.kafka.connect.mirror.MirrorHeartbeatConnector',
    'org.apache.kafka.connect.mirror.MirrorSourceConnector',
  ],
  transform: [
    ...keyValue(['Cast', 'ExtractField', 'Flatten', 'HeaderFrom', 'HoistField', 'InsertField', 'MaskField', 'ReplaceField', 'SetSchemaMetadata', 'TimestampConverter']),
    ...['DropHeaders', 'Filter', 'InsertHeader', 'RegexRouter', 'TimestampRouter', 'ValueToKey'].map((n) => T + n),
  ],
  predicate: ['HasHeaderKey', 'RecordIsTombstone', 'TopicNameMatches'].map((n) => `${T}predicates.${n}`),
  converter: [
    'org.apache.kafka.connect.converters.BooleanConverter',
    'org.apache.kafka.connect.converters.ByteArrayConverter',
    'org.apache.kafka.connect.converters.DoubleConverter',
    'org.apache.kafka.connect.converters.FloatConverter',
    'org.apache.kafka.connect.converters.IntegerConverter',
    'org.apache.kafka.connect.converters.LongConverter',
    'org.apache.kafka.connect.converters.ShortConverter',
    'org.apache.kafka.connect.json.JsonConverter',
    'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    'org.apache.kafka.connect.storage.StringConverter',
  ],
};

/** Plugins bundled with pipectl that Connect's distribution does not have (ExtractNewRecordState is Debezium's). */
export const BUNDLED_ONLY_CLASSES: Readonly<Record<ClassKind, readonly string[]>> = {
  connector: ['io.pipectl.connect.generator.GeneratorSourceConnector', 'io.pipectl.connect.http.HttpSinkConnector', 'io.pipectl.connect.jdbc.PostgresSinkConnector', 'io.pipectl.connect.postgresql.PostgresConnector'],
  transform: ['io.debezium.transforms.ExtractNewRecordState'],
  predicate: [],
  converter: [],
};

/** Aliases a bundled plugin declares beyond Connect's derived ones (src/connectors/generator, src/connectors/http, src/connectors/postgres, src/connectors/postgres-sink). */
const EXTRA_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'io.pipectl.connect.generator.GeneratorSourceConnector': ['Generator'],
  'io.pipectl.connect.http.HttpSinkConnector': ['PipectlHttpSink'],
  'io.pipectl.connect.postgresql.PostgresConnector': ['PipectlPostgresConnector', 'PipectlPostgres'],
  'io.pipectl.connect.jdbc.PostgresSinkConnector': ['PipectlPostgresSink'],
};

const SUFFIX: Record<ClassKind, RegExp | undefined> = { connector: /Connector$/, converter: /Converter$/, transform: undefined, predicate: undefined };

/** A class's names as Connect accepts them: the FQCN, the simple name, and the simple name without its type suffix. */
export function namesOf(fqcn: string, kind: ClassKind): string[] {
  const simple = fqcn.slice(fqcn.lastIndexOf('.') + 1);
  const suffix = SUFFIX[kind];
  const pruned = suffix ? simple.replace(suffix, '') : simple;
  return [...new Set([fqcn, simple, pruned, ...(EXTRA_ALIASES[fqcn] ?? [])].filter((n) => n !== ''))];
}

function knownNames(kind: ClassKind): string[] {
  return [...CONNECT_DISTRIBUTION_CLASSES[kind], ...BUNDLED_ONLY_CLASSES[kind]].flatMap((c) => namesOf(c, kind));
}

/** Levenshtein distance, case-insensitive (a wrong case is a typo too). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[y.length]!;
}

/**
 * The known name closest to `name` when it is close enough to be a typo (at most 2 edits, or a quarter of its
 * length for long names), else undefined. Names are compared in the same form (simple with simple, FQCN with FQCN).
 */
export function suggestClass(name: string, kind: ClassKind): string | undefined {
  const qualified = name.includes('.');
  const candidates = knownNames(kind).filter((n) => n.includes('.') === qualified);
  let best: { name: string; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(name, c);
    if (!best || d < best.d) best = { name: c, d };
  }
  if (!best || best.d === 0 && best.name === name) return undefined;
  return best.d <= Math.max(2, Math.floor(name.length / 4)) ? best.name : undefined;
}

const WHAT: Record<ClassKind, string> = { connector: 'connector class', transform: 'transform type', predicate: 'predicate type', converter: 'converter' };

/** A warning for `name` (of `kind`, written at `pos`), or undefined when it is known or may be a runtime's own plugin. */
export function unknownClassWarning(name: string, kind: ClassKind, pos: SourcePos | undefined, where: string): Diagnostic | undefined {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.includes('${') || knownNames(kind).includes(trimmed)) return undefined;
  const suggestion = suggestClass(trimmed, kind);
  const claimsConnect = trimmed.startsWith('org.apache.kafka.connect.');
  if (suggestion === undefined && !claimsConnect) return undefined;
  const summary = `${where}: ${WHAT[kind]} "${trimmed}" is neither a plugin bundled with pipectl nor a class of Apache Kafka Connect's distribution`;
  const hint = suggestion !== undefined ? `did you mean "${suggestion}"? ` : '';
  return warning('PIPECTL_SPEC_UNKNOWN_CLASS', summary, pos, `${hint}A runtime may have other plugins installed; plan checks the class against the runtime`);
}

/** Warnings for the connector's class, transform and predicate types, and converters. */
export function classWarnings(c: ConnectorSpec): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (key: string, kind: ClassKind): void => {
    const value = c.config[key];
    if (value === undefined) return;
    const d = unknownClassWarning(value, kind, c.configPos[key] ?? c.pos, `connector "${c.name}"`);
    if (d) out.push(d);
  };
  check('connector.class', 'connector');
  for (const key of Object.keys(c.config).sort()) {
    if (/^transforms\.[^.]+\.type$/.test(key)) check(key, 'transform');
    else if (/^predicates\.[^.]+\.type$/.test(key)) check(key, 'predicate');
    else if (key === 'key.converter' || key === 'value.converter' || key === 'header.converter') check(key, 'converter');
  }
  return out;
}
