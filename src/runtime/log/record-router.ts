/**
 * Splits a produce call into one group of records per partition (in input order within each group), choosing the
 * partition of each record: explicit, else Kafka's murmur2 of the key, else sticky round-robin for null keys.
 */
import { DataPlaneError } from '../data-plane/data-plane-error.js';
import type { PartitionLog } from './partition-log.js';
import { partitionForKey } from './partitioner.js';
import type { StickyRoundRobin } from './partitioner.js';
import type { Topic } from './topic-catalog.js';
import type { ProducerRecord } from '../data-plane/data-plane.js';

/** The records of one produce call bound for one partition, with their positions in the call. */
export interface Route {
  log: PartitionLog;
  records: ProducerRecord[];
  indexes: number[];
}

/**
 * Groups `records` by partition. `topics` must hold every topic named by the records. Throws
 * DataPlaneError(PIPECTL_LOG_UNKNOWN_PARTITION) for an explicit partition the topic does not have.
 */
export function routeRecords(records: readonly ProducerRecord[], topics: ReadonlyMap<string, Topic>, sticky: StickyRoundRobin): Route[] {
  const routes = new Map<PartitionLog, Route>();
  const nullKeyPartition = new Map<string, number>();
  for (let index = 0; index < records.length; index++) {
    const r = records[index]!;
    const topic = topics.get(r.topic)!;
    const count = topic.partitions.length;
    let partition: number;
    if (r.partition !== undefined) {
      partition = r.partition;
      if (!Number.isSafeInteger(partition) || partition < 0 || partition >= count) {
        throw new DataPlaneError('PIPECTL_LOG_UNKNOWN_PARTITION', `topic "${r.topic}" has ${count} partition(s); there is no partition ${partition}`);
      }
    } else if (r.key != null) {
      partition = partitionForKey(r.key, count);
    } else {
      partition = nullKeyPartition.get(r.topic) ?? sticky.take(r.topic, count);
      nullKeyPartition.set(r.topic, partition);
    }
    const log = topic.partitions[partition]!;
    let route = routes.get(log);
    if (!route) {
      route = { log, records: [], indexes: [] };
      routes.set(log, route);
    }
    route.records.push(r);
    route.indexes.push(index);
  }
  return [...routes.values()];
}
