import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GeneratorSourceTask } from '../../src/connectors/generator/index.js';
import type { Clock, GeneratorSourceTaskOptions } from '../../src/connectors/generator/index.js';
import type { SourceRecord } from '../../src/plugins/connect-data.js';
import { STRING_SCHEMA } from '../../src/plugins/connect-data.js';

/** Time moves only when the task sleeps: rate limiting becomes exact and instant. */
class ManualClock implements Clock {
  t = 0;
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    this.t += ms;
    return Promise.resolve();
  }
}

function startTask(config: Record<string, string>, stored: Record<string, unknown> | null = null, options: GeneratorSourceTaskOptions = {}): { task: GeneratorSourceTask; asked: Record<string, unknown>[] } {
  const asked: Record<string, unknown>[] = [];
  const task = new GeneratorSourceTask({ idleWaitMs: 5, wallClock: () => 1_700_000_000_000, ...options });
  task.start({ topic: 'gen', ...config }, { offsetStorageReader: { offset: (p) => (asked.push(p), stored) } });
  return { task, asked };
}

async function take(task: GeneratorSourceTask, n: number, attempts = 1000): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (let i = 0; i < attempts && out.length < n; i++) out.push(...((await task.poll()) ?? []));
  return out.slice(0, n);
}

const data = (records: SourceRecord[]): unknown[] => records.map((r) => [r.key, r.value, r.sourceOffset]);

test('the same seed, task and sequence numbers give the same records; another seed or task does not', async () => {
  const config = { seed: '42', shape: 'nested', 'batch.size': '50' };
  const a = await take(startTask(config).task, 200);
  const b = await take(startTask(config).task, 200);
  assert.equal(a.length, 200);
  assert.deepEqual(data(a), data(b));
  const otherSeed = await take(startTask({ ...config, seed: '43' }).task, 200);
  const otherTask = await take(startTask({ ...config, 'generator.task.id': '1' }).task, 200);
  assert.notDeepEqual(data(otherSeed).map((d) => (d as unknown[])[1]), data(a).map((d) => (d as unknown[])[1]));
  assert.notDeepEqual(data(otherTask).map((d) => (d as unknown[])[1]), data(a).map((d) => (d as unknown[])[1]));
  const big = await take(startTask({ ...config, seed: '-9223372036854775808' }).task, 3);
  assert.equal(big.length, 3, 'any LONG is a valid seed');
});

test('records carry the partition {generator, task}, offsets {seq}, the topic, a STRING key and the Kafka timestamp', async () => {
  const { task, asked } = startTask({ name: 'orders-gen', 'generator.task.id': '3', 'batch.size': '10' });
  const records = await task.poll();
  assert.equal(records?.length, 10);
  assert.deepEqual(asked, [{ generator: 'orders-gen', task: 3 }]);
  assert.deepEqual(records!.map((r) => r.sourceOffset), Array.from({ length: 10 }, (_, seq) => ({ seq })));
  for (const r of records!) {
    assert.deepEqual([r.topic, r.sourcePartition, r.keySchema, r.timestamp], ['gen', { generator: 'orders-gen', task: 3 }, STRING_SCHEMA, 1_700_000_000_000]);
    assert.match(r.key as string, /^customer-\d+$/);
  }
  assert.deepEqual(startTask({}).asked, [{ generator: 'gen', task: 0 }], 'without a connector name the topic names the generator');
});

test('count is respected, across polls and batches; then the task idles', async () => {
  const { task } = startTask({ count: '25', 'batch.size': '10' });
  const sizes: number[] = [];
  for (let i = 0; i < 5; i++) sizes.push((await task.poll())?.length ?? 0);
  assert.deepEqual(sizes, [10, 10, 5, 0, 0]);
  assert.equal(task.position, 25);
  assert.deepEqual(await take(startTask({ count: '0' }).task, 1, 3), []);
});

test('a restarted task resumes after the stored offset with exactly the records it would have produced', async () => {
  const config = { seed: '7', shape: 'users', 'batch.size': '100' };
  const all = await take(startTask(config).task, 100);
  const resumed = await take(startTask(config, { seq: 41 }).task, 58);
  assert.deepEqual(data(resumed), data(all.slice(42)));
  const capped = await take(startTask({ ...config, count: '50' }, { seq: 41 }).task, 100, 5);
  assert.deepEqual(capped.map((r) => r.sourceOffset?.['seq']), [42, 43, 44, 45, 46, 47, 48, 49], 'count includes records before the restart');
  assert.throws(() => startTask(config, { seq: 'x' }), /Invalid generator offset/);
});

