/**
 * Shared pieces of the Kafka crash tests (not a test file): numbered input lines, reading the sink's output back
 * (lost, duplicated, torn, in order), and what the worker and the broker say about progress (source position, sink
 * committed offset, topic end offset).
 */
import { appendFileSync, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { http } from '../../support/worker-process.js';
import type { WorkerProcess } from '../../support/worker-process.js';
import { createTopicsAndAwaitLeaders } from '../../../src/runtime/kafka/kafkajs/create-topics.js';

const PAD = 'x'.repeat(80);

/**
 * Line `n` of an input file: `#<n> <80 x>`. The `#` marks where a line starts, so that a line torn by a kill -9 in the
 * middle of the sink's write (the kernel may cut a write short for a fatal signal) followed by the first line written
 * after the restart still names that line: its id is the number after the last `#`.
 */
export function line(n: number): string {
  return `#${n} ${PAD}`;
}

/** Writes lines [0, count) to a new file. */
export async function writeLines(path: string, count: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < count; i += 10_000) {
    let chunk = '';
    for (let j = i; j < Math.min(count, i + 10_000); j++) chunk += `${line(j)}\n`;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/** Appends lines [from, to) in one write. */
export function appendLines(path: string, from: number, to: number): void {
  let chunk = '';
  for (let j = from; j < to; j++) chunk += `${line(j)}\n`;
  appendFileSync(path, chunk);
}

export const fileSize = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

/** Newlines in the file (0 when it does not exist). */
export function countLines(path: string): number {
  if (!existsSync(path)) return 0;
  const buf = readFileSync(path);
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

export interface OutputCheck {
  lines: number;
  /** Input lines [0, expected) absent from the output. */
  missing: number;
  /** Output lines naming a line seen earlier. */
  duplicates: number;
  /** Output lines that are not a whole input line (a write cut short by a kill, completed by the next line). */
  torn: number;
  /** Maximal stretches of consecutive ids (n, n+1, …): 1 when the output is the input once, in order. */
  runs: number;
  /** The first line of each run after the first, with the id it follows: where the output jumped. */
  jumps: { at: number; from: number; to: number }[];
  /** Ids outside [0, expected): never expected in a correct output. */
  unknown: number;
}

/** Reads the sink's output back against input lines [0, expected). */
export function checkOutput(path: string, expected: number): OutputCheck {
  const seen = new Uint8Array(expected);
  const text = existsSync(path) ? readFileSync(path, 'latin1') : '';
  const result: OutputCheck = { lines: 0, missing: 0, duplicates: 0, torn: 0, runs: 0, jumps: [], unknown: 0 };
  let previous = -2;
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) break; // a partial last line: still being written
    const hash = text.lastIndexOf('#', nl);
    if (hash !== start || nl - text.indexOf(' ', hash) !== PAD.length + 1) result.torn++;
    const id = parseInt(text.slice(hash + 1, text.indexOf(' ', hash)), 10);
    result.lines++;
    if (!(id >= 0 && id < expected)) result.unknown++;
    else if (seen[id]) result.duplicates++;
    else seen[id] = 1;
    if (id !== previous + 1) {
      result.runs++;
      if (previous >= 0) result.jumps.push({ at: result.lines - 1, from: previous, to: id });
    }
    previous = id;
    start = nl + 1;
  }
  for (let i = 0; i < expected; i++) if (!seen[i]) result.missing++;
  return result;
}

/** The source's flushed byte position in its file (GET /connectors/{name}/offsets); 0 before the first flush. */
export async function sourcePosition(url: string, connector: string): Promise<number> {
  const body = (await http('GET', `${url}/connectors/${connector}/offsets`)).body;
  return body?.offsets?.[0]?.offset?.position ?? 0;
}

/** The sink group's committed offset of partition 0 (GET /connectors/{name}/offsets); 0 before the first commit. */
export async function sinkCommitted(url: string, connector: string): Promise<number> {
  const body = (await http('GET', `${url}/connectors/${connector}/offsets`)).body;
  return body?.offsets?.find((o: { partition: { kafka_partition: number } }) => o.partition.kafka_partition === 0)?.offset?.kafka_offset ?? 0;
}

/** `RUNNING/RUNNING` style: the connector's state and its tasks' states (GET /connectors/{name}/status). */
export async function connectorState(url: string, connector: string): Promise<string> {
  const s = (await http('GET', `${url}/connectors/${connector}/status`)).body;
  return [s?.connector?.state, ...(s?.tasks ?? []).map((t: { state: string }) => t.state)].join('/');
}

export interface TopicAdmin {
  /** The end offset (high watermark) of partition 0. */
  endOffset(topic: string): Promise<number>;
  /** Creates a one-partition topic and waits for its leader. */
  createTopic(topic: string): Promise<void>;
  close(): Promise<void>;
}

/** A kafkajs admin client for what the worker cannot tell: a topic's end offset. */
export async function openAdmin(bootstrap: string): Promise<TopicAdmin> {
  const admin = new Kafka({ clientId: 'pipectl-crash-test', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  return {
    endOffset: async (topic) => Number((await admin.fetchTopicOffsets(topic)).find((p) => p.partition === 0)?.high ?? 0),
    createTopic: async (topic) => {
      await createTopicsAndAwaitLeaders(admin, [{ topic, numPartitions: 1 }]);
    },
    close: () => admin.disconnect(),
  };
}

/** The last `n` lines of a worker's log, for failure messages. */
export function logTail(log: string, n = 60): string {
  return `\n--- worker log (last ${n} lines) ---\n${log.split('\n').slice(-n).join('\n')}`;
}

/**
 * A clean stop (SIGTERM) that may take at most `ms`: then the worker is killed (so that no worker outlives the test)
 * and this throws. Resolves with the exit code.
 */
export async function stopWithin(worker: WorkerProcess, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  try {
    const code = await Promise.race([worker.stop(), late]);
    if (code !== 'late') return code;
  } finally {
    clearTimeout(timer);
  }
  await worker.kill();
  throw new Error(`the worker did not stop within ${ms} ms of SIGTERM; it was killed${logTail(worker.log())}`);
}
