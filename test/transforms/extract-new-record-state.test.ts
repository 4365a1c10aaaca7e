/**
 * Debezium's ExtractNewRecordState on the change events pipectl's Postgres CDC source builds (src/connectors/postgres:
 * the event format and changeRecords, as Debezium 3.6.1 writes them), on the source side (records as the connector
 * makes them) and on the sink side (the same records through JsonConverter with schemas, headers as strings). Results
 * are compared as the JSON a sink's JsonConverter would write for them, schema included.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changeRecords } from '../../src/connectors/postgres/change-records.js';
import type { Change, ChangeContext } from '../../src/connectors/postgres/change-records.js';
import { EVENT_FORMAT_DEFAULTS, sequenceText, TableEventFormat, TypeCatalog } from '../../src/connectors/postgres/event-format/index.js';
import type { PgTable } from '../../src/connectors/postgres/event-format/index.js';
import { heartbeatRecord } from '../../src/connectors/postgres/heartbeat.js';
import { sourceInfo } from '../../src/connectors/postgres/change-records.js';
import type { CapturedTable } from '../../src/connectors/postgres/table-catalog.js';
import { JsonConverter } from '../../src/converters/json-converter.js';
import type { ConnectRecord, Header, Schema, SinkRecord, SourceRecord } from '../../src/plugins/connect-data.js';
import { TransformConfigError, TransformDataError } from '../../src/plugins/transformation.js';
import { validateTransforms } from '../../src/transforms/transform-validation.js';
import { registry, transform } from './records.js';

const table: PgTable = {
  schema: 'public', name: 'customers', keyColumns: ['id'],
  columns: [
    { name: 'id', typeOid: 23, typeMod: -1, optional: false },
    { name: 'email', typeOid: 25, typeMod: -1, optional: true },
    { name: 'score', typeOid: 20, typeMod: -1, optional: true },
    { name: 'region', typeOid: 25, typeMod: -1, optional: false },
  ],
};
const format = new TableEventFormat(table, TypeCatalog.builtin(), { ...EVENT_FORMAT_DEFAULTS, topicPrefix: 'shop' });
const captured: CapturedTable = { oid: 16384, db: 'postgres', schema: 'public', name: 'customers', columnNames: table.columns.map((c) => c.name), format };
const TS_US = 1704164645123456n;

function ctx(messageType: 'INSERT' | 'UPDATE' | 'DELETE'): ChangeContext {
  return {
    partition: { server: 'shop' }, tombstonesOnDelete: true, skipped: new Set(),
    position: { commitLsn: 1300n, lsn: 1234n, processedLsn: null, txId: 555, tsUs: TS_US, messageType }, lastCommitLsn: 1100n,
  };
}

/** Debezium's context headers, which pipectl's task puts on every event. */
const CONTEXT_HEADERS: Header[] = [{ key: '__debezium.context.connectorLogicalName', value: 'shop', schema: { type: 'string', optional: false } }];
const withContext = (r: SourceRecord): SourceRecord => ({ ...r, headers: [...(r.headers ?? []), ...CONTEXT_HEADERS] });

const events = {
  create: (): SourceRecord[] => changeRecords(captured, { kind: 'insert', newRow: ['1', 'a@x', '7', 'eu'] }, ctx('INSERT')).map(withContext),
  /** REPLICA IDENTITY FULL: the old row comes with the update. */
  update: (): SourceRecord[] => changeRecords(captured, { kind: 'update', newRow: ['1', 'b@x', '8', 'us'], oldKey: null, oldRow: ['1', 'a@x', '7', 'eu'] }, ctx('UPDATE')).map(withContext),
  /** REPLICA IDENTITY DEFAULT: a delete carries the key; Debezium's before has the other columns null or zero. */
  delete: (): SourceRecord[] => changeRecords(captured, { kind: 'delete', oldKey: ['1', null, null, null], oldRow: null }, ctx('DELETE')).map(withContext),
  keyChange: (): SourceRecord[] =>
    changeRecords(captured, { kind: 'update', newRow: ['2', 'a@x', '7', 'eu'], oldKey: ['1', null, null, null], oldRow: null } satisfies Change, ctx('UPDATE')).map(withContext),
  read: (): SourceRecord[] => [
    withContext({
      topic: format.topic, keySchema: format.keySchema, key: format.key(['3', null, null, 'eu']), valueSchema: format.valueSchema,
      value: format.envelope('r', null, format.row(['3', null, null, 'eu']), sourceInfo(captured, TS_US, 'first_in_data_collection', 554, 1000n, sequenceText(null, 1000n)), 1n),
      sourcePartition: { server: 'shop' }, sourceOffset: { lsn: 1000 },
    }),
  ],
};

