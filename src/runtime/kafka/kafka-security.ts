/**
 * Kafka client security: `security.protocol`, `sasl.mechanism`, `sasl.jaas.config` and the `ssl.*` keys of one client
 * (already stripped of its `producer.`/`consumer.`/`admin.` prefix; kafka-config.ts decides which keys reach which
 * client) → the port's `ssl` and `sasl` settings. In Connect, the worker's top-level `ssl.*` keys serve both the REST
 * server (with an https listener) and the Kafka clients; this module reads them for Kafka only. Secrets (passwords,
 * the JAAS text) are never quoted in messages. Reads the store files (tls-stores.ts); throws KafkaConfigError.
 */
import { KafkaConfigError } from './port/kafka-error.js';
import type { ClientSettings, SaslSettings, TlsSettings } from './port/kafka-port.js';
import { readKeystore, readTruststore } from './tls-stores.js';
import { KAFKA_SSL_KEYS } from '../config/kafka-ssl-keys.js';

export { KAFKA_SSL_KEYS };

/** Every security key a Kafka client reads (the worker's admin and internal clients inherit them). */
export const KAFKA_SECURITY_KEYS = ['security.protocol', 'sasl.mechanism', 'sasl.jaas.config', ...KAFKA_SSL_KEYS] as const;

export type SecurityProtocol = 'plaintext' | 'ssl' | 'sasl_plaintext' | 'sasl_ssl';

/** One `sasl.jaas.config` entry: `<LoginModule class> <flag> (<name>=<value>)* ;`. */
export interface JaasEntry {
  loginModule: string;
  flag: 'required' | 'requisite' | 'sufficient' | 'optional';
  options: Record<string, string>;
}

type Token = { kind: 'word' | 'string'; text: string } | { kind: 'punct'; text: '=' | ';' };

/** Java's StreamTokenizer as Kafka's JaasConfig sets it up: words, double-quoted strings, `//` and `/* *\/` comments. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (text.startsWith('//', i)) i = text.includes('\n', i) ? text.indexOf('\n', i) + 1 : text.length;
    else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new KafkaConfigError('sasl.jaas.config has an unterminated /* comment');
      i = end + 2;
    } else if (c === '=' || c === ';') {
      out.push({ kind: 'punct', text: c });
      i++;
    } else if (c === '"') {
      let s = '';
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        s += text[i];
      }
      if (i >= text.length) throw new KafkaConfigError('sasl.jaas.config has an unterminated quoted value');
      out.push({ kind: 'string', text: s });
      i++;
    } else {
      const m = /^[^\s=;"]+/.exec(text.slice(i))!;
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

const FLAGS = ['required', 'requisite', 'sufficient', 'optional'] as const;

/**
 * Parses `sasl.jaas.config`, which must hold exactly one entry (as in Kafka). Throws KafkaConfigError describing the
 * shape expected, never quoting the text (it holds a password).
 */
