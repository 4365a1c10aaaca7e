/**
 * Change events as JsonConverter (`schemas.enable=true`) wrote them, made comparable across two connector runs: pure
 * functions, no I/O. Used by the Debezium-vs-pipectl comparison (test/connectors/postgres/debezium-parity.test.ts).
 *
 * Numbers are kept as the text the producer wrote (`1.0E-300` and `1e-300` differ, and int64 values beyond 2^53 such
 * as `ts_ns` or a bigint column stay exact): before parsing, each number token becomes the string `"#<text>"`.
 */
import type { TopicRecord } from './topic-reader.js';

/** One record of a CDC topic, raw. */
export interface CdcRecord {
  topic: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  /** The Kafka record timestamp (ms); not compared. */
  timestamp?: number;
}

/** What each run names uniquely (a shared broker and server): replaced by placeholders before comparing. */
export interface RunTokens {
  /** `topic.prefix`: in topic names, schema names and `source.name`. */
  prefix: string;
  /** `database.dbname`: in `source.db`. */
  dbname: string;
}

/** A record ready for comparison: the placeholders in, the fields that must differ between runs normalised. */
export interface NormalisedRecord {
  topic: string;
  key: unknown;
  value: unknown;
  headers: Record<string, unknown>;
  /** `r`, `c`, `u`, `d`, `t`, `m`, or `tombstone` for a null value. */
  op: string;
}

/** The records of `topics` (as read by readTopicRecords) as CdcRecords, topic by topic in the given order. */
export function cdcRecords(topics: Readonly<Record<string, readonly TopicRecord[]>>): CdcRecord[] {
  return Object.entries(topics).flatMap(([topic, records]) => records.map((r) => ({ topic, key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp })));
}

/** JSON.parse that keeps every number as the string `"#<text>"` (see the file comment). */
export function parseLossless(text: string): unknown {
  return JSON.parse(text.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (token) => (token.startsWith('"') ? token : `"#${token}"`)));
}

/**
 * `source` fields that differ between any two runs, even two runs of the same connector, with the reason. Each is
 * replaced by a placeholder that keeps only its JSON type (`<number>`, `<string>`, `<null>`), so a field that one
 * side leaves null and the other fills is still a difference.
 */
export const VARYING_SOURCE_FIELDS: Readonly<Record<string, string>> = {
  version: "the connector's own release (3.6.1.Final vs pipectl's version)",
  ts_ms: 'the commit time (snapshot: the time the table was read) of a different run',
  ts_us: 'as ts_ms',
  ts_ns: 'as ts_ms',
  txId: 'transaction ids of a different database (each side replays the workload into a fresh one)',
  lsn: 'WAL positions of a different run',
  sequence: 'WAL positions of a different run (its shape, a JSON array of two decimal strings or nulls, is kept)',
  xmin: "the slot's xmin of a different run (null unless xmin.fetch.interval.ms is set)",
};

/** Top-level envelope fields that differ between runs: when the connector processed the event. */
export const VARYING_ENVELOPE_FIELDS: Readonly<Record<string, string>> = {
  ts_ms: 'when the connector processed the event',
  ts_us: 'as ts_ms',
  ts_ns: 'as ts_ms',
};

/** Record headers that differ between runs. Debezium 3.x adds `__debezium.context.*` headers to every record
 *  (connectorLogicalName = topic.prefix, taskId, connectorName = "postgresql", runId); the others are compared. */
export const VARYING_HEADERS: Readonly<Record<string, string>> = {
  '__debezium.context.runId': 'a random id of each connector start',
};

function placeholder(value: unknown): string {
  if (value === null) return '<null>';
  if (typeof value === 'string') return value.startsWith('#') ? '<number>' : '<string>';
  return `<${typeof value}>`;
}

function normaliseSource(source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) {
    if (k === 'sequence' && typeof v === 'string') out[k] = v.replace(/\d+/g, 'N');
    else out[k] = k in VARYING_SOURCE_FIELDS ? placeholder(v) : v;
  }
  return out;
}

