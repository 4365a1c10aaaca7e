/** Shared helpers of the embedded-log tests (not a test file: the runner only picks up *.test.js). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Consumer, ProducerRecord, StoredRecord } from '../../../src/runtime/data-plane/data-plane.js';

/** Runs `fn` with a fresh temp directory and removes it afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'pipectl-log-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A record with string key and value (null stays null). */
export function rec(topic: string, key: string | null, value: string | null, extra: Partial<ProducerRecord> = {}): ProducerRecord {
  return { topic, key: key === null ? null : Buffer.from(key), value: value === null ? null : Buffer.from(value), ...extra };
}

/** `n` records with values `<prefix>-<i>` padded to about 200 bytes. */
export function numbered(topic: string, n: number, prefix = 'v', extra: Partial<ProducerRecord> = {}): ProducerRecord[] {
  return Array.from({ length: n }, (_, i) => rec(topic, null, `${prefix}-${i}-`.padEnd(200, 'x'), extra));
}

/** Polls until `count` records arrived (or `timeoutMs` passed); returns what arrived. */
export async function pollUntil(consumer: Consumer, count: number, timeoutMs = 5000): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < deadline) {
    out.push(...(await consumer.poll(count - out.length, Math.max(1, deadline - Date.now()))));
  }
  return out;
}

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
}

export function text(b: Buffer | null): string | null {
  return b === null ? null : b.toString('utf8');
}
