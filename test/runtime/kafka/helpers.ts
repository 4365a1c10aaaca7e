/** Shared helpers of the Kafka data plane tests (not a test file). They run against the real broker of test/support/kafka.ts. */
import type { Consumer, StoredRecord } from '../../../src/runtime/data-plane/data-plane.js';
import { openKafkaDataPlane } from '../../../src/runtime/kafka/kafka-data-plane.js';
import type { KafkaDataPlane } from '../../../src/runtime/kafka/kafka-data-plane.js';
import type { LogFields, Logger } from '../../../src/runtime/logger.js';
import { kafkaBootstrap } from '../../support/kafka.js';

export { rec, text } from '../log/helpers.js';

export interface LogLine {
  level: string;
  message: string;
  fields?: LogFields;
}

/** A logger that keeps every line, for assertions on what the data plane reported. */
export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => void lines.push({ level, message, ...(fields ? { fields } : {}) });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

/** Opens a KafkaDataPlane on the test broker with extra worker keys; runs `fn`; closes it. */
export async function withPlane<T>(fn: (plane: KafkaDataPlane, log: LogLine[]) => Promise<T>, workerConfig: Record<string, string> = {}): Promise<T> {
  const { logger, lines } = recordingLogger();
  const plane = await openKafkaDataPlane({ workerConfig: { 'bootstrap.servers': await kafkaBootstrap(), ...workerConfig }, logger });
  try {
    return await fn(plane, lines);
  } finally {
    await plane.close();
  }
}

/** Polls until `count` records arrived or `timeoutMs` passed (a first join takes a moment on a real broker). */
export async function pollUntil(consumer: Consumer, count: number, timeoutMs = 20_000): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < deadline) {
    out.push(...(await consumer.poll(count - out.length, Math.min(500, Math.max(1, deadline - Date.now())))));
  }
  return out;
}

/** Waits until `check` is true,. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const names = (tps: { topic: string; partition: number }[]): string[] => tps.map((tp) => `${tp.topic}-${tp.partition}`).sort();
