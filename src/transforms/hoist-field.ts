/**
 * HoistField (`$Key` / `$Value`): wraps the key or value in a map (schemaless) or a struct with one field named
 * `field`, whose schema is the original schema. As in Connect, a null value is wrapped too (`{field: null}`), so a
 * tombstone stops being one; put a RecordIsTombstone predicate with `negate=true` on the stage to keep tombstones.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord, Schema } from '../plugins/connect-data.js';
import { sideSchema, sideValue, withSide } from './operating-side.js';
import type { RecordSide } from './operating-side.js';
import { asField, SchemaUpdateCache } from './struct-schema.js';
import { parseTransformConfig } from './transform-config.js';
import type { Transformation } from '../plugins/transformation.js';

export const HOIST_FIELD_CONFIG: ConfigDef = [
  { name: 'field', type: 'STRING', importance: 'MEDIUM', documentation: 'Field name for the single field that will be created in the resulting Struct or Map.' },
];

/** The HoistField transformation (see the file comment). apply() never throws. */
export class HoistField implements Transformation {
  private field = '';
  private readonly schemas = new SchemaUpdateCache();

  constructor(private readonly side: RecordSide) {}

  configure(config: Readonly<Record<string, string>>): void {
    this.field = parseTransformConfig(HOIST_FIELD_CONFIG, config).string('field')!;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const schema = sideSchema(record, this.side);
    const value = sideValue(record, this.side) ?? null;
    const updatedSchema = schema ? this.schemas.get(schema, (s): Schema => ({ type: 'struct', fields: [asField(this.field, s)] })) : schema;
    return withSide(record, this.side, updatedSchema, { [this.field]: value });
  }
}