function json(schemas: boolean): JsonConverter {
  const c = new JsonConverter();
  c.configure({ 'schemas.enable': String(schemas) });
  return c;
}
const withSchemas = json(true);

/** What a sink task gets for a source record: key and value through JsonConverter, headers as strings. */
function onSinkSide(r: SourceRecord, offset = 10): SinkRecord {
  const key = withSchemas.toConnectData(r.topic, withSchemas.fromConnectData(r.topic, r.keySchema, r.key));
  const value = withSchemas.toConnectData(r.topic, withSchemas.fromConnectData(r.topic, r.valueSchema, r.value));
  const headers = (r.headers ?? []).map((h) => ({ key: h.key, value: typeof h.value === 'string' ? h.value : JSON.stringify(h.value) }));
  return { topic: r.topic, kafkaPartition: 0, kafkaOffset: offset, keySchema: key.schema, key: key.value, valueSchema: value.schema, value: value.value, timestamp: 1, headers };
}

/** The record as JSON a sink would write: key and value with their schemas, plus topic; null for a dropped record. */
function written(r: ConnectRecord | null): { topic: string; key: unknown; value: unknown } | null {
  if (r === null) return null;
  const text = (schema: Schema | null | undefined, v: unknown): unknown => {
    const bytes = withSchemas.fromConnectData(r.topic, schema, v);
    return bytes === null ? null : JSON.parse(bytes.toString('utf8'));
  };
  return { topic: r.topic, key: text(r.keySchema, r.key), value: text(r.valueSchema, r.value) };
}

const f = (field: string, type: string, optional: boolean, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type, optional, ...extra, field });
const ROW_FIELDS = [f('id', 'int32', false), f('email', 'string', true), f('score', 'int64', true), f('region', 'string', false)];
const KEY = { schema: { type: 'struct', fields: [f('id', 'int32', false)], optional: false, name: 'shop.public.customers.Key' }, payload: { id: 1 } };
/** The unwrapped row's schema: the row struct's name, not optional (Debezium rebuilds it with SchemaUtil.copySchemaBasics). */
const rowSchema = (extra: Record<string, unknown>[] = []): Record<string, unknown> => ({ type: 'struct', fields: [...ROW_FIELDS, ...extra], optional: false, name: 'shop.public.customers.Value' });
const row = (payload: Record<string, unknown>, extra: Record<string, unknown>[] = []): unknown => ({ schema: rowSchema(extra), payload });
const DELETED = f('__deleted', 'string', true);

const SIDES: [string, (r: SourceRecord) => ConnectRecord][] = [['source side', (r) => r], ['sink side', (r) => onSinkSide(r)]];

