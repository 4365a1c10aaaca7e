/**
 * Keeping produce requests under Kafka's size limits. kafkajs puts every record of one send into one produce request
 * (one record batch per partition) and never splits it, so a large send — a 500-row transaction with its schemas is
 * about 1.5 MB — is refused by the broker (MESSAGE_TOO_LARGE, `message.max.bytes` 1 MiB by default). Java's producer
 * never sends a request over `max.request.size` (1 MiB by default) and refuses a record that alone is larger
 * (RecordTooLargeException). This does the same: the records are cut, in order, into runs whose estimated size stays
 * under the limit, each run one request.
 */
import { DataPlaneError } from '../data-plane/data-plane-error.js';
import type { ProducerRecord } from '../data-plane/data-plane.js';

/** Request, topic and batch framing around the records, counted once per run (generous: a run spans several partitions). */
const REQUEST_OVERHEAD_BYTES = 4096;
/** A record's framing in a v2 batch: length, attributes, timestamp and offset deltas, key and value lengths (varints). */
const RECORD_OVERHEAD_BYTES = 32;

/** An upper estimate of the bytes `record` takes in a produce request (uncompressed). */
export function estimatedRecordBytes(record: ProducerRecord): number {
  let n = RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers ?? []) n += 10 + Buffer.byteLength(h.key) + (h.value?.length ?? 0);
  return n;
}

/**
 * The records cut, in order, into runs of at most `maxRequestBytes` each (estimated). Throws a non-retriable
 * PIPECTL_LOG_INVALID_RECORD naming the record's topic when one record alone is over the limit.
 */
export function splitByRequestSize(records: readonly ProducerRecord[], maxRequestBytes: number): ProducerRecord[][] {
  const budget = maxRequestBytes - REQUEST_OVERHEAD_BYTES;
  const runs: ProducerRecord[][] = [];
  let run: ProducerRecord[] = [];
  let size = 0;
  for (const record of records) {
    const bytes = estimatedRecordBytes(record);
    if (bytes > budget) {
      throw new DataPlaneError('PIPECTL_LOG_INVALID_RECORD', `a record for topic "${record.topic}" is about ${bytes} bytes, more than max.request.size=${maxRequestBytes} allows (the producer's limit; raise it with producer.max.request.size and the broker's message.max.bytes)`);
    }
    if (run.length > 0 && size + bytes > budget) {
      runs.push(run);
      run = [];
      size = 0;
    }
    run.push(record);
    size += bytes;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
