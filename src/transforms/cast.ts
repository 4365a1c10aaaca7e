/**
 * Cast (`$Key` / `$Value`): casts fields of a map or struct (`spec=f1:int32,f2:string`) or the whole key or value
 * (`spec=int64`) to int8, int16, int32, int64, float32, float64, boolean or string. Struct schemas follow: a cast
 * field gets the new type (keeping optionality, with its default cast too); a whole-value cast keeps the schema's name,
 * version, doc and parameters. Null values pass through. See cast-values.ts for the conversions.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord, Schema } from '../plugins/connect-data.js';
import { parseList } from '../plugins/config-validation.js';
import { CAST_OUTPUT_TYPES, castValue } from './cast-values.js';
import type { CastType } from './cast-values.js';
import { sideSchema, sideValue, withSide } from './operating-side.js';
import type { RecordSide } from './operating-side.js';
import { requireMap, requireStruct } from './requirements.js';
import { asField, copySchemaBasics, fieldValue, SchemaUpdateCache, structFields } from './struct-schema.js';
import { javaList, javaSplit, parseTransformConfig, REPLACE_NULL_WITH_DEFAULT } from './transform-config.js';
import { TransformConfigError } from '../plugins/transformation.js';
import type { Transformation } from '../plugins/transformation.js';

/** A parsed spec: per-field target types, or one type for the whole value. */
export type CastSpec = { whole: CastType } | { fields: ReadonlyMap<string, CastType> };

const SCHEMA_TYPES = new Set(['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'bytes', 'array', 'map', 'struct']);

function castType(name: string): CastType | string {
  const type = name.trim().toLowerCase();
  if (!SCHEMA_TYPES.has(type)) return `Invalid type found in casting spec: ${name.trim()}`;
  if (!(CAST_OUTPUT_TYPES as readonly string[]).includes(type)) {
    return `Cast transformation does not support casting to ${type.toUpperCase()}; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]`;
  }
  return type as CastType;
}

/** Parses the `spec` list (Cast.parseFieldTypes); returns the spec or Connect's error message. */
export function parseCastSpec(items: readonly string[]): CastSpec | string {
  if (items.length === 0) return 'Must specify at least one field to cast.';
  const fields = new Map<string, CastType>();
  let whole: CastType | undefined;
  for (const item of items) {
    const parts = javaSplit(item, ':');
    // Connect names `renames` here (a copy-paste slip in Cast.java); the offending key is `spec`.
    if (parts.length > 2) return `Invalid value ${javaList(items)} for configuration spec: Invalid cast mapping: ${item}`;
    const type = castType(parts.length === 1 ? parts[0]! : parts[1]!);
    if (!CAST_OUTPUT_TYPES.includes(type as CastType)) return type;
    if (parts.length === 1) whole = type as CastType;
    else fields.set(parts[0]!.trim(), type as CastType);
  }
  if (whole !== undefined && items.length > 1) return 'Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec';
  return whole !== undefined ? { whole } : { fields };
}

export const CAST_CONFIG: ConfigDef = [
  {
    name: 'spec', type: 'LIST', importance: 'HIGH',
    documentation: 'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string.',
    validate: (v) => {
      const spec = parseCastSpec(parseList(v));
      return typeof spec === 'string' ? spec : undefined;
    },
  },
  REPLACE_NULL_WITH_DEFAULT,
];

const PURPOSE = 'cast types';

/**
 * The Cast transformation (see the file comment). apply() throws TransformDataError for a non-map/struct value (field
 * casts) or a value that cannot be cast.
 */
export class Cast implements Transformation {
  private spec: CastSpec = { fields: new Map() };
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaUpdateCache();

  constructor(private readonly side: RecordSide) {}

  /** Throws TransformConfigError (key `spec`) for an empty spec, an unknown or unsupported type, or a bad mapping. */
  configure(config: Readonly<Record<string, string>>): void {
    const c = parseTransformConfig(CAST_CONFIG, config);
    const spec = parseCastSpec(c.list('spec'));
    if (typeof spec === 'string') throw new TransformConfigError('spec', spec);
    this.spec = spec;
    this.replaceNullWithDefault = c.boolean('replace.null.with.default');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = sideValue(record, this.side);
    if (value === null || value === undefined) return record;
    const schema = sideSchema(record, this.side);
    const spec = this.spec;
    if ('whole' in spec) {
      const updatedSchema = schema ? this.schemas.get(schema, (s) => this.updatedSchema(s)) : schema;
      return withSide(record, this.side, updatedSchema, castValue(schema ?? null, value, spec.whole));
    }
    if (!schema) {
      const map = requireMap(value, PURPOSE);
      const updated = { ...map };
      // As in Connect, every field of the spec is written, so a missing one becomes null.
      for (const [name, type] of spec.fields) updated[name] = castValue(null, map[name], type);
      return withSide(record, this.side, schema, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.schemas.get(schema, (s) => this.updatedSchema(s));
    const updated: Record<string, unknown> = {};
    for (const field of structFields(schema)) {
      const v = fieldValue(struct, field, this.replaceNullWithDefault);
      const type = spec.fields.get(field.field);
      updated[field.field] = type === undefined ? v : castValue(field, v, type);
    }
    return withSide(record, this.side, updatedSchema, updated);
  }

  private updatedSchema(schema: Schema): Schema {
    const spec = this.spec;
    let out: Schema;
    if ('whole' in spec) out = copySchemaBasics(schema, spec.whole);
    else {
      out = copySchemaBasics(schema, 'struct');
      out.fields = structFields(schema).map((field) => {
        const type = spec.fields.get(field.field);
        if (type === undefined) return field;
        const cast: Schema = { type };
        if (field.optional) cast.optional = true;
        if (field.default !== undefined && field.default !== null) cast.default = castValue(field, field.default, type);
        return asField(field.field, cast);
      });
    }
    if (schema.optional) out.optional = true;
    if (schema.default !== undefined && schema.default !== null) out.default = 'whole' in spec ? castValue(schema, schema.default, spec.whole) : schema.default;
    return out;
  }
}
