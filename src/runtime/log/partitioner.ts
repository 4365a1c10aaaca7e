/**
 * Partition choice for records without an explicit partition, matching Kafka's default partitioner for keyed records:
 * `toPositive(murmur2(keyBytes)) % partitions`, so a key lands on the same partition here as on a Kafka cluster with
 * the same partition count. Null-key records are sticky per produce call: all of a call's null-key records for a topic
 * go to one partition (one batch, one write), and successive calls rotate round-robin.
 */

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2): a signed 32-bit hash of the bytes. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const m = 0x5bd1e995;
  const r = 24;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) | ((data[i4 + 1]! & 0xff) << 8) | ((data[i4 + 2]! & 0xff) << 16) | ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[tail]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's default partitioner picks for a non-null key. */
export function partitionForKey(key: Uint8Array, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/** Round-robin counters for null-key records, one per topic. */
export class StickyRoundRobin {
  private readonly next = new Map<string, number>();

  /** The partition for this produce call's null-key records of `topic`; advances for the next call. */
  take(topic: string, partitions: number): number {
    const n = this.next.get(topic) ?? 0;
    this.next.set(topic, n + 1);
    return n % partitions;
  }
}