export function parseJaasConfig(text: string): JaasEntry {
  const tokens = tokenize(text);
  const shape = 'expected `<LoginModule class> required name="value" … ;`';
  const [module, flag] = tokens;
  if (module?.kind !== 'word') throw new KafkaConfigError(`sasl.jaas.config must start with a login module class; ${shape}`);
  const f = flag?.kind === 'word' ? flag.text.toLowerCase() : '';
  if (!(FLAGS as readonly string[]).includes(f)) throw new KafkaConfigError(`sasl.jaas.config: the login module's flag must be required, requisite, sufficient or optional; ${shape}`);
  const options: Record<string, string> = {};
  let i = 2;
  for (; i < tokens.length && tokens[i]!.text !== ';'; i += 3) {
    const [name, eq, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (name?.kind !== 'word' || eq?.text !== '=' || !value || value.kind === 'punct') throw new KafkaConfigError(`sasl.jaas.config: malformed option; ${shape}`);
    options[name.text] = value.text;
  }
  if (tokens[i]?.text !== ';') throw new KafkaConfigError(`sasl.jaas.config must end with ";"; ${shape}`);
  if (i + 1 < tokens.length) throw new KafkaConfigError('sasl.jaas.config must hold exactly one login module');
  return { loginModule: module.text, flag: f as JaasEntry['flag'], options };
}

const MECHANISMS = { PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' } as const;
const LOGIN_MODULES: Record<SaslSettings['mechanism'], string> = {
  plain: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'scram-sha-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'scram-sha-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
};

/** `sasl.mechanism` (default GSSAPI, which kafkajs lacks) and the credentials of `sasl.jaas.config`. */
export function saslSettings(mechanism: string | undefined, jaas: string | undefined): SaslSettings {
  const m = (mechanism || 'GSSAPI').toUpperCase();
  const mapped = MECHANISMS[m as keyof typeof MECHANISMS];
  if (!mapped) throw new KafkaConfigError(`sasl.mechanism=${m} is not supported by the kafkajs client (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)`);
  if (!jaas) throw new KafkaConfigError(`sasl.mechanism=${m} needs sasl.jaas.config (${LOGIN_MODULES[mapped]} required username="…" password="…";)`);
  const entry = parseJaasConfig(jaas);
  if (entry.loginModule !== LOGIN_MODULES[mapped]) {
    throw new KafkaConfigError(`sasl.jaas.config uses ${entry.loginModule}, but sasl.mechanism=${m} needs ${LOGIN_MODULES[mapped]}`);
  }
  const { username, password } = entry.options;
  if (username === undefined || password === undefined) throw new KafkaConfigError('sasl.jaas.config must set username="…" and password="…"');
  return { mechanism: mapped, username, password };
}

const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

function tlsVersions(value: string | undefined): Pick<TlsSettings, 'minVersion' | 'maxVersion'> {
  if (!value) return {};
  const listed = value.split(',').map((s) => s.trim()).filter(Boolean);
  const known = listed.map((v) => TLS_VERSIONS.indexOf(v as (typeof TLS_VERSIONS)[number]));
  if (known.length === 0 || known.some((k) => k < 0)) throw new KafkaConfigError(`ssl.enabled.protocols=${value} must list ${TLS_VERSIONS.join(', ')}`);
  return { minVersion: TLS_VERSIONS[Math.min(...known)]!, maxVersion: TLS_VERSIONS[Math.max(...known)]! };
}

/** `ssl.*` → TlsSettings (for SSL and SASL_SSL). `read` returns a key's trimmed value, undefined when unset. */
export function tlsSettings(read: (key: string) => string | undefined): TlsSettings {
  const algorithm = read('ssl.endpoint.identification.algorithm');
  if (algorithm !== undefined && algorithm !== '' && algorithm.toLowerCase() !== 'https') {
    throw new KafkaConfigError(`ssl.endpoint.identification.algorithm=${algorithm} must be https or empty (no host name check)`);
  }
  read('ssl.protocol'); // Java's SSLContext protocol; Node negotiates within ssl.enabled.protocols
  return {
    ...readTruststore(read),
    ...readKeystore(read),
    verifyHostname: algorithm === undefined || algorithm !== '',
    ...tlsVersions(read('ssl.enabled.protocols')),
  };
}

/** The `ssl` and `sasl` settings of a client with this protocol (none for PLAINTEXT). */
export function securitySettings(protocol: SecurityProtocol, read: (key: string) => string | undefined): Pick<ClientSettings, 'ssl' | 'sasl'> {
  return {
    ...(protocol === 'ssl' || protocol === 'sasl_ssl' ? { ssl: tlsSettings(read) } : {}),
    ...(protocol === 'sasl_plaintext' || protocol === 'sasl_ssl' ? { sasl: saslSettings(read('sasl.mechanism'), read('sasl.jaas.config')) } : {}),
  };
}
