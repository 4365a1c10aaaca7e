/**
 * A standalone worker's data plane over a secured broker (`pipectl dev kafka --secure`): FileStreamSource → topic →
 * FileStreamSink over SASL_SSL with SCRAM-SHA-512, and over SSL with client certificates (PKCS12 and PEM); a wrong
 * password and an untrusted CA stop the worker at start with a typed error that says what to fix (not a hang), and
 * the password is in neither its log nor its error. One secure broker for the whole file.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureDevCertificates } from '../../../src/devtools/dev-certificates.js';
import { findJava } from '../../../src/devtools/executables.js';
import { openKafkaDataPlane } from '../../../src/runtime/kafka/kafka-data-plane.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { secureKafka } from '../../support/secure-kafka.js';
import type { SecureKafka } from '../../support/secure-kafka.js';
import { http, startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';

const STRINGS = { 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' };
/** A worker that cannot authenticate must say so well before this (kafkajs retries a failed handshake a few times). */
const FAIL_FAST_MS = 60_000;

let kafka: SecureKafka;
let dir: string;

before(async () => {
  kafka = await secureKafka();
  dir = mkdtempSync(join(tmpdir(), 'pipectl-kafka-security-'));
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const unique = (prefix: string): string => `${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;
const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);

/** Runs FileStreamSource → topic → FileStreamSink through a worker with `config`; every line arrives once, in order. */
async function pipeLines(name: string, config: Record<string, string>): Promise<WorkerProcess> {
  const workDir = mkdtempSync(join(dir, `${name}-`));
  const input = join(workDir, 'in.txt');
  const output = join(workDir, 'out.txt');
  writeFileSync(input, '');
  const worker = await startWorker({ dir: workDir, config: { ...config, ...STRINGS }, startTimeoutMs: 90_000 });
  try {
    const topic = unique(name);
    const [src, sink] = [unique(`${name}-src`), unique(`${name}-sink`)];
    assert.equal((await http('POST', `${worker.url}/connectors`, { name: src, config: { 'connector.class': 'FileStreamSource', file: input, topic, 'tasks.max': '1' } })).status, 201);
    assert.equal((await http('POST', `${worker.url}/connectors`, { name: sink, config: { 'connector.class': 'FileStreamSink', file: output, topics: topic, 'tasks.max': '1' } })).status, 201);
    const sent = Array.from({ length: 200 }, (_, i) => `${name}-${i}`);
    appendFileSync(input, `${sent.join('\n')}\n`);
    try {
      await waitFor('200 lines in the sink file', () => lines(output).length >= sent.length, 90_000, 100);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- worker log ---\n${worker.log().slice(-8000)}`);
    }
    assert.deepEqual(lines(output), sent, 'every line once, in order');
    return worker;
  } catch (e) {
    await worker.kill();
    throw e;
  }
}

/** The worker's start failure: its exit and what it logged. */
async function startFailure(name: string, config: Record<string, string>): Promise<{ message: string; ms: number }> {
  const workDir = mkdtempSync(join(dir, `${name}-`));
  const started = Date.now();
  try {
    const w = await startWorker({ dir: workDir, config: { ...config, ...STRINGS }, startTimeoutMs: FAIL_FAST_MS + 30_000 });
    await w.kill();
  } catch (e) {
    return { message: (e as Error).message, ms: Date.now() - started };
  }
  return assert.fail(`${name}: the worker started`);
}

test('SASL_SSL with SCRAM-SHA-512: the settings `dev kafka --secure` wrote carry source and sink; the password is never logged', { timeout: 300_000 }, async () => {
  const worker = await pipeLines('scram', kafka.saslSslSettings);
  assert.equal(await worker.stop(), 0);
  assert.ok(!worker.log().includes(kafka.certificates.user.password), 'the SASL password is not in the log');
  assert.match(worker.log(), new RegExp(`connected to Kafka.*${kafka.saslSslBootstrap.replace(/\./g, '\\.')}`));
});

