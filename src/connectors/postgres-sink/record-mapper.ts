/**
 * A SinkRecord → the row operation it stands for: the target table, the key columns and the value columns (names,
 * schemas, text values), per pk.mode, the field filters and delete.enabled. Pure; a record that does not fit throws a
 * PgSinkError (PIPECTL_PGSINK_RECORD for one bad record, PIPECTL_PGSINK_SCHEMA for a setting that cannot work).
 */
import type { Schema, SinkRecord } from '../../plugins/connect-data.js';
import { valueText } from './column-types.js';
import { PgSinkError } from './pg-sink-error.js';
import { RowLayouts, columnOf, keyValueOf } from './row-layout.js';
import type { Column, RowLayout, TableName } from './row-layout.js';

export type { Column, TableName } from './row-layout.js';
import type { PostgresSinkSettings } from './sink-settings.js';

export interface RowOp {
  /** The record, for the errant record reporter; null once put() knows there is none to report to. */
  record: SinkRecord | null;
  /** Where the record was read, to name it when it fails the task. */
  topic: string;
  partition: number;
  offset: number;
  kind: 'upsert' | 'delete';
  table: TableName;
  keyColumns: Column[];
  /** Empty for a delete. */
  valueColumns: Column[];
  keyValues: (string | null)[];
  values: (string | null)[];
  /** Same shape (table and columns) ⇔ same string: rows of one shape go into one statement. */
  shape: string;
}

/** A quoted identifier; a name with a NUL (which no identifier can hold, and which would cut the statement) is the record's fault. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new PgSinkError('PIPECTL_PGSINK_RECORD', 'A field or table name holds a NUL character, which Postgres identifiers cannot');
  return `"${name.replace(/"/g, '""')}"`;
}

const KAFKA_COLUMNS = ['__connect_topic', '__connect_partition', '__connect_offset'];

interface Field {
  name: string;
  schema: Schema | null;
  value: unknown;
}

/** The fields of a struct (schema'd) or a plain object (schemaless). */
function fieldsOf(value: unknown, schema: Schema | null | undefined, what: string): Field[] {
  if (schema) {
    if (schema.type !== 'struct') throw new PgSinkError('PIPECTL_PGSINK_SCHEMA', `The record ${what} has schema type ${schema.type}; a struct is needed here (use a converter with schemas, or a transform that makes a struct)`);
    const obj = (value ?? {}) as Record<string, unknown>;
    return (schema.fields ?? []).map((f) => ({ name: f.field, schema: f, value: obj[f.field] }));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) {
    throw new PgSinkError('PIPECTL_PGSINK_SCHEMA', `The record ${what} is schemaless and not a map of fields; the sink needs a struct or a map`);
  }
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return entries.map(([k, v]) => ({ name: String(k), schema: null, value: v }));
}

export class RecordMapper {
  private readonly tables = new Map<string, TableName>();
  private readonly layouts: RowLayouts;

  constructor(private readonly s: PostgresSinkSettings) {
    this.layouts = new RowLayouts(s.pkMode);
  }

  /** The table of a topic: table.name.format with ${topic} (dots made underscores); one dot separates a schema. */
  tableOf(topic: string): TableName {
    let t = this.tables.get(topic);
    if (!t) {
      const name = this.s.tableNameFormat.replace(/\$\{topic\}/g, topic.replace(/\./g, '_'));
      const dot = name.indexOf('.');
      const schema = dot < 0 ? null : name.slice(0, dot);
      const table = dot < 0 ? name : name.slice(dot + 1);
      t = { schema, table, qualified: schema === null ? quoteIdent(table) : `${quoteIdent(schema)}.${quoteIdent(table)}` };
      this.tables.set(topic, t);
    }
    return t;
  }

  private included(topic: string, field: string): boolean {
    const match = (entry: string): boolean => entry === field || entry === `${topic}:${field}`;
    if (this.s.fieldInclude && !this.s.fieldInclude.some(match)) return false;
    return !this.s.fieldExclude.some(match);
  }

  private text(f: Field, where: string): string | null {
    return this.columnText(f.value, f, where);
  }

  private keyFields(r: SinkRecord): Field[] {
    const { pkMode, pkFields } = this.s;
    if (pkMode === 'none') return [];
    if (pkMode === 'kafka') {
      const names = pkFields.length === 3 ? pkFields : KAFKA_COLUMNS;
      return [
        { name: names[0]!, schema: { type: 'string' }, value: r.topic },
        { name: names[1]!, schema: { type: 'int32' }, value: r.kafkaPartition },
        { name: names[2]!, schema: { type: 'int64' }, value: r.kafkaOffset },
      ];
    }
    if (pkMode === 'record_key') {
      if (r.key === null || r.key === undefined) throw new PgSinkError('PIPECTL_PGSINK_RECORD', `The record has no key, which pk.mode=record_key needs (topic ${r.topic}, partition ${r.kafkaPartition}, offset ${r.kafkaOffset})`);
      const primitive = r.keySchema ? r.keySchema.type !== 'struct' : typeof r.key !== 'object' || Buffer.isBuffer(r.key);
      if (primitive) {
        if (pkFields.length !== 1) throw new PgSinkError('PIPECTL_PGSINK_SCHEMA', `Need exactly one PK column defined since the key schema for records is a primitive type, defined columns are: [${pkFields.join(', ')}] (set pk.fields to one name)`);
        return [{ name: pkFields[0]!, schema: r.keySchema ?? null, value: r.key }];
      }
      const all = fieldsOf(r.key, r.keySchema, 'key');
      if (pkFields.length === 0) return all;
      return pkFields.map((n) => {
        const f = all.find((x) => x.name === n);
        if (!f) throw new PgSinkError('PIPECTL_PGSINK_SCHEMA', `pk.fields names ${n}, which the record key does not have (it has ${all.map((x) => x.name).join(', ')})`);
        return f;
      });
    }
    // record_value
    if (r.value === null || r.value === undefined) throw new PgSinkError('PIPECTL_PGSINK_RECORD', 'A record with a null value has no key with pk.mode=record_value');
    const all = fieldsOf(r.value, r.valueSchema, 'value');
    if (pkFields.length === 0) return all;
    return pkFields.map((n) => {
      const f = all.find((x) => x.name === n);
      if (!f) throw new PgSinkError('PIPECTL_PGSINK_SCHEMA', `pk.fields names ${n}, which the record value does not have`);
      return f;
    });
  }

