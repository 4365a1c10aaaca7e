/**
 * The errant record reporter finds the record read from the log behind each record handed to put(): the link is kept
 * on the record under a non-enumerable symbol (or, for a frozen record from a transform, in a WeakMap), invisible to
 * comparisons and spreads; a copy of a record is not one this task handed out.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { StringConverter } from '../../../src/converters/string-converter.js';
import type { ConnectRecord, SinkRecord } from '../../../src/plugins/connect-data.js';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import { errorHandlingConfig, ToleranceOperator } from '../../../src/runtime/worker/error-handling.js';
import { NO_TRANSFORMS, RecordProcessor } from '../../../src/runtime/worker/record-processor.js';
import type { StageError } from '../../../src/runtime/worker/worker-task.js';
import type { RecordTransformer } from '../../../src/runtime/worker/record-processor.js';
import { writeTree } from '../../support/paths.js';

function stored(offset: number): { topic: string; partition: number; offset: number; key: Buffer; value: Buffer; headers: []; timestamp: number } {
  return { topic: 'orders', partition: 0, offset, key: Buffer.from(`k${offset}`), value: Buffer.from(`v${offset}`), headers: [], timestamp: 1 };
}

test('reportErrant finds the consumed record behind put() records, plain or frozen by a transform, and refuses copies', async () => {
  const tree = writeTree({});
  const log = await openEmbeddedLog({ dir: join(tree.dir, 'log') });
  try {
    const tolerance = new ToleranceOperator(errorHandlingConfig({ 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq' }), { connector: 'c', task: 0 }, silentLogger, log);
    const freezeOdd: RecordTransformer = {
      apply: <R extends ConnectRecord>(r: R): R => ((r as unknown as SinkRecord).kafkaOffset % 2 === 1 ? Object.freeze({ ...r }) : r),
      classOf: () => 'FreezeOdd',
      close: () => undefined,
    };
    const processor = new RecordProcessor({ keyConverter: new StringConverter(), valueConverter: new StringConverter(), keyConverterClass: 'S', valueConverterClass: 'S', transformer: freezeOdd, tolerance });
    const records = await processor.toSinkRecords([stored(4), stored(5)]);
    assert.deepEqual(records[0], { topic: 'orders', kafkaPartition: 0, kafkaOffset: 4, keySchema: records[0]!.keySchema, key: 'k4', valueSchema: records[0]!.valueSchema, value: 'v4', timestamp: 1, headers: [] }, 'nothing visible added to the record');
    assert.equal(Object.isFrozen(records[1]), true);
    await processor.reportErrant(records[1]!, new Error('bad five'), 'T');
    await processor.reportErrant(records[0]!, new Error('bad four'), 'T');
    const dlq = await log.read({ topic: 'dlq', partition: 0 }, 0, 10);
    assert.deepEqual(dlq.map((r) => r.value?.toString()), ['v5', 'v4']);
    await assert.rejects(processor.reportErrant({ ...records[0]! }, new Error('a copy'), 'T'), /was not handed to put\(\)/);
    // Another task's processor does not know this task's records.
    const other = new RecordProcessor({ keyConverter: new StringConverter(), valueConverter: new StringConverter(), keyConverterClass: 'S', valueConverterClass: 'S', transformer: freezeOdd, tolerance });
    const [foreign] = await other.toSinkRecords([stored(11)]);
    await assert.rejects(processor.reportErrant(foreign!, new Error('not mine'), 'T'), /was not handed to put\(\)/);
  } finally {
    await log.close();
    tree.cleanup();
  }
});

test('a transform that hands out the same object again: the origin reported is the latest one, frozen or not', async () => {
  const tree = writeTree({});
  const log = await openEmbeddedLog({ dir: join(tree.dir, 'log') });
  try {
    const tolerance = new ToleranceOperator(errorHandlingConfig({ 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq' }), { connector: 'c', task: 0 }, silentLogger, log);
    let cached: SinkRecord | undefined;
    const caching: RecordTransformer = { apply: <R extends ConnectRecord>(r: R): R => (cached ??= r as unknown as SinkRecord) as unknown as R, classOf: () => 'Cache', close: () => undefined };
    const processor = new RecordProcessor({ keyConverter: new StringConverter(), valueConverter: new StringConverter(), keyConverterClass: 'S', valueConverterClass: 'S', transformer: caching, tolerance });
    const [first] = await processor.toSinkRecords([stored(4)]);
    const [again] = await processor.toSinkRecords([stored(6)]);
    assert.equal(first, again);
    Object.freeze(first); // as a sink might
    const [frozen] = await processor.toSinkRecords([stored(9)]);
    assert.equal(frozen, first);
    await processor.reportErrant(frozen!, new Error('bad nine'), 'T');
    const dlq = await log.read({ topic: 'dlq', partition: 0 }, 0, 10);
    assert.deepEqual(dlq.map((r) => r.value?.toString()), ['v9']);
  } finally {
    await log.close();
    tree.cleanup();
  }
});

test('errors.tolerance=none: records carry no origin, and a report fails the task without one', async () => {
  const tree = writeTree({});
  const log = await openEmbeddedLog({ dir: join(tree.dir, 'log') });
  try {
    const tolerance = new ToleranceOperator(errorHandlingConfig({ 'errors.deadletterqueue.topic.name': 'dlq' }), { connector: 'c', task: 0 }, silentLogger, log);
    const processor = new RecordProcessor({ keyConverter: new StringConverter(), valueConverter: new StringConverter(), keyConverterClass: 'S', valueConverterClass: 'S', transformer: NO_TRANSFORMS, tolerance });
    assert.equal(processor.reportsErrant, false);
    const [record] = await processor.toSinkRecords([stored(4)]);
    assert.deepEqual(Reflect.ownKeys(record!).filter((k) => typeof k === 'symbol'), [], 'no origin kept');
    await assert.rejects(processor.reportErrant(record!, new Error('bad four'), 'T'), (e: StageError) => e.code === 'PIPECTL_WORKER_STAGE_FAILED' && e.stage === 'task put' && (e.original as Error).message === 'bad four');
    await assert.rejects(log.read({ topic: 'dlq', partition: 0 }, 0, 10), /does not exist/, 'nothing sent to the DLQ');
    const all = new RecordProcessor({ keyConverter: new StringConverter(), valueConverter: new StringConverter(), keyConverterClass: 'S', valueConverterClass: 'S', transformer: NO_TRANSFORMS, tolerance: new ToleranceOperator(errorHandlingConfig({ 'errors.tolerance': 'all' }), { connector: 'c', task: 0 }, silentLogger, log) });
    assert.equal(all.reportsErrant, true);
  } finally {
    await log.close();
    tree.cleanup();
  }
});
