/**
 * ValueToKey: replaces the record key with a map (schemaless) or struct of the listed value fields (`fields`). With a
 * schema, the key schema is a struct of those fields' schemas and a field missing from the value schema is
 * TransformDataError ("Field does not exist: f").
 *
 * Unlike Connect, which fails on them, tombstones (null value) pass through unchanged: there is nothing to copy.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord, Schema } from '../plugins/connect-data.js';
import { withSide } from './operating-side.js';
import { requireMap, requireStruct } from './requirements.js';
import { fieldValue, SchemaUpdateCache, structFields } from './struct-schema.js';
import type { SchemaField } from './struct-schema.js';
import { parseTransformConfig, REPLACE_NULL_WITH_DEFAULT } from './transform-config.js';
import { TransformDataError } from '../plugins/transformation.js';
import type { Transformation } from '../plugins/transformation.js';

export const VALUE_TO_KEY_CONFIG: ConfigDef = [
  { name: 'fields', type: 'LIST', importance: 'HIGH', documentation: 'Field names on the record value to extract as the record key.', validate: (v) => (v === '' ? 'Invalid value [] for configuration fields: Empty list' : undefined) },
  REPLACE_NULL_WITH_DEFAULT,
];

const PURPOSE = 'copying fields from value to key';

/**
 * The ValueToKey transformation (see the file comment). apply() throws TransformDataError for a non-map/struct value
 * or a field the value schema lacks.
 */
export class ValueToKey implements Transformation {
  private fields: readonly string[] = [];
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaUpdateCache();

  configure(config: Readonly<Record<string, string>>): void {
    const c = parseTransformConfig(VALUE_TO_KEY_CONFIG, config);
    this.fields = c.list('fields');
    this.replaceNullWithDefault = c.boolean('replace.null.with.default');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (record.value === null || record.value === undefined) return record;
    const key: Record<string, unknown> = {};
    if (!record.valueSchema) {
      const value = requireMap(record.value, PURPOSE);
      for (const name of this.fields) key[name] = value[name] ?? null;
      return withSide(record, 'key', null, key);
    }
    const value = requireStruct(record.value, PURPOSE);
    const keySchema = this.schemas.get(record.valueSchema, (s) => this.keySchema(s));
    for (const field of keySchema.fields as SchemaField[]) key[field.field] = fieldValue(value, field, this.replaceNullWithDefault);
    return withSide(record, 'key', keySchema, key);
  }

  private keySchema(valueSchema: Schema): Schema {
    const fields = this.fields.map((name) => {
      const field = structFields(valueSchema).find((f) => f.field === name);
      if (!field) throw new TransformDataError(`Field does not exist: ${name}`);
      return field;
    });
    return { type: 'struct', fields };
  }
}
