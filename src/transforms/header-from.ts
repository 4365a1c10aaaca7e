/**
 * HeaderFrom (`$Key` / `$Value`): copies (`operation=copy`) or moves (`move`: also removed from the key/value) the
 * listed `fields` of a map or struct into headers named by the matching entries of `headers`, after the record's own
 * headers. A header gets the field's value (null when the field is missing) and, with a schema, the field's schema.
 * A moved struct field leaves the schema too (the rebuilt struct schema keeps name, version, doc and parameters).
 *
 * Unlike Connect, which fails on them, tombstones (null operating value) pass through unchanged. A field the struct
 * schema lacks is a TransformDataError (Connect: a NullPointerException).
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord, Header, Schema } from '../plugins/connect-data.js';
import { parseList } from '../plugins/config-validation.js';
import { TransformConfigError, TransformDataError } from '../plugins/transformation.js';
import type { Transformation } from '../plugins/transformation.js';
import { sideSchema, sideValue, withSide } from './operating-side.js';
import type { RecordSide } from './operating-side.js';
import { requireMap, requireStruct } from './requirements.js';
import { copySchemaBasics, fieldValue, SchemaUpdateCache, structFields } from './struct-schema.js';
import { parseTransformConfig, REPLACE_NULL_WITH_DEFAULT } from './transform-config.js';

const COUNT_MISMATCH = "'fields' config must have the same number of elements as 'headers' config.";
const nonEmpty = (name: string) => (v: string): string | undefined => (v === '' ? `Invalid value [] for configuration ${name}: Empty list` : undefined);

export const HEADER_FROM_CONFIG: ConfigDef = [
  { name: 'fields', type: 'LIST', importance: 'HIGH', documentation: 'Field names in the record whose values are to be copied or moved to headers.', validate: nonEmpty('fields') },
  {
    name: 'headers', type: 'LIST', importance: 'HIGH', documentation: 'Header names, in the same order as the field names listed in the fields configuration property.',
    validate: (v, config) => {
      const fields = parseList(config['fields'] ?? '');
      // (An empty or missing `fields` is reported on `fields`.)
      return nonEmpty('headers')(v) ?? (fields.length > 0 && fields.length !== parseList(v).length ? COUNT_MISMATCH : undefined);
    },
  },
  {
    name: 'operation', type: 'STRING', importance: 'HIGH',
    documentation: 'Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value).',
    validate: (v) => (v === 'move' || v === 'copy' ? undefined : `Invalid value ${v} for configuration operation: String must be one of: move, copy`),
  },
  REPLACE_NULL_WITH_DEFAULT,
];

/** The HeaderFrom transformation (see the file comment). apply() throws TransformDataError for a non-map/struct value. */
export class HeaderFrom implements Transformation {
  private fields: string[] = [];
  private headers: string[] = [];
  private move = false;
  private replaceNullWithDefault = true;
  private readonly moveSchemas = new SchemaUpdateCache();

  constructor(private readonly side: RecordSide) {}

  /** Throws TransformConfigError; `headers` when the two lists differ in length. */
  configure(config: Readonly<Record<string, string>>): void {
    const c = parseTransformConfig(HEADER_FROM_CONFIG, config);
    this.fields = c.list('fields');
    this.headers = c.list('headers');
    if (this.fields.length !== this.headers.length) throw new TransformConfigError('headers', COUNT_MISMATCH);
    this.move = c.string('operation') === 'move';
    this.replaceNullWithDefault = c.boolean('replace.null.with.default');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = sideValue(record, this.side);
    if (value === null || value === undefined) return record;
    const schema = sideSchema(record, this.side);
    const purpose = `header ${this.move ? 'move' : 'copy'}`;
    const added: Header[] = [];
    if (!schema) {
      const map = requireMap(value, purpose);
      const updated = { ...map };
      this.fields.forEach((name, i) => {
        if (this.move) delete updated[name];
        added.push({ key: this.headers[i]!, value: map[name] ?? null, schema: null });
      });
      return { ...withSide(record, this.side, schema, updated), headers: [...(record.headers ?? []), ...added] };
    }
    const struct = requireStruct(value, purpose);
    this.fields.forEach((name, i) => {
      const field = structFields(schema).find((f) => f.field === name);
      if (!field) throw new TransformDataError(`Unknown field: ${name} (the ${this.side} schema ${schema.name ?? schema.type} has no such field to ${this.move ? 'move' : 'copy'} to header ${this.headers[i]!})`);
      const { field: _name, ...fieldSchema } = field;
      added.push({ key: this.headers[i]!, value: fieldValue(struct, field, this.replaceNullWithDefault), schema: fieldSchema });
    });
    let updated: R = record;
    if (this.move) {
      const moved = this.moveSchemas.get(schema, (s) => this.movedSchema(s));
      const out: Record<string, unknown> = {};
      for (const f of structFields(moved)) out[f.field] = fieldValue(struct, f, this.replaceNullWithDefault);
      updated = withSide(record, this.side, moved, out);
    }
    return { ...updated, headers: [...(record.headers ?? []), ...added] };
  }

  private movedSchema(schema: Schema): Schema {
    const out = copySchemaBasics(schema, 'struct');
    out.fields = structFields(schema).filter((f) => !this.fields.includes(f.field));
    return out;
  }
}