test('SSL with client certificates: PKCS12 stores (top level, consumer) and a PEM keystore and truststore (producer)', { timeout: 300_000 }, async () => {
  const c = kafka.certificates;
  // Kafka's PEM keystore file: the PKCS#8 key and the certificate chain together.
  const pemKeystore = join(dir, 'client-keystore.pem');
  writeFileSync(pemKeystore, readFileSync(c.clientKeyFile, 'utf8') + readFileSync(c.clientCertFile, 'utf8'));
  const producerPem: Record<string, string> = {
    'producer.security.protocol': 'SSL',
    'producer.ssl.truststore.type': 'PEM',
    'producer.ssl.truststore.location': c.caFile,
    'producer.ssl.keystore.type': 'PEM',
    'producer.ssl.keystore.location': pemKeystore,
  };
  const settings = Object.fromEntries(Object.entries(kafka.sslSettings).filter(([k]) => !k.startsWith('producer.')));
  const worker = await pipeLines('mtls', { ...settings, ...producerPem });
  assert.equal(await worker.stop(), 0);
  assert.ok(!worker.log().includes(c.storePassword), 'the store password is not in the log');
});

test('a wrong SASL password stops the worker at start with PIPECTL_KAFKA_AUTHENTICATION_FAILED, naming the user, not the password', { timeout: 180_000 }, async () => {
  const wrong = 'not-the-password-' + randomBytes(4).toString('hex');
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${kafka.certificates.user.name}" password="${wrong}";`;
  const { message, ms } = await startFailure('wrong-password', { ...kafka.saslSslSettings, 'sasl.jaas.config': jaas });
  assert.match(message, /worker exited with 1 before it started/);
  assert.match(message, /PIPECTL_KAFKA_AUTHENTICATION_FAILED/);
  assert.match(message, /refused SASL SCRAM-SHA-512 as user "pipectl"/);
  assert.ok(!message.includes(wrong) && !message.includes(kafka.certificates.user.password), 'no password in the error or the log');
  assert.ok(ms < FAIL_FAST_MS, `failed after ${ms} ms`);
});

test('an untrusted broker certificate stops the worker at start with PIPECTL_KAFKA_TLS_FAILED, naming the broker and the CA file', { timeout: 180_000 }, async () => {
  // Another development CA: valid, but not the one that signed the broker's certificate.
  const other = await ensureDevCertificates(mkdtempSync(join(dir, 'other-ca-')), findJava());
  const { message, ms } = await startFailure('wrong-ca', { ...kafka.saslSslSettings, 'ssl.truststore.location': other.caFile });
  assert.match(message, /PIPECTL_KAFKA_TLS_FAILED/);
  assert.ok(message.includes(`TLS handshake with Kafka broker ${kafka.saslSslBootstrap} failed`), message);
  assert.ok(message.includes(`not signed by a CA in ssl.truststore.location=${other.caFile}`), message);
  assert.ok(ms < FAIL_FAST_MS, `failed after ${ms} ms`);
});

test('SCRAM-SHA-256 and PLAIN authenticate too; the SSL listener refuses a client without a certificate, and the error says so', { timeout: 120_000 }, async () => {
  const { name, password } = kafka.certificates.user;
  const base = { 'bootstrap.servers': kafka.saslSslBootstrap, 'security.protocol': 'SASL_SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': kafka.certificates.caFile };
  for (const [mechanism, module] of [['SCRAM-SHA-256', 'scram.ScramLoginModule'], ['PLAIN', 'plain.PlainLoginModule']] as const) {
    const jaas = `org.apache.kafka.common.security.${module} required username="${name}" password="${password}";`;
    const plane = await openKafkaDataPlane({ workerConfig: { ...base, 'sasl.mechanism': mechanism, 'sasl.jaas.config': jaas }, logger: silentLogger });
    await plane.close();
  }
  const noCert = { 'bootstrap.servers': kafka.sslBootstrap, 'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': kafka.certificates.caFile };
  await assert.rejects(openKafkaDataPlane({ workerConfig: noCert, logger: silentLogger }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'PIPECTL_KAFKA_TLS_FAILED');
    assert.match(e.message, new RegExp(`TLS handshake with Kafka broker ${kafka.sslBootstrap.replace(/\./g, '\\.')} failed: .*needs a client certificate`));
    return true;
  });
});
