/**
 * Debezium's ExtractNewRecordState (`io.debezium.transforms.ExtractNewRecordState`, as Debezium 3.x has it, read at
 * 3.6.1): replaces a change event (a value whose schema is named `….Envelope`: before, after, source, transaction,
 * op, ts_ms …) by its `after` row, with the row's schema. What becomes of deletes and tombstones is
 * `delete.tombstone.handling.mode`:
 *
 * | mode | delete event (`op=d`) | tombstone |
 * |---|---|---|
 * | `drop` | dropped | dropped |
 * | `tombstone` (default) | value null, value schema the row's | dropped |
 * | `rewrite` | the `before` row + `__deleted="true"` | dropped |
 * | `rewrite-with-tombstone` | as `rewrite` | kept |
 * | `delete-to-tombstone` | a tombstone (value and value schema null) | dropped |
 *
 * In the rewrite modes creates/updates/reads get `__deleted="false"`. `add.fields` / `add.headers` copy envelope
 * fields into the row / the headers (`op`, `ts_ms`, `table`, `source.lsn`, `lsn:LSN` …, see FieldReference), a
 * tombstone gets only the `op` header (`d`). `route.by.field` sets the topic from a row field, `drop.fields.header.name`
 * names a header listing fields to remove. An event whose `before` and `after` are both null (truncate, message) is
 * dropped. Anything that is not an envelope — heartbeats, schema changes, schemaless values — passes unchanged.
 *
 * Like Debezium, it works through Connect's ExtractField, InsertField and ReplaceField (ours), so schemas come out as
 * theirs do: the row struct keeps its name, loses its optionality; added fields are optional copies of the source's.
 */
import type { ConfigDef, ConfigKeyDef } from '../plugins/config-def.js';
import { javaTrim, parseList } from '../plugins/config-validation.js';
import type { ConnectRecord, Header, Schema } from '../plugins/connect-data.js';
import { STRING_SCHEMA } from '../plugins/connect-data.js';
import { TransformConfigError, TransformDataError } from '../plugins/transformation.js';
import type { Transformation } from '../plugins/transformation.js';
import { ExtractField } from './extract-field.js';
import { InsertField } from './insert-field.js';
import { ReplaceField } from './replace-field.js';
import { isPlainMap, requireStruct } from './requirements.js';
import { copySchemaBasics, structFields } from './struct-schema.js';
import type { SchemaField } from './struct-schema.js';
import { javaSplit, parseTransformConfig } from './transform-config.js';

export const DEBEZIUM_TRANSFORMS_PACKAGE = 'io.debezium.transforms';

/** `delete.tombstone.handling.mode` values, in Debezium's order. */
export const DELETE_TOMBSTONE_MODES = ['drop', 'tombstone', 'rewrite', 'rewrite-with-tombstone', 'delete-to-tombstone'] as const;
export type DeleteTombstoneMode = (typeof DELETE_TOMBSTONE_MODES)[number];

const DELETED_FIELD = '__deleted';
const ENVELOPE_SUFFIX = '.Envelope';
const PURPOSE = 'source field insertion';

function parseMode(value: string): DeleteTombstoneMode | undefined {
  const v = javaTrim(value).toLowerCase();
  return DELETE_TOMBSTONE_MODES.find((m) => m === v);
}

/**
 * One `add.fields` / `add.headers` entry (Debezium's FieldReference): `field`, `struct.field` or either with
 * `:newName`. An unqualified name is looked up in the struct Debezium assigns it (`id`, `total_order`,
 * `data_collection_order` → transaction; `op`, `ts_ms`, `ts_us`, `ts_ns` → the envelope; anything else → source).
 * The output name is the prefix + `field`, `struct_field`, or `newName`.
 */
interface FieldReference {
  /** The struct holding the field, or null for a top-level envelope field. */
  struct: string | null;
  field: string;
  newField: string;
}

