/**
 * The event format against Debezium's JSON: the reference's own examples byte for byte, and every mapped type's edge
 * values as the real Postgres of the test run prints them through the types' output functions, as pgoutput does (under the connector's session settings), written through
 * our JsonConverter and compared with what Debezium 3.x writes for them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT_FORMAT_DEFAULTS, SESSION_SETTINGS, TableEventFormat, TypeCatalog, sequenceText } from '../../../../src/connectors/postgres/event-format/index.js';
import type { PgColumn, PgTable, SourceInfo } from '../../../../src/connectors/postgres/event-format/index.js';
import { parseArrayLiteral } from '../../../../src/connectors/postgres/event-format/column-mapping.js';
import { twosComplement } from '../../../../src/connectors/postgres/event-format/numeric.js';
import { intervalToMicros, timestamptzToMicros, zonedTimestamp } from '../../../../src/connectors/postgres/event-format/temporal.js';
import { JsonConverter } from '../../../../src/converters/json-converter.js';
import { createTestDatabase, psql } from '../../../support/postgres.js';

function json(schemas: boolean): JsonConverter {
  const c = new JsonConverter();
  c.configure({ 'schemas.enable': String(schemas) });
  return c;
}
const write = (c: JsonConverter, schema: unknown, value: unknown): string => c.fromConnectData('t', schema as never, value)!.toString('utf8');

const customers: PgTable = { schema: 'public', name: 'customers', keyColumns: ['id'], columns: [{ name: 'id', typeOid: 23, typeMod: -1, optional: false }, { name: 'email', typeOid: 25, typeMod: -1, optional: true }] };
const options = { ...EVENT_FORMAT_DEFAULTS, topicPrefix: 'fulfillment' };
const at = { db: 'postgres', schema: 'public', table: 'customers' };

test("the reference's key schema, byte for byte", () => {
  const f = new TableEventFormat(customers, TypeCatalog.builtin(), options);
  assert.equal(f.topic, 'fulfillment.public.customers');
  assert.equal(
    write(json(true), f.keySchema, f.key(['1', 'a@x'])),
    '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"fulfillment.public.customers.Key"},"payload":{"id":1}}',
  );
});

test("the reference's value example (schemas.enable=false), source fields in Debezium's order", () => {
  const f = new TableEventFormat(customers, TypeCatalog.builtin(), options);
  const source: SourceInfo = { ...at, tsUs: 1704164645123456n, snapshot: 'false', txId: 555, lsn: 24023128n, sequence: sequenceText(24023119n, 24023128n) };
  const processed = 1704164646000000000n;
  const value = JSON.parse(write(json(false), f.valueSchema, f.envelope('c', null, f.row(['1', 'a@x']), source, processed))) as Record<string, unknown>;
  assert.deepEqual(Object.keys(value), ['before', 'after', 'source', 'transaction', 'op', 'ts_ms', 'ts_us', 'ts_ns']);
  const { version, ...rest } = value.source as Record<string, unknown>;
  assert.equal(typeof version, 'string');
  assert.deepEqual(rest, {
    connector: 'postgresql', name: 'fulfillment', ts_ms: 1704164645123, snapshot: 'false', db: 'postgres', sequence: '["24023119","24023128"]',
    ts_us: 1704164645123456, ts_ns: 1704164645123456000, schema: 'public', table: 'customers', txId: 555, lsn: 24023128, xmin: null, origin: null, origin_lsn: null,
  });
  assert.deepEqual(Object.keys(value.source as object), ['version', 'connector', 'name', 'ts_ms', 'snapshot', 'db', 'sequence', 'ts_us', 'ts_ns', 'schema', 'table', 'txId', 'lsn', 'xmin', 'origin', 'origin_lsn']);
  assert.deepEqual(value.after, { id: 1, email: 'a@x' });
  assert.equal(value.before, null);
  assert.equal(value.transaction, null);
  assert.equal(value.op, 'c');
  const text = write(json(false), f.valueSchema, f.envelope('c', null, f.row(['1', 'a@x']), source, processed));
  assert.ok(text.endsWith('"op":"c","ts_ms":1704164646000,"ts_us":1704164646000000,"ts_ns":1704164646000000000}'), text);
});

test('the envelope schema: name, version 2, the snapshot Enum with its default, the optional event.block', () => {
  const f = new TableEventFormat(customers, TypeCatalog.builtin(), options);
  const schema = JSON.parse(write(json(true), f.valueSchema, f.envelope('r', null, f.row(['1', null]), { ...at, tsUs: 1n, snapshot: 'first', txId: null, lsn: 5n, sequence: sequenceText(null, 5n) }, 1n))).schema as Record<string, unknown>;
  assert.equal(schema.name, 'fulfillment.public.customers.Envelope');
  assert.equal(schema.version, 2);
  const fields = schema.fields as { field: string; name?: string; fields?: { field: string; default?: unknown; parameters?: unknown }[] }[];
  assert.deepEqual(fields.map((x) => x.field), ['before', 'after', 'source', 'transaction', 'op', 'ts_ms', 'ts_us', 'ts_ns']);
  assert.equal(fields[0]!.name, 'fulfillment.public.customers.Value');
  assert.equal(fields[3]!.name, 'event.block');
  const snapshot = fields[2]!.fields!.find((x) => x.field === 'snapshot')!;
  assert.equal(snapshot.default, 'false');
  assert.deepEqual(snapshot.parameters, { allowed: 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental' });
});

test('a table without a key: null key and null key schema; a hostile column name is kept as it is', () => {
  const table: PgTable = { schema: 'public', name: 'log', keyColumns: [], columns: [{ name: 'we"ird.name ✓', typeOid: 25, typeMod: -1, optional: true }] };
  const f = new TableEventFormat(table, TypeCatalog.builtin(), options);
  assert.equal(f.keySchema, null);
  assert.equal(f.key(['x']), null);
  assert.deepEqual(f.row(['x']), { 'we"ird.name ✓': 'x' });
});

test('column lists leave columns out but never a key column; unchanged TOAST takes the old value, else the placeholder', () => {
  const table: PgTable = { schema: 'public', name: 't', keyColumns: ['id'], columns: [{ name: 'id', typeOid: 23, typeMod: -1, optional: false }, { name: 'secret', typeOid: 25, typeMod: -1, optional: true }, { name: 'doc', typeOid: 25, typeMod: -1, optional: true }, { name: 'blob', typeOid: 17, typeMod: -1, optional: true }] };
  const f = new TableEventFormat(table, TypeCatalog.builtin(), { ...options, columnIncluded: (_s, _t, c) => c !== 'secret' && c !== 'id' });
  assert.deepEqual(Object.keys(f.row(['1', 's', 'd', null])), ['id', 'doc', 'blob']);
  assert.deepEqual(f.row(['1', 's', undefined, undefined]), { id: 1, doc: '__debezium_unavailable_value', blob: Buffer.from('__debezium_unavailable_value') });
  assert.deepEqual(f.row(['1', 's', undefined, null], ['1', 's', 'old text', null]), { id: 1, doc: 'old text', blob: null });
  assert.deepEqual(f.keyOnlyRow(['1', undefined, undefined, undefined]), { id: 1, doc: null, blob: null });
});

test('helpers: two’s complement as Java’s BigInteger.toByteArray, array literals, intervals, zoned timestamps', () => {
  assert.equal(twosComplement(1234n).toString('base64'), 'BNI=');
  assert.deepEqual([...twosComplement(0n)], [0]);
  assert.deepEqual([...twosComplement(-1n)], [0xff]);
  assert.deepEqual([...twosComplement(128n)], [0, 0x80]);
  assert.deepEqual([...twosComplement(-128n)], [0x80]);
  assert.deepEqual([...twosComplement(-129n)], [0xff, 0x7f]);
  assert.deepEqual(parseArrayLiteral('{1,NULL,3}'), ['1', null, '3']);
  assert.deepEqual(parseArrayLiteral('{"a,b","q\\"x",NULL,"NULL",""}'), ['a,b', 'q"x', null, 'NULL', '']);
  assert.deepEqual(parseArrayLiteral('{}'), []);
  assert.equal(intervalToMicros('1 day'), 86_400_000_000);
  assert.equal(intervalToMicros('-1 days +02:03:00'), -86_400_000_000 + 7_380_000_000);
  assert.equal(intervalToMicros('1 mon'), Math.trunc((365.25 / 12) * 86_400_000_000));
  assert.equal(zonedTimestamp(timestamptzToMicros('2024-01-02 05:04:05.123456+02')!, 6), '2024-01-02T03:04:05.123456Z');
  assert.equal(zonedTimestamp(timestamptzToMicros('1969-12-31 23:59:59.5+00')!, 6), '1969-12-31T23:59:59.500000Z');
});

/** Columns (name, SQL type) and rows of SQL literals; expected JSON values per row, as Debezium writes them. */
const COLUMNS: [string, string][] = [
  ['id', 'integer primary key'], ['b', 'boolean'], ['i2', 'smallint'], ['i8', 'bigint'], ['f4', 'real'], ['f8', 'double precision'],
  ['n', 'numeric(10,2)'], ['nv', 'numeric'], ['t', 'text'], ['vc', 'varchar(20)'], ['c', 'char(3)'], ['d', 'date'], ['tm', 'time'],
  ['tm3', 'time(3)'], ['ts', 'timestamp'], ['ts3', 'timestamp(3)'], ['tz', 'timestamptz'], ['ttz', 'timetz'], ['iv', 'interval'],
  ['u', 'uuid'], ['j', 'json'], ['jb', 'jsonb'], ['by', 'bytea'], ['ai', 'integer[]'], ['at', 'text[]'], ['mood', 'mood'], ['dom', 'positive'],
];
const ROWS: { sql: string; expect: Record<string, unknown> }[] = [
  {
    sql: `1, true, -32768, 9007199254740993, 1.5, 0.1, 12.34, 1.230, 'héllo ✓', 'v', 'ab', '2024-01-02', '03:04:05.123456', '03:04:05.123',
      '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123', '2024-01-02 05:04:05.123456+02', '03:04:05.5+02', '1 day 02:00:00',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}', '{"b": [1, 2]}', '\\x0a0bff', '{1,NULL,3}', '{"x,y",NULL}', 'sad', 7`,
    expect: {
      id: 1, b: true, i2: -32768, i8: 9007199254740993, f4: 1.5, f8: 0.1, n: 'BNI=', nv: { scale: 2, value: 'ew==' }, t: 'héllo ✓', vc: 'v', c: 'ab ',
      d: 19724, tm: 11045123456, tm3: 11045123, ts: 1704164645123456, ts3: 1704164645123, tz: '2024-01-02T03:04:05.123456Z', ttz: '01:04:05.500000Z',
      iv: 93600000000, u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', j: '{"a": 1}', jb: '{"b": [1, 2]}', by: 'Cgv/', ai: [1, null, 3], at: ['x,y', null], mood: 'sad', dom: 7,
    },
  },
  {
    sql: `2, NULL, NULL, -1, 'NaN', '-Infinity', -0.05, -12345678901234567890.5, '', NULL, NULL, '1969-12-31', '24:00:00', '00:00:00',
      'infinity', '1960-06-01 00:00:00', '1970-01-01 00:00:00+00', '00:00:00+00', '-1 years -2 mons', NULL, NULL, NULL, '\\x', '{}', '{}', NULL, NULL`,
    expect: {
      id: 2, b: null, i2: null, i8: -1, f4: 'NaN', f8: '-Infinity', n: '+w==', nv: { scale: 1, value: '+U6xYH7QyZPH' }, t: '', vc: null, c: null,
      d: -1, tm: 86400000000, tm3: 0, ts: 9223372036825200000, ts3: -302486400000, tz: '1970-01-01T00:00:00.000000Z', ttz: '00:00:00.000000Z',
      iv: -Math.trunc(14 * ((365.25 / 12) * 86_400_000_000)), u: null, j: null, jb: null, by: '', ai: [], at: [], mood: null, dom: null,
    },
  },
];

