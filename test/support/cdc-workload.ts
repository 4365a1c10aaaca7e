/**
 * The scripted change-data-capture workload that Debezium's connector and pipectl's both replay, each against a fresh
 * database of its own (issue 16's side-by-side comparison): deterministic SQL only (explicit keys, literal values, no
 * now() or random()), so that the same workload gives the same rows on both sides.
 *
 * - `cdc_types`: a primary key and every commonly mapped type (integers, numeric with and without precision, floats,
 *   text/varchar/char, boolean, date, time, timestamp, timestamptz, uuid, json, jsonb, bytea, int[] and text[], an enum);
 * - `cdc_full`: REPLICA IDENTITY FULL (updates and deletes carry the whole old row in `before`);
 * - `cdc_nopk`: no primary key and no unique index (null record keys; inserts only, since PostgreSQL refuses updates
 *   and deletes on a published table without a replica identity);
 * - `cdc_bulk`: one transaction of BULK_ROWS inserts.
 *
 * Phases: `setUp` (schema and the rows the snapshot reads) before the connector exists; `stream` (inserts, updates,
 * one of them changing a primary key, deletes, the bulk transaction) once the snapshot has been read.
 */
import { psql } from './postgres.js';

/** The rows of the one big transaction. */
export const BULK_ROWS = 500;

/** The tables of the workload, all in schema `public`. */
export const WORKLOAD_TABLES = ['cdc_types', 'cdc_full', 'cdc_nopk', 'cdc_bulk'] as const;
export type WorkloadTable = (typeof WORKLOAD_TABLES)[number];

/** How many change events of each kind one table gets (tombstones: the null-value records after deletes). */
export interface ExpectedEvents {
  r: number;
  c: number;
  u: number;
  d: number;
  tombstones: number;
}

/**
 * What a Debezium-compatible connector emits for the workload with default settings (`tombstones.on.delete=true`):
 * a primary-key change is a delete of the old key, its tombstone, and a create of the new key.
 */
export const EXPECTED_EVENTS: Readonly<Record<WorkloadTable, ExpectedEvents>> = {
  // snapshot ids 1,2,3; insert 4,5; update 1; update 2 → 20 (d + tombstone + c); delete 3 (d + tombstone)
  cdc_types: { r: 3, c: 3, u: 1, d: 2, tombstones: 2 },
  // snapshot 1,2; update 1; delete 2
  cdc_full: { r: 2, c: 0, u: 1, d: 1, tombstones: 1 },
  // snapshot one row; insert one row
  cdc_nopk: { r: 1, c: 1, u: 0, d: 0, tombstones: 0 },
  cdc_bulk: { r: 0, c: BULK_ROWS, u: 0, d: 0, tombstones: 0 },
};

/** All records a table's topic gets: events and tombstones. */
export function expectedRecordCount(table: WorkloadTable, phase: 'snapshot' | 'all' = 'all'): number {
  const e = EXPECTED_EVENTS[table];
  return phase === 'snapshot' ? e.r : e.r + e.c + e.u + e.d + e.tombstones;
}

/** `<prefix>.public.<table>` for every workload table, with its expected record count. */
export function expectedTopics(prefix: string, phase: 'snapshot' | 'all' = 'all'): Record<string, number> {
  return Object.fromEntries(WORKLOAD_TABLES.map((t) => [`${prefix}.public.${t}`, expectedRecordCount(t, phase)]));
}

