/**
 * Worker config keys that guard access in Kafka Connect but that this runtime does not honour. A worker must not
 * start with them: an operator who set `rest.extension.classes=…BasicAuthSecurityRestExtension` expects a 401 for a
 * request without credentials, not a 200. Pure: no I/O.
 *
 * Honoured, so not listed: `listeners` with `http://` and `https://` entries; `rest.extension.classes` naming only
 * BasicAuthSecurityRestExtension; the Kafka clients' `ssl.*` keys (KAFKA_SSL_KEYS of kafka-ssl-keys.ts, with or
 * without a `producer.`/`consumer.`/`admin.` prefix); the HTTPS listener's ssl keys (rest-tls-keys.ts:
 * `listeners.https.ssl.*`, or the unprefixed `ssl.*` when no `listeners.https.*` key is set — as in Connect, one
 * unprefixed key may serve both the listener and the Kafka clients); `admin.listeners` blank (Connect: admin endpoints
 * disabled — pipectl serves none); `security.protocol`, `sasl.mechanism` and `sasl.jaas.config` (PLAIN and SCRAM with
 * the kafkajs client, also prefixed); `access.control.allow.*` (CORS, see src/runtime/rest/cors.ts); `inter.worker.*` (KIP-507, inter-worker-keys.ts). A key with a
 * blank value is taken as unset.
 */
import { KAFKA_SSL_KEYS } from './kafka-ssl-keys.js';
import { BASIC_AUTH_EXTENSION } from './rest-auth-keys.js';
import { HONOURED_TLS_KEYS, HTTPS_PREFIX, hasPrefixedTlsKeys } from './rest-tls-keys.js';

/** What the rules need to know of the whole config. */
interface Context {
  https: boolean;
  prefixed: boolean;
}

interface Rule {
  matches: (key: string, value: string, c: Context) => boolean;
  reason: string | ((key: string, c: Context) => string);
}

const CLIENT_PREFIX = /^(?:producer\.|consumer\.|admin\.)?/;
const HONOURED_SASL = new Set(['sasl.mechanism', 'sasl.jaas.config']);
const KAFKA_SSL = new Set<string>(KAFKA_SSL_KEYS);

const RULES: Rule[] = [
  {
    matches: (k, v) => k === 'rest.extension.classes' && v.split(',').map((c) => c.trim()).some((c) => c !== '' && c !== BASIC_AUTH_EXTENSION),
    reason: `REST extensions other than ${BASIC_AUTH_EXTENSION} are not supported: the REST API would answer without the checks they add`,
  },
  {
    matches: (k, _v, c) => k.startsWith(HTTPS_PREFIX) && (!c.https || !HONOURED_TLS_KEYS.has(k.slice(HTTPS_PREFIX.length))),
    reason: (k, c) => (c.https ? 'this HTTPS listener setting is not supported (ssl.cipher.suites takes Java suite names; set ssl.enabled.protocols instead)' : 'no https:// listener in listeners reads it'),
  },
  { matches: (k) => k.startsWith('admin.listeners.https.'), reason: 'HTTPS admin listener settings are not supported' },
  { matches: (k) => k === 'admin.listeners', reason: 'separate admin listeners are not supported (blank, which disables the admin endpoints, is accepted: pipectl serves none)' },
  {
    matches: (k, _v, c) => {
      const bare = k.replace(CLIENT_PREFIX, '');
      if (!bare.startsWith('ssl.') || KAFKA_SSL.has(bare)) return false;
      // An unprefixed key the Kafka clients do not read may still be the HTTPS listener's (ssl.client.auth …).
      return !(bare === k && c.https && !c.prefixed && HONOURED_TLS_KEYS.has(k));
    },
    reason: (k, c) =>
      k === k.replace(CLIENT_PREFIX, '') && c.https && !c.prefixed
        ? 'this ssl setting is honoured neither by the Kafka clients nor by the HTTPS listener (ssl.cipher.suites takes Java suite names; set ssl.enabled.protocols instead)'
        : 'this ssl.* setting is not honoured by the Kafka clients (their ssl.* keys are the key and trust stores, ssl.key.password, ssl.endpoint.identification.algorithm and ssl.enabled.protocols); for the REST API\'s https:// listener use listeners.https.ssl.*',
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
  const context: Context = {
    https: /(^|,)\s*https:\/\//i.test(raw['listeners'] ?? ''),
    prefixed: hasPrefixedTlsKeys(raw),
  };
  const found: { key: string; reason: string }[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value.trim() === '') continue;
    const rule = RULES.find((r) => r.matches(key, value, context));
    if (rule) found.push({ key, reason: typeof rule.reason === 'string' ? rule.reason : rule.reason(key, context) });
  }
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
