/**
 * Crashes with a real Kafka broker in the path (file source → one-partition topic → file sink), real processes:
 * - kill -9 of the worker while 1,000,000 lines flow; after a restart every line arrives (0 lost). Duplicates are
 *   allowed (at-least-once) but bounded by what flows in about one offset-flush interval on each side, as in the
 *   embedded log's crash test (test/runtime/standalone/crash.test.ts); the sink writes in topic order.
 * - the broker stopped for 30 s mid-stream (its own broker, not the run's shared one) and started again on the same
 *   port with the same data: the worker carries on by itself, its connectors stay RUNNING, nothing is lost.
 * Both report their figures (duplicates, resume times) as test diagnostics.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startKafkaBroker } from '../../../src/devtools/kafka-broker.js';
import type { KafkaBroker } from '../../../src/devtools/kafka-broker.js';
import { kafkaBootstrap, uniqueGroup, uniqueTopic } from '../../support/kafka.js';
import { writeTree } from '../../support/paths.js';
import { startWorker, waitFor } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';
import { appendLines, checkOutput, connectorState, countLines, fileSize, logTail, openAdmin, sinkCommitted, sourcePosition, stopWithin, writeLines } from './crash-support.js';
import type { OutputCheck, TopicAdmin } from './crash-support.js';

const LINES = 1_000_000;
const FLUSH_INTERVAL_MS = 1000;
/** Bytes of a line of the 1,000,000 (`#<n> <80 x>\n`, mostly six-digit numbers). */
const LINE_BYTES = 89;
const STRING_CONVERTERS = { 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' };

/** Connector files for `src` (file → topic) and `sink` (topic → file), written to `dir`. */
function writeConnectors(dir: string, names: { src: string; sink: string }, topic: string, input: string, output: string): string[] {
  writeFileSync(join(dir, 'source.properties'), `name=${names.src}\nconnector.class=FileStreamSource\nfile=${input}\ntopic=${topic}\n`);
  writeFileSync(join(dir, 'sink.properties'), `name=${names.sink}\nconnector.class=FileStreamSink\nfile=${output}\ntopics=${topic}\n`);
  return ['source.properties', 'sink.properties'];
}

/**
 * Waits until everything is through: the source acknowledged the whole input file, and the sink committed the topic's
 * end offset (it commits only after its flush, so the output file is then final).
 */
async function waitUntilDrained(worker: WorkerProcess, names: { src: string; sink: string }, input: string, endOffset: () => Promise<number>, timeoutMs: number): Promise<void> {
  try {
    await waitFor(
      'the source to acknowledge the whole input and the sink to commit the end of the topic',
      async () => (await sourcePosition(worker.url, names.src)) === fileSize(input) && (await sinkCommitted(worker.url, names.sink)) === (await endOffset()),
      timeoutMs,
      250,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}${logTail(worker.log())}`);
  }
}

/** The output is the topic read from 0, then again from each restart point: every jump goes back, never forward. */
function assertReplaysOnly(check: OutputCheck, maxRuns: number): void {
  assert.equal(check.unknown, 0, 'every output line is an input line');
  assert.ok(check.runs <= maxRuns, `the output is at most ${maxRuns} runs of consecutive lines; it has ${check.runs}: ${JSON.stringify(check.jumps.slice(0, 10))}`);
  for (const jump of check.jumps) assert.ok(jump.to <= jump.from, `output line ${jump.at} jumps forward from ${jump.from} to ${jump.to}`);
}

test('kill -9 of a Kafka worker mid-stream loses nothing; duplicates stay within about one flush interval', { timeout: 240_000 }, async (t) => {
  const bootstrap = await kafkaBootstrap();
  const tree = writeTree({});
  let admin: TopicAdmin | undefined;
  let worker: WorkerProcess | undefined;
  try {
    admin = await openAdmin(bootstrap);
    const input = join(tree.dir, 'in.txt');
    const output = join(tree.dir, 'out.txt');
    await writeLines(input, LINES);
    // One partition, so that the sink's output order is the topic's order. Names are unique: the shared broker keeps
    // topics and groups (connect-<sink>) of earlier tests and runs.
    const topic = uniqueTopic('kafka-crash');
    await admin.createTopic(topic);
    const names = { src: uniqueGroup('crash-src'), sink: uniqueGroup('crash-sink') };
    const connectorFiles = writeConnectors(tree.dir, names, topic, input, output);
    const config = {
      'bootstrap.servers': bootstrap,
      'offset.flush.interval.ms': String(FLUSH_INTERVAL_MS),
      // No consumer.session.timeout.ms: the killed worker's sink consumer stays in its group until its session times
      // out, and pipectl's default (6 s, not the Java consumer's 45 s) keeps that well inside the budget.
      ...STRING_CONVERTERS,
    };

    worker = await startWorker({ dir: tree.dir, config, connectorFiles, startTimeoutMs: 60_000 });
    // Rates count from the first line out, so that the worker's start does not lower them (and the bound with them).
    await waitFor('the first line in the sink', () => fileSize(output) > 0, 60_000, 20);
    const t0 = Date.now();
    await waitFor('a third of the lines in the sink', () => fileSize(output) > (LINES / 3) * LINE_BYTES, 60_000, 20);
    // How far each side got, to bound the duplicates: the lines the broker acknowledged (one record each; the REST
    // offsets show only the flushed position, as in Connect), the sink's output.
    const sourceLines = await admin.endOffset(topic);
    const elapsedSec = (Date.now() - t0) / 1000;
    await worker.kill();
    worker = undefined;
    const beforeKill = countLines(output);
    const sourceRate = sourceLines / elapsedSec;
    const sinkRate = beforeKill / elapsedSec;

    // The connectors come back from data.dir: no connector files this time.
    const restarted = Date.now();
    worker = await startWorker({ dir: tree.dir, config, startTimeoutMs: 60_000 });
    await waitUntilDrained(worker, names, input, () => admin!.endOffset(topic), 90_000);
    const drainedSec = (Date.now() - restarted) / 1000;
    assert.equal(await stopWithin(worker, 30_000), 0, 'a clean shutdown exits 0');
    worker = undefined;

    const check = checkOutput(output, LINES);
    const bound = Math.round((sourceRate + sinkRate) * 2 * (FLUSH_INTERVAL_MS / 1000));
    t.diagnostic(
      `kafka crash: ${check.missing} lost, ${check.duplicates} duplicates (bound ${bound}; source acknowledged ${sourceLines} lines (${Math.round(sourceRate)}/s), ` +
        `sink had ${beforeKill} (${Math.round(sinkRate)}/s) at the kill after ${elapsedSec.toFixed(1)} s); restart to drained ${drainedSec.toFixed(1)} s; ` +
        `${check.runs} runs, jumps ${JSON.stringify(check.jumps)}, ${check.torn} torn`,
    );
    assert.equal(check.missing, 0, 'no line is lost');
    // At-least-once: the source replays from its last flushed offset and the sink from its last commit; each side
    // replays what it processed since, at most about one flush interval (the bound allows two, for timer jitter).
    assert.ok(check.duplicates <= bound, `duplicates ${check.duplicates} exceed the bound ${bound}`);
    // One partition: the lines before the kill, the sink's replay from its last commit, the source's replay from its
    // last flush, each in order.
    assertReplaysOnly(check, 3);
    assert.ok(check.torn <= 1, `at most the one write cut by the kill is torn; ${check.torn} lines are`);
  } finally {
    await worker?.kill();
    await admin?.close().catch(() => undefined);
    tree.cleanup();
  }
});

const OUTAGE_MS = 30_000;
/** Lines the test appends to the source file every APPEND_EVERY_MS while the pipeline runs (2,000 lines/s). */
const APPEND_LINES = 100;
const APPEND_EVERY_MS = 50;
/** FileStreamSource's default batch.size: the most lines one produce call carries. */
const SOURCE_BATCH = 2000;

test('Kafka broker stopped for 30 s mid-stream: the worker recovers by itself; nothing is lost', { timeout: 240_000 }, async (t) => {
  const tree = writeTree({});
  let broker: KafkaBroker | undefined;
  let worker: WorkerProcess | undefined;
  let appender: NodeJS.Timeout | undefined;
  try {
    // Its own broker, with a kept data folder (inside the test's tree) so that it can be started again on it.
    broker = await startKafkaBroker({ port: 0, dataDir: join(tree.dir, 'kafka') });
    const { bootstrap, port, controllerPort, dataDir } = broker;
    const topic = uniqueTopic('broker-outage');
    const admin = await openAdmin(bootstrap);
    await admin.createTopic(topic).finally(() => admin.close());

    const input = join(tree.dir, 'in.txt');
    const output = join(tree.dir, 'out.txt');
    writeFileSync(input, '');
    const names = { src: uniqueGroup('outage-src'), sink: uniqueGroup('outage-sink') };
    const connectorFiles = writeConnectors(tree.dir, names, topic, input, output);
    const config = { 'bootstrap.servers': bootstrap, 'offset.flush.interval.ms': String(FLUSH_INTERVAL_MS), ...STRING_CONVERTERS };
    worker = await startWorker({ dir: tree.dir, config, connectorFiles, startTimeoutMs: 60_000 });
    const url = worker.url;

    let appended = 0;
    appender = setInterval(() => {
      appendLines(input, appended, appended + APPEND_LINES);
      appended += APPEND_LINES;
    }, APPEND_EVERY_MS);
    await waitFor('the first 4,000 lines in the sink', () => countLines(output) >= 4000, 30_000, 50);

    // A real stop of the JVM; then 30 s without a broker, watching that the worker's connectors stay RUNNING.
    const appendedAtStop = appended;
    await broker.stop();
    broker = undefined;
    const down = Date.now();
    const statesSeen = new Set<string>();
    while (Date.now() - down < OUTAGE_MS) {
      statesSeen.add(`${names.src} ${await connectorState(url, names.src)}`).add(`${names.sink} ${await connectorState(url, names.sink)}`);
      await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, OUTAGE_MS - (Date.now() - down)))));
    }
    assert.equal(worker.child.exitCode, null, `the worker outlived the outage${logTail(worker.log())}`);
    assert.deepEqual([...statesSeen].sort(), [`${names.sink} RUNNING/RUNNING`, `${names.src} RUNNING/RUNNING`].sort(), 'the connectors stay RUNNING during the outage');

    // Progress as it stood during the outage; the first change after it is when each side resumed.
    const positionDown = await sourcePosition(url, names.src);
    const outputDown = fileSize(output);
    let producedAt = 0;
    let consumedAt = 0;
    const watching = waitFor(
      'production and consumption to resume',
      async () => {
        if (!producedAt && (await sourcePosition(url, names.src)) > positionDown) producedAt = Date.now();
        if (!consumedAt && fileSize(output) > outputDown) consumedAt = Date.now();
        return producedAt > 0 && consumedAt > 0;
      },
      60_000,
      50,
    );
    watching.catch(() => undefined); // awaited below; handled here in case the restart throws first
    const restarting = Date.now();
    broker = await startKafkaBroker({ port, controllerPort, dataDir });
    const back = Date.now();
    await watching.catch((e: Error) => Promise.reject(new Error(`${e.message}${logTail(worker!.log())}`)));

    // Keep appending a little after both sides resumed, then let everything drain.
    const appendedAtResume = appended;
    await waitFor('2,000 more lines appended', () => appended >= appendedAtResume + 2000, 10_000, 50);
    clearInterval(appender);
    appender = undefined;
    const restartedAdmin = await openAdmin(bootstrap);
    try {
      await waitUntilDrained(worker, names, input, () => restartedAdmin.endOffset(topic), 60_000);
    } finally {
      await restartedAdmin.close().catch(() => undefined);
    }
    assert.equal(worker.child.exitCode, null, 'the worker was never restarted');
    assert.equal(await connectorState(url, names.src), 'RUNNING/RUNNING');
    assert.equal(await connectorState(url, names.sink), 'RUNNING/RUNNING');
    assert.equal(await stopWithin(worker, 30_000), 0, 'a clean shutdown exits 0');
    worker = undefined;

    const check = checkOutput(output, appended);
    t.diagnostic(
      `broker outage: ${check.missing} lost, ${check.duplicates} duplicates of ${appended} lines (${appendedAtStop} appended before the stop); ` +
        `broker down ${((restarting - down) / 1000).toFixed(1)} s, restart took ${((back - restarting) / 1000).toFixed(1)} s; after it answered, ` +
        `production resumed in ${((producedAt - back) / 1000).toFixed(1)} s, consumption in ${((consumedAt - back) / 1000).toFixed(1)} s; ` +
        `${check.runs} runs, jumps ${JSON.stringify(check.jumps)}`,
    );
    assert.equal(check.missing, 0, 'no line is lost');
    // Only the batch in flight when the broker went away may be written twice (its first attempt may have reached the
    // broker before the ack was lost); the sink keeps its position across the outage.
    assert.ok(check.duplicates <= SOURCE_BATCH, `duplicates ${check.duplicates} exceed one source batch (${SOURCE_BATCH})`);
    assertReplaysOnly(check, 2);
    assert.equal(check.torn, 0, 'no torn lines without a kill');
  } finally {
    if (appender) clearInterval(appender);
    await worker?.kill();
    await broker?.stop();
    tree.cleanup();
  }
});
