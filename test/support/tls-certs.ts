/**
 * Test certificates made with the openssl command in a temporary folder: a CA, a server certificate for 127.0.0.1
 * and localhost (subjectAltName; also a client certificate, as each worker presents its key store to its peers), a
 * client certificate, the server's PKCS12 key store, the CA in a PKCS12 trust store,
 * and a second CA that signed nothing of these (a "wrong CA").
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCerts {
  dir: string;
  caPem: string;
  /** A CA that signed neither certificate. */
  otherCaPem: string;
  serverCert: string;
  serverKey: string;
  /** Server key and certificate chain in one PEM file (Kafka's PEM key store layout). */
  serverCombinedPem: string;
  /** PKCS12 key store of the server (password `keystorePassword`). */
  serverP12: string;
  keystorePassword: string;
  /** The CA alone in a PKCS12 trust store (password `truststorePassword`). */
  caP12: string;
  truststorePassword: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate signed by the other CA. */
  strangerCert: string;
  strangerKey: string;
  /** A file starting with the JKS magic number (0xFEEDFEED), enough for the type check. */
  fakeJks: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes the certificates in `dir` (a few hundred ms: RSA 2048 keys). */
export function makeTestCerts(dir: string): TestCerts {
  const run = (...args: string[]): void => openssl(dir, args);
  const ca = (name: string): void => run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=pipectl test ${name}`);
  const leaf = (name: string, cn: string, signer: string, ext: string): void => {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    writeFileSync(join(dir, `${name}.ext`), ext);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', `${signer}.pem`, '-CAkey', `${signer}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  };
  ca('ca');
  ca('other-ca');
  leaf('server', 'localhost', 'ca', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  leaf('client', 'pipectl-deployer', 'ca', 'extendedKeyUsage=clientAuth\n');
  leaf('stranger', 'stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
  const keystorePassword = 'ks-Secret-42';
  run('pkcs12', '-export', '-in', 'server.pem', '-inkey', 'server.key', '-certfile', 'ca.pem', '-out', 'server.p12', '-passout', `pass:${keystorePassword}`);
  const truststorePassword = 'ts-Secret-17';
  run('pkcs12', '-export', '-nokeys', '-in', 'ca.pem', '-out', 'ca.p12', '-passout', `pass:${truststorePassword}`);
  execFileSync('sh', ['-c', 'cat server.key server.pem > server-combined.pem'], { cwd: dir });
  writeFileSync(join(dir, 'fake.jks'), Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 0]));
  const p = (f: string): string => join(dir, f);
  return {
    dir,
    caPem: p('ca.pem'),
    otherCaPem: p('other-ca.pem'),
    serverCert: p('server.pem'),
    serverKey: p('server.key'),
    serverCombinedPem: p('server-combined.pem'),
    serverP12: p('server.p12'),
    keystorePassword,
    caP12: p('ca.p12'),
    truststorePassword,
    clientCert: p('client.pem'),
    clientKey: p('client.key'),
    strangerCert: p('stranger.pem'),
    strangerKey: p('stranger.key'),
    fakeJks: p('fake.jks'),
  };
}

/**
 * A worker's keys for an HTTPS-only listener on an ephemeral port with `certs`' PKCS12 key store and PEM CA, mutual
 * TLS required (`ssl.client.auth=required`); with `jaasFile`, Basic auth too (the pipectl key naming the JAAS file).
 */
export function httpsWorkerConfig(certs: TestCerts, jaasFile?: string): Record<string, string> {
  return {
    listeners: 'https://127.0.0.1:0',
    'listeners.https.ssl.keystore.location': certs.serverP12,
    'listeners.https.ssl.keystore.type': 'PKCS12',
    'listeners.https.ssl.keystore.password': certs.keystorePassword,
    'listeners.https.ssl.truststore.location': certs.caPem,
    'listeners.https.ssl.truststore.type': 'PEM',
    'listeners.https.ssl.client.auth': 'required',
    ...(jaasFile ? { 'rest.extension.classes': BASIC_AUTH_EXTENSION, 'pipectl.rest.jaas.config.file': jaasFile } : {}),
  };
}

export const BASIC_AUTH_EXTENSION = 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension';

/** Writes a users file (`user: password` lines) and the JAAS file Connect's Basic auth reads it through; returns the JAAS file. */
export function writeBasicAuthUsers(dir: string, users: Record<string, string>): string {
  const usersFile = join(dir, 'users.properties');
  writeFileSync(usersFile, Object.entries(users).map(([u, p]) => `${u}: ${p}\n`).join(''));
  const jaas = join(dir, 'jaas.conf');
  writeFileSync(jaas, `KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="${usersFile}";\n};\n`);
  return jaas;
}