function determineStruct(field: string): string | null {
  switch (field) {
    case 'id':
    case 'total_order':
    case 'data_collection_order':
      return 'transaction';
    case 'op':
    case 'ts_ms':
    case 'ts_us':
    case 'ts_ns':
      return null;
    case 'updateDescription':
      return 'updateDescription';
    default:
      return 'source';
  }
}

/** Parses one entry; returns Debezium's message for an entry with more than one `:`. */
function fieldReference(prefix: string, spec: string): FieldReference | string {
  const parts = javaSplit(spec, ':');
  if (parts.length > 2) return `Unexpected field name: ${spec}`;
  const splits = javaSplit(parts[0] ?? '', '.');
  const field = splits.length <= 1 ? (splits[0] ?? '') : splits[1]!;
  const struct = splits.length <= 1 ? determineStruct(field) : splits[0]!;
  const newField = prefix + (parts.length === 2 ? parts[1]! : splits.length <= 1 ? field : `${struct}_${field}`);
  return { struct, field, newField };
}

function fieldReferences(prefix: string, items: readonly string[]): FieldReference[] | string {
  const out: FieldReference[] = [];
  for (const item of items) {
    const ref = fieldReference(prefix, item);
    if (typeof ref === 'string') return ref;
    out.push(ref);
  }
  return out;
}

const referenceList = (name: string, doc: string): ConfigKeyDef => ({
  name, type: 'LIST', default: '', importance: 'LOW', width: 'LONG', documentation: doc,
  validate: (v) => {
    const refs = fieldReferences('', parseList(v));
    return typeof refs === 'string' ? `Invalid value ${v} for configuration ${name}: ${refs}` : undefined;
  },
});

/** Keys of Debezium 2.x that 3.2 removed (Debezium 3.x ignores them); refused here so an old config is not misread. */
const removedKey = (name: string, instead: string): ConfigKeyDef => ({
  name, type: 'STRING', default: null, importance: 'LOW',
  documentation: `Removed in Debezium 3.2 (ignored by Debezium 3.x); pipectl refuses it. Use ${instead} instead.`,
  validate: (v) => `Invalid value ${v} for configuration ${name}: ${name} was removed in Debezium 3.2 and has no effect there; use ${instead} instead`,
});

