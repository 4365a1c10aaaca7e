/**
 * What `--secure` adds to the development broker: a SASL_SSL listener (SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN for one
 * user) and an SSL listener that requires a client certificate, beside the PLAINTEXT one (which stays the
 * inter-broker and controller-facing listener, and what the readiness probe uses); the `--add-scram` arguments of the
 * storage format (KRaft keeps SCRAM users in its metadata log, written at format time); and the client settings a
 * worker config takes, written to files in `<dataDir>/secure/` (they hold the password, so they are not printed).
 * Pure apart from clientSettingsFiles, which writes those files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevCertificates } from './dev-certificates.js';

export interface SecurePorts {
  saslSslPort: number;
  sslPort: number;
}

/** server.properties with the two secure listeners added to the rendered template's. */
export function withSecureListeners(properties: string, ports: SecurePorts, certs: DevCertificates): string {
  const extra = `SASL_SSL://127.0.0.1:${ports.saslSslPort},SSL://127.0.0.1:${ports.sslPort}`;
  const out = properties
    .replace(/^listeners=(.*)$/m, (_, v: string) => `listeners=${v},${extra}`)
    .replace(/^advertised\.listeners=(.*)$/m, (_, v: string) => `advertised.listeners=${v},${extra}`)
    .replace(/^listener\.security\.protocol\.map=(.*)$/m, (_, v: string) => `listener.security.protocol.map=${v},SASL_SSL:SASL_SSL,SSL:SSL`);
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return `${out}
# --secure: SASL_SSL (SCRAM users from the storage format, PLAIN from the line below) and SSL with client certificates.
sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${scram}
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=${scram}
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${certs.user.name}="${certs.user.password}";
ssl.keystore.type=PKCS12
ssl.keystore.location=${certs.brokerKeystoreFile}
ssl.keystore.password=${certs.storePassword}
ssl.key.password=${certs.storePassword}
ssl.truststore.type=PEM
ssl.truststore.location=${certs.caFile}
ssl.client.auth=none
listener.name.ssl.ssl.client.auth=required
`;
}

/** The storage format's `--add-scram` arguments: the user's SCRAM-SHA-256 and SCRAM-SHA-512 credentials. */
export function scramFormatArgs(certs: DevCertificates): string[] {
  const { name, password } = certs.user;
  return ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => ['--add-scram', `${m}=[name=${name},password=${password}]`]);
}

/** Where clientSettingsFiles wrote the worker settings of each secure listener. */
export interface ClientSettingsFiles {
  saslSsl: string;
  ssl: string;
}

/**
 * The worker config keys for a listener: top level (the worker's own clients and, through them, admin clients) and
 * again under `producer.` and `consumer.`, which Connect's task clients need as they do not inherit top-level security.
 */
export function clientSettings(listener: 'SASL_SSL' | 'SSL', bootstrap: string, certs: DevCertificates): Record<string, string> {
  const security: Record<string, string> =
    listener === 'SASL_SSL'
      ? {
          'security.protocol': 'SASL_SSL',
          'sasl.mechanism': 'SCRAM-SHA-512',
          'sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="${certs.user.name}" password="${certs.user.password}";`,
          'ssl.truststore.type': 'PEM',
          'ssl.truststore.location': certs.caFile,
        }
      : {
          'security.protocol': 'SSL',
          'ssl.truststore.type': 'PKCS12',
          'ssl.truststore.location': certs.truststoreFile,
          'ssl.truststore.password': certs.storePassword,
          'ssl.keystore.type': 'PKCS12',
          'ssl.keystore.location': certs.clientKeystoreFile,
          'ssl.keystore.password': certs.storePassword,
          'ssl.key.password': certs.storePassword,
        };
  const out: Record<string, string> = { 'bootstrap.servers': bootstrap, ...security };
  for (const prefix of ['producer.', 'consumer.']) for (const [k, v] of Object.entries(security)) out[prefix + k] = v;
  return out;
}

function render(title: string, settings: Record<string, string>): string {
  return `# ${title}\n# Written by \`pipectl dev kafka --secure\`; paste into a worker config (pipectl or Kafka Connect). Holds passwords.\n${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

/** Writes `client-sasl-ssl.properties` and `client-ssl.properties` (owner-only) into the certificates' folder. */
export function clientSettingsFiles(bootstraps: { saslSsl: string; ssl: string }, certs: DevCertificates): ClientSettingsFiles {
  const files = { saslSsl: join(certs.dir, 'client-sasl-ssl.properties'), ssl: join(certs.dir, 'client-ssl.properties') };
  writeFileSync(files.saslSsl, render(`SASL_SSL with SCRAM-SHA-512 as user ${certs.user.name}, trusting the development CA`, clientSettings('SASL_SSL', bootstraps.saslSsl, certs)), { mode: 0o600 });
  writeFileSync(files.ssl, render('SSL with a client certificate (the listener requires one), trusting the development CA', clientSettings('SSL', bootstraps.ssl, certs)), { mode: 0o600 });
  return files;
}
