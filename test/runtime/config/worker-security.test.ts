/**
 * Connect's security settings that the runtime does not honour stop the worker, naming each key; settings it honours
 * (the HTTPS listener's keys, Basic auth with a JAAS file), and blank values, do not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toDistributedSettings } from '../../../src/runtime/config/distributed-config.js';
import { toSettings, WorkerConfigError } from '../../../src/runtime/config/worker-config.js';
import { writeTree } from '../../support/paths.js';
import { startWorker } from '../../support/worker-process.js';

const BASIC_AUTH = 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension';
const DISTRIBUTED = { 'bootstrap.servers': '127.0.0.1:9092', 'group.id': 'g', 'config.storage.topic': 'c', 'offset.storage.topic': 'o', 'status.storage.topic': 's' };

function refusal(fn: () => unknown): WorkerConfigError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof WorkerConfigError, String(e));
    assert.equal(e.code, 'PIPECTL_WORKER_UNSUPPORTED_SECURITY');
    return e;
  }
  assert.fail('expected a refusal');
}

test('each unhonoured security key is named in one refusal, standalone and distributed', () => {
  // Honoured, and the context of the others: with listeners.https.* set, the unprefixed ssl.* would serve Kafka only.
  const context = { listeners: 'http://127.0.0.1:8083,https://127.0.0.1:8443', 'listeners.https.ssl.keystore.location': '/etc/ks.p12' };
  const raw = {
    'rest.extension.classes': `${BASIC_AUTH},com.example.AuditExtension`,
    'listeners.https.ssl.cipher.suites': 'TLS_AES_128_GCM_SHA256',
    'admin.listeners': 'http://127.0.0.1:9999',
    'admin.listeners.https.ssl.key.password': 'pw',
    'ssl.cipher.suites': 'TLS_AES_256_GCM_SHA384',
    'ssl.client.auth': 'required',
    'producer.ssl.keymanager.algorithm': 'SunX509',
    'consumer.sasl.login.callback.handler.class': 'x.Y',
    'sasl.kerberos.service.name': 'kafka',
  };
  for (const parse of [() => toSettings({ ...context, ...raw }, '/tmp'), () => toDistributedSettings({ ...DISTRIBUTED, ...context, ...raw }, '/tmp')]) {
    const e = refusal(parse);
    for (const key of Object.keys(raw)) assert.ok(e.message.includes(`${key} (`), `${key} is named: ${e.message}`);
    assert.ok(!e.message.includes('/etc/ks.jks') && !e.message.includes('pw'), 'values (possibly secrets) are not quoted');
  }
  for (const [key, value] of Object.entries(raw)) refusal(() => toSettings({ [key]: value }, '/tmp'));
  // As in Connect, one unprefixed key store serves the https listener and the Kafka clients alike.
  const shared = toSettings({ listeners: 'https://127.0.0.1:0', 'ssl.keystore.location': '/etc/ks.p12', 'security.protocol': 'SSL' }, '/tmp');
  assert.equal(shared.restSecurity.tls!.keystore.location, '/etc/ks.p12');
});

test('honoured security settings and blank values start as before', () => {
  const ok = {
    listeners: 'http://127.0.0.1:8083',
    'admin.listeners': '',
    'rest.extension.classes': '',
    'ssl.keystore.location': ' ',
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': 'PLAIN',
    'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";',
    'producer.security.protocol': 'SSL',
    'ssl.endpoint.identification.algorithm': 'https',
    'ssl.truststore.location': '/etc/ts.p12',
    'consumer.ssl.keystore.type': 'PKCS12',
    'admin.ssl.key.password': 'pw',
    'access.control.allow.origin': 'https://ui.example',
  };
  assert.equal(toSettings(ok, '/tmp').listener, 'http://127.0.0.1:8083');
  assert.equal(toDistributedSettings({ ...DISTRIBUTED, ...ok }, '/tmp').groupId, 'g');
  // The HTTPS listener's keys, prefixed or not, and Basic auth with its JAAS file.
  const https = { listeners: 'https://127.0.0.1:8443', 'ssl.keystore.location': 'ks.p12', 'ssl.keystore.password': 'pw', 'ssl.truststore.location': 'ca.pem', 'ssl.truststore.type': 'PEM', 'ssl.client.auth': 'required', 'rest.advertised.listener': 'https' };
  const tls = toSettings(https, '/tmp').restSecurity.tls!;
  assert.equal(tls.keystore.location, '/tmp/ks.p12');
  assert.equal(tls.clientAuth, 'required');
  assert.equal(toSettings({ listeners: https.listeners, 'listeners.https.ssl.keystore.location': '/etc/other.p12', 'ssl.keystore.location': '' }, '/tmp').restSecurity.tls!.keystore.location, '/etc/other.p12');
  const auth = toSettings({ 'rest.extension.classes': BASIC_AUTH, 'pipectl.rest.jaas.config.file': 'jaas.conf' }, '/tmp').restSecurity;
  assert.equal(auth.basicAuthJaasFile, '/tmp/jaas.conf');
  const fromOpts = toSettings({ 'rest.extension.classes': BASIC_AUTH }, '/tmp', { KAFKA_OPTS: '-Xmx1g -Djava.security.auth.login.config=/etc/connect/jaas.conf' }).restSecurity;
  assert.equal(fromOpts.basicAuthJaasFile, '/etc/connect/jaas.conf');
});

test('a worker with BasicAuthSecurityRestExtension but no JAAS file refuses to start (exit 1) instead of serving without credentials', async () => {
  const tree = writeTree({});
  try {
    await assert.rejects(startWorker({ dir: tree.dir, config: { 'rest.extension.classes': BASIC_AUTH }, env: { KAFKA_OPTS: '' }, startTimeoutMs: 60_000 }), (e: Error) => {
      assert.match(e.message, /worker exited with 1 before it started/);
      assert.match(e.message, /no JAAS file is given: set pipectl\.rest\.jaas\.config\.file/);
      assert.match(e.message, /code=PIPECTL_WORKER_BASIC_AUTH_CONFIG/);
      return true;
    });
  } finally {
    tree.cleanup();
  }
});