const SCHEMA_SQL = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE cdc_types (
  id integer PRIMARY KEY,
  c_int2 smallint,
  c_int4 integer NOT NULL,
  c_int8 bigint,
  c_numeric numeric(12,3),
  c_numeric_any numeric,
  c_real real,
  c_double double precision,
  c_text text NOT NULL,
  c_varchar varchar(40),
  c_char char(5),
  c_bool boolean,
  c_date date,
  c_time time,
  c_timestamp timestamp,
  c_timestamptz timestamptz,
  c_uuid uuid,
  c_json json,
  c_jsonb jsonb,
  c_bytea bytea,
  c_int_array integer[],
  c_text_array text[],
  c_enum mood
);
CREATE TABLE cdc_full (id integer PRIMARY KEY, name text NOT NULL, qty integer);
ALTER TABLE cdc_full REPLICA IDENTITY FULL;
CREATE TABLE cdc_nopk (note text, n integer);
CREATE TABLE cdc_bulk (id integer PRIMARY KEY, payload text NOT NULL, amount numeric(10,2) NOT NULL);
`;

const TYPES_COLUMNS = 'id, c_int2, c_int4, c_int8, c_numeric, c_numeric_any, c_real, c_double, c_text, c_varchar, c_char, c_bool, c_date, c_time, c_timestamp, c_timestamptz, c_uuid, c_json, c_jsonb, c_bytea, c_int_array, c_text_array, c_enum';

const SNAPSHOT_SQL = `
INSERT INTO cdc_types (${TYPES_COLUMNS}) VALUES
  (1, 7, 42, 9007199254740993, 12345.678, 3.14159265358979323846, 1.5, 2.718281828459045, 'hello', 'varchar value', 'ab',
   true, '2024-01-02', '03:04:05.123456', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123456+02',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1, "b": [true, null]}', '{"b": [1, 2], "a": "x"}', '\\xdeadbeef',
   '{1,2,3}', '{"x","y z"}', 'happy'),
  (2, -32768, -2147483648, -9223372036854775808, -0.001, 1.50, -0.0, 1e-300, 'ünïcödé ✓ 🎉', '', 'abcde',
   false, '1970-01-01', '00:00:00', '1970-01-01 00:00:00', '1970-01-01 00:00:00+00',
   '00000000-0000-0000-0000-000000000000', '[]', '{}', '\\x', '{}', '{}', 'sad'),
  (3, NULL, 0, NULL, NULL, NULL, NULL, NULL, 'nulls', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   '{NULL,5}', '{NULL,"q"}', NULL);
INSERT INTO cdc_full (id, name, qty) VALUES (1, 'first', 10), (2, 'second', 20);
INSERT INTO cdc_nopk (note, n) VALUES ('snapshot row', 1);
`;

/** The streaming steps, one transaction each (one psql command), in this order. */
const STREAM_STEPS: readonly { what: string; sql: string }[] = [
  {
    what: 'insert two rows of every type',
    sql: `INSERT INTO cdc_types (${TYPES_COLUMNS}) VALUES
      (4, 1, 1, 1, 99999.999, 123456789012345678901234567890.5, 3.25, -1.25, 'four', 'v4', 'x', true, '2000-02-29',
       '23:59:59.999999', '2000-02-29 23:59:59.999999', '1999-12-31 23:59:59.5-08', 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
       '{"nested": {"k": "v"}}', '[1, "two", {"three": 3}]', '\\x00ff10', '{-1,0,2147483647}', '{"",NULL,"a,b"}', 'ok'),
      (5, 2, 2, 2, 0.5, 0, 0.1, 0.1, 'five', NULL, NULL, NULL, '2038-01-19', '12:00:00', '2038-01-19 03:14:08',
       '2038-01-19 03:14:08+00', NULL, 'null', 'null', NULL, NULL, NULL, NULL)`,
  },
  {
    what: 'update several columns of one row',
    sql: `UPDATE cdc_types SET c_int4 = 43, c_numeric = 1.1, c_numeric_any = 100, c_text = 'hello again', c_bool = NULL,
      c_timestamptz = '2024-06-30 12:00:00+00', c_jsonb = '{"updated": true}', c_int_array = '{3,2,1}', c_enum = 'sad' WHERE id = 1`,
  },
  { what: 'change a primary key', sql: 'UPDATE cdc_types SET id = 20 WHERE id = 2' },
  { what: 'delete a row', sql: 'DELETE FROM cdc_types WHERE id = 3' },
  { what: 'update a REPLICA IDENTITY FULL row', sql: "UPDATE cdc_full SET qty = qty + 1, name = 'first, updated' WHERE id = 1" },
  { what: 'delete a REPLICA IDENTITY FULL row', sql: 'DELETE FROM cdc_full WHERE id = 2' },
  { what: 'insert into the table without a key', sql: "INSERT INTO cdc_nopk (note, n) VALUES ('streamed row', 2)" },
  {
    what: `one transaction of ${BULK_ROWS} inserts`,
    sql: `INSERT INTO cdc_bulk (id, payload, amount)
      SELECT i, 'row ' || i || ' ' || repeat(chr(97 + i % 26), 1 + i % 40), (i * 1.25)::numeric(10,2) FROM generate_series(1, ${BULK_ROWS}) AS i`,
  },
];

/** Creates the workload's types and tables in `databaseUrl` and inserts the rows the snapshot will read. */
export async function setUpWorkload(databaseUrl: string): Promise<void> {
  await psql(databaseUrl, SCHEMA_SQL);
  await psql(databaseUrl, SNAPSHOT_SQL);
}

/** Runs the streaming steps, each in a transaction of its own, in order. `onStep` hears each step as it starts. */
export async function streamWorkload(databaseUrl: string, onStep?: (what: string) => void): Promise<void> {
  for (const step of STREAM_STEPS) {
    onStep?.(step.what);
    await psql(databaseUrl, step.sql);
  }
}