for (const [side, prepare] of SIDES) {
  const run = (config: Record<string, string>, records: SourceRecord[]): (ReturnType<typeof written>)[] => {
    const t = transform('io.debezium.transforms.ExtractNewRecordState', config);
    return records.map((r) => written(t.apply(prepare(r))));
  };

  test(`${side}: default mode unwraps c, u, r to the after row; a delete becomes a null value, its tombstone is dropped`, () => {
    assert.deepEqual(run({}, events.create()), [{ topic: 'shop.public.customers', key: KEY, value: row({ id: 1, email: 'a@x', score: 7, region: 'eu' }) }]);
    assert.deepEqual(run({}, events.update()), [{ topic: 'shop.public.customers', key: KEY, value: row({ id: 1, email: 'b@x', score: 8, region: 'us' }) }]);
    assert.deepEqual(run({}, events.read()), [{ topic: 'shop.public.customers', key: { ...KEY, payload: { id: 3 } }, value: row({ id: 3, email: null, score: null, region: 'eu' }) }]);
    const [del, tombstone] = run({}, events.delete());
    // Debezium keeps the row's (optional) schema on the delete, with a null value: JsonConverter writes it as such.
    assert.deepEqual(del, { topic: 'shop.public.customers', key: KEY, value: { schema: { type: 'struct', fields: ROW_FIELDS, optional: true, name: 'shop.public.customers.Value' }, payload: null } });
    assert.equal(tombstone, null);
  });

  test(`${side}: delete.tombstone.handling.mode, each mode on a delete and its tombstone`, () => {
    const deletedRow = row({ id: 1, email: null, score: null, region: '', __deleted: 'true' }, [DELETED]);
    const tombstoneOut = { topic: 'shop.public.customers', key: KEY, value: null };
    assert.deepEqual(run({ 'delete.tombstone.handling.mode': 'drop' }, events.delete()), [null, null]);
    assert.deepEqual(run({ 'delete.tombstone.handling.mode': 'rewrite' }, events.delete()), [{ topic: 'shop.public.customers', key: KEY, value: deletedRow }, null]);
    assert.deepEqual(run({ 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' }, events.delete()), [{ topic: 'shop.public.customers', key: KEY, value: deletedRow }, tombstoneOut]);
    assert.deepEqual(run({ 'delete.tombstone.handling.mode': 'delete-to-tombstone' }, events.delete()), [tombstoneOut, null]);
    assert.deepEqual(run({ 'delete.tombstone.handling.mode': ' Rewrite ' }, events.create()), [
      { topic: 'shop.public.customers', key: KEY, value: row({ id: 1, email: 'a@x', score: 7, region: 'eu', __deleted: 'false' }, [DELETED]) },
    ], 'rewrite marks creates with __deleted=false; the mode is read case-insensitively');
    assert.deepEqual(run({ 'delete.tombstone.handling.mode': 'drop' }, events.create()), [{ topic: 'shop.public.customers', key: KEY, value: row({ id: 1, email: 'a@x', score: 7, region: 'eu' }) }]);
  });

  test(`${side}: a key change (d with the newkey header, tombstone, c with the oldkey header) in rewrite mode`, () => {
    const out = run({ 'delete.tombstone.handling.mode': 'rewrite' }, events.keyChange());
    assert.deepEqual(out.map((r) => r && (r.value as { payload: unknown }).payload), [{ id: 1, email: null, score: null, region: '', __deleted: 'true' }, null, { id: 2, email: 'a@x', score: 7, region: 'eu', __deleted: 'false' }]);
  });

  test(`${side}: add.fields adds op, table, lsn and source.ts_ms (Debezium's names and optional schemas), also to a rewritten delete`, () => {
    const config = { 'add.fields': 'op,table,lsn,source.ts_ms,ts_ms, id', 'delete.tombstone.handling.mode': 'rewrite' };
    const added = [f('__op', 'string', true), f('__table', 'string', true), f('__lsn', 'int64', true), f('__source_ts_ms', 'int64', true), f('__ts_ms', 'int64', true), f('__id', 'string', true)];
    const [create] = run(config, events.create());
    const value = create!.value as { schema: Record<string, unknown>; payload: Record<string, unknown> };
    assert.deepEqual(value.schema, rowSchema([DELETED, ...added]));
    const { __ts_ms: tsMs, ...payload } = value.payload;
    assert.equal(typeof tsMs, 'number', 'ts_ms of the envelope (processing time)');
    assert.deepEqual(payload, { id: 1, email: 'a@x', score: 7, region: 'eu', __deleted: 'false', __op: 'c', __table: 'customers', __lsn: 1234, __source_ts_ms: 1704164645123, __id: null });
    const [del] = run(config, events.delete());
    const delPayload = (del!.value as { payload: Record<string, unknown> }).payload;
    assert.deepEqual([delPayload['__deleted'], delPayload['__op'], delPayload['__lsn']], ['true', 'd', 1234]);
  });

  test(`${side}: add.fields with new names, another prefix, a field that does not exist (left out) and the transaction block (null)`, () => {
    const [out] = run({ 'add.fields': 'op:OP,source.lsn:LSN,snapshot,transaction.total_order,nope', 'add.fields.prefix': 'meta_' }, events.read());
    const value = out!.value as { schema: { fields: Record<string, unknown>[] }; payload: Record<string, unknown> };
    assert.deepEqual(value.schema.fields.slice(4), [
      f('meta_OP', 'string', true), f('meta_LSN', 'int64', true),
      f('meta_snapshot', 'string', true, { name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental' } }),
      f('meta_transaction_total_order', 'int64', true),
    ]);
    assert.deepEqual(value.payload, { id: 3, email: null, score: null, region: 'eu', meta_OP: 'r', meta_LSN: 1000, meta_snapshot: 'first_in_data_collection', meta_transaction_total_order: null });
  });

  test(`${side}: add.headers adds headers after the record's own; a tombstone kept by the mode gets only op=d`, () => {
    const t = transform('ExtractNewRecordState', { 'add.headers': 'op,source.lsn,db:database', 'add.headers.prefix': 'dbz.', 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' });
    const [create] = events.create().map((r) => t.apply(prepare(r)));
    const added = create!.headers!.slice(-3);
    assert.deepEqual(added, [
      { key: 'dbz.op', value: 'c', schema: { type: 'string', optional: true } },
      { key: 'dbz.source_lsn', value: 1234, schema: { type: 'int64', optional: true } },
      { key: 'dbz.database', value: 'postgres', schema: { type: 'string', optional: true } },
    ]);
    assert.equal(create!.headers![0]!.key, '__debezium.context.connectorLogicalName', 'the record\'s own headers stay first');
    const [, tombstone] = events.delete().map((r) => t.apply(prepare(r)));
    assert.equal(tombstone!.value, null);
    assert.deepEqual(tombstone!.headers!.slice(-1), [{ key: 'dbz.op', value: 'd', schema: { type: 'string', optional: false } }]);
  });

  test(`${side}: route.by.field takes the topic from the after row, from before for a delete; a null or blank value keeps it`, () => {
    assert.deepEqual(run({ 'route.by.field': 'region' }, events.update()).map((r) => r!.topic), ['us']);
    assert.deepEqual(run({ 'route.by.field': 'region', 'delete.tombstone.handling.mode': 'rewrite' }, changeRecords(captured, { kind: 'delete', oldKey: null, oldRow: ['1', 'a@x', '7', 'eu'] }, ctx('DELETE'))).map((r) => r?.topic), ['eu', undefined]);
    assert.deepEqual(run({ 'route.by.field': 'email' }, events.read()).map((r) => r!.topic), ['shop.public.customers']);
    assert.throws(() => run({ 'route.by.field': 'nope' }, events.create()), (e: unknown) => e instanceof TransformDataError && e.message === 'nope is not a valid field name');
    assert.throws(() => run({ 'route.by.field': 'score' }, events.create()), (e: unknown) => e instanceof TransformDataError && e.message === "Field 'score' is not of type STRING");
  });

  test(`${side}: drop.fields.header.name drops the listed optional fields (all listed with keep.schema.compatible=false; from the key too)`, () => {
    const withDropHeader = (records: SourceRecord[]): SourceRecord[] => records.map((r) => ({ ...r, headers: [...(r.headers ?? []), { key: 'drop', value: ['email', 'id'], schema: { type: 'array', items: { type: 'string', optional: true }, optional: true } }] }));
    const payloadOf = (r: ReturnType<typeof written> | undefined): unknown => (r!.value as { payload: unknown }).payload;
    assert.deepEqual(run({ 'drop.fields.header.name': 'drop' }, withDropHeader(events.create())).map(payloadOf), [{ id: 1, score: 7, region: 'eu' }], 'id is required: kept');
    const [all] = run({ 'drop.fields.header.name': 'drop', 'drop.fields.keep.schema.compatible': 'false', 'drop.fields.from.key': 'true' }, withDropHeader(events.create()));
    assert.deepEqual(payloadOf(all), { score: 7, region: 'eu' });
    assert.deepEqual(all!.key, { schema: { type: 'struct', fields: [], optional: false, name: 'shop.public.customers.Key' }, payload: {} });
    assert.deepEqual(run({ 'drop.fields.header.name': 'absent' }, events.create()).map(payloadOf), [{ id: 1, email: 'a@x', score: 7, region: 'eu' }], 'no such header: nothing dropped');
  });
}

test('records that are not change events pass unchanged: a heartbeat, a schemaless envelope, a schema without name', () => {
  const t = transform('ExtractNewRecordState', { 'add.headers': 'op' });
  const heartbeat = heartbeatRecord('__debezium-heartbeat.shop', 'shop', { server: 'shop' }, 10n, 1_700_000_000_000);
  assert.equal(t.apply(heartbeat), heartbeat);
  const [create] = events.create();
  const schemaless = { ...create!, valueSchema: null };
  assert.equal(t.apply(schemaless), schemaless, 'Debezium recognises envelopes by their schema name only');
  const unnamed = { ...create!, valueSchema: { ...format.valueSchema, name: undefined } };
  assert.equal(t.apply(unnamed), unnamed);
  const onSink = onSinkSide(heartbeat);
  assert.equal(t.apply(onSink), onSink);
});

test('a tombstone without schema is dropped by default (also on a schemaless stream), kept by rewrite-with-tombstone', () => {
  const tombstone: SinkRecord = { topic: 't', kafkaPartition: 0, kafkaOffset: 1, key: { id: 1 }, value: null };
  assert.equal(transform('ExtractNewRecordState').apply(tombstone), null);
  assert.equal(transform('ExtractNewRecordState', { 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' }).apply(tombstone), tombstone);
});

test('an event with neither before nor after (truncate, message) is dropped', () => {
  const [create] = events.create();
  const truncate = { ...create!, value: { ...(create!.value as object), op: 't', after: null } };
  assert.equal(transform('ExtractNewRecordState').apply(truncate), null);
});

test('replace.null.with.default: in rewrite mode nulls take the column default (Connect InsertField), or stay null when false', () => {
  const [create] = events.create();
  const rowWithDefault: Schema = { ...format.rowSchema, fields: format.rowSchema.fields!.map((x) => (x.field === 'email' ? { ...x, default: 'none' } : x)) };
  const envelope: Schema = { ...format.valueSchema, fields: format.valueSchema.fields!.map((x) => (x.field === 'after' || x.field === 'before' ? { ...rowWithDefault, field: x.field } : x)) };
  const record = { ...create!, valueSchema: envelope, value: { ...(create!.value as object), after: { id: 1, email: null, score: null, region: 'eu' } } };
  const email = (config: Record<string, string>): unknown => (transform('ExtractNewRecordState', config).apply(record)!.value as Record<string, unknown>)['email'];
  assert.equal(email({ 'delete.tombstone.handling.mode': 'rewrite' }), 'none');
  assert.equal(email({ 'delete.tombstone.handling.mode': 'rewrite', 'replace.null.with.default': 'false' }), null);
  assert.equal(email({}), null, 'without rewrite the row is copied as it is (getWithoutDefault)');
});

test('source and sink fields of the record survive; the sink record keeps its offset', () => {
  const t = transform('ExtractNewRecordState');
  const [create] = events.create();
  const out = t.apply(create!) as SourceRecord;
  assert.deepEqual(out.sourceOffset, create!.sourceOffset);
  assert.equal((t.apply(onSinkSide(create!, 77)) as SinkRecord).kafkaOffset, 77);
});

test('data errors: an envelope whose value is not a struct, add.fields naming a struct the envelope lacks, a duplicate field', () => {
  const [create] = events.create();
  assert.throws(() => transform('ExtractNewRecordState').apply({ ...create!, value: 'x' }), (e: unknown) => e instanceof TransformDataError && e.message === 'Only Struct objects supported for [field extraction], found: java.lang.String');
  assert.throws(() => transform('ExtractNewRecordState', { 'add.fields': 'nope.x' }).apply(create!), (e: unknown) => e instanceof TransformDataError && /no field nope/.test(e.message));
  assert.throws(() => transform('ExtractNewRecordState', { 'add.fields': 'source.db:email', 'add.fields.prefix': '' }).apply(create!), (e: unknown) => e instanceof TransformDataError && e.message === 'Cannot create field because of field name duplication email');
  assert.throws(() => transform('ExtractNewRecordState', { 'add.fields': 'source' }).apply(create!), (e: unknown) => e instanceof TransformDataError && /only fields of primitive or array type/.test(e.message));
  const badHeader = { ...create!, headers: [{ key: 'drop', value: 'email' }] };
  assert.throws(() => transform('ExtractNewRecordState', { 'drop.fields.header.name': 'drop' }).apply(badHeader), (e: unknown) => e instanceof TransformDataError && /must hold a list of field names/.test(e.message));
});

const invalid: [string, Record<string, string>, Record<string, string[]>][] = [
  ['an unknown delete mode', { 'transforms.u.delete.tombstone.handling.mode': 'none' }, {
    'transforms.u.delete.tombstone.handling.mode': ['Invalid value none for configuration delete.tombstone.handling.mode: Value must be one of drop, tombstone, rewrite, rewrite-with-tombstone, delete-to-tombstone'],
  }],
  ['add.fields with two renames', { 'transforms.u.add.fields': 'op,a:b:c' }, { 'transforms.u.add.fields': ['Invalid value op,a:b:c for configuration add.fields: Unexpected field name: a:b:c'] }],
  ['add.headers with two renames', { 'transforms.u.add.headers': 'op:x:y' }, { 'transforms.u.add.headers': ['Invalid value op:x:y for configuration add.headers: Unexpected field name: op:x:y'] }],
  ['a boolean that is not one', { 'transforms.u.drop.fields.from.key': 'yes' }, { 'transforms.u.drop.fields.from.key': ['Invalid value yes for configuration transforms.u.drop.fields.from.key: Expected value to be either true or false'] }],
  ['the Debezium 2.x delete.handling.mode', { 'transforms.u.delete.handling.mode': 'rewrite' }, {
    'transforms.u.delete.handling.mode': ['Invalid value rewrite for configuration delete.handling.mode: delete.handling.mode was removed in Debezium 3.2 and has no effect there; use delete.tombstone.handling.mode instead'],
  }],
  ['the Debezium 2.x drop.tombstones', { 'transforms.u.drop.tombstones': 'false' }, {
    'transforms.u.drop.tombstones': ['Invalid value false for configuration drop.tombstones: drop.tombstones was removed in Debezium 3.2 and has no effect there; use delete.tombstone.handling.mode instead'],
  }],
  ['every option set validly', {
    'transforms.u.delete.tombstone.handling.mode': 'rewrite-with-tombstone', 'transforms.u.add.fields': 'op,table,lsn,source.ts_ms', 'transforms.u.add.fields.prefix': '_', 'transforms.u.add.headers': 'op:OP',
    'transforms.u.add.headers.prefix': '', 'transforms.u.drop.fields.header.name': 'h', 'transforms.u.drop.fields.from.key': 'true', 'transforms.u.drop.fields.keep.schema.compatible': 'false',
    'transforms.u.route.by.field': 'region', 'transforms.u.replace.null.with.default': 'false',
  }, {}],
];

for (const [name, keys, expected] of invalid) {
  test(`validation: ${name}`, () => {
    assert.deepEqual(Object.fromEntries(validateTransforms({ transforms: 'u', 'transforms.u.type': 'io.debezium.transforms.ExtractNewRecordState', ...keys }, registry)), expected);
  });
}

test('configure() refuses what validation refuses, naming the key', () => {
  assert.throws(() => transform('ExtractNewRecordState', { 'delete.tombstone.handling.mode': 'none' }), (e: unknown) => e instanceof TransformConfigError && e.key === 'delete.tombstone.handling.mode');
  assert.throws(() => transform('ExtractNewRecordState', { 'add.fields': 'a:b:c' }), (e: unknown) => e instanceof TransformConfigError && e.key === 'add.fields' && /Unexpected field name: a:b:c$/.test(e.message));
});

test('the plugin: Debezium class name and short alias, its keys in the registry', () => {
  const plugin = registry.find('ExtractNewRecordState')!;
  assert.equal(plugin.className, 'io.debezium.transforms.ExtractNewRecordState');
  assert.deepEqual(plugin.configDef.map((k) => [k.name, k.default ?? null]), [
    ['delete.tombstone.handling.mode', 'tombstone'], ['route.by.field', ''], ['add.fields.prefix', '__'], ['add.fields', ''], ['add.headers.prefix', '__'], ['add.headers', ''],
    ['drop.fields.header.name', null], ['drop.fields.from.key', 'false'], ['drop.fields.keep.schema.compatible', 'true'], ['replace.null.with.default', 'true'],
    ['delete.handling.mode', null], ['drop.tombstones', null],
  ]);
});
