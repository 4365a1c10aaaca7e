/**
 * InsertField (`$Key` / `$Value`): adds the record's topic, partition, offset (sink records only), timestamp and/or a
 * static string to a map or struct. In schema'd mode the struct schema gains the fields (optional unless the name ends
 * with `!`; a trailing `?` is stripped). A null operating value (tombstone) passes through unchanged.
 */
import type { ConfigDef } from '../plugins/config-def.js';
import type { ConnectRecord, Schema } from '../plugins/connect-data.js';
import { copyMap, sideSchema, sideValue, withSide } from './operating-side.js';
import type { RecordSide } from './operating-side.js';
import { requireMap, requireSinkRecord, requireStruct } from './requirements.js';
import { asField, copySchemaBasics, fieldValue, SchemaUpdateCache, structFields, timestampSchema } from './struct-schema.js';
import { parseTransformConfig, REPLACE_NULL_WITH_DEFAULT } from './transform-config.js';
import { TransformConfigError } from '../plugins/transformation.js';
import type { Transformation } from '../plugins/transformation.js';

const OPTIONALITY = 'Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).';
const fieldKey = (name: string, doc: string): ConfigDef[number] => ({ name, type: 'STRING', default: null, importance: 'MEDIUM', documentation: `${doc} ${OPTIONALITY}` });

export const INSERT_FIELD_CONFIG: ConfigDef = [
  fieldKey('topic.field', 'Field name for Kafka topic.'),
  fieldKey('partition.field', 'Field name for Kafka partition.'),
  fieldKey('offset.field', 'Field name for Kafka offset - only applicable to sink connectors.<br/>'),
  fieldKey('timestamp.field', 'Field name for record timestamp.'),
  fieldKey('static.field', 'Field name for static data field.'),
  { name: 'static.value', type: 'STRING', default: null, importance: 'MEDIUM', documentation: 'Static field value, if field name configured.' },
  REPLACE_NULL_WITH_DEFAULT,
];

const PURPOSE = 'field insertion';

interface InsertionSpec {
  name: string;
  optional: boolean;
}

function parseSpec(spec: string | null): InsertionSpec | null {
  if (spec === null) return null;
  if (spec.endsWith('?')) return { name: spec.slice(0, -1), optional: true };
  if (spec.endsWith('!')) return { name: spec.slice(0, -1), optional: false };
  return { name: spec, optional: true };
}

/**
 * The InsertField transformation (see the file comment). configure() throws TransformConfigError; apply() throws
 * TransformDataError for a non-map/struct value, or for `offset.field` on a record that is not a sink record.
 */
export class InsertField implements Transformation {
  private topic: InsertionSpec | null = null;
  private partition: InsertionSpec | null = null;
  private offset: InsertionSpec | null = null;
  private timestamp: InsertionSpec | null = null;
  private staticField: InsertionSpec | null = null;
  private staticValue: string | null = null;
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaUpdateCache();

  constructor(private readonly side: RecordSide) {}

  /** Throws TransformConfigError: key "" when no field is configured, `static.value` when the static field has no value. */
  configure(config: Readonly<Record<string, string>>): void {
    const c = parseTransformConfig(INSERT_FIELD_CONFIG, config);
    this.topic = parseSpec(c.string('topic.field'));
    this.partition = parseSpec(c.string('partition.field'));
    this.offset = parseSpec(c.string('offset.field'));
    this.timestamp = parseSpec(c.string('timestamp.field'));
    this.staticField = parseSpec(c.string('static.field'));
    this.staticValue = c.string('static.value');
    this.replaceNullWithDefault = c.boolean('replace.null.with.default');
    if (!this.topic && !this.partition && !this.offset && !this.timestamp && !this.staticField) throw new TransformConfigError('', 'No field insertion configured');
    if (this.staticField && this.staticValue === null) {
      throw new TransformConfigError('static.value', `Invalid value null for configuration static.value: No value specified for static field: ${this.staticField.name}`);
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = sideValue(record, this.side);
    if (value === null || value === undefined) return record;
    const schema = sideSchema(record, this.side);
    return schema ? this.applyWithSchema(record, schema, value) : this.applySchemaless(record, schema, value);
  }

  private applySchemaless<R extends ConnectRecord>(record: R, schema: Schema | null | undefined, value: unknown): R {
    const updated = copyMap(requireMap(value, PURPOSE));
    this.insert(record, updated, false);
    return withSide(record, this.side, schema, updated);
  }

  private applyWithSchema<R extends ConnectRecord>(record: R, schema: Schema, value: unknown): R {
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.schemas.get(schema, (s) => this.updatedSchema(s));
    const updated: Record<string, unknown> = {};
    for (const field of structFields(schema)) updated[field.field] = fieldValue(struct, field, this.replaceNullWithDefault);
    this.insert(record, updated, true);
    return withSide(record, this.side, updatedSchema, updated);
  }

  /** Adds the configured fields; a struct (withSchema) gets null for a partition or timestamp the record lacks. */
  private insert(record: ConnectRecord, out: Record<string, unknown>, withSchema: boolean): void {
    if (this.topic) out[this.topic.name] = record.topic;
    if (this.partition) {
      const partition = record.kafkaPartition ?? null;
      if (partition !== null || withSchema) out[this.partition.name] = partition;
    }
    if (this.offset) out[this.offset.name] = requireSinkRecord(record, PURPOSE).kafkaOffset;
    if (this.timestamp) {
      const timestamp = record.timestamp ?? null;
      // As Connect: a struct's Timestamp field holds a date (what converters expect of the logical type); a map the millis.
      if (withSchema) out[this.timestamp.name] = timestamp === null ? null : new Date(timestamp);
      else if (timestamp !== null) out[this.timestamp.name] = timestamp;
    }
    if (this.staticField && this.staticValue !== null) out[this.staticField.name] = this.staticValue;
  }

  private updatedSchema(schema: Schema): Schema {
    const fields = [...structFields(schema)];
    const add = (spec: InsertionSpec | null, type: 'string' | 'int32' | 'int64'): void => {
      if (spec) fields.push(asField(spec.name, { type, optional: spec.optional }));
    };
    add(this.topic, 'string');
    add(this.partition, 'int32');
    add(this.offset, 'int64');
    if (this.timestamp) fields.push(asField(this.timestamp.name, timestampSchema(this.timestamp.optional)));
    add(this.staticField, 'string');
    // As in Connect, the updated struct schema keeps name, version, doc and parameters, not optionality or default.
    const out = copySchemaBasics(schema, 'struct');
    out.fields = fields;
    return out;
  }
}
