/** Helpers for the transform tests: configured plugins from the bundled registry, and record builders. */
import type { ConnectRecord, Schema, SinkRecord, SourceRecord } from '../../src/plugins/connect-data.js';
import { createDefaultTransformationRegistry } from '../../src/transforms/bundled-transformations.js';
import type { Predicate, Transformation } from '../../src/plugins/transformation.js';

export const registry = createDefaultTransformationRegistry();

/** A configured transformation by class name or alias. */
export function transform(type: string, config: Record<string, string> = {}): Transformation {
  const plugin = registry.find(type);
  if (!plugin || plugin.kind !== 'transformation') throw new Error(`no transformation ${type}`);
  const t = plugin.create() as Transformation;
  t.configure(config);
  return t;
}

/** A configured predicate by class name or alias. */
export function predicate(type: string, config: Record<string, string> = {}): Predicate {
  const plugin = registry.find(type);
  if (!plugin || plugin.kind !== 'predicate') throw new Error(`no predicate ${type}`);
  const p = plugin.create() as Predicate;
  p.configure(config);
  return p;
}

/** 2024-03-05T07:08:09.010Z */
export const TS = Date.UTC(2024, 2, 5, 7, 8, 9, 10);

/** A sink record on topic "orders", partition 3, offset 42, schemaless unless schemas are given. */
export function sinkRecord(fields: Partial<SinkRecord> = {}): SinkRecord {
  return { topic: 'orders', kafkaPartition: 3, kafkaOffset: 42, key: null, value: null, timestamp: TS, headers: [], ...fields };
}

/** A source record (no Kafka offset) with a source offset that transformations must keep. */
export function sourceRecord(fields: Partial<SourceRecord> = {}): SourceRecord {
  return { topic: 'orders', kafkaPartition: null, key: null, value: null, timestamp: TS, sourcePartition: { file: 'a' }, sourceOffset: { position: 7 }, ...fields };
}

export const PERSON: Schema = {
  type: 'struct',
  name: 'com.example.Person',
  version: 2,
  fields: [
    { field: 'name', type: 'string' },
    { field: 'age', type: 'int32', optional: true },
    { field: 'email', type: 'string', optional: true, default: 'none' },
  ],
};

export const ALICE = { name: 'Alice', age: 30, email: 'a@example.com' };

/** Only the fields a test compares, so records stay readable in assertions. */
export function pick(record: ConnectRecord | null, ...keys: (keyof SinkRecord | keyof SourceRecord)[]): Record<string, unknown> | null {
  if (record === null) return null;
  return Object.fromEntries(keys.map((k) => [k, (record as unknown as Record<string, unknown>)[k]]));
}
