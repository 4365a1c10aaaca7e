/** The mapping of Kafka client configs to the kafkajs client's settings (pure; no broker). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminConfig, allowedOverrides, bootstrapServers, clientKeys, consumerConfig, KafkaConfigError, overridePolicy, producerConfig } from '../../../src/runtime/kafka/kafka-config.js';

const BOOT = { 'bootstrap.servers': 'k1:9092, k2:9092' };
/** A consumer's group timing: [session, heartbeat]. */
const pick = (c: { sessionTimeoutMs?: number; heartbeatIntervalMs?: number }): [number | undefined, number | undefined] => [c.sessionTimeoutMs, c.heartbeatIntervalMs];

test('clientKeys: the worker\'s bootstrap.servers, then its producer.* / consumer.* keys, then the connector overrides', () => {
  const worker = { ...BOOT, 'producer.linger.ms': '5', 'producer.acks': '1', 'producer.override.acks': 'ignored', 'consumer.max.poll.records': '100', 'security.protocol': 'SSL', 'admin.request.timeout.ms': '5000', 'offset.flush.interval.ms': '1000' };
  assert.deepEqual(clientKeys(worker, 'producer', { acks: 'all' }), { 'bootstrap.servers': 'k1:9092, k2:9092', 'linger.ms': '5', acks: 'all' });
  assert.deepEqual(clientKeys(worker, 'consumer'), { 'bootstrap.servers': 'k1:9092, k2:9092', 'max.poll.records': '100' });
  // The admin client takes the worker's own client keys (not every worker key), then admin.*.
  assert.deepEqual(clientKeys(worker, 'admin'), { 'bootstrap.servers': 'k1:9092, k2:9092', 'security.protocol': 'SSL', 'request.timeout.ms': '5000' });
});

test('bootstrapServers splits, trims and drops a listener prefix; an empty list is an error', () => {
  assert.deepEqual(bootstrapServers(' a:1 ,PLAINTEXT://b:2,,'), ['a:1', 'b:2']);
  assert.throws(() => bootstrapServers(' , '), KafkaConfigError);
  assert.throws(() => bootstrapServers(undefined), /bootstrap\.servers/);
});

test('producer defaults: acks=all, idempotent, one request in flight, no compression, retry until acknowledged', () => {
  const c = producerConfig(BOOT, 'pipectl-producer');
  assert.deepEqual(c.client, { brokers: ['k1:9092', 'k2:9092'], clientId: 'pipectl-producer', connectionTimeoutMs: 10_000, retry: {} }, "Kafka's socket.connection.setup.timeout.ms default, not kafkajs's 1 s");
  assert.deepEqual(c.producer, { idempotent: true, acks: -1, maxInFlightRequests: 1, ackTimeoutMs: 30_000, compression: 'none' });
  assert.equal(c.deliveryTimeoutMs, Number.POSITIVE_INFINITY);
  assert.deepEqual([c.retryBackoffMs, c.retryBackoffMaxMs], [100, 1000]);
  assert.deepEqual([c.ignored, c.warnings], [[], []]);
});

test('producer keys map to the client, the producer and the retry loop; meaningless ones are accepted, unknown ones reported', () => {
  const c = producerConfig(
    { ...BOOT, 'client.id': 'p1', acks: '1', 'request.timeout.ms': '5000', 'socket.connection.setup.timeout.ms': '2500', 'delivery.timeout.ms': '120000', 'retry.backoff.ms': '50', 'retry.backoff.max.ms': '2000', retries: '3', 'compression.type': 'gzip', 'linger.ms': '10', 'batch.size': '16384', 'max.in.flight.requests.per.connection': '5', 'frobnicate.ms': '1' },
    'default',
  );
  assert.deepEqual(c.client, { brokers: ['k1:9092', 'k2:9092'], clientId: 'p1', connectionTimeoutMs: 2500, requestTimeoutMs: 5000, retry: { retries: 3, initialRetryTimeMs: 50, maxRetryTimeMs: 2000 } });
  assert.deepEqual(c.producer, { idempotent: false, acks: 1, maxInFlightRequests: 5, ackTimeoutMs: 5000, compression: 'gzip' });
  assert.deepEqual([c.deliveryTimeoutMs, c.retryBackoffMs, c.retryBackoffMaxMs], [120_000, 50, 2000]);
  assert.deepEqual(c.ignored, ['frobnicate.ms']);
  const snappy = producerConfig({ ...BOOT, 'compression.type': 'snappy', 'transactional.id': 'tx' }, 'p');
  assert.equal(snappy.producer.compression, 'none');
  assert.equal(snappy.warnings.length, 2);
  assert.equal(producerConfig({ ...BOOT, acks: '-1', 'enable.idempotence': 'false' }, 'p').producer.idempotent, false);
});

test('malformed producer keys are KafkaConfigErrors that name the key', () => {
  for (const [keys, message] of [
    [{ acks: '2' }, /acks=2 must be one of all, -1, 0, 1/],
    [{ acks: '1', 'enable.idempotence': 'true' }, /enable\.idempotence=true requires acks=all/],
    [{ 'delivery.timeout.ms': 'soon' }, /delivery\.timeout\.ms=soon must be an integer/],
    [{ 'max.in.flight.requests.per.connection': '0' }, /must be an integer >= 1/],
    [{ 'security.protocol': 'TLS' }, /security\.protocol=tls must be one of/],
  ] as const) {
    assert.throws(() => producerConfig({ ...BOOT, ...keys }, 'p'), (e: unknown) => e instanceof KafkaConfigError && message.test(e.message), JSON.stringify(keys));
  }
});

