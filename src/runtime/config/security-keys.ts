/**
 * Worker config keys that guard access in Kafka Connect but that this runtime does not honour. A worker must not
 * start with them: an operator who set `rest.extension.classes=…BasicAuthSecurityRestExtension` expects a 401 for a
 * request without credentials, not a 200. Pure: no I/O.
 *
 * Honoured, so not listed: `listeners` with `http://` entries; `admin.listeners` blank (Connect: admin endpoints
 * disabled — pipectl serves none); `security.protocol`, `sasl.mechanism` and `sasl.jaas.config` (PLAIN and SCRAM with
 * the kafkajs client, also with a `producer.`/`consumer.`/`admin.` prefix); the Kafka clients' `ssl.*` keys
 * (KAFKA_SSL_KEYS of kafka-ssl-keys.ts, with or without a prefix); `access.control.allow.*` (CORS,
 * see src/runtime/rest/cors.ts).
 * A key with a blank value is taken as unset.
 */
import { KAFKA_SSL_KEYS } from './kafka-ssl-keys.js';

interface Rule {
  matches: (key: string, value: string) => boolean;
  reason: string;
}

const CLIENT_PREFIX = /^(?:producer\.|consumer\.|admin\.)?/;
const KAFKA_SSL = new Set<string>(KAFKA_SSL_KEYS);
const HONOURED_SASL = new Set(['sasl.mechanism', 'sasl.jaas.config']);

const RULES: Rule[] = [
  { matches: (k) => k === 'rest.extension.classes', reason: 'REST extensions (such as BasicAuthSecurityRestExtension) are not supported: the REST API would answer without authentication' },
  { matches: (k, v) => k === 'listeners' && /(^|,)\s*https:\/\//i.test(v), reason: 'HTTPS listeners are not supported (only http://)' },
  { matches: (k) => k.startsWith('listeners.https.') || k.startsWith('admin.listeners.https.'), reason: 'HTTPS listener settings are not supported' },
  { matches: (k) => k === 'admin.listeners', reason: 'separate admin listeners are not supported (blank, which disables the admin endpoints, is accepted: pipectl serves none)' },
  { matches: (k) => k.startsWith('inter.worker.'), reason: 'inter-worker request signing (KIP-507) is not implemented' },
  {
    matches: (k) => {
      const bare = k.replace(CLIENT_PREFIX, '');
      return bare.startsWith('ssl.') && !KAFKA_SSL.has(bare);
    },
    reason: 'this ssl.* setting is not honoured by the Kafka client (its ssl.* keys are the key and trust stores, ssl.key.password, ssl.endpoint.identification.algorithm and ssl.enabled.protocols)',
  },
  {
    matches: (k) => {
      const bare = k.replace(CLIENT_PREFIX, '');
      return bare.startsWith('sasl.') && !HONOURED_SASL.has(bare);
    },
    reason: 'only sasl.mechanism and sasl.jaas.config are honoured by the Kafka client',
  },
];

/** Each key of `raw` that guards access and is not honoured, with why; sorted by key. Empty when there is none. */
export function unhonouredSecurityKeys(raw: Readonly<Record<string, string>>): { key: string; reason: string }[] {
  const found: { key: string; reason: string }[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value.trim() === '') continue;
    const rule = RULES.find((r) => r.matches(key, value));
    if (rule) found.push({ key, reason: rule.reason });
  }
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
