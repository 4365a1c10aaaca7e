import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { DevToolsError } from '../../src/devtools/dev-errors.js';
import { startKafkaBroker } from '../../src/devtools/kafka-broker.js';
import { isProcessAlive } from '../../src/devtools/processes.js';
import { kafkaBootstrap, uniqueGroup, uniqueTopic } from '../support/kafka.js';
import { createTopicsAndAwaitLeaders } from '../../src/runtime/kafka/kafkajs/create-topics.js';

/** Creates a topic, produces one record, and consumes it back with a fresh group. */
async function roundTrip(bootstrap: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'pipectl-devtools-test', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const topic = uniqueTopic('round-trip');
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndAwaitLeaders(admin, [{ topic, numPartitions: 1 }]);
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'k', value: `hello ${topic}` }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: uniqueGroup('round-trip') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const value = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no record within 30 s')), 30_000);
      consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(message.value?.toString() ?? '');
        },
      }).catch(reject);
    });
    assert.equal(value, `hello ${topic}`);
  } finally {
    await consumer.disconnect();
  }
}

test("the run's broker (PIPECTL_TEST_KAFKA_BOOTSTRAP) takes a kafkajs produce/consume round trip", async () => {
  const bootstrap = await kafkaBootstrap();
  assert.match(bootstrap, /^127\.0\.0\.1:\d+$/);
  await roundTrip(bootstrap);
});

test('a broker on port 0 takes a round trip; stop() leaves no JVM and removes its temporary folder', async () => {
  const broker = await startKafkaBroker({ port: 0 });
  try {
    assert.equal(broker.bootstrap, `127.0.0.1:${broker.port}`);
    assert.notEqual(broker.port, 0);
    assert.ok(isProcessAlive(broker.pid));
    await roundTrip(broker.bootstrap);
  } finally {
    await broker.stop();
  }
  assert.throws(() => process.kill(broker.pid, 0), { code: 'ESRCH' });
  assert.equal(existsSync(broker.dataDir), false, 'the temporary data folder is removed');
  await broker.stop(); // idempotent
});

test('a taken port is refused before any JVM starts', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await assert.rejects(startKafkaBroker({ port }), (e: unknown) => {
      assert.ok(e instanceof DevToolsError);
      assert.equal(e.code, 'PIPECTL_DEV_PORT_IN_USE');
      assert.equal(e.message, `broker port 127.0.0.1:${port} is already in use (choose another port, or 0 for a free one)`);
      return true;
    });
  } finally {
    server.close();
  }
});

test('a broker not ready within the start timeout is killed, and the error carries the tail of its log', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pipectl-kafka-timeout-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  await assert.rejects(startKafkaBroker({ port: 0, dataDir, startTimeoutMs: 1 }), (e: unknown) => {
    assert.ok(e instanceof DevToolsError);
    assert.equal(e.code, 'PIPECTL_DEV_BROKER_TIMEOUT');
    assert.match(e.message, /did not become ready within 1 ms; it was killed \(log: .*broker\.log\)\n {2}\| === pipectl: Kafka/);
    assert.ok(e.pid !== undefined && !isProcessAlive(e.pid), 'the JVM is gone');
    return true;
  });
});

test('aborting the start (here as soon as the JVM is spawned) kills the JVM and rejects', async () => {
  const abort = new AbortController();
  let pid: number | undefined;
  const start = startKafkaBroker({
    port: 0,
    signal: abort.signal,
    onSpawned: (info) => {
      pid = info.pid;
      abort.abort();
    },
  });
  await assert.rejects(start, (e: unknown) => e instanceof DevToolsError && e.code === 'PIPECTL_DEV_ABORTED');
  assert.ok(pid !== undefined && !isProcessAlive(pid), 'the JVM is gone');
});
