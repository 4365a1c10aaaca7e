/**
 * Kafka client security keys → the port's settings, without a broker: JAAS parsing, SASL mechanisms, PEM and PKCS12
 * stores (the development CA's files, made by openssl and keytool), JKS refused with the keytool command, Connect's
 * PEM rules, endpoint identification, which keys reach which client, the kafkajs TLS options, and the start errors
 * made from kafkajs's failures. Secrets never appear in a message.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { realpathSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { ensureDevCertificates } from '../../../src/devtools/dev-certificates.js';
import type { DevCertificates } from '../../../src/devtools/dev-certificates.js';
import { findJava } from '../../../src/devtools/executables.js';
import { connectFailure } from '../../../src/runtime/kafka/connect-failure.js';
import { adminConfig, clientKeys, producerConfig, workerClientKeys } from '../../../src/runtime/kafka/kafka-config.js';
import { parseJaasConfig, saslSettings, tlsSettings } from '../../../src/runtime/kafka/kafka-security.js';
import { classifyKafkaError, tlsOptions } from '../../../src/runtime/kafka/kafkajs/common.js';
import type { KafkaError } from '../../../src/runtime/kafka/port/kafka-error.js';
import { pkcs12Certificates } from '../../../src/runtime/tls/pkcs12-certificates.js';

const SCRAM = 'org.apache.kafka.common.security.scram.ScramLoginModule';
const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule';
const BOOT = { 'bootstrap.servers': '127.0.0.1:9093' };

let certs: DevCertificates;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pipectl-kafka-security-config-'));
  certs = await ensureDevCertificates(dir, findJava());
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const reader = (keys: Record<string, string>) => (k: string): string | undefined => keys[k]?.trim();
const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return `${(e as KafkaError).code}: ${(e as Error).message}`;
  }
  return assert.fail('expected an error');
};

test('sasl.jaas.config: one entry, any flag case, quoted or bare values, comments; malformed ones are refused without quoting them', () => {
  assert.deepEqual(parseJaasConfig(`${SCRAM} required username="alice" password="a;b=\\"c\\"";`), { loginModule: SCRAM, flag: 'required', options: { username: 'alice', password: 'a;b="c"' } });
  assert.deepEqual(parseJaasConfig(`/* note */ ${PLAIN} REQUIRED // why\n username=alice password="s";`).options, { username: 'alice', password: 's' });
  assert.equal(parseJaasConfig(`${PLAIN} optional;`).flag, 'optional');
  for (const bad of [`${PLAIN} required username="u" password="secret-1"`, `${PLAIN} maybe password="secret-1";`, `${PLAIN} required password "secret-1";`, `${PLAIN} required password="secret-1"; ${PLAIN} required;`, `${PLAIN} required password="secret-1`]) {
    const m = message(() => parseJaasConfig(bad));
    assert.match(m, /^PIPECTL_KAFKA_CONFIG: sasl\.jaas\.config/);
    assert.ok(!m.includes('secret-1'), m);
  }
});

test('sasl.mechanism: PLAIN and SCRAM with their login module; GSSAPI and OAUTHBEARER are not in kafkajs; a mismatched module is named', () => {
  assert.deepEqual(saslSettings('SCRAM-SHA-256', `${SCRAM} required username="u" password="p";`), { mechanism: 'scram-sha-256', username: 'u', password: 'p' });
  assert.deepEqual(saslSettings('plain', `${PLAIN} required username="u" password="p";`), { mechanism: 'plain', username: 'u', password: 'p' });
  assert.match(message(() => saslSettings(undefined, `${PLAIN} required username="u" password="p";`)), /sasl\.mechanism=GSSAPI is not supported/);
  assert.match(message(() => saslSettings('OAUTHBEARER', 'x')), /OAUTHBEARER is not supported/);
  assert.match(message(() => saslSettings('PLAIN', `${SCRAM} required username="u" password="p";`)), /uses .*ScramLoginModule, but sasl\.mechanism=PLAIN needs .*PlainLoginModule/);
  assert.match(message(() => saslSettings('PLAIN', undefined)), /needs sasl\.jaas\.config/);
});

