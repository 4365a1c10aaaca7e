/** readClientTls: PEM files read before any request; a missing, non-PEM or mismatched file is named, its content never shown. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readClientTls, TargetError } from '../../src/target-selection/index.js';
import { writeTree } from '../support/paths.js';
import { makeTestCerts } from '../support/tls-certs.js';
import type { TestCerts } from '../support/tls-certs.js';

let tree: { dir: string; cleanup: () => void };
let certs: TestCerts;
before(() => {
  tree = writeTree({ 'not-pem.pem': 'hello' });
  certs = makeTestCerts(tree.dir);
});
after(() => tree.cleanup());

function tlsError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof TargetError, String(e));
    assert.equal(e.code, 'PIPECTL_TARGET_TLS_FILE');
    return e.message;
  }
  assert.fail('expected PIPECTL_TARGET_TLS_FILE');
}

test('reads the CA and the client certificate and key, keeping the paths for messages', () => {
  const tls = readClientTls({ caFile: certs.caPem, clientCert: certs.clientCert, clientKey: certs.clientKey });
  assert.ok(tls.ca && tls.cert && tls.key);
  assert.equal(tls.caFile, certs.caPem);
  assert.equal(tls.clientCertFile, certs.clientCert);
});

test('a missing file, a file that is not PEM, and a key of another certificate are refused, naming the file', () => {
  assert.match(tlsError(() => readClientTls({ caFile: `${tree.dir}/nope.pem` })), /--ca-file \S+nope\.pem cannot be read: ENOENT/);
  const notPem = tlsError(() => readClientTls({ caFile: `${tree.dir}/not-pem.pem` }));
  assert.match(notPem, /holds no PEM certificate.*openssl x509 -inform DER/);
  assert.doesNotMatch(notPem, /hello/);
  assert.match(tlsError(() => readClientTls({ clientCert: certs.clientCert, clientKey: certs.strangerKey })), /cannot be used/);
});
