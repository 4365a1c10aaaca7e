/**
 * Flatten (`$Key` / `$Value`): lifts nested maps (schemaless) or structs (schema'd) into one level, joining names with
 * `delimiter` (default "."): `{a: {b: 1}}` becomes `{"a.b": 1}`. Arrays and their contents are left alone. With a
 * schema, a flattened field is optional when it or any ancestor is, and inherits an ancestor struct's default; map
 * fields are TransformDataError, as in Connect. Tombstones pass through unchanged.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord, Schema } from '../plugins/connect-data.js';
import { sideSchema, sideValue, withSide } from './operating-side.js';
import type { RecordSide } from './operating-side.js';
import { isPlainMap, javaClassName, requireMap, requireStruct } from './requirements.js';
import { asField, copySchemaBasics, SchemaUpdateCache, structFields } from './struct-schema.js';
import type { SchemaField } from './struct-schema.js';
import { parseTransformConfig } from './transform-config.js';
import { TransformDataError } from '../plugins/transformation.js';
import type { Transformation } from '../plugins/transformation.js';

export const FLATTEN_CONFIG: ConfigDef = [
  { name: 'delimiter', type: 'STRING', default: '.', importance: 'MEDIUM', documentation: 'Delimiter to insert between field names from the input record when generating field names for the output record' },
];

const PURPOSE = 'flattening';
const LEAF_TYPES = new Set(['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'bytes', 'array']);

/**
 * The Flatten transformation (see the file comment). apply() throws TransformDataError for a non-map/struct value or
 * an unsupported nested type.
 */
export class Flatten implements Transformation {
  private delimiter = '.';
  private readonly schemas = new SchemaUpdateCache();

  constructor(private readonly side: RecordSide) {}

  configure(config: Readonly<Record<string, string>>): void {
    this.delimiter = parseTransformConfig(FLATTEN_CONFIG, config).string('delimiter') ?? '.';
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = sideValue(record, this.side);
    if (value === null || value === undefined) return record;
    const schema = sideSchema(record, this.side);
    if (!schema) {
      const out: Record<string, unknown> = {};
      this.flattenMap(requireMap(value, PURPOSE), '', out);
      return withSide(record, this.side, schema, out);
    }
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.schemas.get(schema, (s) => {
      const out = copySchemaBasics(s, 'struct');
      const fields: SchemaField[] = [];
      this.flattenSchema(s, '', fields, s.optional === true, isPlainMap(s.default) ? s.default : undefined);
      out.fields = fields;
      return out;
    });
    const out: Record<string, unknown> = {};
    this.flattenStruct(struct, schema, '', out);
    return withSide(record, this.side, updatedSchema, out);
  }

  private name(prefix: string, field: string): string {
    return prefix === '' ? field : prefix + this.delimiter + field;
  }

  private flattenMap(map: Readonly<Record<string, unknown>>, prefix: string, out: Record<string, unknown>): void {
    for (const key of Object.keys(map)) {
      const name = this.name(prefix, key);
      const v = map[key];
      if (isPlainMap(v)) this.flattenMap(v, name, out);
      else if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v) || Buffer.isBuffer(v)) out[name] = v ?? null;
      else throw new TransformDataError(`Flatten transformation does not support class ${javaClassName(v)} for record without schemas (for field ${name}).`);
    }
  }

  private flattenSchema(schema: Schema, prefix: string, out: SchemaField[], optional: boolean, parentDefault: Readonly<Record<string, unknown>> | undefined): void {
    for (const field of structFields(schema)) {
      const name = this.name(prefix, field.field);
      const isOptional = optional || field.optional === true;
      const def = field.default !== undefined && field.default !== null ? field.default : parentDefault?.[field.field];
      if (LEAF_TYPES.has(field.type)) {
        const flat = copySchemaBasics(field);
        if (isOptional) flat.optional = true;
        if (def !== undefined && def !== null) flat.default = def;
        out.push(asField(name, flat));
      } else if (field.type === 'struct') {
        this.flattenSchema(field, name, out, isOptional, isPlainMap(def) ? def : undefined);
      } else {
        throw new TransformDataError(`Flatten transformation does not support ${field.type.toUpperCase()} for record with schemas (for field ${name}).`);
      }
    }
  }

  private flattenStruct(struct: Readonly<Record<string, unknown>> | null, schema: Schema, prefix: string, out: Record<string, unknown>): void {
    for (const field of structFields(schema)) {
      const name = this.name(prefix, field.field);
      const v = struct?.[field.field] ?? field.default ?? null;
      if (field.type === 'struct') this.flattenStruct(isPlainMap(v) ? v : null, field, name, out);
      else out[name] = v;
    }
  }
}
