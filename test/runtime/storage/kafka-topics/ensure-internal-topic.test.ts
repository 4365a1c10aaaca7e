/**
 * ensureInternalTopic against a scripted data plane (issue 12, defect 1): the broker's metadata for a topic created a
 * moment ago lags, so describe/create fail with transient errors for a while; they are retried until the deadline.
 * Settings the broker refuses and authorization failures are final at once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TopicDescription } from '../../../../src/runtime/data-plane/data-plane.js';
import { ensureInternalTopic } from '../../../../src/runtime/storage/kafka-topics/topic-log.js';
import { DataPlaneError } from '../../../../src/runtime/data-plane/data-plane-error.js';

/** A kafkajs-shaped protocol error. */
function kafkaError(type: string, retriable: boolean): Error {
  return Object.assign(new Error(type === 'UNKNOWN_TOPIC_OR_PARTITION' ? 'This server does not host this topic-partition' : type), { type, retriable, name: 'KafkaJSProtocolError' });
}

/** A data plane whose describe/create answers come from a script; a topic exists once created. */
function scripted(script: { describe?: (Error | undefined)[]; create?: (Error | boolean)[] }) {
  const calls: string[] = [];
  let exists = false;
  const describe = [...(script.describe ?? [])];
  const create = [...(script.create ?? [])];
  const plane = {
    async describeTopic(name: string): Promise<TopicDescription | undefined> {
      calls.push('describe');
      const next = describe.shift();
      if (next) throw next;
      return exists ? { name, partitions: 5, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } } : undefined;
    },
    async createTopic(): Promise<boolean> {
      calls.push('create');
      const next = create.shift();
      if (next instanceof Error) {
        exists = true; // the broker created it; the client gave up waiting for its leaders
        throw next;
      }
      const created = next ?? !exists;
      exists = true;
      return created;
    },
  };
  return { plane, calls };
}

const spec = { name: 'g-status', partitions: 5, replicationFactor: 1, role: 'status' as const };

test('a creation that fails while the new topic is not known everywhere is retried and succeeds', async () => {
  const { plane, calls } = scripted({ create: [kafkaError('UNKNOWN_TOPIC_OR_PARTITION', true)], describe: [undefined, kafkaError('LEADER_NOT_AVAILABLE', true)] });
  const result = await ensureInternalTopic(plane, spec, { retryBackoffMs: 1 });
  assert.deepEqual(result, { created: false }); // the first attempt created it; the retry found it
  assert.deepEqual(calls, ['describe', 'create', 'describe', 'describe']);
});

test('a topic another worker created at the same moment is found (create answers false)', async () => {
  const { plane } = scripted({ create: [false] });
  assert.deepEqual(await ensureInternalTopic(plane, spec, { retryBackoffMs: 1 }), { created: false });
});

test('a client that gave up after its own retries on a transient error is retried too', async () => {
  const exhausted = Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded', retriable: false, originalError: kafkaError('UNKNOWN_TOPIC_OR_PARTITION', true) });
  const { plane } = scripted({ describe: [exhausted] });
  assert.deepEqual(await ensureInternalTopic(plane, spec, { retryBackoffMs: 1 }), { created: true });
});

test('transient failures past the deadline reject with PIPECTL_DISTRIBUTED_TOPIC_UNAVAILABLE naming the topic', async () => {
  const { plane } = scripted({ describe: Array.from({ length: 1000 }, () => kafkaError('UNKNOWN_TOPIC_OR_PARTITION', true)) });
  await assert.rejects(ensureInternalTopic(plane, spec, { retryBackoffMs: 5, timeoutMs: 100 }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'PIPECTL_DISTRIBUTED_TOPIC_UNAVAILABLE');
    assert.match(e.message, /"g-status" \(status\.storage\.topic\): describing it failed \(attempt \d+\): This server does not host/);
    return true;
  });
});

test('settings the broker refuses and authorization failures are final at once', async () => {
  for (const error of [new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', 'replication factor 3 is larger than the 1 broker'), kafkaError('TOPIC_AUTHORIZATION_FAILED', false)]) {
    const { plane, calls } = scripted({ create: [error] });
    await assert.rejects(ensureInternalTopic(plane, spec, { retryBackoffMs: 1 }), { code: 'PIPECTL_DISTRIBUTED_TOPIC_UNAVAILABLE' });
    assert.deepEqual(calls, ['describe', 'create']);
  }
});
