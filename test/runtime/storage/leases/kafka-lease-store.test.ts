/**
 * KafkaLeaseStore over the in-memory topic, several stores playing several workers of one cluster: one holder per
 * lease whichever worker is asked, races decided by the log, refusals answered without writing, expiry with an
 * injected clock, a worker started after compaction, and failed or hung writes answered with 503 (a ServiceUnavailableError whose cause is the StoreError).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaLeaseStore } from '../../../../src/runtime/storage/leases/kafka-lease-store.js';
import { StoreError } from '../../../../src/runtime/storage/kafka-topics/store-error.js';
import { ServiceUnavailableError } from '../../../../src/herder/errors.js';
import { MemoryInternalLog, MemoryTopic } from '../kafka-topics/memory-internal-log.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');

async function worker(topic: MemoryTopic, clock: { now: number }, options: { timeoutMs?: number; sleep?: (ms: number, signal: AbortSignal) => Promise<void> } = {}) {
  const log = new MemoryInternalLog(topic);
  let n = 0;
  const store = new KafkaLeaseStore({ log, now: () => clock.now, requestId: () => `${topic.records().length}-${++n}-${Math.random()}`, ...options });
  await store.start();
  return { log, store };
}

test('one lease for all workers: taken through A, refused through B naming the holder, released through B', async () => {
  const topic = new MemoryTopic();
  const clock = { now: T0 };
  const a = await worker(topic, clock);
  const b = await worker(topic, clock);
  assert.deepEqual(await a.store.acquire('apply', 'alice', 60_000), { ok: true, lease: { name: 'apply', holder: 'alice', expiresAt: T0 + 60_000 } });
  clock.now += 1000;
  const lease = { name: 'apply', holder: 'alice', expiresAt: T0 + 60_000 };
  assert.deepEqual(await b.store.acquire('apply', 'bob', 60_000), { ok: false, heldBy: lease });
  assert.deepEqual(await b.store.release('apply', 'bob'), { ok: false, reason: 'held', heldBy: lease });
  assert.equal(topic.records().length, 1, 'refusals are answered without writing');
  assert.deepEqual(await b.store.get('apply'), lease);

  const renewed = await b.store.acquire('apply', 'alice', 60_000);
  assert.deepEqual(renewed, { ok: true, lease: { ...lease, expiresAt: T0 + 61_000 } }, 'the holder renews through any worker');
  assert.deepEqual(await b.store.release('apply', 'alice'), { ok: true });
  assert.equal(await a.store.get('apply'), undefined);
  assert.deepEqual(await a.store.release('apply', 'alice'), { ok: false, reason: 'none' });
  assert.equal((await a.store.acquire('other', 'carol', 10)).ok, true, 'leases are independent by name');
  assert.deepEqual(
    topic.dump().map((r) => r.key),
    ['lease-apply', 'lease-apply', 'lease-apply', 'lease-other'],
  );
});

test('expiry by the clock carried in the records: an expired lease is free for another holder', async () => {
  const topic = new MemoryTopic();
  const clock = { now: T0 };
  const a = await worker(topic, clock);
  const b = await worker(topic, clock);
  assert.equal((await a.store.acquire('apply', 'alice', 1000)).ok, true);
  clock.now = T0 + 1000; // expiresAt is exclusive
  assert.equal(await b.store.get('apply'), undefined);
  assert.deepEqual(await a.store.release('apply', 'alice'), { ok: false, reason: 'none' });
  assert.deepEqual(await b.store.acquire('apply', 'bob', 1000), { ok: true, lease: { name: 'apply', holder: 'bob', expiresAt: T0 + 2000 } });
});

test('concurrent acquires through different workers: exactly one wins each round, the loser is told who holds it', async () => {
  const topic = new MemoryTopic();
  const clock = { now: T0 };
  const workers = await Promise.all([worker(topic, clock), worker(topic, clock), worker(topic, clock)]);
  for (let round = 0; round < 20; round++) {
    const name = `apply-${round}`;
    const results = await Promise.all(workers.map((w, i) => w.store.acquire(name, `holder-${i}`, 60_000)));
    const winners = results.filter((r) => r.ok);
    assert.equal(winners.length, 1, JSON.stringify(results));
    const winner = winners[0]!.ok ? winners[0]!.lease.holder : '';
    for (const r of results) if (!r.ok) assert.equal(r.heldBy.holder, winner);
    for (const w of workers) assert.equal((await w.store.get(name))?.holder, winner);
  }
});

test('a worker started after compaction reads the same holder, also when the last record was a refusal', async () => {
  const topic = new MemoryTopic();
  const clock = { now: T0 };
  const a = await worker(topic, clock);
  const b = await worker(topic, clock);
  await Promise.all([a.store.acquire('apply', 'alice', 60_000), b.store.acquire('apply', 'bob', 60_000)]);
  const holder = (await a.store.get('apply'))!.holder;
  topic.compact();
  assert.equal(topic.records().length, 1);
  const c = await worker(topic, clock);
  assert.equal((await c.store.get('apply'))?.holder, holder);
  assert.equal((await c.store.acquire('apply', 'carol', 60_000)).ok, false);
});

test('a failed write answers 503 (ServiceUnavailableError, the StoreError as cause) and the store goes on; a write that never completes times out', async () => {
  const topic = new MemoryTopic();
  const clock = { now: T0 };
  let expire: (() => void) | undefined;
  const sleep = (_ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      expire = resolve;
      signal.addEventListener('abort', () => reject(new Error('cancelled')));
    });
  const a = await worker(topic, clock, { sleep });
  a.log.beforeSend = () => {
    throw Object.assign(new Error('broker down'), { retriable: true });
  };
  await assert.rejects(a.store.acquire('apply', 'alice', 60_000), (e: unknown) => e instanceof ServiceUnavailableError && e.cause instanceof StoreError && e.cause.code === 'PIPECTL_STORE_WRITE_FAILED' && /lease "apply".*broker down/.test(e.message));
  a.log.beforeSend = undefined;
  assert.equal((await a.store.acquire('apply', 'alice', 60_000)).ok, true);

  a.log.beforeSend = () => new Promise<void>(() => undefined);
  const pending = a.store.release('apply', 'alice');
  await new Promise((r) => setImmediate(r));
  expire!();
  await assert.rejects(pending, (e: unknown) => e instanceof ServiceUnavailableError && e.cause instanceof StoreError && e.cause.code === 'PIPECTL_STORE_TIMEOUT');
});

test('use before start or after stop is a StoreError', async () => {
  const store = new KafkaLeaseStore({ log: new MemoryInternalLog(new MemoryTopic()) });
  await assert.rejects(store.get('apply'), (e: unknown) => e instanceof StoreError && e.code === 'PIPECTL_STORE_NOT_STARTED');
  await store.start();
  await store.stop();
  await assert.rejects(store.acquire('apply', 'a', 1), (e: unknown) => e instanceof StoreError && e.code === 'PIPECTL_STORE_NOT_STARTED');
});
