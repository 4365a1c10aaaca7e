/** The write plan of a chunk (pure): last change of a key wins, a delete before it is kept, insert mode keeps order. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordMapper } from '../../../src/connectors/postgres-sink/record-mapper.js';
import { planWrites } from '../../../src/connectors/postgres-sink/write-plan.js';
import { parseSinkSettings } from '../../../src/connectors/postgres-sink/index.js';
import { row } from './sink-support.js';

const mapper = (extra: Record<string, string>): RecordMapper => new RecordMapper(parseSinkSettings({ 'connection.url': 'jdbc:postgresql://h/db', 'connection.user': 'u', 'pk.mode': 'record_key', 'delete.enabled': 'true', ...extra }));

/** The plan as [kind, table, [id:name …]] per step. */
function plan(mode: 'insert' | 'upsert' | 'update', records: ReturnType<typeof row>[]): [string, string, string[]][] {
  const m = mapper({ 'insert.mode': mode });
  const ops = records.map((r) => m.map(r)).filter((op) => op !== null);
  return planWrites(ops, mode).map((s) => [s.kind, s.ops[0]!.table.qualified, s.ops.map((o) => `${o.keyValues.join('/')}:${o.values[0] ?? ''}`)]);
}

test('upsert: one change per key, the last; deletes first; a delete before a re-insert kept; tables apart; rows sorted by key', () => {
  assert.deepEqual(plan('upsert', [
    row('a', 2, { name: 'x' }), row('a', 1, { name: 'y' }), row('a', 2, { name: 'z' }), row('a', 3, null), row('a', 3, { name: 'w' }),
    row('a', 4, { name: 'v' }), row('a', 4, null), row('b.c', 1, { name: 'other table' }),
  ]), [
    ['delete', '"a"', ['3:', '4:']],
    ['upsert', '"a"', ['1:y', '2:z', '3:w']],
    ['upsert', '"b_c"', ['1:other table']],
  ]);
});

test('insert: nothing collapsed, runs in order', () => {
  assert.deepEqual(plan('insert', [row('a', 1, { name: 'x' }), row('a', 1, null), row('a', 1, { name: 'y' }), row('a', 2, { name: 'z' })]), [
    ['upsert', '"a"', ['1:x']],
    ['delete', '"a"', ['1:']],
    ['upsert', '"a"', ['1:y', '2:z']],
  ]);
});

test('update: the last change of a key; a delete after it wins', () => {
  assert.deepEqual(plan('update', [row('a', 1, { name: 'x' }), row('a', 1, { name: 'y' }), row('a', 2, { name: 'z' }), row('a', 2, null)]), [
    ['delete', '"a"', ['2:']],
    ['upsert', '"a"', ['1:y']],
  ]);
});

test('keys whose texts look like JSON stay apart from one another: a one-column key is its own text', () => {
  const m = new RecordMapper(parseSinkSettings({ 'connection.url': 'jdbc:postgresql://h/db', 'connection.user': 'u', 'pk.mode': 'record_key', 'pk.fields': 'k', 'insert.mode': 'upsert' }));
  const valueSchema = { type: 'struct' as const, fields: [{ field: 'name', type: 'string' as const }] };
  const ops = ['[null]', '["[null]"]', '1', '["1"]', '1'].map((key, i) => m.map({ topic: 't', kafkaPartition: 0, kafkaOffset: i, keySchema: { type: 'string' }, key, valueSchema, value: { name: `v${i}` } })!);
  const written = planWrites(ops, 'upsert').flatMap((s) => s.ops.map((o) => `${o.keyValues[0]}=${o.values[0]}`));
  assert.deepEqual(written.sort(), ['1=v4', '["1"]=v3', '["[null]"]=v1', '[null]=v0']);
});
