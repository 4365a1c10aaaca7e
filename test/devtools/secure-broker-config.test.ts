/** What `--secure` adds to server.properties, the storage format and the worker settings it writes (pure). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderServerProperties } from '../../src/devtools/broker-config.js';
import type { DevCertificates } from '../../src/devtools/dev-certificates.js';
import { clientSettings, scramFormatArgs, withSecureListeners } from '../../src/devtools/secure-broker-config.js';

const CERTS: DevCertificates = {
  dir: '/d/secure', caFile: '/d/secure/ca.pem', truststoreFile: '/d/secure/truststore.p12', brokerKeystoreFile: '/d/secure/broker.p12',
  clientCertFile: '/d/secure/client.pem', clientKeyFile: '/d/secure/client-key.pem', clientKeystoreFile: '/d/secure/client.p12',
  storePassword: 'store-pw', user: { name: 'pipectl', password: 'user-pw' },
};

test('server.properties: SASL_SSL and SSL listeners beside PLAINTEXT, which stays the inter-broker listener', () => {
  const props = withSecureListeners(renderServerProperties({ port: 9092, controllerPort: 9093, logDirs: '/d/kraft' }), { saslSslPort: 9094, sslPort: 9095 }, CERTS);
  const get = (key: string): string | undefined => new RegExp(`^${key.replace(/\./g, '\\.')}=(.*)$`, 'm').exec(props)?.[1];
  assert.equal(get('listeners'), 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,SASL_SSL://127.0.0.1:9094,SSL://127.0.0.1:9095');
  assert.equal(get('advertised.listeners'), 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,SASL_SSL://127.0.0.1:9094,SSL://127.0.0.1:9095');
  assert.equal(get('listener.security.protocol.map'), 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL');
  assert.equal(get('inter.broker.listener.name'), 'PLAINTEXT');
  assert.equal(get('sasl.enabled.mechanisms'), 'SCRAM-SHA-512,SCRAM-SHA-256,PLAIN');
  assert.equal(get('listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config'), 'org.apache.kafka.common.security.scram.ScramLoginModule required;');
  assert.equal(get('listener.name.sasl_ssl.plain.sasl.jaas.config'), 'org.apache.kafka.common.security.plain.PlainLoginModule required user_pipectl="user-pw";');
  assert.deepEqual([get('ssl.keystore.type'), get('ssl.keystore.location'), get('ssl.truststore.type'), get('ssl.truststore.location')], ['PKCS12', '/d/secure/broker.p12', 'PEM', '/d/secure/ca.pem']);
  assert.deepEqual([get('ssl.client.auth'), get('listener.name.ssl.ssl.client.auth')], ['none', 'required']);
});

test('the storage format creates the user with SCRAM-SHA-256 and SCRAM-SHA-512 credentials', () => {
  assert.deepEqual(scramFormatArgs(CERTS), ['--add-scram', 'SCRAM-SHA-256=[name=pipectl,password=user-pw]', '--add-scram', 'SCRAM-SHA-512=[name=pipectl,password=user-pw]']);
});

test('worker settings: top level and again under producer. and consumer. (task clients do not inherit security)', () => {
  const sasl = clientSettings('SASL_SSL', '127.0.0.1:9094', CERTS);
  assert.equal(sasl['bootstrap.servers'], '127.0.0.1:9094');
  for (const prefix of ['', 'producer.', 'consumer.']) {
    assert.equal(sasl[`${prefix}security.protocol`], 'SASL_SSL');
    assert.equal(sasl[`${prefix}sasl.mechanism`], 'SCRAM-SHA-512');
    assert.equal(sasl[`${prefix}sasl.jaas.config`], 'org.apache.kafka.common.security.scram.ScramLoginModule required username="pipectl" password="user-pw";');
    assert.equal(sasl[`${prefix}ssl.truststore.location`], '/d/secure/ca.pem');
  }
  const ssl = clientSettings('SSL', '127.0.0.1:9095', CERTS);
  assert.deepEqual(
    Object.keys(ssl).filter((k) => !k.includes('.ssl.') && !k.startsWith('producer.') && !k.startsWith('consumer.')),
    ['bootstrap.servers', 'security.protocol', 'ssl.truststore.type', 'ssl.truststore.location', 'ssl.truststore.password', 'ssl.keystore.type', 'ssl.keystore.location', 'ssl.keystore.password', 'ssl.key.password'],
  );
  assert.equal(ssl['consumer.ssl.keystore.location'], '/d/secure/client.p12');
});
