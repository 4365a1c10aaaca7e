/**
 * Sink failover measurement, shared by test/runtime/distributed/sink-failover.test.ts and bench/failover.ts: a
 * one-partition topic fed by a paced producer of numbered lines (the pipeline's source, outside the cluster so that
 * only the sink moves), a FileStreamSink writing them to a file, and the time from a `kill -9` until a line produced
 * after the kill is in that file.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import kafkajs from 'kafkajs';
import { waitFor } from '../../support/worker-process.js';
import { createTopicsAndAwaitLeaders } from '../../../src/runtime/kafka/kafkajs/create-topics.js';

const { Kafka, logLevel } = kafkajs;

/** A producer writing `seq-<n>` lines to one topic every `intervalMs` until stopped; `next` is the next number. */
export interface SeqFeed {
  /** The number the next line will carry: lines below it have been acknowledged by the broker. */
  readonly next: number;
  /** Stops feeding and disconnects; idempotent. */
  stop(): Promise<void>;
}

/** Creates `topic` (one partition) when missing and starts feeding it. Throws when the broker cannot be reached. */
export async function startSeqFeed(bootstrap: string, topic: string, intervalMs = 50): Promise<SeqFeed> {
  const kafka = new Kafka({ clientId: 'pipectl-sink-failover-feed', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsAndAwaitLeaders(admin, [{ topic, numPartitions: 1, replicationFactor: 1 }]);
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let next = 0;
  let stopped = false;
  let closing: Promise<void> | undefined;
  const loop = (async () => {
    while (!stopped) {
      await producer.send({ topic, acks: -1, messages: [{ value: `seq-${next}` }] });
      next++;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    get next() {
      return next;
    },
    stop: () => {
      stopped = true;
      closing ??= loop.catch(() => undefined).then(() => producer.disconnect());
      return closing;
    },
  };
}

/** The sequence numbers of the `seq-<n>` lines in a sink's output file (none when it does not exist yet). */
export function seqsIn(file: string): number[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const line of text.split('\n')) if (line.startsWith('seq-')) out.push(Number(line.slice(4)));
  return out;
}

/**
 * Kills (via `kill`, which should SIGKILL the worker running the sink task) and waits until the sink writes a line
 * produced after the kill; resolves with the milliseconds from the kill to that moment. The file is checked every
 * 50 ms, so the figure is at most that much late. Throws when it does not happen within `timeoutMs`.
 */
export async function timeSinkFailover(feed: SeqFeed, output: string, kill: () => Promise<void>, timeoutMs: number): Promise<number> {
  const killedAt = performance.now();
  await kill();
  // Every line from this number on was sent after the kill: when one is in the file, a live member consumes again.
  const firstAfter = feed.next + 1;
  await waitFor('a line produced after the kill in the sink file', () => seqsIn(output).some((s) => s >= firstAfter), timeoutMs, 50);
  return performance.now() - killedAt;
}

/** Connector config of a FileStreamSink with one task writing the topic's lines to `file`. */
export function fileSinkConfig(name: string, topic: string, file: string): Record<string, string> {
  return {
    name,
    'connector.class': 'FileStreamSink',
    'tasks.max': '1',
    topics: topic,
    file,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
  };
}
