/**
 * The `ssl.*` keys the Kafka clients honour (src/runtime/kafka/kafka-security.ts reads them; security-keys.ts refuses
 * the other `ssl.*` keys). Here, in config, so that both may import it without a folder cycle.
 */
export const KAFKA_SSL_KEYS = [
  'ssl.truststore.location',
  'ssl.truststore.type',
  'ssl.truststore.password',
  'ssl.truststore.certificates',
  'ssl.keystore.location',
  'ssl.keystore.type',
  'ssl.keystore.password',
  'ssl.keystore.certificate.chain',
  'ssl.keystore.key',
  'ssl.key.password',
  'ssl.endpoint.identification.algorithm',
  'ssl.enabled.protocols',
  'ssl.protocol',
] as const;
