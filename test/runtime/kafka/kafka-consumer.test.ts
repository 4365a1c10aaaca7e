/**
 * KafkaConsumer's pull adapter over an in-memory twin of the client port: positions across a client crash and
 * rejoin, commits deferred while (re)joining, back-pressure, and failures that cannot be recovered from.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredRecord, TopicPartition } from '../../../src/runtime/data-plane/data-plane.js';
import { KafkaConsumer } from '../../../src/runtime/kafka/kafka-consumer.js';
import type { ErrorInfo, GroupConsumerHandlers, GroupConsumerPort } from '../../../src/runtime/kafka/port/kafka-port.js';
import { silentLogger } from '../../../src/runtime/logger.js';

type Offset = TopicPartition & { offset: number };

class FakePort implements GroupConsumerPort {
  handlers: GroupConsumerHandlers | undefined;
  staleMemberId: string | undefined;
  readonly commits: Offset[][] = [];
  readonly seeks: Offset[] = [];
  commitError: unknown;
  stopped = false;

  async start(_topics: readonly string[], _fromBeginning: boolean, handlers: GroupConsumerHandlers, staleMemberId?: string): Promise<void> {
    this.handlers = handlers;
    this.staleMemberId = staleMemberId;
  }
  async commit(offsets: readonly Offset[]): Promise<void> {
    if (this.commitError) throw this.commitError;
    this.commits.push([...offsets]);
  }
  seek(tp: TopicPartition, offset: number): void {
    this.seeks.push({ ...tp, offset });
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
  /** Hands the consumer a fetched batch of `offsets` (values "v<offset>"). */
  heartbeats = 0;
  async deliver(topic: string, partition: number, offsets: number[], stale: () => boolean = () => false): Promise<void> {
    const records: StoredRecord[] = offsets.map((offset) => ({ topic, partition, offset, key: null, value: Buffer.from(`v${offset}`), headers: [], timestamp: 0 }));
    await this.handlers!.onBatch({ topic, partition, records, lastOffset: offsets[offsets.length - 1]!, highWatermark: offsets[offsets.length - 1]! + 1, isStale: stale, resolveOffset: () => undefined, heartbeat: async () => void this.heartbeats++ });
  }
}

const classify = (e: unknown): ErrorInfo => {
  const { retriable, type } = e as { retriable?: boolean; type?: string };
  return { retriable: retriable === true, ...(type ? { type } : {}) };
};
const transient = Object.assign(new Error('connect ECONNREFUSED'), { retriable: true });
const offsetsOf = (records: readonly StoredRecord[]): number[] => records.map((r) => r.offset);
const TP = { topic: 't', partition: 0 };

async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function open(bufferPerPartition = 500): Promise<{ consumer: KafkaConsumer; ports: FakePort[] }> {
  const ports: FakePort[] = [];
  const consumer = new KafkaConsumer({
    clientId: 'c',
    groupId: 'g',
    logger: silentLogger,
    newPort: () => {
      const p = new FakePort();
      ports.push(p);
      return p;
    },
    classify,
    resolveTopics: async () => ['t'],
    dynamic: false,
    topicRefreshMs: 60_000,
    fromBeginning: true,
    bufferPerPartition,
    closed: () => undefined,
  });
  await consumer.start();
  return { consumer, ports };
}

test('after a client crash the new client removes the stale member, and kept partitions continue after what was returned', async () => {
  const { consumer, ports } = await open();
  try {
    ports[0]!.handlers!.onJoined([TP, { topic: 't', partition: 1 }], 'member-1');
    await ports[0]!.deliver('t', 0, [0, 1, 2, 3, 4]);
    assert.deepEqual(offsetsOf(await consumer.poll(10, 0)), [0, 1, 2, 3, 4]);
    await ports[0]!.deliver('t', 0, [5, 6]); // buffered, not returned: dropped by the crash

    ports[0]!.handlers!.onCrash(transient);
    assert.deepEqual(await consumer.poll(10, 0), [], 'nothing is returned while rejoining');
    await waitUntil('a new client', () => ports.length === 2, 5000);
    assert.equal(ports[0]!.stopped, true);
    assert.equal(ports[1]!.staleMemberId, 'member-1');
    ports[1]!.handlers!.onJoined([TP, { topic: 't', partition: 1 }], 'member-2');
    assert.deepEqual(ports[1]!.seeks, [{ topic: 't', partition: 0, offset: 5 }], 'partition 1 returned nothing: it starts at the committed offset');
    // kafkajs restarts at the committed offset (3): what this member already returned is not returned again.
    await ports[1]!.deliver('t', 0, [3, 4, 5, 6, 7]);
    assert.deepEqual(offsetsOf(await consumer.poll(10, 0)), [5, 6, 7]);
    // Events of the crashed client are ignored.
    await ports[0]!.deliver('t', 0, [8]);
    assert.deepEqual(await consumer.poll(10, 0), []);
  } finally {
    await consumer.close();
  }
});