  /**
   * The operation of one record, or null when it is skipped (a null value with delete.enabled=false; a truncate or
   * message event). A Debezium envelope (value schema named `….Envelope`) is read as Debezium's JDBC sink reads it:
   * `after` for c/r/u, a delete by key for d.
   */
  map(input: SinkRecord): RowOp | null {
    const r = unwrapEnvelope(input);
    if (r === null) return null;
    const deleting = r.value === null || r.value === undefined;
    if (deleting && !this.s.deleteEnabled) return null;
    if (!deleting) {
      const layout = this.layouts.find(r);
      if (layout) return this.mapByLayout(input, r, layout);
    }
    const table = this.tableOf(r.topic);
    const keys = this.keyFields(r);
    const keyColumns = keys.map((f) => columnOf(f.name, f.schema));
    const keyValues = keys.map((f) => this.text(f, 'key'));
    if (deleting) {
      return { record: input, topic: input.topic, partition: input.kafkaPartition, offset: input.kafkaOffset, kind: 'delete', table, keyColumns, valueColumns: [], keyValues, values: [], shape: `${table.qualified}|d|${keyColumns.map((c) => c.name).join(',')}` };
    }
    const keyNames = new Set(keyColumns.map((c) => c.name));
    const fields = fieldsOf(r.value, r.valueSchema, 'value').filter((f) => !keyNames.has(f.name) && this.included(r.topic, f.name));
    // Checked here, before the layout is remembered, so such a record goes to put()'s errant report, not to a chunk.
    for (const f of [...keys, ...fields]) quoteIdent(f.name);
    const op: RowOp = {
      record: input,
      topic: input.topic,
      partition: input.kafkaPartition,
      offset: input.kafkaOffset,
      kind: 'upsert',
      table,
      keyColumns,
      valueColumns: fields.map((f) => columnOf(f.name, f.schema)),
      keyValues,
      values: fields.map((f) => this.text(f, 'value')),
      shape: `${table.qualified}|w|${keyColumns.map((c) => c.name).join(',')}|${fields.map((f) => f.name).join(',')}`,
    };
    this.layouts.remember(r, op);
    return op;
  }

  /** The same operation as map()'s, for a record whose layout is known: no per-record field lists or shape string. */
  private mapByLayout(input: SinkRecord, r: SinkRecord, layout: RowLayout): RowOp {
    const { keyColumns, keySources, valueColumns } = layout;
    const keyValues: (string | null)[] = new Array(keyColumns.length);
    for (let i = 0; i < keyColumns.length; i++) keyValues[i] = this.columnText(keyValueOf(r, keySources[i]!, keyColumns[i]!.name), keyColumns[i]!, 'key');
    const value = r.value as Record<string, unknown>;
    const values: (string | null)[] = new Array(valueColumns.length);
    for (let i = 0; i < valueColumns.length; i++) values[i] = this.columnText(value[valueColumns[i]!.name], valueColumns[i]!, 'value');
    return { record: input, topic: input.topic, partition: input.kafkaPartition, offset: input.kafkaOffset, kind: 'upsert', table: layout.table, keyColumns, valueColumns, keyValues, values, shape: layout.shape };
  }

  /** text() without a Field object. */
  private columnText(value: unknown, c: Column, where: string): string | null {
    let v = value;
    if ((v === null || v === undefined) && this.s.replaceNullWithDefault && c.schema?.default !== undefined) v = c.schema.default;
    try {
      return valueText(v, c.schema);
    } catch (e) {
      throw new PgSinkError('PIPECTL_PGSINK_RECORD', `The ${where} field ${c.name} cannot be written: ${(e as Error).message}`, { cause: e });
    }
  }
}

/** A Debezium change event → the record as ExtractNewRecordState would make it (null: nothing to write); others as they are. */
function unwrapEnvelope(r: SinkRecord): SinkRecord | null {
  const schema = r.valueSchema;
  if (!schema || schema.type !== 'struct' || !schema.name?.endsWith('.Envelope') || r.value === null || r.value === undefined) return r;
  const envelope = r.value as { op?: string; after?: unknown };
  const after = schema.fields?.find((f) => f.field === 'after') ?? null;
  if (envelope.op === 'd') return { ...r, value: null, valueSchema: after };
  if (envelope.op === 'c' || envelope.op === 'r' || envelope.op === 'u') return { ...r, value: envelope.after ?? null, valueSchema: after };
  return null;
}
