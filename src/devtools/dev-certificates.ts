/**
 * The development broker's TLS material and credentials, made once per data folder (`<dataDir>/secure/`) with openssl
 * and keytool and kept across runs: a self-signed CA, a broker certificate for 127.0.0.1 and localhost in a PKCS12
 * keystore, a client certificate for mutual TLS (PEM and PKCS12), the CA as PEM and as a PKCS12 truststore, and one
 * random password per store and for the SCRAM/PLAIN user. Passwords reach openssl and keytool through the
 * environment, not their command lines. Files holding keys or passwords are readable by the owner only.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DevToolsError } from './dev-errors.js';
import { findOnPath } from './executables.js';

/** The files and secrets of `<dataDir>/secure/`; paths are absolute. Holds passwords: never log it. */
export interface DevCertificates {
  dir: string;
  /** The CA certificate (PEM): what a client trusts (`ssl.truststore.type=PEM`). */
  caFile: string;
  /** The CA as a PKCS12 truststore (`ssl.truststore.type=PKCS12`, password `storePassword`). */
  truststoreFile: string;
  /** The broker's key and certificate chain (PKCS12, password `storePassword`). */
  brokerKeystoreFile: string;
  /** A client certificate signed by the CA, for the SSL listener (which requires one): PEM chain and PKCS#8 key. */
  clientCertFile: string;
  clientKeyFile: string;
  /** The same client key and certificate as PKCS12 (password `storePassword`). */
  clientKeystoreFile: string;
  storePassword: string;
  /** The broker's SASL user, with SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN credentials. */
  user: { name: string; password: string };
}

const USER = 'pipectl';
const CREDENTIALS = 'credentials.json';

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env }, timeout: 60_000 }, (error, _stdout, stderr) => {
      if (error) reject(new DevToolsError('PIPECTL_DEV_BROKER_FAILED', `${command.split('/').pop()} ${args[0]} failed while making the development certificates in ${cwd}: ${String(stderr).trim() || error.message}`));
      else resolve();
    });
  });
}

/** keytool beside the java that runs the broker (JAVA_HOME or PATH), else keytool on PATH. */
function findKeytool(java: string): string {
  const beside = join(dirname(realpathSync(java)), 'keytool');
  if (existsSync(beside)) return beside;
  const onPath = findOnPath('keytool');
  if (!onPath) throw new DevToolsError('PIPECTL_DEV_JAVA_MISSING', 'keytool not found beside java nor on PATH: --secure needs a full Java 17+ installation');
  return onPath;
}

function paths(dir: string): Omit<DevCertificates, 'storePassword' | 'user'> {
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    truststoreFile: join(dir, 'truststore.p12'),
    brokerKeystoreFile: join(dir, 'broker.p12'),
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client-key.pem'),
    clientKeystoreFile: join(dir, 'client.p12'),
  };
}

/** Whether `<dataDir>/secure/` holds a complete set (made by an earlier `--secure` start). */
export function hasDevCertificates(dataDir: string): boolean {
  return existsSync(join(dataDir, 'secure', CREDENTIALS));
}

/**
 * The certificates and credentials of `dataDir`: read when made before, else made now (into a temporary folder
 * renamed into place, so that an interrupted run leaves nothing half made). Throws DevToolsError.
 */
export async function ensureDevCertificates(dataDir: string, java: string): Promise<DevCertificates> {
  const dir = join(dataDir, 'secure');
  if (hasDevCertificates(dataDir)) {
    const saved = JSON.parse(readFileSync(join(dir, CREDENTIALS), 'utf8')) as Pick<DevCertificates, 'storePassword' | 'user'>;
    return { ...paths(dir), storePassword: saved.storePassword, user: saved.user };
  }
  const openssl = findOnPath('openssl');
  if (!openssl) throw new DevToolsError('PIPECTL_DEV_BROKER_FAILED', 'openssl not found on PATH: --secure makes its certificates with it');
  const keytool = findKeytool(java);
  const work = `${dir}.new`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true, mode: 0o700 });
  const secret = (): string => randomBytes(18).toString('base64url');
  const storePassword = secret();
  const user = { name: USER, password: secret() };
  const env = { DEV_STORE_PASSWORD: storePassword };
  const days = '3650';
  writeFileSync(join(work, 'broker.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  writeFileSync(join(work, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  const o = (...args: string[]): Promise<void> => run(openssl, args, work, env);
  await o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', days, '-subj', '/CN=pipectl development CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  for (const [name, cn] of [['broker', 'localhost'], ['client', 'pipectl-client']] as const) {
    // OpenSSL 3 writes the key as PKCS#8 ("PRIVATE KEY"), the PEM form Kafka requires.
    await o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    await o('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', days, '-extfile', `${name}.ext`);
    await o('pkcs12', '-export', '-in', `${name}.pem`, '-inkey', `${name}-key.pem`, '-certfile', 'ca.pem', '-name', name, '-out', `${name}.p12`, '-passout', 'env:DEV_STORE_PASSWORD');
  }
  // keytool marks the CA as a trusted entry, which Java's truststores need (openssl's cert-only PKCS12 lacks it).
  await run(keytool, ['-importcert', '-noprompt', '-alias', 'pipectl-dev-ca', '-file', 'ca.pem', '-keystore', 'truststore.p12', '-storetype', 'PKCS12', '-storepass:env', 'DEV_STORE_PASSWORD'], work, env);
  for (const f of ['broker.ext', 'client.ext', 'broker.csr', 'client.csr', 'broker-key.pem', 'ca.srl']) rmSync(join(work, f), { force: true });
  writeFileSync(join(work, CREDENTIALS), `${JSON.stringify({ storePassword, user }, null, 2)}\n`, { mode: 0o600 });
  for (const f of ['ca.key', 'client-key.pem', 'broker.p12', 'client.p12']) chmodSync(join(work, f), 0o600);
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  return { ...paths(dir), storePassword, user };
}
