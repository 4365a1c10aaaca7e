/**
 * A produce that keeps failing with a retriable error (the broker is away) retries until acknowledged — unless its
 * task was abandoned: then the signal stops the retries (PIPECTL_LOG_CANCELLED), so an abandoned task's records do not
 * land after its successor's once the broker is back (found by the chaos suite).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProducerRecord } from '../../../src/runtime/data-plane/data-plane.js';
import { RecordSender } from '../../../src/runtime/kafka/kafka-producer.js';
import type { KafkaClientFactory, ProducerPort } from '../../../src/runtime/kafka/port/kafka-port.js';
import { StickyRoundRobin } from '../../../src/runtime/log/partitioner.js';
import { silentLogger } from '../../../src/runtime/logger.js';

function unreachableBroker(): { factory: KafkaClientFactory; attempts: () => number } {
  let attempts = 0;
  const port: ProducerPort = {
    connect: async () => undefined,
    send: async () => {
      attempts++;
      throw Object.assign(new Error('Connection error: connect ECONNREFUSED'), { retriable: true });
    },
    disconnect: async () => undefined,
  };
  const factory = {
    producer: () => port,
    classify: () => ({ type: undefined, retriable: true }),
  } as unknown as KafkaClientFactory;
  return { factory, attempts: () => attempts };
}

const config = { client: { brokers: ['127.0.0.1:1'], clientId: 't' }, producer: {}, deliveryTimeoutMs: Number.MAX_SAFE_INTEGER, retryBackoffMs: 5, retryBackoffMaxMs: 20, maxRequestBytes: 1_048_576, ignored: [], warnings: [] };
const records: ProducerRecord[] = [{ topic: 't', key: null, value: Buffer.from('x') }];

test('an aborted produce stops retrying and rejects with PIPECTL_LOG_CANCELLED; without a signal it keeps retrying', async () => {
  const { factory, attempts } = unreachableBroker();
  const sender = new RecordSender(config as never, factory, silentLogger, new StickyRoundRobin(), () => undefined);
  const cancel = new AbortController();
  const sending = sender.send(records, cancel.signal);
  while (attempts() < 3) await new Promise((resolve) => setImmediate(resolve));
  cancel.abort();
  await assert.rejects(sending, (e: Error & { code?: string }) => {
    assert.equal(e.code, 'PIPECTL_LOG_CANCELLED');
    assert.match(e.message, /1 record\(s\) were not acknowledged/);
    return true;
  });
  const stoppedAt = attempts();
  // Nothing more is sent for the cancelled produce.
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(attempts() <= stoppedAt + 1, `attempts after the abort: ${attempts() - stoppedAt}`);
});