/** Replaces every occurrence of the run's tokens (unique random names, never found in the data) by placeholders. */
function withPlaceholders(text: string, tokens: RunTokens): string {
  return text.split(tokens.prefix).join('<prefix>').split(tokens.dbname).join('<db>');
}

/** Parses and normalises one record (see VARYING_SOURCE_FIELDS and VARYING_ENVELOPE_FIELDS). */
export function normaliseRecord(record: CdcRecord, tokens: RunTokens): NormalisedRecord {
  const key = record.key === null ? null : parseLossless(withPlaceholders(record.key, tokens));
  const headers = Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, k in VARYING_HEADERS ? '<string>' : withPlaceholders(v, tokens)]));
  const topic = withPlaceholders(record.topic, tokens);
  if (record.value === null) return { topic, key, value: null, headers, op: 'tombstone' };
  const value = parseLossless(withPlaceholders(record.value, tokens)) as { schema?: unknown; payload?: Record<string, unknown> | null };
  const payload = value.payload;
  if (!payload || typeof payload !== 'object') return { topic, key, value, headers, op: '?' };
  const normalised: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(payload)) {
    if (k === 'source' && v && typeof v === 'object') normalised[k] = normaliseSource(v as Record<string, unknown>);
    else normalised[k] = k in VARYING_ENVELOPE_FIELDS ? placeholder(v) : v;
  }
  return { topic, key, value: { ...value, payload: normalised }, headers, op: typeof payload.op === 'string' ? payload.op : '?' };
}

/** The JSON path of the first place where `a` and `b` differ (field order included), or null when they are equal. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (a === b) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.join(',') !== kb.join(',')) return `${path}: fields [${ka.join(',')}] vs [${kb.join(',')}]`;
  for (const k of ka) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
    if (d) return d;
  }
  return null;
}

/** Records grouped by topic, then by key (its JSON text; `null` for null keys), each group in the order consumed. */
export function byTopicAndKey(records: readonly NormalisedRecord[]): Map<string, Map<string, NormalisedRecord[]>> {
  const out = new Map<string, Map<string, NormalisedRecord[]>>();
  for (const r of records) {
    const topic = out.get(r.topic) ?? out.set(r.topic, new Map()).get(r.topic)!;
    const k = JSON.stringify(r.key);
    (topic.get(k) ?? topic.set(k, []).get(k)!).push(r);
  }
  return out;
}

/**
 * Compares two runs' records: the same topics, the same keys per topic, and per key the same records in the same
 * order (key, value with schema, headers, op). Returns the differences found (at most `limit`), empty when none.
 */
export function compareRuns(expected: readonly NormalisedRecord[], actual: readonly NormalisedRecord[], limit = 20): string[] {
  const diffs: string[] = [];
  const e = byTopicAndKey(expected);
  const a = byTopicAndKey(actual);
  const topics = (m: Map<string, unknown>): string => [...m.keys()].sort().join(', ');
  if (topics(e) !== topics(a)) diffs.push(`topics: [${topics(e)}] vs [${topics(a)}]`);
  for (const [topic, keys] of e) {
    const other = a.get(topic);
    if (!other) continue;
    for (const [key, records] of keys) {
      const theirs = other.get(key) ?? [];
      if (records.map((r) => r.op).join(',') !== theirs.map((r) => r.op).join(',')) {
        diffs.push(`${topic} key ${key}: ops [${records.map((r) => r.op).join(',')}] vs [${theirs.map((r) => r.op).join(',')}]`);
        continue;
      }
      records.forEach((r, i) => {
        const d = firstDifference({ value: r.value, headers: r.headers }, { value: theirs[i]!.value, headers: theirs[i]!.headers });
        if (d) diffs.push(`${topic} key ${key}, record ${i + 1} (${r.op}): ${d}`);
      });
    }
    for (const key of other.keys()) if (!keys.has(key)) diffs.push(`${topic}: key ${key} only in the second run`);
    if (diffs.length >= limit) break;
  }
  return diffs.slice(0, limit);
}
