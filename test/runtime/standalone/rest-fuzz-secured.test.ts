/**
 * The REST fuzz suite (rest-fuzz-suite.ts) against a secured standalone worker: an HTTPS-only listener, mutual TLS
 * required, Basic auth from a JAAS file. Every answer must still be < 500 with Connect's error body, the worker must
 * survive and restart with the same connectors, and no password (user, key store, trust store) may reach its log.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestCerts } from '../../support/tls-certs.js';
import { defineRestFuzz } from './rest-fuzz-suite.js';

const certs = makeTestCerts(mkdtempSync(join(tmpdir(), 'pipectl-fuzz-certs-')));
const USER_PASSWORD = `fuzz-pw-${process.pid}`;

defineRestFuzz({
  worker: (dir) => {
    writeFileSync(join(dir, 'users.properties'), `fuzzer: ${USER_PASSWORD}\n`);
    writeFileSync(join(dir, 'jaas.conf'), `KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="${join(dir, 'users.properties')}";\n};\n`);
    return {
      config: {
        listeners: 'https://127.0.0.1:0',
        'listeners.https.ssl.keystore.location': certs.serverP12,
        'listeners.https.ssl.keystore.type': 'PKCS12',
        'listeners.https.ssl.keystore.password': certs.keystorePassword,
        'listeners.https.ssl.truststore.location': certs.caPem,
        'listeners.https.ssl.truststore.type': 'PEM',
        'listeners.https.ssl.client.auth': 'required',
        'rest.extension.classes': 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension',
        'pipectl.rest.jaas.config.file': join(dir, 'jaas.conf'),
      },
      extraArgs: ['--log-level', 'debug'],
    };
  },
  secured: {
    ca: readFileSync(certs.caPem, 'utf8'),
    cert: readFileSync(certs.clientCert, 'utf8'),
    key: readFileSync(certs.clientKey, 'utf8'),
    authorization: `Basic ${Buffer.from(`fuzzer:${USER_PASSWORD}`).toString('base64')}`,
    secrets: [USER_PASSWORD, certs.keystorePassword, certs.truststorePassword],
  },
});