test('truststores: PEM (file or inline), PKCS12 from keytool; a wrong password, a PEM password, a type that does not match are refused', () => {
  const pem = tlsSettings(reader({ 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': certs.caFile }));
  assert.equal(pem.ca?.length, 1);
  assert.equal(pem.trustSource, `ssl.truststore.location=${certs.caFile}`);
  const p12 = tlsSettings(reader({ 'ssl.truststore.type': 'PKCS12', 'ssl.truststore.location': certs.truststoreFile, 'ssl.truststore.password': certs.storePassword }));
  assert.deepEqual(p12.ca, pem.ca, 'the PKCS12 truststore holds the same CA');
  // Java's default type is JKS, and JDK 9+ opens a PKCS12 file given as JKS: so does pipectl.
  assert.deepEqual(tlsSettings(reader({ 'ssl.truststore.location': certs.truststoreFile, 'ssl.truststore.password': certs.storePassword })).ca, pem.ca);
  const inline = tlsSettings(reader({ 'ssl.truststore.type': 'PEM', 'ssl.truststore.certificates': readFileSync(certs.caFile, 'utf8') }));
  assert.deepEqual([inline.ca, inline.trustSource], [pem.ca, 'ssl.truststore.certificates']);
  assert.equal(tlsSettings(reader({})).ca, undefined, "no truststore: Node's default CAs");
  // OpenSSL's PKCS12 (the client keystore: key, certificate, CA) reads too; the key is skipped.
  assert.deepEqual(pkcs12Certificates(readFileSync(certs.clientKeystoreFile), certs.storePassword), [readFileSync(certs.clientCertFile, 'utf8'), readFileSync(certs.caFile, 'utf8')]);

  const wrong = message(() => tlsSettings(reader({ 'ssl.truststore.type': 'PKCS12', 'ssl.truststore.location': certs.truststoreFile, 'ssl.truststore.password': 'wrong-pw-1' })));
  assert.match(wrong, /ssl\.truststore\.password does not open it/);
  assert.ok(!wrong.includes('wrong-pw-1'));
  assert.match(message(() => tlsSettings(reader({ 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': certs.caFile, 'ssl.truststore.password': 'x' }))), /must not be set for a PEM truststore/);
  assert.match(message(() => tlsSettings(reader({ 'ssl.truststore.location': certs.caFile }))), /is a PEM file: set ssl\.truststore\.type=PEM/);
  assert.match(message(() => tlsSettings(reader({ 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': certs.truststoreFile }))), /is not a PEM file/);
  assert.match(message(() => tlsSettings(reader({ 'ssl.truststore.location': join(dir, 'missing.p12') }))), /cannot be read: ENOENT/);
});

test('a JKS store is refused with PIPECTL_KAFKA_JKS_UNSUPPORTED and the keytool command that converts it', () => {
  const keytool = join(dirname(realpathSync(findJava())), 'keytool');
  const jks = join(dir, 'trust.jks');
  execFileSync(keytool, ['-importcert', '-noprompt', '-alias', 'ca', '-file', certs.caFile, '-keystore', jks, '-storetype', 'JKS', '-storepass', 'changeit'], { stdio: 'ignore' });
  for (const prefix of ['ssl.truststore', 'ssl.keystore']) {
    const m = message(() => tlsSettings(reader({ [`${prefix}.type`]: 'JKS', [`${prefix}.location`]: jks, [`${prefix}.password`]: 'changeit' })));
    assert.match(m, /^PIPECTL_KAFKA_JKS_UNSUPPORTED: /);
    assert.ok(m.includes(`keytool -importkeystore -srckeystore ${jks} -srcstoretype JKS -destkeystore ${join(dir, 'trust')}.p12 -deststoretype PKCS12`), m);
    assert.ok(m.includes(`${prefix}.type=PKCS12`), m);
  }
});

test('keystores: PKCS12 (one password), PEM file and inline with a PKCS#8 key; Connect\'s PEM rules', () => {
  const p12 = tlsSettings(reader({ 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': certs.clientKeystoreFile, 'ssl.keystore.password': certs.storePassword, 'ssl.key.password': certs.storePassword }));
  assert.deepEqual([Buffer.isBuffer(p12.pfx), p12.passphrase], [true, certs.storePassword]);
  const wrong = message(() => tlsSettings(reader({ 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': certs.clientKeystoreFile, 'ssl.keystore.password': 'wrong-pw-2' })));
  assert.match(wrong, /ssl\.keystore\.password is wrong/);
  assert.ok(!wrong.includes('wrong-pw-2'));
  assert.match(message(() => tlsSettings(reader({ 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': certs.clientKeystoreFile, 'ssl.keystore.password': 'a', 'ssl.key.password': 'b' }))), /differs from ssl\.keystore\.password/);

  const key = readFileSync(certs.clientKeyFile, 'utf8');
  const chain = readFileSync(certs.clientCertFile, 'utf8');
  const combined = join(dir, 'keystore.pem');
  writeFileSync(combined, key + chain);
  const pem = tlsSettings(reader({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': combined }));
  assert.match(pem.key ?? '', /^-----BEGIN PRIVATE KEY-----/);
  assert.match(pem.cert ?? '', /^-----BEGIN CERTIFICATE-----/);
  const inline = tlsSettings(reader({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.certificate.chain': chain, 'ssl.keystore.key': key }));
  assert.deepEqual([inline.key, inline.cert], [pem.key, pem.cert]);
  assert.match(message(() => tlsSettings(reader({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': combined, 'ssl.keystore.password': 'x' }))), /ssl\.keystore\.password must not be set for a PEM keystore/);
  assert.match(message(() => tlsSettings(reader({ 'ssl.keystore.certificate.chain': chain, 'ssl.keystore.key': key }))), /need ssl\.keystore\.type=PEM/);
  // A PKCS#1 ("RSA PRIVATE KEY") key: Kafka refuses it, and says how to convert.
  const rsa = join(dir, 'rsa.pem');
  writeFileSync(rsa, execFileSync('openssl', ['pkey', '-in', certs.clientKeyFile, '-traditional'], { encoding: 'utf8' }) + chain);
  assert.match(message(() => tlsSettings(reader({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': rsa }))), /holds a "RSA PRIVATE KEY", but Kafka's PEM keys must be PKCS#8; convert it with `openssl pkcs8 -topk8/);
});

test('endpoint identification and protocols map to the kafkajs TLS options', () => {
  const on = tlsOptions(tlsSettings(reader({ 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': certs.caFile })));
  assert.equal(on.checkServerIdentity, undefined, "https (the default): Node's host name check");
  assert.equal(on.rejectUnauthorized, true);
  const off = tlsOptions(tlsSettings(reader({ 'ssl.endpoint.identification.algorithm': '', 'ssl.enabled.protocols': 'TLSv1.3, TLSv1.2' })));
  assert.equal(off.checkServerIdentity?.('wrong.example', {} as never), undefined, 'empty: no host name check');
  assert.equal(off.rejectUnauthorized, true, 'the chain is still verified');
  assert.deepEqual([off.minVersion, off.maxVersion], ['TLSv1.2', 'TLSv1.3']);
  assert.match(message(() => tlsSettings(reader({ 'ssl.endpoint.identification.algorithm': 'ldap' }))), /must be https or empty/);
});

test("which keys reach which client: the worker's own clients take top-level keys only, admin adds admin.*, tasks their prefix only", () => {
  const worker = { ...BOOT, 'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': certs.caFile, 'admin.ssl.endpoint.identification.algorithm': '', 'producer.security.protocol': 'PLAINTEXT' };
  assert.deepEqual(workerClientKeys(worker), { ...BOOT, 'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': certs.caFile });
  assert.equal(adminConfig(clientKeys(worker, 'admin')).client.ssl?.verifyHostname, false);
  assert.equal(adminConfig(workerClientKeys(worker)).client.ssl?.verifyHostname, true);
  assert.equal(producerConfig(clientKeys(worker, 'producer'), 'p').client.ssl, undefined, 'a producer does not inherit top-level security (as in Connect)');
  assert.deepEqual(producerConfig(clientKeys(worker, 'producer'), 'p').ignored, []);
});

test('start errors: refused credentials and failed handshakes say what to check, never the password', () => {
  const client = adminConfig({ ...BOOT, 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.jaas.config': `${SCRAM} required username="app" password="pw-3";`, 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': certs.caFile }).client;
  const sasl = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: invalid credentials'), { name: 'KafkaJSSASLAuthenticationError', retriable: false });
  const auth = connectFailure(sasl, classifyKafkaError(sasl), client);
  assert.equal(auth.code, 'PIPECTL_KAFKA_AUTHENTICATION_FAILED');
  assert.match(auth.message, /refused SASL SCRAM-SHA-512 as user "app"/);
  assert.ok(!auth.message.includes('pw-3'));

  const tls = Object.assign(new Error('Connection error: self-signed certificate in certificate chain'), { name: 'KafkaJSConnectionError', retriable: true, broker: '127.0.0.1:9093', code: 'SELF_SIGNED_CERT_IN_CHAIN' });
  const info = classifyKafkaError(tls);
  assert.equal(info.retriable, false, 'no retry makes a certificate trusted');
  const e = connectFailure(tls, info, client);
  assert.equal(e.code, 'PIPECTL_KAFKA_TLS_FAILED');
  assert.equal(e.message, `TLS handshake with Kafka broker 127.0.0.1:9093 failed: self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN): the broker certificate is not signed by a CA in ssl.truststore.location=${certs.caFile}`);

  const cut = Object.assign(new Error('Connection error: Client network socket disconnected before secure TLS connection was established'), { name: 'KafkaJSConnectionError', retriable: true, code: 'ECONNRESET' });
  assert.equal(classifyKafkaError(cut).retriable, true, 'a cut handshake may be a restarting broker');
  assert.match(connectFailure(cut, classifyKafkaError(cut), client).message, /does not speak TLS/);
  const down = Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError', retriable: true, code: 'ECONNREFUSED' });
  assert.equal(connectFailure(down, classifyKafkaError(down), client).code, 'PIPECTL_KAFKA_UNREACHABLE');
});