test('commits: deferred while joining, limited to partitions this member returned records of, retried after a transient failure', async () => {
  const { consumer, ports } = await open();
  const port = ports[0]!;
  try {
    await consumer.commit([{ ...TP, offset: 1 }]);
    assert.deepEqual(port.commits, [], 'not joined: nothing sent');
    port.handlers!.onJoined([TP, { topic: 't', partition: 1 }], 'm');
    await port.deliver('t', 0, [0, 1, 2]);
    await consumer.poll(10, 0);
    await consumer.commit([{ ...TP, offset: 3 }, { topic: 't', partition: 1, offset: 9 }, { topic: 'other', partition: 0, offset: 4 }]);
    // poll() sent the deferred offset once joined; then only partition 0: partition 1 returned nothing, "other" is not owned.
    assert.deepEqual(port.commits, [[{ ...TP, offset: 1 }], [{ ...TP, offset: 3 }]]);
    port.commits.length = 0;

    port.commitError = Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS', retriable: false });
    await consumer.commit([{ ...TP, offset: 3 }]); // resolves: retried with the next commit
    port.commitError = undefined;
    await consumer.commit(new Map([['t-1', 2]]));
    assert.deepEqual(port.commits, [[{ ...TP, offset: 3 }]], 'the failed offsets are sent again with the next commit');
    // With nothing new to commit, poll() sends offsets left pending after a second.
    port.commitError = Object.assign(new Error('Request timed out'), { retriable: true });
    await consumer.commit([{ ...TP, offset: 3 }]);
    port.commitError = undefined;
    await new Promise((r) => setTimeout(r, 1100));
    await consumer.poll(1, 0);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(port.commits, [[{ ...TP, offset: 3 }], [{ ...TP, offset: 3 }]], 'poll() retried the pending commit');

    port.commitError = Object.assign(new Error('Not authorized to access group'), { type: 'GROUP_AUTHORIZATION_FAILED', retriable: false });
    await assert.rejects(consumer.commit([{ ...TP, offset: 3 }]), /Not authorized/);
    await assert.rejects(consumer.commit([{ ...TP, offset: -1 }]), { code: 'PIPECTL_LOG_INVALID_ARGUMENT' });
  } finally {
    port.commitError = undefined;
    await consumer.close();
  }
});

test('back-pressure: a batch that fills the buffer is held (heartbeating) until poll() drains it; seek drops the buffer', async () => {
  const { consumer, ports } = await open(500);
  const port = ports[0]!;
  try {
    port.handlers!.onJoined([TP], 'm');
    await port.deliver('t', 0, Array.from({ length: 400 }, (_, i) => i)); // below 500: returns at once
    let held = true;
    const full = port.deliver('t', 0, Array.from({ length: 200 }, (_, i) => 400 + i)).then(() => void (held = false));
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(held, true, '600 buffered: the handler (and so the next fetch) waits');
    assert.ok(port.heartbeats >= 1, 'the member heartbeats while it waits');
    assert.deepEqual(offsetsOf(await consumer.poll(50, 0)), Array.from({ length: 50 }, (_, i) => i));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(held, true, '550 still buffered');
    assert.equal((await consumer.poll(100, 0)).length, 100);
    await full; // 450 left: below the limit, the handler returns
    // A batch from before a pending seek is ignored; seek drops what is buffered and moves the fetch.
    await port.deliver('t', 0, [600, 601], () => true);
    consumer.seek(TP, 10);
    assert.deepEqual(port.seeks, [{ ...TP, offset: 10 }]);
    await port.deliver('t', 0, [10, 11]);
    assert.deepEqual(offsetsOf(await consumer.poll(10, 0)), [10, 11]);
    assert.throws(() => consumer.seek({ topic: 'x', partition: 0 }, 1), { code: 'PIPECTL_LOG_NOT_OWNER' });
    // A held handler returns when the member closes (kafkajs's disconnect waits for it).
    const heldAtClose = port.deliver('t', 0, Array.from({ length: 600 }, (_, i) => 12 + i));
    await new Promise((r) => setTimeout(r, 50));
    await consumer.close();
    await heldAtClose;
  } finally {
    await consumer.close();
  }
});

test('a failure that is not transient fails poll() with the client\'s error; a pending poll ends when the consumer closes', async () => {
  const { consumer, ports } = await open();
  ports[0]!.handlers!.onJoined([TP], 'm');
  const pending = consumer.poll(10, 60_000);
  await consumer.close();
  assert.deepEqual(await pending, []);
  await assert.rejects(consumer.poll(1, 0), { code: 'PIPECTL_LOG_CLOSED' });

  const second = await open();
  try {
    second.ports[0]!.handlers!.onCrash(Object.assign(new Error('Not authorized to access topics'), { type: 'TOPIC_AUTHORIZATION_FAILED', retriable: false }));
    await assert.rejects(second.consumer.poll(1, 100), /Not authorized/);
  } finally {
    await second.consumer.close();
  }
});
