/**
 * Kafka's RangeAssignor (the Java consumer's first default, `range`), as a pure function: for each topic, the members
 * subscribed to it, sorted by member id, get contiguous ranges of its partitions; the first `partitions % members`
 * members get one more. Sink consumers use it so that a pipectl worker and a Java Connect worker can share a sink's
 * consumer group (a group only forms when its members share a protocol name).
 */
export interface RangeMember {
  memberId: string;
  topics: readonly string[];
}

/** Per member, topic → partitions (ascending). Members with nothing get no entry. */
export function rangeAssignment(members: readonly RangeMember[], partitionsOf: (topic: string) => readonly number[]): Map<string, Record<string, number[]>> {
  const out = new Map<string, Record<string, number[]>>();
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const subscribers = members.filter((m) => m.topics.includes(topic)).map((m) => m.memberId).sort();
    const partitions = [...partitionsOf(topic)].sort((a, b) => a - b);
    const per = Math.floor(partitions.length / subscribers.length);
    const extra = partitions.length % subscribers.length;
    subscribers.forEach((memberId, i) => {
      const start = per * i + Math.min(i, extra);
      const share = partitions.slice(start, start + per + (i < extra ? 1 : 0));
      if (share.length === 0) return;
      let assignment = out.get(memberId);
      if (!assignment) out.set(memberId, (assignment = {}));
      assignment[topic] = share;
    });
  }
  return out;
}