export const EXTRACT_NEW_RECORD_STATE_CONFIG: ConfigDef = [
  {
    name: 'delete.tombstone.handling.mode', type: 'STRING', default: 'tombstone', importance: 'MEDIUM', width: 'MEDIUM', displayName: 'Handle delete and tombstone records',
    documentation: 'How to handle delete records. Options are: '
      + 'drop - Remove the delete event and tombstone from the stream.'
      + 'tombstone (default) - For each delete event, leave only a tombstone in the stream.'
      + 'rewrite - Remove tombstone from the record, and add a `__deleted` field with the value `true`.'
      + 'rewrite-with-tombstone - Retain tombstone in record and add a `__deleted` field with the value `true`.'
      + 'delete-to-tombstone - Convert delete events to tombstone events and drop tombstone events.',
    recommendedValues: [...DELETE_TOMBSTONE_MODES],
    validate: (v) => (parseMode(v) ? undefined : `Invalid value ${v} for configuration delete.tombstone.handling.mode: Value must be one of ${DELETE_TOMBSTONE_MODES.join(', ')}`),
  },
  {
    name: 'route.by.field', type: 'STRING', default: '', importance: 'LOW', width: 'LONG', displayName: 'Route by field name',
    documentation: 'The column which determines how the events will be routed, the value will replace the topic name.',
  },
  { name: 'add.fields.prefix', type: 'STRING', default: '__', importance: 'LOW', width: 'SHORT', displayName: 'Field prefix to be added to each field.', documentation: 'Adds this prefix to each field listed.' },
  referenceList('add.fields', 'Adds each field listed, prefixed with __ (or __<struct>_ if the struct is specified). '
    + "Example: 'version,connector,source.ts_ms' would add __version, __connector and __source_ts_ms fields. "
    + 'Optionally one can also map new field name like version:VERSION,connector:CONNECTOR,source.ts_ms:EVENT_TIMESTAMP.'
    + 'Please note that the new field name is case-sensitive.'),
  { name: 'add.headers.prefix', type: 'STRING', default: '__', importance: 'LOW', width: 'SHORT', displayName: 'Header prefix to be added to each header.', documentation: 'Adds this prefix listed to each header.' },
  referenceList('add.headers', 'Adds each field listed to the header,  __ (or __<struct>_ if the struct is specified). '
    + "Example: 'version,connector,source.ts_ms' would add __version, __connector and __source_ts_ms fields. "
    + 'Optionally one can also map new field name like version:VERSION,connector:CONNECTOR,source.ts_ms:EVENT_TIMESTAMP.'
    + 'Please note that the new field name is case-sensitive.'),
  {
    name: 'drop.fields.header.name', type: 'STRING', default: null, importance: 'LOW', width: 'SHORT', displayName: 'Specifies a header that contains a list of field names to be removed',
    documentation: 'Specifies the name of a header that contains a list of fields to be removed from the event value.',
  },
  {
    name: 'drop.fields.from.key', type: 'BOOLEAN', default: 'false', importance: 'LOW', width: 'SHORT', displayName: 'Specifies whether the fields to be dropped should also be omitted from the key',
    documentation: 'Specifies whether to apply the drop fields behavior to the event key as well as the value. Default behavior is to only remove fields from the event value, not the key.',
  },
  {
    name: 'drop.fields.keep.schema.compatible', type: 'BOOLEAN', default: 'true', importance: 'LOW', width: 'SHORT', displayName: "Specifies if fields are dropped, will the event's schemas be compatible",
    documentation: "Controls the output event's schema compatibility when using the drop fields feature. "
      + '`true`: dropped fields are removed if the schema indicates its optional leaving the schemas unchanged, '
      + '`false`: dropped fields are removed from the key/value schemas, regardless of optionality.',
  },
  {
    name: 'replace.null.with.default', type: 'BOOLEAN', default: 'true', importance: 'LOW', width: 'SHORT', displayName: 'replace null field value with default',
    documentation: 'When this option is enabled, null field values are replaced by source-defined defaults when rewriting the record.',
  },
  removedKey('delete.handling.mode', 'delete.tombstone.handling.mode'),
  removedKey('drop.tombstones', 'delete.tombstone.handling.mode'),
];

/** A field reference resolved against one envelope schema: the added field's schema, or none (left out). */
interface ResolvedReference {
  ref: FieldReference;
  /** Optional copy of the source field's schema (SchemaUtil.copySchemaBasics(...).optional()). */
  schema: Schema;
  /** Whether the field is read from the named struct (else from the envelope itself). */
  inParent: boolean;
}

/** The struct field `name` of a struct schema, or undefined. */
const fieldOf = (schema: Schema | null | undefined, name: string): SchemaField | undefined => (schema ? structFields(schema).find((f) => f.field === name) : undefined);

