/**
 * Schema helpers shared by the transformations (Connect's `SchemaUtil` plus the bits of `Struct` they use): copying a
 * schema's name/version/doc/parameters onto a new type, reading a struct field with its default, and a per-transform
 * cache of updated schemas so a schema is rebuilt once, not for every record.
 */
import type { Schema, SchemaType } from '../plugins/connect-data.js';

/** A field of a struct schema. */
export type SchemaField = Schema & { field: string };

export const TIMESTAMP_LOGICAL = 'org.apache.kafka.connect.data.Timestamp';
export const DATE_LOGICAL = 'org.apache.kafka.connect.data.Date';
export const TIME_LOGICAL = 'org.apache.kafka.connect.data.Time';

/** Connect's `Timestamp.builder().optional()` / `Timestamp.SCHEMA` in JSON form; values are epoch milliseconds. */
export function timestampSchema(optional: boolean): Schema {
  return { type: 'int64', optional, name: TIMESTAMP_LOGICAL, version: 1 };
}

/** The fields of a struct schema (empty for a struct without fields or a non-struct). */
export function structFields(schema: Schema): readonly SchemaField[] {
  return schema.fields ?? [];
}

/** SchemaUtil.copySchemaBasics: a schema of `type` with the source's name, version, doc and parameters (no optional/default). */
export function copySchemaBasics(source: Schema, type: SchemaType = source.type): Schema {
  const out: Schema = { type };
  if (type === 'array' && source.type === 'array' && source.items) out.items = source.items;
  if (source.name !== undefined) out.name = source.name;
  if (source.version !== undefined) out.version = source.version;
  if (source.doc !== undefined) out.doc = source.doc;
  if (source.parameters !== undefined) out.parameters = { ...source.parameters };
  return out;
}

/** A struct field schema: `schema` under the name `field`. */
export function asField(field: string, schema: Schema): SchemaField {
  const { field: _drop, ...rest } = schema as SchemaField;
  return { ...rest, field };
}

/**
 * A struct's field value. With `replaceNullWithDefault` (Connect's `Struct.get`), a null or missing value is replaced
 * by the field schema's default; without it (`Struct.getWithoutDefault`) null stays null. Missing values read as null.
 */
export function fieldValue(struct: Readonly<Record<string, unknown>>, field: SchemaField, replaceNullWithDefault: boolean): unknown {
  const value = struct[field.field];
  if (value !== null && value !== undefined) return value;
  return replaceNullWithDefault && field.default !== undefined ? field.default : null;
}

/**
 * Updated schemas by input schema, like Connect's per-transform LRU cache. Keyed by object identity (a WeakMap), so a
 * source that reuses its schema object pays for the rebuild once; a schema parsed anew for each record is rebuilt.
 */
export class SchemaUpdateCache {
  private readonly cache = new WeakMap<Schema, Schema>();

  get(schema: Schema, build: (schema: Schema) => Schema): Schema {
    let updated = this.cache.get(schema);
    if (updated === undefined) {
      updated = build(schema);
      this.cache.set(schema, updated);
    }
    return updated;
  }
}