test('rate: a token bucket gives exactly rate × time with a manual clock', async () => {
  const clock = new ManualClock();
  const { task } = startTask({ rate: '100' }, null, { clock });
  let records = 0;
  let polls = 0;
  while (clock.t < 10_000) {
    records += (await task.poll())?.length ?? 0;
    polls++;
  }
  assert.ok(Math.abs(records - 1000) <= 10, `${records} records in 10 s at 100/s`);
  assert.ok(polls <= 250, `records are gathered into batches (${polls} polls)`);
  const slow = startTask({ rate: '0.5' }, null, { clock: new ManualClock() }).task;
  assert.deepEqual([(await slow.poll())?.length ?? 0, (await slow.poll())?.length ?? 0], [0, 1], 'at 0.5/s a poll waits at most 1 s and may come back empty');
});

test('rate: roughly respected in real time (200/s for 0.5 s)', async () => {
  const { task } = startTask({ rate: '200' });
  const start = performance.now();
  let records = 0;
  while (performance.now() - start < 500) records += (await task.poll())?.length ?? 0;
  task.stop();
  assert.ok(records >= 50 && records <= 150, `${records} records`);
});

test('key.cardinality bounds the distinct keys; 0 gives null keys', async () => {
  const records = await take(startTask({ 'key.cardinality': '7', 'batch.size': '2000' }).task, 2000);
  assert.deepEqual([...new Set(records.map((r) => r.key))].sort(), Array.from({ length: 7 }, (_, i) => `customer-${i}`));
  for (const r of records) assert.equal((r.value as { customer_id: string }).customer_id, r.key, 'the value repeats its key');
  const nullKeys = await take(startTask({ 'key.cardinality': '0', shape: 'flat' }).task, 100);
  assert.ok(nullKeys.every((r) => r.key === null && r.keySchema === null && (r.value as { key: unknown }).key === null));
  const many = await take(startTask({ 'key.cardinality': '1000000', 'batch.size': '5000' }).task, 5000);
  assert.ok(new Set(many.map((r) => r.key)).size > 4900, 'a large cardinality gives mostly distinct keys');
});

test('value.size: each shape\'s JSON payload is about that size, never below the shape without padding', async () => {
  const avgSize = async (config: Record<string, string>): Promise<number> => {
    const records = await take(startTask({ 'batch.size': '500', ...config }).task, 500);
    return records.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r.value)), 0) / records.length;
  };
  for (const shape of ['orders', 'users', 'flat', 'nested']) {
    const unpadded = await avgSize({ shape, 'value.size': '0' });
    assert.ok(unpadded > 150 && unpadded < 350, `${shape}: ${unpadded} bytes without padding`);
    for (const size of [200, 1000, 5000]) {
      const expected = Math.max(size, unpadded);
      const avg = await avgSize({ shape, 'value.size': String(size) });
      assert.ok(Math.abs(avg - expected) <= expected * 0.1, `${shape} value.size=${size}: average ${avg.toFixed(0)} bytes, expected about ${expected.toFixed(0)}`);
    }
    const tiny = await take(startTask({ shape, 'value.size': '0' }).task, 10);
    assert.ok(tiny.every((r) => Object.values(r.value as object).at(-1) === ''), `${shape}: no padding when value.size is 0`);
  }
});

test('malformed.every: every Nth value is a STRING that is not JSON; the others are structs', async () => {
  const records = await take(startTask({ 'malformed.every': '5', 'batch.size': '20' }).task, 20);
  const malformed = records.filter((r) => typeof r.value === 'string');
  assert.deepEqual(malformed.map((r) => r.sourceOffset?.['seq']), [4, 9, 14, 19]);
  for (const r of malformed) {
    assert.deepEqual(r.valueSchema, STRING_SCHEMA);
    assert.throws(() => JSON.parse(r.value as string), SyntaxError);
    assert.match(r.key as string, /^customer-/, 'keys stay as they are');
  }
  for (const r of records.filter((x) => typeof x.value !== 'string')) assert.equal(r.valueSchema?.type, 'struct');
});

test('stop() makes a pending poll return at once: waiting for a token, and idling after count', async () => {
  for (const [config, label] of [[{ rate: '0.5' }, 'rate'], [{ count: '0' }, 'count']] as const) {
    const { task } = startTask(config, null, { idleWaitMs: 30_000 });
    const started = performance.now();
    const pending = task.poll();
    setTimeout(() => task.stop(), 20);
    assert.equal(await pending, null, label);
    assert.ok(performance.now() - started < 500, `${label}: returned after ${(performance.now() - started).toFixed(0)} ms`);
    assert.equal(await task.poll(), null, `${label}: polls after stop return null`);
  }
  const unstarted = new GeneratorSourceTask();
  unstarted.stop();
  assert.equal(await unstarted.poll(), null);
});
