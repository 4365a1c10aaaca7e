/**
 * Reads every record of a one-partition topic from the beginning to its end offset at the time of the call, with
 * each record's offset and timestamp (the chaos run's data topics use LogAppendTime: when the broker wrote it).
 */
import { Kafka, logLevel } from 'kafkajs';

export interface TopicRecord {
  offset: number;
  timestamp: number;
  value: string | null;
}

export async function readTopic(bootstrap: string, topic: string, timeoutMs: number): Promise<TopicRecord[]> {
  const kafka = new Kafka({ clientId: 'pipectl-chaos-reader', brokers: [bootstrap], logLevel: logLevel.NOTHING });
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
  const consumer = kafka.consumer({ groupId: `${topic}-chaos-reader-${Date.now()}`, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    await consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) out.push({ offset: Number(m.offset), timestamp: Number(m.timestamp), value: m.value === null ? null : m.value.toString('utf8') });
        if (out.length >= expected) done();
      },
    });
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`read ${out.length} of ${expected} records of ${topic} in ${timeoutMs} ms`)), timeoutMs)));
    await Promise.race([finished, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return out.sort((a, b) => a.offset - b.offset);
}
