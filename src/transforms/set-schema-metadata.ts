/**
 * SetSchemaMetadata (`$Key` / `$Value`): sets the name (`schema.name`), the version (`schema.version`) or both of the
 * key or value schema, keeping everything else of it. A struct value is rebuilt against the new schema (null fields
 * take their defaults unless `replace.null.with.default=false`). A record without schema and value on that side passes
 * through; a value without schema is TransformDataError, as in Connect.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord, Schema } from '../plugins/connect-data.js';
import { TransformConfigError, TransformDataError } from '../plugins/transformation.js';
import type { Transformation } from '../plugins/transformation.js';
import { sideSchema, sideValue, withSide } from './operating-side.js';
import type { RecordSide } from './operating-side.js';
import { isPlainMap } from './requirements.js';
import { fieldValue, SchemaUpdateCache, structFields } from './struct-schema.js';
import { parseTransformConfig, REPLACE_NULL_WITH_DEFAULT } from './transform-config.js';

export const SET_SCHEMA_METADATA_CONFIG: ConfigDef = [
  { name: 'schema.name', type: 'STRING', default: null, importance: 'HIGH', documentation: 'Schema name to set.' },
  { name: 'schema.version', type: 'INT', default: null, importance: 'HIGH', documentation: 'Schema version to set.' },
  REPLACE_NULL_WITH_DEFAULT,
];

/** The SetSchemaMetadata transformation (see the file comment). */
export class SetSchemaMetadata implements Transformation {
  private name: string | null = null;
  private version: number | null = null;
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaUpdateCache();

  constructor(private readonly side: RecordSide) {}

  /** Throws TransformConfigError (key "") when neither a name nor a version is configured. */
  configure(config: Readonly<Record<string, string>>): void {
    const c = parseTransformConfig(SET_SCHEMA_METADATA_CONFIG, config);
    this.name = c.string('schema.name');
    const version = c.string('schema.version');
    this.version = version === null ? null : Number(version);
    this.replaceNullWithDefault = c.boolean('replace.null.with.default');
    if (this.name === null && this.version === null) throw new TransformConfigError('', 'Neither schema name nor version configured');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = sideValue(record, this.side) ?? null;
    const schema = sideSchema(record, this.side);
    if (!schema) {
      if (value === null) return record;
      throw new TransformDataError('Schema required for [updating schema metadata]');
    }
    const updatedSchema = this.schemas.get(schema, (s) => {
      const out: Schema = { ...s };
      if (this.name !== null) out.name = this.name;
      if (this.version !== null) out.version = this.version;
      return out;
    });
    let updatedValue = value;
    if (schema.type === 'struct' && isPlainMap(value)) {
      const struct: Record<string, unknown> = {};
      for (const f of structFields(updatedSchema)) struct[f.field] = fieldValue(value, f, this.replaceNullWithDefault);
      updatedValue = struct;
    }
    return withSide(record, this.side, updatedSchema, updatedValue);
  }
}
