/**
 * MaskField (`$Key` / `$Value`): replaces the listed fields with the zero value of their type (0, false, "", [] or {})
 * or, with `replacement`, with that text converted to the field's type (numbers and strings only). Null fields stay
 * null. The type comes from the field schema when there is one, else from the value. Bytes and structs cannot be
 * masked (TransformDataError, as in Connect).
 *
 * Unlike Connect, which fails on them, tombstones (null operating value) pass through unchanged.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord, SchemaType } from '../plugins/connect-data.js';
import { sideSchema, sideValue, withSide } from './operating-side.js';
import type { RecordSide } from './operating-side.js';
import { isPlainMap, javaClassName, requireMap, requireStruct } from './requirements.js';
import { fieldValue, structFields } from './struct-schema.js';
import { parseTransformConfig, REPLACE_NULL_WITH_DEFAULT } from './transform-config.js';
import { TransformDataError } from '../plugins/transformation.js';
import type { Transformation } from '../plugins/transformation.js';

export const MASK_FIELD_CONFIG: ConfigDef = [
  { name: 'fields', type: 'LIST', importance: 'HIGH', documentation: 'Names of fields to mask.', validate: (v) => (v === '' ? `Invalid value [] for configuration fields: Empty list` : undefined) },
  {
    name: 'replacement', type: 'STRING', default: null, importance: 'LOW',
    documentation: "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only).",
    validate: (v) => (v === '' ? 'Invalid value  for configuration replacement: String must be non-empty' : undefined),
  },
  REPLACE_NULL_WITH_DEFAULT,
];

const PURPOSE = 'mask fields';

/** The type a value would have in Connect: the schema type when known, else inferred from the JavaScript value. */
function typeOf(value: unknown, schemaType: SchemaType | undefined): SchemaType | 'unknown' {
  if (schemaType) return schemaType;
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'bigint') return 'int64';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (Array.isArray(value)) return 'array';
  if (Buffer.isBuffer(value)) return 'bytes';
  return isPlainMap(value) ? 'map' : 'unknown';
}

const INTEGER_TYPES = new Set<string>(['int8', 'int16', 'int32', 'int64']);

/**
 * The MaskField transformation (see the file comment). apply() throws TransformDataError for a non-map/struct value or
 * a field that cannot be masked.
 */
export class MaskField implements Transformation {
  private fields: ReadonlySet<string> = new Set();
  private replacement: string | null = null;
  private replaceNullWithDefault = true;

  constructor(private readonly side: RecordSide) {}

  configure(config: Readonly<Record<string, string>>): void {
    const c = parseTransformConfig(MASK_FIELD_CONFIG, config);
    this.fields = new Set(c.list('fields'));
    this.replacement = c.string('replacement');
    this.replaceNullWithDefault = c.boolean('replace.null.with.default');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = sideValue(record, this.side);
    if (value === null || value === undefined) return record;
    const schema = sideSchema(record, this.side);
    if (!schema) {
      const map = requireMap(value, PURPOSE);
      const updated = { ...map };
      // As in Connect, every listed field is written, so a missing one becomes null.
      for (const name of this.fields) updated[name] = this.masked(map[name], undefined);
      return withSide(record, this.side, schema, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updated: Record<string, unknown> = {};
    for (const field of structFields(schema)) {
      const v = fieldValue(struct, field, this.replaceNullWithDefault);
      updated[field.field] = this.fields.has(field.field) ? this.masked(v, field.type) : v;
    }
    return withSide(record, this.side, schema, updated);
  }

  private masked(value: unknown, schemaType: SchemaType | undefined): unknown {
    if (value === null || value === undefined) return null;
    const type = typeOf(value, schemaType);
    return this.replacement === null ? zeroValue(value, type) : replacementValue(value, type, this.replacement);
  }
}

function zeroValue(value: unknown, type: SchemaType | 'unknown'): unknown {
  switch (type) {
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'array':
      return [];
    case 'map':
      return {};
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
      return typeof value === 'bigint' ? 0n : 0;
    default:
      throw new TransformDataError(`Cannot mask value of type: ${type === 'struct' ? 'class org.apache.kafka.connect.data.Struct' : `class ${javaClassName(value)}`}`);
  }
}

function replacementValue(value: unknown, type: SchemaType | 'unknown', replacement: string): unknown {
  if (type === 'string') return replacement;
  if (INTEGER_TYPES.has(type) || type === 'float32' || type === 'float64') {
    const n = Number(replacement.trim());
    if (replacement.trim() === '' || Number.isNaN(n)) throw new TransformDataError(`Unable to convert ${replacement} (class java.lang.String) to number`);
    if (!INTEGER_TYPES.has(type)) return type === 'float32' ? Math.fround(n) : n;
    return typeof value === 'bigint' ? BigInt(Math.trunc(n)) : Math.trunc(n);
  }
  throw new TransformDataError(`Cannot mask value of type ${type === 'struct' ? 'class org.apache.kafka.connect.data.Struct' : `class ${javaClassName(value)}`} with custom replacement.`);
}
