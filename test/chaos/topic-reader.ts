/**
 * Reads every record of a one-partition topic from the beginning to its end offset at the time of the call, with
 * each record's offset and timestamp (the chaos run's data topics use LogAppendTime: when the broker wrote it).
 */
import { readTopicRecords } from '../support/topic-reader.js';
import type { TopicRecord } from '../support/topic-reader.js';

export type { TopicRecord };

export async function readTopic(bootstrap: string, topic: string, timeoutMs: number): Promise<TopicRecord[]> {
  return (await readTopicRecords(bootstrap, topic, timeoutMs)).sort((a, b) => a.offset - b.offset);
}
