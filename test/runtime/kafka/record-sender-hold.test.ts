/**
 * A checked send (`mayWrite`, distributed source tasks) is asked right before it goes to the broker, with no other
 * checked request of the same producer waiting ahead of it. Found by the chaos suite on a loaded machine: a batch that
 * a worker handed to the shared producer just before it was frozen (SIGSTOP) waited in the client's queue behind
 * another task's request, and went out the moment the process resumed — after the task's new owner had written.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProducerRecord } from '../../../src/runtime/data-plane/data-plane.js';
import { RecordSender } from '../../../src/runtime/kafka/kafka-producer.js';
import type { KafkaClientFactory, ProducerPort } from '../../../src/runtime/kafka/port/kafka-port.js';
import { StickyRoundRobin } from '../../../src/runtime/log/partitioner.js';
import { silentLogger } from '../../../src/runtime/logger.js';

/** A broker whose answers the test releases one by one; records what was handed to the client, in order. */
function heldBroker(): { factory: KafkaClientFactory; sent: string[]; answerNext: () => void; waiting: () => number } {
  const sent: string[] = [];
  const answers: (() => void)[] = [];
  const port: ProducerPort = {
    connect: async () => undefined,
    send: (batch) => {
      sent.push(batch.map((r) => String(r.value)).join(','));
      return new Promise((resolve) => answers.push(() => resolve(batch.map(() => ({ topic: 't', partition: 0, offset: 0 })))));
    },
    disconnect: async () => undefined,
  } as ProducerPort;
  const factory = { producer: () => port, classify: () => ({ type: undefined, retriable: false }) } as unknown as KafkaClientFactory;
  return { factory, sent, answerNext: () => answers.shift()?.(), waiting: () => answers.length };
}

const config = { client: { brokers: ['127.0.0.1:1'], clientId: 't' }, producer: {}, deliveryTimeoutMs: Number.MAX_SAFE_INTEGER, retryBackoffMs: 5, retryBackoffMaxMs: 20, maxRequestBytes: 1_048_576, ignored: [], warnings: [] };
const batch = (v: string): ProducerRecord[] => [{ topic: 't', key: null, value: Buffer.from(v) }];
const turns = async (n = 20): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

test('a checked send queued behind another is checked when its turn comes, and held while this worker may not write', async () => {
  const broker = heldBroker();
  const sender = new RecordSender(config as never, broker.factory, silentLogger, new StickyRoundRobin(), () => undefined);
  let owner = true;
  const first = sender.send(batch('task0'), undefined, () => owner);
  await turns();
  const second = sender.send(batch('task1'), undefined, () => owner);
  await turns();
  assert.deepEqual(broker.sent, ['task0'], 'the second batch waits for its turn outside the client');
  owner = false; // the session passed while the first request was out (a freeze)
  broker.answerNext();
  await first;
  await turns();
  assert.deepEqual(broker.sent, ['task0'], 'not sent while this worker may no longer own its task');
  owner = true; // the worker rejoined and still owns the task
  await new Promise((resolve) => setTimeout(resolve, 120));
  assert.deepEqual(broker.sent, ['task0', 'task1']);
  broker.answerNext();
  await second;
});

test('a held send whose task is abandoned rejects with PIPECTL_LOG_CANCELLED and never reaches the broker', async () => {
  const broker = heldBroker();
  const sender = new RecordSender(config as never, broker.factory, silentLogger, new StickyRoundRobin(), () => undefined);
  const cancel = new AbortController();
  const held = sender.send(batch('zombie'), cancel.signal, () => false);
  await turns();
  cancel.abort();
  await assert.rejects(held, (e: Error & { code?: string }) => e.code === 'PIPECTL_LOG_CANCELLED');
  assert.deepEqual(broker.sent, []);
  // The producer still serves the next checked send.
  const next = sender.send(batch('next'), undefined, () => true);
  await turns();
  broker.answerNext();
  await next;
  assert.deepEqual(broker.sent, ['next']);
});

test('a checked send whose task was abandoned while it waited for its turn is not sent, even though the worker may write', async () => {
  const broker = heldBroker();
  const sender = new RecordSender(config as never, broker.factory, silentLogger, new StickyRoundRobin(), () => undefined);
  const first = sender.send(batch('other'), undefined, () => true);
  await turns();
  const cancel = new AbortController();
  const queued = sender.send(batch('abandoned'), cancel.signal, () => true);
  await turns();
  cancel.abort(); // its task was abandoned; the worker itself still owns its (new) assignment
  broker.answerNext();
  await first;
  await assert.rejects(queued, (e: Error & { code?: string }) => e.code === 'PIPECTL_LOG_CANCELLED');
  assert.deepEqual(broker.sent, ['other']);
});