test('security: SSL, and SASL PLAIN / SCRAM credentials from sasl.jaas.config; errors never quote the secret', () => {
  assert.deepEqual(adminConfig({ ...BOOT, 'security.protocol': 'SSL' }).client.ssl, { trustSource: "the system's default CAs (no ssl.truststore.location)", verifyHostname: true });
  const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required username="app" password="s3cr3t";';
  const c = adminConfig({ ...BOOT, 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.jaas.config': jaas });
  assert.deepEqual([c.client.ssl?.verifyHostname, c.client.sasl], [true, { mechanism: 'scram-sha-512', username: 'app', password: 's3cr3t' }]);
  const plain = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="app" password="s3cr3t";';
  assert.equal(adminConfig({ ...BOOT, 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': plain }).client.ssl, undefined);
  assert.throws(() => adminConfig({ ...BOOT, 'security.protocol': 'SASL_SSL', 'sasl.jaas.config': jaas }), /sasl\.mechanism=GSSAPI is not supported/);
  assert.throws(
    () => adminConfig({ ...BOOT, 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': 'password="s3cr3t"' }),
    (e: unknown) => e instanceof KafkaConfigError && !e.message.includes('s3cr3t'),
  );
});

test('consumer defaults: the worker group\'s timing (session 6 s, heartbeat 1 s), else the Java consumer\'s; keys map to kafkajs; group.id is the worker\'s business', () => {
  const d = consumerConfig(BOOT, 'connector-consumer-s-0', 'earliest');
  assert.equal(d.client.clientId, 'connector-consumer-s-0');
  assert.deepEqual(d.consumer, { sessionTimeoutMs: 6000, heartbeatIntervalMs: 1000, maxWaitTimeMs: 500, readUncommitted: true });
  assert.deepEqual([d.autoOffsetReset, d.maxPollRecords, d.metadataMaxAgeMs, d.ignored], ['earliest', 500, 30_000, []]);
  // A session set alone keeps the heartbeat at 1 s, or a third of a shorter session.
  assert.deepEqual(pick(consumerConfig({ ...BOOT, 'session.timeout.ms': '45000' }, 'c', 'earliest').consumer), [45_000, 1000]);
  assert.deepEqual(pick(consumerConfig({ ...BOOT, 'session.timeout.ms': '2400' }, 'c', 'earliest').consumer), [2400, 800]);
  // Worker consumer.* keys and connector consumer.override.* keys replace the defaults, the override last.
  const worker = { ...BOOT, 'consumer.session.timeout.ms': '45000', 'consumer.heartbeat.interval.ms': '3000' };
  assert.deepEqual(pick(consumerConfig(clientKeys(worker, 'consumer'), 'c', 'earliest').consumer), [45_000, 3000]);
  assert.deepEqual(pick(consumerConfig(clientKeys(worker, 'consumer', { 'session.timeout.ms': '10000' }), 'c', 'earliest').consumer), [10_000, 3000]);

  const c = consumerConfig(
    { ...BOOT, 'group.id': 'other', 'auto.offset.reset': 'latest', 'session.timeout.ms': '9000', 'max.poll.interval.ms': '90000', 'max.partition.fetch.bytes': '65536', 'fetch.max.bytes': '1048576', 'fetch.min.bytes': '1', 'fetch.max.wait.ms': '100', 'isolation.level': 'read_committed', 'max.poll.records': '2000', 'enable.auto.commit': 'true', 'partition.assignment.strategy': 'x' },
    'c',
    'earliest',
  );
  assert.deepEqual(c.consumer, { sessionTimeoutMs: 9000, heartbeatIntervalMs: 1000, maxWaitTimeMs: 100, readUncommitted: false, rebalanceTimeoutMs: 90_000, maxBytesPerPartition: 65536, maxBytes: 1_048_576, minBytes: 1 });
  assert.deepEqual([c.autoOffsetReset, c.maxPollRecords, c.ignored], ['latest', 2000, ['partition.assignment.strategy']]);
  assert.equal(consumerConfig({ ...BOOT, 'max.poll.records': '10' }, 'c', 'earliest').maxPollRecords, 500, 'the buffer holds at least 500 records per partition');

  assert.throws(() => consumerConfig({ ...BOOT, 'auto.offset.reset': 'none' }, 'c', 'earliest'), /auto\.offset\.reset=none is not supported/);
  assert.throws(() => consumerConfig({ ...BOOT, 'session.timeout.ms': '6000', 'heartbeat.interval.ms': '6000' }, 'c', 'earliest'), /must be lower than session\.timeout\.ms/);
  assert.throws(() => consumerConfig({ ...BOOT, 'max.poll.records': 'many' }, 'c', 'earliest'), /consumer config max\.poll\.records=many/);
});

test('connector.client.config.override.policy: All (default), None, Principal; the class name form is accepted', () => {
  assert.equal(overridePolicy({}), 'All');
  assert.equal(overridePolicy({ 'connector.client.config.override.policy': 'org.apache.kafka.connect.connector.policy.NoneConnectorClientConfigOverridePolicy' }), 'None');
  assert.throws(() => overridePolicy({ 'connector.client.config.override.policy': 'Some' }), KafkaConfigError);
  const overrides = { 'max.poll.records': '10', 'sasl.jaas.config': 'x', 'security.protocol': 'SASL_SSL' };
  assert.deepEqual(allowedOverrides('All', overrides), { allowed: overrides, rejected: [] });
  assert.deepEqual(allowedOverrides('None', overrides), { allowed: {}, rejected: Object.keys(overrides) });
  assert.deepEqual(allowedOverrides('Principal', overrides), { allowed: { 'sasl.jaas.config': 'x', 'security.protocol': 'SASL_SSL' }, rejected: ['max.poll.records'] });
  assert.deepEqual(allowedOverrides('All', undefined), { allowed: {}, rejected: [] });
});
