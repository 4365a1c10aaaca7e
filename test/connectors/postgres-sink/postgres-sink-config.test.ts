/** The sink's config contract: validation key by key (Confluent's and Debezium's names), refused keys, the URL forms, no password in any message. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConnectionUrl, parseSinkSettings, POSTGRES_SINK_CONFIG, PostgresSinkTask } from '../../../src/connectors/postgres-sink/index.js';
import { validateConfigDef } from '../../../src/plugins/config-validation.js';

const BASE = { 'connection.url': 'jdbc:postgresql://db.example:5433/shop?sslmode=require', 'connection.user': 'app' };
const errorsOf = (config: Record<string, string>): Record<string, string[]> =>
  Object.fromEntries(validateConfigDef(POSTGRES_SINK_CONFIG, config).filter((r) => r.errors.length > 0).map((r) => [r.name, r.errors]));

test('defaults are the Confluent JDBC sink\'s; Debezium\'s names are aliases', () => {
  const s = parseSinkSettings(BASE);
  assert.deepEqual([s.insertMode, s.pkMode, s.batchSize, s.maxRetries, s.retryBackoffMs, s.tableNameFormat, s.autoCreate, s.autoEvolve, s.deleteEnabled], ['insert', 'none', 3000, 10, 3000, '${topic}', false, false, false]);
  assert.deepEqual(s.connection, { host: 'db.example', port: 5433, database: 'shop', user: 'app', password: undefined, sslMode: 'require', applicationName: 'pipectl-postgres-sink' });
  const d = parseSinkSettings({ 'connection.url': 'postgresql://u:pw@h/db', 'primary.key.mode': 'record_key', 'primary.key.fields': 'id', 'collection.name.format': 'archive.${topic}', 'schema.evolution': 'basic', 'flush.max.retries': '2', 'insert.mode': 'UPSERT' });
  assert.deepEqual([d.connection.user, d.connection.password, d.pkMode, d.pkFields, d.tableNameFormat, d.autoCreate, d.autoEvolve, d.maxRetries, d.insertMode], ['u', 'pw', 'record_key', ['id'], 'archive.${topic}', true, true, 2, 'upsert']);
  assert.deepEqual(errorsOf({ ...BASE, 'pk.mode': 'kafka', 'primary.key.mode': 'record_key' })['primary.key.mode'], ['Invalid value record_key for configuration primary.key.mode: "pk.mode" is set to another value; set only one of pk.mode and primary.key.mode']);
});

test('validation refuses what cannot work, on its own key', () => {
  assert.deepEqual(errorsOf({ ...BASE, 'delete.enabled': 'true', 'pk.mode': 'record_value' })['delete.enabled'], ["Invalid value true for configuration delete.enabled: Primary key mode must be 'record_key' when delete support is enabled"]);
  assert.match(errorsOf({ ...BASE, 'insert.mode': 'upsert' })['insert.mode']![0]!, /upsert requires key field names to be known/);
  assert.match(errorsOf({ ...BASE, 'insert.mode': 'merge' })['insert.mode']![0]!, /Must be one of insert, upsert, update/);
  assert.match(errorsOf({ ...BASE, 'table.name.format': 'a.b.${topic}' })['table.name.format']![0]!, /At most one dot/);
  assert.match(errorsOf({ ...BASE, 'table.name.format': '${source.table}' })['table.name.format']![0]!, /source\.\*\} placeholders are not supported/);
  assert.match(errorsOf({ ...BASE, 'connection.url': 'jdbc:mysql://h/db' })['connection.url']![0]!, /Must start with jdbc:postgresql:\/\//);
  assert.match(errorsOf({ ...BASE, 'dialect.name': 'MySqlDatabaseDialect' })['dialect.name']![0]!, /"dialect.name" is a JDBC sink setting pipectl's Postgres sink does not support: the sink speaks PostgreSQL only/);
  assert.match(errorsOf({ ...BASE, 'db.timezone': 'Europe/Paris' })['db.timezone']![0]!, /timestamps without a zone are written as UTC/);
  assert.deepEqual(errorsOf({ ...BASE, 'db.timezone': 'UTC', 'quote.sql.identifiers': 'always', 'truncate.enabled': 'false' }), {});
  assert.throws(() => parseSinkSettings({ ...BASE, 'hibernate.dialect': 'x' }), /hibernate\.\* settings are not supported/);
  assert.throws(() => parseSinkSettings({ ...BASE, 'pk.mode': 'kafka', 'pk.fields': 'a,b' }), /exactly three names/);
  assert.throws(() => parseSinkSettings({ 'connection.url': 'jdbc:postgresql://h/db' }), /Missing the database user/);
});

test('connection.url: jdbc: and postgresql:// forms; a password never appears in a message', async () => {
  assert.deepEqual(parseConnectionUrl('jdbc:postgresql://h/db?user=a&password=s3cret&ApplicationName=x&reWriteBatchedInserts=true'), { host: 'h', port: 5432, database: 'db', user: 'a', password: 's3cret', sslMode: 'prefer', applicationName: 'x' });
  assert.equal(parseConnectionUrl('postgres://[::1]:6000/d').host, '::1');
  assert.throws(() => parseConnectionUrl('jdbc:postgresql://h1,h2/db?password=s3cret'), (e: Error) => /several hosts/.test(e.message) && !e.message.includes('s3cret'));
  assert.ok(!JSON.stringify(errorsOf({ 'connection.url': 'jdbc:mysql://h/db?password=s3cret' })).includes('s3cret'));
  const task = new PostgresSinkTask();
  await assert.rejects(task.start({ 'connection.url': 'jdbc:postgresql://127.0.0.1:1/db?user=u&password=s3cret', 'connection.attempts': '1' }, { assignment: () => [] }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'PIPECTL_PGSINK_CONNECTION');
    assert.match(e.message, /Cannot connect to Postgres at 127\.0\.0\.1:1\/db after 1 attempt/);
    assert.ok(!e.message.includes('s3cret') && !String(e.stack).includes('s3cret'));
    return true;
  });
});
