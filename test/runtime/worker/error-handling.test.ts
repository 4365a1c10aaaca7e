import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrantRecordError } from '../../../src/plugins/errant-record-error.js';
import { RetriableError } from '../../../src/plugins/plugin.js';
import { openEmbeddedLog } from '../../../src/runtime/log/embedded-log.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import type { Logger } from '../../../src/runtime/logger.js';
import { errorHandlingConfig, TOLERATED, ToleranceOperator } from '../../../src/runtime/worker/error-handling.js';
import { StageError } from '../../../src/runtime/worker/worker-task.js';
import { writeTree } from '../../support/paths.js';

const ids = { connector: 'c', task: 0 };

/** A sleep that records the delays instead of waiting. */
function fakeSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

test('errorHandlingConfig reads Connect keys with Connect defaults', () => {
  assert.deepEqual(errorHandlingConfig({}), { retryTimeoutMs: 0, retryDelayMaxMs: 60000, tolerance: 'none', logEnable: false, logIncludeMessages: false, dlqTopic: '', dlqContextHeaders: false });
  const c = errorHandlingConfig({ 'errors.tolerance': 'ALL', 'errors.retry.timeout': '-1', 'errors.deadletterqueue.topic.name': ' dlq ', 'errors.log.enable': 'true' });
  assert.equal(c.tolerance, 'all');
  assert.equal(c.retryTimeoutMs, -1);
  assert.equal(c.dlqTopic, 'dlq');
  assert.equal(c.logEnable, true);
});

test('retriable failures are retried with exponential backoff from 300 ms, capped, until they succeed', async () => {
  const { sleep, delays } = fakeSleep();
  const op = new ToleranceOperator(errorHandlingConfig({ 'errors.retry.timeout': '-1', 'errors.retry.delay.max.ms': '1000' }), ids, silentLogger, undefined, sleep);
  let calls = 0;
  const value = await op.execute({ stage: 'task put', className: 'X' }, () => {
    if (++calls < 5) throw new RetriableError('not yet');
    return 'done';
  });
  assert.equal(value, 'done');
  assert.deepEqual(delays, [300, 600, 1000, 1000]);
});

test('with tolerance none, an error that is not retriable fails with its stage; the retry budget is respected', async () => {
  const { sleep } = fakeSleep();
  const op = new ToleranceOperator(errorHandlingConfig({ 'errors.retry.timeout': '0' }), ids, silentLogger, undefined, sleep);
  await assert.rejects(
    () => op.execute({ stage: 'value converter', className: 'J' }, () => { throw new Error('bad json'); }),
    (e: unknown) => e instanceof StageError && e.stage === 'value converter' && (e.original as Error).message === 'bad json',
  );
  let calls = 0;
  await assert.rejects(() => op.execute({ stage: 'task put', className: 'S' }, () => { calls++; throw new RetriableError('down'); }), StageError);
  assert.equal(calls, 1, 'no retries with errors.retry.timeout=0');
});

test('with tolerance all, converter and transformation errors are skipped and counted; other stages only when retriable', async () => {
  const lines: string[] = [];
  const logger: Logger = { ...silentLogger, error: (m) => void lines.push(m) };
  const op = new ToleranceOperator(errorHandlingConfig({ 'errors.tolerance': 'all', 'errors.log.enable': 'true', 'errors.log.include.messages': 'true' }), ids, logger, undefined, fakeSleep().sleep);
  assert.equal(await op.execute({ stage: 'transformation', className: 'T' }, () => { throw new Error('no field'); }), TOLERATED);
  assert.equal(await op.execute({ stage: 'task put', className: 'S' }, () => { throw new RetriableError('flaky'); }), TOLERATED);
  await assert.rejects(() => op.execute({ stage: 'task put', className: 'S' }, () => { throw new Error('fatal'); }), StageError);
  assert.equal(op.skipped, 2);
  assert.match(lines[0]!, /^Error encountered in task c-0\. Executing stage 'TRANSFORMATION' with class 'T': no field$/);
});

