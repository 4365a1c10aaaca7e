/** The in-memory InternalLog twin keeps the contract the stores rely on (start, readToEnd, partitioning, background). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InternalLogRecord } from '../../../../src/runtime/storage/kafka-topics/internal-log.js';
import { partitionForKey } from '../../../../src/runtime/log/partitioner.js';
import { MemoryInternalLog, MemoryTopic } from './memory-internal-log.js';

const write = (key: string, value: string | null, partition?: number) => ({ key: Buffer.from(key), value: value === null ? null : Buffer.from(value), ...(partition === undefined ? {} : { partition }) });

test('start delivers what exists in offset order per partition; later writes arrive at readToEnd', async () => {
  const topic = new MemoryTopic(3);
  topic.append([write('a', '1'), write('b', '2'), write('a', '3'), write('z', '4', 2)]);
  const seen: InternalLogRecord[] = [];
  const log = new MemoryInternalLog(topic);
  await log.start((r) => seen.push(r));
  assert.equal(seen.length, 4);
  for (const r of seen) if (r.key?.toString() !== 'z') assert.equal(r.partition, partitionForKey(r.key!, 3));
  const aOffsets = seen.filter((r) => r.key?.toString() === 'a').map((r) => r.offset);
  assert.deepEqual(aOffsets, [...aOffsets].sort((x, y) => x - y));

  const other = new MemoryInternalLog(topic);
  await other.start(() => undefined);
  await other.send([write('c', null)]);
  assert.equal(seen.length, 4, 'no background delivery by default');
  await log.readToEnd();
  assert.equal(seen.length, 5);
  assert.equal(seen[4]?.value, null);
});

test('background delivery, compaction, stop', async () => {
  const topic = new MemoryTopic();
  const seen: string[] = [];
  const log = new MemoryInternalLog(topic, { background: true });
  await log.start((r) => seen.push(`${r.key}@${r.offset}`));
  topic.append([write('k', '1'), write('k', '2'), write('j', '3')]);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, ['k@0', 'k@1', 'j@2']);
  topic.compact();
  assert.deepEqual(topic.dump().map((r) => r.value), ['2', '3']);
  await log.stop();
  await assert.rejects(log.send([write('k', '4')]));
});
