import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigDef } from '../../src/plugins/config-def.js';
import { collectSecretValues, createConfigTransformer, HIDDEN, redact, redactConfig, sensitiveKeys, sensitiveValues } from '../../src/secrets/index.js';

const env = { PW: 'hunter2', USER: 'alice', TOKEN: 'a"b\\c' };
const transformer = createConfigTransformer({ 'config.providers': 'env', 'config.providers.env.class': 'EnvVarConfigProvider' }, { env });

test('collectSecretValues: what replaced references, exactly, and nothing else', () => {
  const raw = {
    password: '${env:PW}',
    url: 'jdbc:pg://${env:USER}@db/x',
    both: '${env:USER}:${env:PW}',
    unresolved: '${env:MISSING}',
    literal: 'not-a-secret',
  };
  const { config, secrets } = transformer.transform(raw);
  const collected = collectSecretValues(raw, config);
  assert.deepEqual(new Set(collected), new Set(['hunter2', 'alice', 'alice:hunter2']), 'two references: the parts and the whole');
  assert.ok(!collected.includes('not-a-secret') && !collected.includes('${env:MISSING}'));
  assert.deepEqual(new Set(secrets), new Set(['hunter2', 'alice']), 'transform reports the substituted values itself');
  assert.deepEqual(collectSecretValues(raw, raw), []);
  assert.deepEqual(collectSecretValues({ a: '${env:X}' }, { a: '' }), [], 'an empty value is nothing to hide');
});

test('redact replaces every occurrence with [hidden], longest first, in one pass', () => {
  assert.equal(redact('user alice logged in with hunter2 (alice:hunter2)', ['alice', 'hunter2', 'alice:hunter2']), `user ${HIDDEN} logged in with ${HIDDEN} (${HIDDEN})`);
  assert.equal(redact('hid the hidden', ['hid', 'den']), `${HIDDEN} the ${HIDDEN}${HIDDEN}`, 'replacements are not scanned again');
  assert.equal(redact('a.b*c and a-b-c', ['a.b*c']), `${HIDDEN} and a-b-c`, 'secrets are literal text, not patterns');
  assert.equal(redact('nothing secret', []), 'nothing secret');
  assert.equal(redact('x', ['']), 'x', 'an empty secret would match everywhere and is ignored');
});

test('redact also finds a secret in its JSON-escaped form (serialized configs, traces)', () => {
  const trace = JSON.stringify({ error: 'auth failed', config: { token: env.TOKEN } });
  assert.ok(trace.includes('a\\"b\\\\c'));
  assert.equal(redact(trace, [env.TOKEN]), `{"error":"auth failed","config":{"token":"${HIDDEN}"}}`);
});

test('PASSWORD keys are secrets: from the plugin ConfigDef and Kafka\'s client configs, also when prefixed', () => {
  const def: ConfigDef = [
    { name: 'connection.password', type: 'PASSWORD', default: null, importance: 'HIGH', documentation: '' },
    { name: 'connection.user', type: 'STRING', default: null, importance: 'HIGH', documentation: '' },
  ];
  const config = {
    'connection.password': 'pw1',
    'connection.user': 'bob',
    'producer.override.ssl.key.password': 'pw2',
    'consumer.override.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required password="pw3";',
    'ssl.truststore.password': '',
    'ssl.truststore.location': '/etc/ts.jks',
  };
  assert.deepEqual(sensitiveKeys(config, def), ['connection.password', 'producer.override.ssl.key.password', 'consumer.override.sasl.jaas.config', 'ssl.truststore.password']);
  assert.deepEqual(sensitiveValues(config, def), ['pw1', 'pw2', config['consumer.override.sasl.jaas.config']]);
  assert.deepEqual(sensitiveKeys({ 'connection.password': 'x' }), [], 'without a ConfigDef only client configs are known');
});

test('redactConfig: sensitive keys hidden, secrets redacted inside other values, references shown as written', () => {
  const def: ConfigDef = [{ name: 'password', type: 'PASSWORD', default: null, importance: 'HIGH', documentation: '' }];
  const raw = { password: 'literal-pw', url: 'jdbc:pg://${env:USER}@db', 'tasks.max': '1' };
  const { config, secrets } = transformer.transform(raw);
  assert.deepEqual(redactConfig(config, secrets, def), { password: HIDDEN, url: `jdbc:pg://${HIDDEN}@db`, 'tasks.max': '1' });
  assert.deepEqual(redactConfig(raw, [], def), { password: HIDDEN, url: 'jdbc:pg://${env:USER}@db', 'tasks.max': '1' });
});
