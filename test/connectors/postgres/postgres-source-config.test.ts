/** config/validate for the Postgres source: Debezium's keys it supports pass, the ones it does not are refused. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDefaultRegistry } from '../../../src/runtime/bundled-plugins.js';
import { parsePostgresSettings } from '../../../src/connectors/postgres/index.js';

const BASE = {
  name: 'inventory',
  'connector.class': 'io.pipectl.connect.postgresql.PostgresConnector',
  'database.hostname': 'db',
  'database.user': 'cdc',
  'database.password': 'secret',
  'database.dbname': 'inventory',
  'topic.prefix': 'fulfillment',
};

const errorsOf = (config: Record<string, string>): Map<string, string[]> => {
  const info = createDefaultRegistry().validateConnectorConfig(config);
  return new Map(info.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));
};

test('a Debezium config with the class changed validates', () => {
  const errors = errorsOf({
    ...BASE, 'plugin.name': 'pgoutput', 'slot.name': 'debezium', 'publication.autocreate.mode': 'filtered', 'table.include.list': 'public.orders,public.customers',
    'snapshot.mode': 'never', 'heartbeat.interval.ms': '10000', 'tombstones.on.delete': 'false', 'decimal.handling.mode': 'string', 'snapshot.locking.mode': 'none', 'tasks.max': '1',
  });
  assert.deepEqual([...errors], []);
});

test('the aliases find the connector', () => {
  for (const alias of ['PipectlPostgres', 'PipectlPostgresConnector']) assert.deepEqual([...errorsOf({ ...BASE, 'connector.class': alias })], []);
});

test('unsupported Debezium keys are refused, each on its key, saying so', () => {
  const errors = errorsOf({ ...BASE, 'message.key.columns': 'public.a:id', 'snapshot.locking.mode': 'shared', 'provide.transaction.metadata': 'true', 'plugin.name': 'decoderbufs', 'snapshot.mode': 'configuration_based' });
  assert.deepEqual([...errors.keys()].sort(), ['message.key.columns', 'plugin.name', 'provide.transaction.metadata', 'snapshot.locking.mode', 'snapshot.mode']);
  for (const [, [message]] of errors) assert.match(message!, /is a Debezium setting pipectl's Postgres source does not support: /);
});

test('unknown keys that are not Debezium keys pass through, as Connect does', () => {
  assert.deepEqual([...errorsOf({ ...BASE, 'my.own.key': 'x' })], []);
});

test('Debezium rules: required keys, both lists of a pair, slot name, queue larger than a batch', () => {
  const errors = errorsOf({ ...BASE, 'database.hostname': '', 'table.include.list': 'a', 'table.exclude.list': 'b', 'slot.name': 'Bad-Name', 'max.queue.size': '10', 'max.batch.size': '20' });
  assert.deepEqual([...errors.keys()].sort(), ['database.hostname', 'max.queue.size', 'slot.name', 'table.exclude.list', 'table.include.list']);
  const missing = errorsOf({ name: 'x', 'connector.class': 'PipectlPostgres' });
  assert.deepEqual([...missing.keys()].sort(), ['database.dbname', 'database.hostname', 'database.user', 'topic.prefix']);
});

test('the password is a PASSWORD key, shown hidden', () => {
  const info = createDefaultRegistry().validateConnectorConfig(BASE);
  const password = info.configs.find((c) => c.definition.name === 'database.password')!;
  assert.equal(password.definition.type, 'PASSWORD');
  assert.equal(password.value.value, '[hidden]');
});

test('settings: never is no_data, absent plugin.name is pgoutput, prefix families refused at start', () => {
  const s = parsePostgresSettings({ ...BASE, 'snapshot.mode': 'never' });
  assert.equal(s.snapshotMode, 'no_data');
  assert.equal(s.heartbeatTopic, '__debezium-heartbeat.fulfillment');
  assert.throws(() => parsePostgresSettings({ ...BASE, 'column.mask.with.12.chars': 'public.a.b' }), /does not support/);
  assert.equal(s.filter.table('public', 'orders'), true);
  const f = parsePostgresSettings({ ...BASE, 'table.include.list': 'public\\.ord.*' }).filter;
  assert.equal(f.table('public', 'orders'), true);
  assert.equal(f.table('public', 'xorders'), false);
  assert.equal(f.table('pg_catalog', 'pg_class'), false);
});
