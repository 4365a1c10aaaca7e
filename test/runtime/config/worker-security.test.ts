/**
 * Connect's security settings that the runtime does not honour stop the worker, naming each key; settings it honours,
 * and blank values, do not.
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
  const raw = {
    'rest.extension.classes': BASIC_AUTH,
    listeners: 'http://127.0.0.1:8083,https://127.0.0.1:8443',
    'listeners.https.ssl.keystore.location': '/etc/ks.jks',
    'admin.listeners': 'http://127.0.0.1:9999',
    'admin.listeners.https.ssl.key.password': 'pw',
    'ssl.cipher.suites': 'TLS_AES_256_GCM_SHA384',
    'ssl.client.auth': 'required',
    'producer.ssl.keymanager.algorithm': 'SunX509',
    'consumer.sasl.login.callback.handler.class': 'x.Y',
    'sasl.kerberos.service.name': 'kafka',
    'inter.worker.key.ttl.ms': '60000',
  };
  for (const parse of [() => toSettings(raw, '/tmp'), () => toDistributedSettings({ ...DISTRIBUTED, ...raw }, '/tmp')]) {
    const e = refusal(parse);
    for (const key of Object.keys(raw)) assert.ok(e.message.includes(`${key} (`), `${key} is named: ${e.message}`);
    assert.ok(!e.message.includes('/etc/ks.jks') && !e.message.includes('pw'), 'values (possibly secrets) are not quoted');
  }
  for (const [key, value] of Object.entries(raw)) refusal(() => toSettings({ [key]: value }, '/tmp'));
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
});

test('a worker with BasicAuthSecurityRestExtension refuses to start (exit 1) instead of serving without credentials', async () => {
  const tree = writeTree({});
  try {
    await assert.rejects(startWorker({ dir: tree.dir, config: { 'rest.extension.classes': BASIC_AUTH }, startTimeoutMs: 60_000 }), (e: Error) => {
      assert.match(e.message, /worker exited with 1 before it started/);
      assert.match(e.message, /rest\.extension\.classes \(REST extensions/);
      assert.match(e.message, /code=PIPECTL_WORKER_UNSUPPORTED_SECURITY/);
      return true;
    });
  } finally {
    tree.cleanup();
  }
});
