/**
 * ExtractField (`$Key` / `$Value`): replaces a map or struct with one of its fields (`field`). The field name is taken
 * literally (Connect's default `field.syntax.version=V1`; dotted V2 paths are not supported). A null value stays null
 * (with the field's schema in schema'd mode, as in Connect); a struct schema without the field is TransformDataError.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord, Schema } from '../plugins/connect-data.js';
import { sideSchema, sideValue, withSide } from './operating-side.js';
import type { RecordSide } from './operating-side.js';
import { requireMap, requireStruct } from './requirements.js';
import { SchemaUpdateCache, structFields } from './struct-schema.js';
import { parseTransformConfig, REPLACE_NULL_WITH_DEFAULT } from './transform-config.js';
import { TransformDataError } from '../plugins/transformation.js';
import type { Transformation } from '../plugins/transformation.js';

export const EXTRACT_FIELD_CONFIG: ConfigDef = [
  { name: 'field', type: 'STRING', importance: 'MEDIUM', documentation: 'Field name to extract.' },
  REPLACE_NULL_WITH_DEFAULT,
];

const PURPOSE = 'field extraction';

/**
 * The ExtractField transformation (see the file comment). apply() throws TransformDataError for a non-map/struct value
 * or a field the struct schema lacks.
 */
export class ExtractField implements Transformation {
  private field = '';
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaUpdateCache();

  constructor(private readonly side: RecordSide) {}

  configure(config: Readonly<Record<string, string>>): void {
    const c = parseTransformConfig(EXTRACT_FIELD_CONFIG, config);
    this.field = c.string('field')!;
    this.replaceNullWithDefault = c.boolean('replace.null.with.default');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const schema = sideSchema(record, this.side);
    const value = sideValue(record, this.side);
    const isNull = value === null || value === undefined;
    if (!schema) {
      if (isNull) return withSide(record, this.side, schema, null);
      return withSide(record, this.side, schema, requireMap(value, PURPOSE)[this.field] ?? null);
    }
    const struct = isNull ? null : requireStruct(value, PURPOSE);
    const fieldSchema = this.schemas.get(schema, (s) => this.fieldSchema(s));
    if (struct === null) return withSide(record, this.side, fieldSchema, null);
    const v = struct[this.field];
    const useDefault = (v === null || v === undefined) && this.replaceNullWithDefault && fieldSchema.default !== undefined;
    return withSide(record, this.side, fieldSchema, useDefault ? fieldSchema.default : (v ?? null));
  }

  /** The schema of the extracted field (without its `field` name). Throws TransformDataError when there is none. */
  private fieldSchema(schema: Schema): Schema {
    const field = structFields(schema).find((f) => f.field === this.field);
    if (!field) throw new TransformDataError(`Unknown field: ${this.field}`);
    const { field: _name, ...fieldSchema } = field;
    return fieldSchema;
  }
}
