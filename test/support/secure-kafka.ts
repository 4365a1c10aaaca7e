/**
 * A development broker started with `secure` (SASL_SSL with SCRAM users, SSL with client certificates) for the test
 * files that need one: started once per test process (per file) on the first call, stopped when the process exits
 * (its temporary data folder removed). Broker start is heavy, so a file shares it across its tests; each test uses its
 * own topic, group and connector names (see kafka.ts's uniqueTopic). The run-wide broker of run-tests.mjs stays plain.
 */
import { readFileSync } from 'node:fs';
import { startKafkaBroker } from '../../src/devtools/kafka-broker.js';
import type { SecureListeners } from '../../src/devtools/kafka-broker.js';
import { parseProperties } from '../../src/runtime/config/properties.js';

export interface SecureKafka extends SecureListeners {
  /** The PLAINTEXT listener of the same broker. */
  plaintext: string;
  /** The worker settings `pipectl dev kafka --secure` wrote for its SASL_SSL listener (SCRAM-SHA-512), as keys. */
  saslSslSettings: Record<string, string>;
  /** The same for its SSL listener (PKCS12 client keystore and truststore). */
  sslSettings: Record<string, string>;
}

let broker: Promise<SecureKafka> | null = null;

/** The secure broker of this test process. */
export function secureKafka(): Promise<SecureKafka> {
  broker ??= startKafkaBroker({ port: 0, secure: true, startTimeoutMs: 120_000 }).then((b) => {
    b.unref(); // the exit hook and the watchdog stop the JVM when the test process ends
    const s = b.secure!;
    const read = (file: string): Record<string, string> => parseProperties(readFileSync(file, 'utf8'));
    return { ...s, plaintext: b.bootstrap, saslSslSettings: read(s.clientSettingsFiles.saslSsl), sslSettings: read(s.clientSettingsFiles.ssl) };
  });
  return broker;
}
