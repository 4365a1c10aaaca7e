/**
 * The `$Key` / `$Value` split of Connect's SMTs: most transformations are written once against "the operating side" of a
 * record and registered twice. These helpers read that side and build the updated record without touching the rest.
 */
import type { ConnectRecord, Schema } from '../plugins/connect-data.js';

/** Which part of a record a `$Key` or `$Value` transformation works on. */
export type RecordSide = 'key' | 'value';

/** The schema of the operating side: null or undefined for schemaless data. */
export function sideSchema(record: ConnectRecord, side: RecordSide): Schema | null | undefined {
  return side === 'key' ? record.keySchema : record.valueSchema;
}

/** The data of the operating side (null/undefined for a missing key or a tombstone). */
export function sideValue(record: ConnectRecord, side: RecordSide): unknown {
  return side === 'key' ? record.key : record.value;
}

/**
 * A shallow copy of `record` whose operating side is `schema` / `value`. Every other field (topic, headers, and the
 * source or sink fields such as sourceOffset and kafkaOffset) is kept, so the copy has the input's type.
 */
export function withSide<R extends ConnectRecord>(record: R, side: RecordSide, schema: Schema | null | undefined, value: unknown): R {
  // V8 copies a spread object fast but makes adding a key the source lacked slow (~50x), so the schema key is only
  // written by a spread when the record already has it.
  if (side === 'key') {
    if (record.keySchema === schema) return { ...record, key: value };
    if ('keySchema' in record) return { ...record, keySchema: schema, key: value };
  } else {
    if (record.valueSchema === schema) return { ...record, value };
    if ('valueSchema' in record) return { ...record, valueSchema: schema, value };
  }
  const copy = copyMap(record) as R;
  if (side === 'key') {
    copy.keySchema = schema;
    copy.key = value;
  } else {
    copy.valueSchema = schema;
    copy.value = value;
  }
  return copy;
}

/**
 * A shallow copy of a map, built key by key. Use it instead of `{ ...map }` when keys will be added to the copy: V8
 * makes adding keys to a spread copy slow.
 */
export function copyMap<T extends object>(map: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in map) if (Object.hasOwn(map, key)) out[key] = (map as Record<string, unknown>)[key];
  return out;
}