test('a tolerated sink error sends the original record to the DLQ with Connect context headers', async () => {
  const tree = writeTree({});
  const log = await openEmbeddedLog({ dir: join(tree.dir, 'log') });
  try {
    const config = errorHandlingConfig({ 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq', 'errors.deadletterqueue.context.headers.enable': 'true' });
    const op = new ToleranceOperator(config, { connector: 'sink', task: 3 }, silentLogger, log);
    const consumed = { topic: 'in', partition: 2, offset: 41, key: Buffer.from('k'), value: Buffer.from('{oops'), headers: [{ key: 'trace-id', value: Buffer.from('t1') }], timestamp: 1234 };
    const r = await op.execute({ stage: 'value converter', className: 'org.apache.kafka.connect.json.JsonConverter', consumed }, () => { throw new SyntaxError('Unexpected token o'); });
    assert.equal(r, TOLERATED);
    const [dlq] = await log.read({ topic: 'dlq', partition: 0 }, 0, 10);
    assert.ok(dlq);
    assert.equal(dlq.value!.toString(), '{oops');
    assert.equal(dlq.key!.toString(), 'k');
    assert.equal(dlq.timestamp, 1234);
    const h = Object.fromEntries(dlq.headers.map((x) => [x.key, x.value?.toString()]));
    assert.equal(h['trace-id'], 't1', 'the original headers are kept');
    assert.equal(h['__connect.errors.topic'], 'in');
    assert.equal(h['__connect.errors.partition'], '2');
    assert.equal(h['__connect.errors.offset'], '41');
    assert.equal(h['__connect.errors.connector.name'], 'sink');
    assert.equal(h['__connect.errors.task.id'], '3');
    assert.equal(h['__connect.errors.stage'], 'VALUE_CONVERTER');
    assert.equal(h['__connect.errors.class.name'], 'org.apache.kafka.connect.json.JsonConverter');
    assert.equal(h['__connect.errors.exception.class.name'], 'SyntaxError');
    assert.equal(h['__connect.errors.exception.message'], 'Unexpected token o');
    assert.match(h['__connect.errors.exception.stacktrace'] ?? '', /SyntaxError/);
  } finally {
    await log.close();
    tree.cleanup();
  }
});

test("a sink's own errant record report (KIP-610): DLQ and go on with tolerance all; fail the task with tolerance none", async () => {
  const tree = writeTree({});
  const log = await openEmbeddedLog({ dir: join(tree.dir, 'log') });
  try {
    const consumed = { topic: 'orders', partition: 0, offset: 7, key: Buffer.from('k7'), value: Buffer.from('{"id":7}'), headers: [], timestamp: 99 };
    const all = new ToleranceOperator(errorHandlingConfig({ 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq', 'errors.deadletterqueue.context.headers.enable': 'true' }), ids, silentLogger, log);
    await all.reportFailed({ stage: 'task put', className: 'io.pipectl.connect.HttpSinkTask', consumed }, new Error('HTTP 400: bad record'));
    assert.equal(all.skipped, 1);
    const [dlq] = await log.read({ topic: 'dlq', partition: 0 }, 0, 10);
    const h = Object.fromEntries(dlq!.headers.map((x) => [x.key, x.value?.toString()]));
    assert.deepEqual([dlq!.value!.toString(), h['__connect.errors.stage'], h['__connect.errors.exception.message'], h['__connect.errors.offset']], ['{"id":7}', 'TASK_PUT', 'HTTP 400: bad record', '7']);

    const none = new ToleranceOperator(errorHandlingConfig({ 'errors.deadletterqueue.topic.name': 'dlq' }), ids, silentLogger, log);
    await assert.rejects(none.reportFailed({ stage: 'task put', className: 'S', consumed }, new Error('bad')), (e: unknown) => e instanceof StageError && e.stage === 'task put');
    assert.equal((await log.read({ topic: 'dlq', partition: 0 }, 0, 10)).length, 1, 'nothing more in the DLQ');
  } finally {
    await log.close();
    tree.cleanup();
  }
});

test("an ErrantRecordError's details become __connect.errors.<name> DLQ headers, next to Connect's context headers", async () => {
  const tree = writeTree({});
  const log = await openEmbeddedLog({ dir: join(tree.dir, 'log') });
  try {
    const consumed = { topic: 'orders', partition: 2, offset: 41, key: null, value: Buffer.from('"bad"'), headers: [{ key: 'trace', value: Buffer.from('t1') }], timestamp: 5 };
    const error = new ErrantRecordError('HTTP 400 for this record', { 'http.status': '400', 'http.body': '{"error":"no"}', topic: 'not-an-override' });
    const withHeaders = new ToleranceOperator(errorHandlingConfig({ 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq', 'errors.deadletterqueue.context.headers.enable': 'true' }), ids, silentLogger, log);
    await withHeaders.reportFailed({ stage: 'task put', className: 'io.pipectl.connect.http.HttpSinkTask', consumed }, error);
    const plain = new ToleranceOperator(errorHandlingConfig({ 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq' }), ids, silentLogger, log);
    await plain.reportFailed({ stage: 'task put', className: 'S', consumed }, error);
    const [first, second] = await log.read({ topic: 'dlq', partition: 0 }, 0, 10);
    const h = Object.fromEntries(first!.headers.map((x) => [x.key, x.value?.toString()]));
    assert.equal(h['__connect.errors.http.status'], '400');
    assert.equal(h['__connect.errors.http.body'], '{"error":"no"}');
    assert.equal(h['__connect.errors.topic'], 'orders', "a detail never replaces one of Connect's headers");
    assert.equal(first!.headers.filter((x) => x.key === '__connect.errors.topic').length, 1);
    assert.equal(h['trace'], 't1', 'the original headers stay');
    assert.equal(h['__connect.errors.exception.class.name'], 'ErrantRecordError');
    assert.deepEqual(second!.headers.map((x) => x.key), ['trace'], 'without context headers, no details either');
  } finally {
    await log.close();
    tree.cleanup();
  }
});
