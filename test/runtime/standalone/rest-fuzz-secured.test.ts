/**
 * The REST fuzz suite (rest-fuzz-suite.ts) against a secured standalone worker: an HTTPS-only listener, mutual TLS
 * required, Basic auth from a JAAS file. Every answer must still be < 500 with Connect's error body, the worker must
 * survive and restart with the same connectors, and no password (user, key store, trust store) may reach its log.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { httpsWorkerConfig, makeTestCerts, writeBasicAuthUsers } from '../../support/tls-certs.js';
import { defineRestFuzz } from './rest-fuzz-suite.js';

const certsDir = mkdtempSync(join(tmpdir(), 'pipectl-fuzz-certs-'));
const certs = makeTestCerts(certsDir);
after(() => rmSync(certsDir, { recursive: true, force: true })); // keys and store passwords: not left in /tmp
const USER_PASSWORD = `fuzz-pw-${process.pid}`;

defineRestFuzz({
  worker: (dir) => ({ config: httpsWorkerConfig(certs, writeBasicAuthUsers(dir, { fuzzer: USER_PASSWORD })), extraArgs: ['--log-level', 'debug'] }),
  secured: {
    ca: readFileSync(certs.caPem, 'utf8'),
    cert: readFileSync(certs.clientCert, 'utf8'),
    key: readFileSync(certs.clientKey, 'utf8'),
    authorization: `Basic ${Buffer.from(`fuzzer:${USER_PASSWORD}`).toString('base64')}`,
    secrets: [USER_PASSWORD, certs.keystorePassword, certs.truststorePassword],
  },
});
