/**
 * HTTPS on the REST API with Connect's worker keys: a PKCS12 or PEM key store, a PEM trust store, ssl.client.auth
 * (none, requested, required), http and https listeners side by side with rest.advertised.listener, and the stores
 * the worker refuses with the command that converts them. Certificates are made with openssl in a temporary folder.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { restTlsKeys } from '../../../src/runtime/config/rest-tls-keys.js';
import { WorkerConfigError } from '../../../src/runtime/config/worker-config-error.js';
import { loadRestTls } from '../../../src/runtime/rest/tls-context.js';
import { startRestServer } from '../../../src/runtime/rest/rest-server.js';
import type { RestServer } from '../../../src/runtime/rest/rest-server.js';
import { nodeRequest } from '../../../src/herder/node-request.js';
import type { ClientTls } from '../../../src/herder/node-request.js';
import { RestHerder, RuntimeTlsError } from '../../../src/herder/rest-client.js';
import { RequestTargetError } from '../../../src/herder/errors.js';
import { forwardRequest } from '../../../src/runtime/rest/forwarding.js';
import type { LogFields, Logger } from '../../../src/runtime/logger.js';
import { MemoryHerder } from '../../support/memory-herder.js';
import { writeTree } from '../../support/paths.js';
import { makeTestCerts } from '../../support/tls-certs.js';
import type { TestCerts } from '../../support/tls-certs.js';

let tree: { dir: string; cleanup: () => void };
let certs: TestCerts;
before(() => {
  tree = writeTree({});
  certs = makeTestCerts(tree.dir);
});
after(() => tree.cleanup());

const tlsFrom = (raw: Record<string, string>) => loadRestTls(restTlsKeys(raw, (p) => p));
const get = (url: string, tls?: ClientTls) => nodeRequest(url, { method: 'GET', headers: {}, signal: AbortSignal.timeout(30_000), ...(tls ? { tls } : {}) });
const pem = (path: string): Buffer => readFileSync(path);

function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: LogFields) => void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') }, lines };
}

function storeError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof WorkerConfigError, String(e));
    assert.equal(e.code, 'PIPECTL_WORKER_TLS_STORE', e.message);
    return e.message;
  }
  assert.fail('expected PIPECTL_WORKER_TLS_STORE');
}

describe('an https-only worker (PKCS12 key store, ssl.client.auth=none)', () => {
  let server: RestServer;
  let log: ReturnType<typeof recordingLogger>;
  before(async () => {
    log = recordingLogger();
    const tls = tlsFrom({ 'ssl.keystore.location': certs.serverP12, 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.password': certs.keystorePassword });
    server = await startRestServer({ herder: new MemoryHerder(), listeners: 'https://127.0.0.1:0', tls, logger: log.logger });
  });
  after(() => server.close());

  test('answers over TLS to a client that trusts the CA; the url is https', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await get(`${server.url}/connectors`, { ca: pem(certs.caPem) });
    assert.equal(res.status, 200);
    assert.equal(res.text, '[]');
  });

  test('plain HTTP on the https port gets no HTTP answer', async () => {
    const plain = server.url.replace('https://', 'http://');
    await assert.rejects(get(`${plain}/connectors`), (e: NodeJS.ErrnoException) => {
      assert.ok(['ECONNRESET', 'EPIPE', 'HPE_INVALID_CONSTANT'].includes(e.code ?? '') || /socket hang up|Parse Error/.test(e.message), `${e.code} ${e.message}`);
      return true;
    });
  });

  test('a client trusting another CA is refused with a message naming the host, the CA file and the fix', async () => {
    const herder = new RestHerder({ url: server.url, retry: { attempts: 5 }, tls: { ca: pem(certs.otherCaPem), caFile: certs.otherCaPem } });
    await assert.rejects(herder.connectors(), (e: Error) => {
      assert.ok(e instanceof RuntimeTlsError, String(e));
      assert.equal(e.code, 'PIPECTL_RUNTIME_TLS');
      assert.ok(e.message.includes(new URL(server.url).host), e.message);
      assert.ok(e.message.includes(certs.otherCaPem), e.message);
      assert.match(e.message, /--ca-file/);
      return true;
    });
    // Without --ca-file the system CAs are used, and the message says so.
    await assert.rejects(new RestHerder({ url: server.url, retry: { attempts: 1 } }).connectors(), /not trusted .*system's CAs \(no --ca-file given\)/);
  });

  test("the key store's password appears in no log line", () => {
    const text = log.lines.join('\n');
    assert.match(text, /REST server listening/);
    assert.ok(!text.includes(certs.keystorePassword));
  });
});

describe('ssl.client.auth', () => {
  const start = async (clientAuth: string): Promise<{ server: RestServer; lines: string[] }> => {
    const log = recordingLogger();
    const tls = tlsFrom({ 'listeners.https.ssl.keystore.location': certs.serverCombinedPem, 'listeners.https.ssl.keystore.type': 'PEM', 'listeners.https.ssl.truststore.location': certs.caPem, 'listeners.https.ssl.truststore.type': 'PEM', 'listeners.https.ssl.client.auth': clientAuth });
    return { server: await startRestServer({ herder: new MemoryHerder(), listeners: 'https://localhost:0', tls, logger: log.logger }), lines: log.lines };
  };
  const client: () => ClientTls = () => ({ ca: pem(certs.caPem), cert: pem(certs.clientCert), key: pem(certs.clientKey) });
  const stranger: () => ClientTls = () => ({ ca: pem(certs.caPem), cert: pem(certs.strangerCert), key: pem(certs.strangerKey) });

  test('required: no client certificate, or one from another CA, is refused in the handshake; ours is served and named in the log', async () => {
    const { server, lines } = await start('required');
    try {
      await assert.rejects(get(`${server.url}/connectors`, { ca: pem(certs.caPem) }));
      await assert.rejects(get(`${server.url}/connectors`, stranger()));
      assert.equal((await get(`${server.url}/connectors`, client())).status, 200);
      assert.ok(lines.some((l) => l.includes('"principal":"CN=pipectl-deployer"')), lines.join('\n'));
      // The REST client words the refusal: a client certificate is required.
      const herder = new RestHerder({ url: server.url, retry: { attempts: 5 }, tls: { ca: pem(certs.caPem), caFile: certs.caPem } });
      await assert.rejects(herder.connectors(), (e: Error) => e instanceof RuntimeTlsError && /requires a client certificate.*--client-cert/.test(e.message));
    } finally {
      await server.close();
    }
  });

  test('requested: no client certificate is fine, one from another CA is not', async () => {
    const { server } = await start('requested');
    try {
      assert.equal((await get(`${server.url}/connectors`, { ca: pem(certs.caPem) })).status, 200);
      assert.equal((await get(`${server.url}/connectors`, client())).status, 200);
      await assert.rejects(get(`${server.url}/connectors`, stranger()));
    } finally {
      await server.close();
    }
  });
});

test('http and https side by side: both serve; the advertised url is http unless rest.advertised.listener=https', async () => {
  const tls = tlsFrom({ 'ssl.keystore.location': certs.serverP12, 'ssl.keystore.password': certs.keystorePassword });
  const both = 'http://127.0.0.1:0,https://127.0.0.1:0';
  const a = await startRestServer({ herder: new MemoryHerder(), listeners: both, tls });
  const b = await startRestServer({ herder: new MemoryHerder(), listeners: both, tls, advertisedListener: 'HTTPS' });
  try {
    assert.equal(a.urls.length, 2);
    assert.match(a.url, /^http:\/\//);
    assert.match(b.url, /^https:\/\//);
    assert.equal((await get(`${a.urls[0]}/`)).status, 200);
    assert.equal((await get(`${a.urls[1]}/`, { ca: pem(certs.caPem) })).status, 200);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  await assert.rejects(startRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0', advertisedListener: 'https' }), /rest\.advertised\.listener=https names no listener/);
});

test('a PKCS12 trust store (certificates only, as openssl and keytool write it) verifies client certificates', async () => {
  const tls = tlsFrom({ 'ssl.keystore.location': certs.serverP12, 'ssl.keystore.password': certs.keystorePassword, 'ssl.truststore.location': certs.caP12, 'ssl.truststore.password': certs.truststorePassword, 'ssl.client.auth': 'required' });
  const server = await startRestServer({ herder: new MemoryHerder(), listeners: 'https://127.0.0.1:0', tls });
  try {
    assert.equal((await get(`${server.url}/`, { ca: pem(certs.caPem), cert: pem(certs.clientCert), key: pem(certs.clientKey) })).status, 200);
    await assert.rejects(get(`${server.url}/`, { ca: pem(certs.caPem), cert: pem(certs.strangerCert), key: pem(certs.strangerKey) }));
  } finally {
    await server.close();
  }
});

test("Connect's inline PEM keys (ssl.keystore.certificate.chain, ssl.keystore.key, ssl.truststore.certificates) serve too", async () => {
  const tls = tlsFrom({
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.certificate.chain': readFileSync(certs.serverCert, 'utf8'),
    'ssl.keystore.key': readFileSync(certs.serverKey, 'utf8'),
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.certificates': readFileSync(certs.caPem, 'utf8'),
    'ssl.client.auth': 'required',
  });
  const server = await startRestServer({ herder: new MemoryHerder(), listeners: 'https://127.0.0.1:0', tls });
  try {
    assert.equal((await get(`${server.url}/`, { ca: pem(certs.caPem), cert: pem(certs.clientCert), key: pem(certs.clientKey) })).status, 200);
  } finally {
    await server.close();
  }
});

test('JKS stores are refused with the keytool command that converts them; an unreadable PKCS12 trust store with the openssl export', () => {
  for (const type of [undefined, 'JKS']) {
    const message = storeError(() => tlsFrom({ 'ssl.keystore.location': certs.fakeJks, 'ssl.keystore.password': 'pw-not-shown', ...(type ? { 'ssl.keystore.type': type } : {}) }));
    assert.match(message, /is a JKS store, which Node's TLS cannot read: convert it to PKCS12 with keytool -importkeystore -srckeystore \S+ -srcstoretype JKS -destkeystore \S+\.p12 -deststoretype PKCS12, then set ssl\.keystore\.type=PKCS12/);
    assert.ok(!message.includes('pw-not-shown'));
  }
  // As on JDK 9+, a PKCS12 file declared JKS (or with no type: Java's default is JKS) opens as PKCS12.
  assert.ok(tlsFrom({ 'ssl.keystore.location': certs.serverP12, 'ssl.keystore.type': 'JKS', 'ssl.keystore.password': certs.keystorePassword }));
  assert.match(storeError(() => tlsFrom({ 'ssl.keystore.location': certs.caPem })), /is a PEM file: set ssl\.keystore\.type=PEM/);
  const trust = storeError(() => tlsFrom({ 'ssl.keystore.location': certs.serverP12, 'ssl.keystore.password': certs.keystorePassword, 'ssl.truststore.location': certs.caP12, 'ssl.truststore.type': 'PKCS12', 'ssl.truststore.password': 'Wrong-Trust-Pw', 'ssl.client.auth': 'required' }));
  assert.match(trust, /cannot be read as a PKCS12 trust store: ssl\.truststore\.password does not open it.*openssl pkcs12 -in \S+ -nokeys -out \S+\.pem, then set ssl\.truststore\.type=PEM/);
  assert.ok(!trust.includes('Wrong-Trust-Pw'));
  const wrong = storeError(() => tlsFrom({ 'ssl.keystore.location': certs.serverP12, 'ssl.keystore.password': 'Wrong-Password-9' }));
  assert.match(wrong, /ssl\.keystore\.location=\S+server\.p12 cannot be used/);
  assert.ok(!wrong.includes('Wrong-Password-9'));
  assert.match(storeError(() => tlsFrom({ 'ssl.keystore.location': `${certs.dir}/missing.p12` })), /missing\.p12 cannot be read/);
  assert.match(storeError(() => restTlsKeys({}, (p) => p)), /https:\/\/ listener but no key store/);
  assert.match(storeError(() => restTlsKeys({ 'ssl.keystore.location': 'ks.p12', 'ssl.client.auth': 'required' }, (p) => p)), /needs a trust store/);
});

test("a request forwarded to an https:// worker with ssl.client.auth=required trusts its CA and presents this worker's key store", async () => {
  const tls = tlsFrom({ 'ssl.keystore.location': certs.serverP12, 'ssl.keystore.password': certs.keystorePassword, 'ssl.truststore.location': certs.caPem, 'ssl.truststore.type': 'PEM', 'ssl.client.auth': 'required' });
  const leader = await startRestServer({ herder: new MemoryHerder(), listeners: 'https://127.0.0.1:0', tls });
  try {
    const request = { method: 'GET', path: '/connectors', query: new URLSearchParams(), body: Buffer.alloc(0), authorization: undefined };
    const answer = await forwardRequest(new RequestTargetError('not the leader', leader.url), request, 30_000, tls.peer);
    assert.deepEqual(answer, { status: 200, body: [] });
    // Without the stores (plain fetch trust), the leader's certificate is not trusted: a 409 naming the failure.
    await assert.rejects(forwardRequest(new RequestTargetError('not the leader', leader.url), request, 30_000), /forwarding to https:\/\/127\.0\.0\.1:\d+ failed/);
  } finally {
    await leader.close();
  }
});