test('every mapped type: Postgres text forms → Debezium JSON values (real server, the connector session settings)', { timeout: 120_000 }, async () => {
  const db = await createTestDatabase('event_format');
  await psql(db, "CREATE TYPE mood AS ENUM ('happy', 'sad'); CREATE DOMAIN positive AS integer CHECK (VALUE > 0)");
  await psql(db, `CREATE TABLE everything (${COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`);
  for (const row of ROWS) await psql(db, `INSERT INTO everything VALUES (${row.sql})`);
  const settings = Object.entries(SESSION_SETTINGS).map(([k, v]) => `SET ${k} = '${v}';`).join(' ');
  const meta = await psql(db, `SELECT json_agg(json_build_array(a.attname, a.atttypid, a.atttypmod, NOT a.attnotnull) ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = 'everything'::regclass AND a.attnum > 0`);
  const columns: PgColumn[] = (JSON.parse(meta) as [string, number, number, boolean][]).map(([name, typeOid, typeMod, optional]) => ({ name, typeOid: Number(typeOid), typeMod, optional }));
  const catalogRows = JSON.parse(await psql(db, `SELECT json_agg(row_to_json(x)) FROM (${TypeCatalog.SQL}) x`)) as Record<string, string | null>[];
  const f = new TableEventFormat({ schema: 'public', name: 'everything', keyColumns: ['id'], columns }, TypeCatalog.fromRows(catalogRows), options);
  const texts = JSON.parse(`[${(await psql(db, `${settings} SELECT json_build_array(${COLUMNS.map(([n]) => `CASE WHEN ${n} IS NULL THEN NULL ELSE concat(${n}) END`).join(', ')}) FROM everything ORDER BY id`)).split('\n').join(',')}]`) as (string | null)[][];
  texts.forEach((row, i) => {
    const written = JSON.parse(write(json(false), f.valueSchema, f.envelope('c', null, f.row(row), { ...at, table: 'everything', tsUs: 0n, snapshot: 'false', txId: 1, lsn: 1n, sequence: null }, 0n))) as { after: Record<string, unknown> };
    for (const [column, expected] of Object.entries(ROWS[i]!.expect)) {
      assert.deepEqual(written.after[column], expected, `row ${i + 1}, column ${column} (text ${JSON.stringify(row[COLUMNS.findIndex(([n]) => n === column)])})`);
    }
  });
  // The schemas of a few columns, as Debezium names them.
  const fields = JSON.parse(write(json(true), f.valueSchema, f.envelope('c', null, f.row(texts[0]!), { ...at, table: 'everything', tsUs: 0n, snapshot: 'false', txId: 1, lsn: 1n, sequence: null }, 0n))).schema.fields[1].fields as { field: string; name?: string; type: string; parameters?: Record<string, string> }[];
  const byName = new Map(fields.map((x) => [x.field, x]));
  assert.deepEqual(byName.get('n')!.parameters, { scale: '2', 'connect.decimal.precision': '10' });
  assert.equal(byName.get('nv')!.name, 'io.debezium.data.VariableScaleDecimal');
  assert.equal(byName.get('tm3')!.name, 'io.debezium.time.Time');
  assert.equal(byName.get('tm')!.name, 'io.debezium.time.MicroTime');
  assert.equal(byName.get('ts3')!.name, 'io.debezium.time.Timestamp');
  assert.equal(byName.get('tz')!.name, 'io.debezium.time.ZonedTimestamp');
  assert.deepEqual(byName.get('mood')!.parameters, { allowed: 'happy,sad' });
  assert.equal(byName.get('dom')!.type, 'int32');
  assert.equal(byName.get('id')!.type, 'int32');
});
