/**
 * TableManager against a client that replays what the catalog showed in an interleaving the real-server test
 * (two tasks auto-creating one table) hit once in CI: the columns query saw no table, another task's CREATE TABLE
 * committed, then the existence check saw the table.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type pg from 'pg';
import { TableManager, castTypeOf } from '../../../src/connectors/postgres-sink/table-manager.js';
import { RecordMapper } from '../../../src/connectors/postgres-sink/record-mapper.js';
import { parseSinkSettings } from '../../../src/connectors/postgres-sink/index.js';
import { row } from './sink-support.js';

/** A client whose answers are scripted in order; it records each statement. */
function scriptedClient(answers: Array<Array<Record<string, unknown>>>): { client: pg.Client; statements: string[] } {
  const statements: string[] = [];
  const client = {
    query: async (sql: string) => {
      statements.push(sql);
      const rows = answers.shift();
      if (!rows) throw new Error(`unexpected statement: ${sql}`);
      return { rows };
    },
  } as unknown as pg.Client;
  return { client, statements };
}

const op = () => {
  const mapper = new RecordMapper(parseSinkSettings({ 'connection.url': 'jdbc:postgresql://h/db', 'connection.user': 'u', 'pk.mode': 'record_key', 'insert.mode': 'upsert', 'table.name.format': 'items' }));
  return mapper.map(row('t', 1, { name: 'n', qty: 1 }))!;
};

/** The answers of the unique-index and row-security queries that follow the columns'. */
const constraints = [[{ index: '16390', attnum: '1', attname: 'id' }], [{ rls: 'f' }]];

const columns = [{ attname: 'id', type: 'integer' }, { attname: 'name', type: 'text' }, { attname: 'qty', type: 'integer' }];

test('a table created by another task between the columns query and the existence check is read again, not taken as empty', async () => {
  const { client, statements } = scriptedClient([[], [{ r: 'items' }], columns, ...constraints]);
  const info = await new TableManager({ autoCreate: true, autoEvolve: false }).ensure(client, op());
  assert.deepEqual([...info!.columns.keys()], ['id', 'name', 'qty']);
  assert.equal(statements.filter((s) => /CREATE|ALTER/.test(s)).length, 0, 'no DDL for a table that is there');
});

test('a missing table is created when auto.create is on, and refused with the setting named when off', async () => {
  const { client, statements } = scriptedClient([[], [{ r: null }], [], columns, ...constraints]);
  const info = await new TableManager({ autoCreate: true, autoEvolve: false }).ensure(client, op());
  assert.deepEqual([...info!.columns.keys()], ['id', 'name', 'qty']);
  assert.match(statements[2]!, /^CREATE TABLE IF NOT EXISTS "items"/);
  const off = scriptedClient([[], [{ r: null }]]);
  await assert.rejects(new TableManager({ autoCreate: false, autoEvolve: false }).ensure(off.client, op()), (e: Error & { code?: string }) => e.code === 'PIPECTL_PGSINK_SCHEMA' && /auto\.create/.test(e.message));
});

test('parameters are cast without the lengths an explicit cast would cut to; other modifiers stay', () => {
  assert.equal(castTypeOf('character varying(3)'), 'character varying');
  assert.equal(castTypeOf('character varying(3)[]'), 'character varying[]');
  assert.equal(castTypeOf('character(3)'), 'bpchar');
  assert.equal(castTypeOf('character(1)[]'), 'bpchar[]');
  assert.equal(castTypeOf('bit(4)'), 'varbit');
  assert.equal(castTypeOf('bit varying(8)'), 'bit varying');
  assert.equal(castTypeOf('numeric(10,2)'), 'numeric(10,2)');
  assert.equal(castTypeOf('timestamp(3) without time zone'), 'timestamp(3) without time zone');
  assert.equal(castTypeOf('text'), 'text');
  assert.equal(castTypeOf('"my type"'), '"my type"');
});
