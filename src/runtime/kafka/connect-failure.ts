/**
 * Why the worker could not connect to Kafka at start, as one KafkaError a person can act on: refused credentials
 * (PIPECTL_KAFKA_AUTHENTICATION_FAILED) and failed TLS handshakes (PIPECTL_KAFKA_TLS_FAILED) say which setting to
 * check; anything else is PIPECTL_KAFKA_UNREACHABLE. Never quotes a password. Pure.
 */
import { KafkaError } from './port/kafka-error.js';
import type { ClientSettings, ErrorInfo } from './port/kafka-port.js';

/** What each TLS verification code means for the person who set the truststore. */
function tlsHint(code: string | undefined, client: ClientSettings): string {
  const trust = client.ssl?.trustSource ?? 'the truststore';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return 'the broker certificate does not name the host it was reached at; fix its subject alternative names, or set ssl.endpoint.identification.algorithm= (empty) to skip the host name check';
  }
  if (code && /^(SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_(GET_ISSUER|VERIFY_LEAF))/.test(code)) {
    return `the broker certificate is not signed by a CA in ${trust}`;
  }
  if (code && /^CERT_(HAS_EXPIRED|NOT_YET_VALID)/.test(code)) return 'the broker certificate is outside its validity period';
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'TLS_HANDSHAKE_DISCONNECTED') return 'the port does not speak TLS: is it a PLAINTEXT or SASL_PLAINTEXT listener? (check security.protocol)';
  if (code && /ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|HANDSHAKE_FAILURE)/.test(code)) {
    return 'the broker refused the handshake: a listener with ssl.client.auth=required needs a client certificate it trusts (ssl.keystore.*)';
  }
  return `check the broker's TLS listener and ${trust}`;
}

/** The error openKafkaDataPlane throws when its first connection failed; `error` becomes the cause. */
export function connectFailure(error: unknown, info: ErrorInfo, client: ClientSettings): KafkaError {
  const bootstrap = `bootstrap.servers=${client.brokers.join(',')}`;
  const security = info.security;
  if (security?.kind === 'authentication') {
    const who = client.sasl ? `SASL ${client.sasl.mechanism.toUpperCase()} as user "${client.sasl.username}"` : 'SASL';
    return new KafkaError('PIPECTL_KAFKA_AUTHENTICATION_FAILED', `Kafka at ${bootstrap} refused ${who}: ${security.reason}; check the username and password of sasl.jaas.config, and that the broker's listener enables sasl.mechanism`, { cause: error });
  }
  if (security?.kind === 'tls') {
    const broker = security.broker ?? client.brokers.join(',');
    return new KafkaError('PIPECTL_KAFKA_TLS_FAILED', `TLS handshake with Kafka broker ${broker} failed: ${security.reason}${security.code ? ` (${security.code})` : ''}: ${tlsHint(security.code, client)}`, { cause: error });
  }
  return new KafkaError('PIPECTL_KAFKA_UNREACHABLE', `cannot reach Kafka at ${bootstrap}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
