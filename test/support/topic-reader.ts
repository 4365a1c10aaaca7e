/**
 * Every record of a topic (all partitions, from the beginning up to the end offsets at the time of the call), read with
 * a kafkajs consumer of its own unique group, in the order consumed. Rejects when they cannot all be read in time.
 */
import { Kafka, logLevel } from 'kafkajs';

export interface TopicRecord {
  partition: number;
  offset: number;
  /** The record's timestamp (the broker's, for a topic with LogAppendTime). */
  timestamp: number;
  /** UTF-8; null for a null key. */
  key: string | null;
  /** UTF-8; null for a null value. */
  value: string | null;
  /** The record's headers, UTF-8 (the last value of a repeated key). */
  headers: Record<string, string>;
}

export async function readTopicRecords(bootstrap: string, topic: string, timeoutMs = 60_000): Promise<TopicRecord[]> {
  const kafka = new Kafka({ clientId: 'pipectl-test-reader', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let ends: { partition: number; high: string; low: string }[];
  try {
    ends = await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect();
  }
  const expected = ends.reduce((sum, p) => sum + (Number(p.high) - Number(p.low)), 0);
  const out: TopicRecord[] = [];
  if (expected === 0) return out;
  const consumer = kafka.consumer({ groupId: `${topic}-reader-${Date.now()}`, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    await consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(m.headers ?? {})) {
            const last = Array.isArray(v) ? v[v.length - 1] : v;
            if (last !== undefined) headers[k] = last.toString();
          }
          out.push({
            partition: batch.partition, offset: Number(m.offset), timestamp: Number(m.timestamp),
            key: m.key === null ? null : m.key.toString('utf8'), value: m.value === null ? null : m.value.toString('utf8'), headers,
          });
        }
        if (out.length >= expected) done();
      },
    });
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`read ${out.length} of ${expected} records of ${topic} in ${timeoutMs} ms`)), timeoutMs)));
    await Promise.race([finished, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return out;
}