/** A header value listing field names: a list (source side), or its text (sink side: `["a","b"]`). */
function fieldNameList(value: unknown, header: string): string[] {
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value) as unknown;
    } catch {
      list = undefined;
    }
  }
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
    throw new TransformDataError(`Header ${header} (drop.fields.header.name) must hold a list of field names, found: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return list as string[];
}

/**
 * The ExtractNewRecordState transformation (see the file comment). configure() throws TransformConfigError; apply()
 * throws TransformDataError for an envelope it cannot read (a value that is not a struct, a missing field named by
 * `route.by.field` or by a qualified `add.fields` entry, an added field that would duplicate a row column).
 */
export class ExtractNewRecordState implements Transformation {
  private mode: DeleteTombstoneMode = 'tombstone';
  private routeByField: string | null = null;
  private additionalFields: FieldReference[] = [];
  private additionalHeaders: FieldReference[] = [];
  private dropFieldsHeaderName: string | null = null;
  private dropFieldsFromKey = false;
  private dropFieldsKeepSchemaCompatible = true;
  private readonly afterDelegate = new ExtractField('value');
  private readonly beforeDelegate = new ExtractField('value');
  private readonly removedDelegate = new InsertField('value');
  private readonly updatedDelegate = new InsertField('value');
  /** Resolved add.fields / add.headers by envelope schema. */
  private readonly resolvedFields = new WeakMap<Schema, ResolvedReference[]>();
  private readonly resolvedHeaders = new WeakMap<Schema, ResolvedReference[]>();
  /** Updated row schemas by operation, then row schema (Debezium keys its cache by both). */
  private readonly updatedSchemas = new Map<string, WeakMap<Schema, Schema>>();

  configure(config: Readonly<Record<string, string>>): void {
    const c = parseTransformConfig(EXTRACT_NEW_RECORD_STATE_CONFIG, config);
    this.mode = parseMode(c.string('delete.tombstone.handling.mode')!)!;
    const route = c.string('route.by.field')!;
    this.routeByField = route === '' ? null : route;
    const fields = fieldReferences(c.string('add.fields.prefix') ?? '', c.list('add.fields'));
    if (typeof fields === 'string') throw new TransformConfigError('add.fields', fields);
    const headers = fieldReferences(c.string('add.headers.prefix') ?? '', c.list('add.headers'));
    if (typeof headers === 'string') throw new TransformConfigError('add.headers', headers);
    this.additionalFields = fields;
    this.additionalHeaders = headers;
    const dropHeader = c.string('drop.fields.header.name');
    this.dropFieldsHeaderName = dropHeader === null || dropHeader === '' ? null : dropHeader;
    this.dropFieldsFromKey = c.boolean('drop.fields.from.key');
    this.dropFieldsKeepSchemaCompatible = c.boolean('drop.fields.keep.schema.compatible');
    const replaceNullWithDefault = c.string('replace.null.with.default')!;
    this.afterDelegate.configure({ field: 'after' });
    this.beforeDelegate.configure({ field: 'before' });
    this.removedDelegate.configure({ 'static.field': DELETED_FIELD, 'static.value': 'true', 'replace.null.with.default': replaceNullWithDefault });
    this.updatedDelegate.configure({ 'static.field': DELETED_FIELD, 'static.value': 'false', 'replace.null.with.default': replaceNullWithDefault });
  }

  apply<R extends ConnectRecord>(input: R): R | null {
    const isTombstone = input.value === null || input.value === undefined;
    const isEnvelope = isEnvelopeSchema(input.valueSchema);
    let record = input;
    if ((isEnvelope || isTombstone) && this.additionalHeaders.length > 0) {
      const added = this.makeHeaders(isTombstone ? null : record);
      if (added.length > 0) record = { ...record, headers: [...(record.headers ?? []), ...added] };
    }
    if (isTombstone) return this.mode === 'rewrite-with-tombstone' ? record : null;
    if (!isEnvelope) return input;

    let updated = this.afterDelegate.apply(record)!;
    if (updated.value === null || updated.value === undefined) {
      // Neither before nor after: a truncate or a message event, dropped as Debezium does.
      const before = this.beforeDelegate.apply(record)!.value;
      if (before === null || before === undefined) return null;
      const deleted = this.handleDelete(record);
      if (deleted === null) return null;
      updated = deleted;
      if (this.routeByField !== null) {
        const envelope = requireStruct(record.value, 'Read record to set topic routing for DELETE');
        const before = envelope['before'];
        if (isPlainMap(before)) updated = this.routed(updated, fieldOf(record.valueSchema, 'before'), before);
      }
      if (this.dropFieldsHeaderName !== null) updated = this.dropFields(updated);
      if (updated.value !== null && updated.value !== undefined) updated = this.addFields(record, updated);
    } else {
      updated = this.handleRecord(record);
      if (this.routeByField !== null) {
        updated = this.routed(updated, updated.valueSchema, requireStruct(updated.value, 'Read record to set topic routing for CREATE / UPDATE'));
      }
      updated = this.addFields(record, updated);
      if (this.dropFieldsHeaderName !== null) updated = this.dropFields(updated);
    }
    return updated;
  }

  private handleDelete<R extends ConnectRecord>(record: R): R | null {
    switch (this.mode) {
      case 'drop':
        return null;
      case 'tombstone':
        // As Debezium: the value is null but the value schema is the row's (JDBC sinks read this as a delete).
        return this.afterDelegate.apply(record);
      case 'delete-to-tombstone':
        return { ...record, valueSchema: null, value: null };
      case 'rewrite':
      case 'rewrite-with-tombstone': {
        const old = this.beforeDelegate.apply(record)!;
        return isPlainMap(old.value) ? this.removedDelegate.apply(old) : old;
      }
    }
  }

  private handleRecord<R extends ConnectRecord>(record: R): R {
    const after = this.afterDelegate.apply(record)!;
    if ((this.mode === 'rewrite' || this.mode === 'rewrite-with-tombstone') && isPlainMap(after.value)) return this.updatedDelegate.apply(after)!;
    return after;
  }

  /** Struct.getString(route.by.field) of `struct`: the new topic when it is neither null nor blank. */
  private routed<R extends ConnectRecord>(record: R, schema: Schema | null | undefined, struct: Record<string, unknown>): R {
    const name = this.routeByField!;
    const field = fieldOf(schema, name);
    if (!field) throw new TransformDataError(`${name} is not a valid field name`);
    if (field.type !== 'string') throw new TransformDataError(`Field '${name}' is not of type STRING`);
    const topic = struct[name];
    return typeof topic === 'string' && javaTrim(topic) !== '' ? { ...record, topic } : record;
  }

  /** The add.fields / add.headers references that exist in this envelope schema, with their field schemas. */
  private resolve(envelopeSchema: Schema, refs: readonly FieldReference[], cache: WeakMap<Schema, ResolvedReference[]>): ResolvedReference[] {
    let resolved = cache.get(envelopeSchema);
    if (resolved !== undefined) return resolved;
    resolved = [];
    for (const ref of refs) {
      let parentSchema: Schema = envelopeSchema;
      if (ref.struct !== null) {
        const parent = fieldOf(envelopeSchema, ref.struct);
        // Debezium fails here with a NullPointerException.
        if (!parent) throw new TransformDataError(`The change event has no field ${ref.struct} to read ${ref.struct}.${ref.field} from (schema ${envelopeSchema.name})`);
        parentSchema = parent;
      }
      let field = fieldOf(parentSchema, ref.field);
      const inParent = field !== undefined;
      // A field another SMT added to the envelope itself is found there.
      field ??= fieldOf(envelopeSchema, ref.field);
      if (!field) continue;
      if (field.type === 'struct' || field.type === 'map') {
        throw new TransformDataError(`Cannot add ${ref.struct === null ? '' : `${ref.struct}.`}${ref.field} as ${ref.newField}: only fields of primitive or array type can be added, it is a ${field.type}`);
      }
      const schema = copySchemaBasics(field);
      schema.optional = true;
      resolved.push({ ref, schema, inParent });
    }
    cache.set(envelopeSchema, resolved);
    return resolved;
  }

  /** FieldReference.getValue: the field without its default, null when its struct (e.g. transaction) is null. */
  private static valueOf(resolved: ResolvedReference, envelope: Record<string, unknown>): unknown {
    const { struct, field } = resolved.ref;
    const parent = struct === null ? envelope : envelope[struct];
    if (parent === null || parent === undefined) return null;
    const source = resolved.inParent && isPlainMap(parent) ? parent : envelope;
    return source[field] ?? null;
  }

  private makeHeaders(record: ConnectRecord | null): Header[] {
    const headers: Header[] = [];
    if (record === null) {
      // A tombstone: only `op`, as a delete.
      for (const ref of this.additionalHeaders) if (ref.field === 'op') headers.push({ key: ref.newField, value: 'd', schema: STRING_SCHEMA });
      return headers;
    }
    const envelope = requireStruct(record.value, PURPOSE);
    for (const r of this.resolve(record.valueSchema!, this.additionalHeaders, this.resolvedHeaders)) {
      headers.push({ key: r.ref.newField, value: ExtractNewRecordState.valueOf(r, envelope), schema: r.schema });
    }
    return headers;
  }

  private addFields<R extends ConnectRecord>(original: R, unwrapped: R): R {
    const value = requireStruct(unwrapped.value, PURPOSE);
    const envelope = original.value as Record<string, unknown>;
    const rowSchema = unwrapped.valueSchema!;
    const resolved = this.resolve(original.valueSchema!, this.additionalFields, this.resolvedFields);
    const op = typeof envelope['op'] === 'string' ? envelope['op'] : '';
    let byOp = this.updatedSchemas.get(op);
    if (byOp === undefined) {
      byOp = new WeakMap();
      this.updatedSchemas.set(op, byOp);
    }
    let updatedSchema = byOp.get(rowSchema);
    if (updatedSchema === undefined) {
      updatedSchema = copySchemaBasics(rowSchema, 'struct');
      const fields = [...structFields(rowSchema)];
      for (const r of resolved) {
        if (fields.some((f) => f.field === r.ref.newField)) throw new TransformDataError(`Cannot create field because of field name duplication ${r.ref.newField}`);
        fields.push({ ...r.schema, field: r.ref.newField });
      }
      updatedSchema.fields = fields;
      byOp.set(rowSchema, updatedSchema);
    }
    const updated: Record<string, unknown> = {};
    // The row's values as they are (getWithoutDefault): defaults were applied, or not, by the delegates.
    for (const field of structFields(rowSchema)) updated[field.field] = value[field.field] ?? null;
    for (const r of resolved) updated[r.ref.newField] = ExtractNewRecordState.valueOf(r, envelope);
    return { ...unwrapped, valueSchema: updatedSchema, value: updated };
  }

  /** Removes the fields the drop.fields.header.name header lists (only optional ones unless keep.schema.compatible=false). */
  private dropFields<R extends ConnectRecord>(record: R): R {
    const name = this.dropFieldsHeaderName!;
    const header = record.headers?.find((h) => h.key === name);
    if (header === undefined || header.value === null || header.value === undefined) return record;
    const names = fieldNameList(header.value, name);
    if (names.length === 0) return record;
    let out = record;
    if (this.dropFieldsFromKey && out.key !== null && out.key !== undefined) out = this.dropFrom(out, 'key', out.keySchema, names);
    return this.dropFrom(out, 'value', out.valueSchema, names);
  }

  private dropFrom<R extends ConnectRecord>(record: R, side: 'key' | 'value', schema: Schema | null | undefined, names: readonly string[]): R {
    let toDrop: readonly string[] = names;
    if (this.dropFieldsKeepSchemaCompatible) {
      // Debezium fails on a null schema here; there is nothing to drop from it.
      toDrop = schema ? structFields(schema).filter((f) => f.optional === true && names.includes(f.field)).map((f) => f.field) : [];
    }
    if (toDrop.length === 0) return record;
    const delegate = new ReplaceField(side);
    delegate.configure({ exclude: toDrop.join(',') });
    return delegate.apply(record)!;
  }
}

/** Debezium's SmtManager.isValidEnvelope: a value schema whose name ends with `.Envelope`. */
function isEnvelopeSchema(schema: Schema | null | undefined): schema is Schema {
  return typeof schema?.name === 'string' && schema.name.endsWith(ENVELOPE_SUFFIX);
}
