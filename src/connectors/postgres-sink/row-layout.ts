/**
 * The layout of a kind of record — table, key and value columns, shape — found once per (value schema, key schema,
 * topic) instead of once per record. The converters hand out one canonical schema object per schema, so a layout is
 * found by identity, and its records share one set of column arrays and one shape string (grouping by shape then
 * compares a pointer). Only records with a value schema (and a key schema for pk.mode=record_key) have a layout;
 * RecordMapper maps the others, and the first record of each layout, field by field.
 */
import type { Schema, SinkRecord } from '../../plugins/connect-data.js';
import { isPlainText } from './column-types.js';
import type { PkMode } from './sink-settings.js';

export interface Column {
  name: string;
  /** null: schemaless (the table must already have the column). */
  schema: Schema | null;
  /** True when the column's texts never hold a character COPY escapes (see isPlainText); absent counts as false. */
  plain?: boolean;
}

/** A column of `name` and `schema`, with whether COPY may skip escaping its texts. */
export function columnOf(name: string, schema: Schema | null): Column {
  return { name, schema, plain: isPlainText(schema) };
}

export interface TableName {
  schema: string | null;
  table: string;
  /** `"schema"."table"` or `"table"`, quoted. */
  qualified: string;
}

/** Where a key column's value comes from. */
export type KeySource = 'topic' | 'partition' | 'offset' | 'key' | 'key-field' | 'value-field';

export interface RowLayout {
  table: TableName;
  keyColumns: Column[];
  keySources: KeySource[];
  valueColumns: Column[];
  shape: string;
}

/** The key column's value in `r` (read from the record as RecordMapper's field-by-field path reads it). */
export function keyValueOf(r: SinkRecord, source: KeySource, name: string): unknown {
  switch (source) {
    case 'topic':
      return r.topic;
    case 'partition':
      return r.kafkaPartition;
    case 'offset':
      return r.kafkaOffset;
    case 'key':
      return r.key;
    case 'key-field':
      return (r.key as Record<string, unknown>)[name];
    case 'value-field':
      return (r.value as Record<string, unknown>)[name];
  }
}

/** Stands for "any key schema" where the key schema does not decide the layout. */
const ANY_KEY: Schema = { type: 'struct' };

export class RowLayouts {
  private readonly byValueSchema = new WeakMap<Schema, Map<Schema, Map<string, RowLayout>>>();

  constructor(private readonly pkMode: PkMode) {}

  /** The schema that, beside the value schema, decides the key columns; undefined when the record has no layout. */
  private keySchemaOf(r: SinkRecord): Schema | undefined {
    if (this.pkMode !== 'record_key') return ANY_KEY;
    // A schemaless key names its fields per record; a missing key is an error the field-by-field path reports.
    return r.key === null || r.key === undefined ? undefined : (r.keySchema ?? undefined);
  }

  /** The layout of a record with a non-null value, if one is known. */
  find(r: SinkRecord): RowLayout | undefined {
    const valueSchema = r.valueSchema;
    if (!valueSchema) return undefined;
    const keySchema = this.keySchemaOf(r);
    return keySchema && this.byValueSchema.get(valueSchema)?.get(keySchema)?.get(r.topic);
  }

  /** Remembers the layout of `op`, an upsert that RecordMapper made field by field from `r`. */
  remember(r: SinkRecord, op: Omit<RowLayout, 'keySources'>): void {
    const valueSchema = r.valueSchema;
    const keySchema = this.keySchemaOf(r);
    if (!valueSchema || valueSchema.type !== 'struct' || !keySchema) return;
    let byKey = this.byValueSchema.get(valueSchema);
    if (!byKey) this.byValueSchema.set(valueSchema, (byKey = new Map()));
    let byTopic = byKey.get(keySchema);
    if (!byTopic) byKey.set(keySchema, (byTopic = new Map()));
    byTopic.set(r.topic, { table: op.table, keyColumns: op.keyColumns, keySources: this.keySources(r, op.keyColumns.length), valueColumns: op.valueColumns, shape: op.shape });
  }

  private keySources(r: SinkRecord, count: number): KeySource[] {
    switch (this.pkMode) {
      case 'none':
        return [];
      case 'kafka':
        return ['topic', 'partition', 'offset'];
      case 'record_key':
        return new Array<KeySource>(count).fill(r.keySchema!.type === 'struct' ? 'key-field' : 'key');
      case 'record_value':
        return new Array<KeySource>(count).fill('value-field');
    }
  }
}
