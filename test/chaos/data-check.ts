/**
 * Invariants 3 and 4 from the data: each data connector is a Generator writing `{id: <seq>, task: <id>}` into a
 * one-partition topic of its own, so the topic holds each task's stream in the order it was written.
 * - 4, nothing lost: every sequence number from 0 up to the task's last flushed (acknowledged) source offset is in
 *   the topic. Duplicates (at-least-once replays after a failover) are counted and reported.
 * - 3, no task runs twice: one instance of a task writes seq, seq+1, …; a restarted one goes back to its last flushed
 *   offset (a backward jump). A forward jump over sequence numbers that are in the topic means two instances of the
 *   same task were writing at the same time (e.g. a zombie that came back while its successor ran).
 */
import type { Violation } from './invariants.js';
import { getJson } from './rest.js';
import { readTopic } from './topic-reader.js';

export interface TaskData {
  connector: string;
  task: number;
  /** Last flushed source offset (seq), -1 when none. */
  flushed: number;
  highest: number;
  records: number;
  lost: number;
  duplicates: number;
  /** Forward jumps over sequence numbers that are present: evidence of two instances at once. */
  overlaps: Overlap[];
}

export interface Overlap {
  from: number;
  to: number;
  /** Topic offset of the record after the jump, and when the broker wrote it (ms since the run started). */
  offset: number;
  atMs: number;
  /** Where the skipped sequence numbers are: one contiguous block written later, or interleaved with the other run. */
  skipped: string;
  /** The run that jumped forward: how many records it wrote in sequence from `to`, and when it wrote its last one. */
  runRecords: number;
  runUntilMs: number;
  otherResumed: boolean;
}

export async function checkData(bootstrap: string, url: string, connector: string, topic: string, runStartedAt: number): Promise<{ tasks: TaskData[]; violations: Violation[] }> {
  const offsets = (await getJson(`${url}/connectors/${connector}/offsets`, 20_000)) as { offsets?: { partition: { task: number }; offset: { seq: number } }[] } | undefined;
  if (!offsets?.offsets) return { tasks: [], violations: [{ invariant: 4, connector, what: 'flushed offsets', expected: 'GET /offsets answers', seen: 'no answer' }] };
  const flushed = new Map(offsets.offsets.map((o) => [Number(o.partition.task), Number(o.offset.seq)]));
  const records = await readTopic(bootstrap, topic, 120_000);
  const streams = new Map<number, { seq: number; offset: number; ts: number }[]>();
  for (const r of records) {
    if (r.value === null) continue;
    const v = JSON.parse(r.value) as { id: number; task: number };
    let s = streams.get(v.task);
    if (!s) streams.set(v.task, (s = []));
    s.push({ seq: v.id, offset: r.offset, ts: r.timestamp - runStartedAt });
  }
  const tasks: TaskData[] = [];
  const violations: Violation[] = [];
  for (const task of [...new Set([...flushed.keys(), ...streams.keys()])].sort((a, b) => a - b)) {
    const stream = streams.get(task) ?? [];
    const present = new Set(stream.map((e) => e.seq));
    const f = flushed.get(task) ?? -1;
    const missing: number[] = [];
    for (let s = 0; s <= f; s++) if (!present.has(s)) missing.push(s);
    const overlaps: Overlap[] = [];
    for (let i = 1; i < stream.length; i++) {
      const from = stream[i - 1]!.seq;
      const to = stream[i]!.seq;
      if (to > from + 1 && present.has(from + 1)) overlaps.push({ from, to, offset: stream[i]!.offset, atMs: stream[i]!.ts, skipped: whereSkipped(stream, i, from + 1, to - 1), ...runFrom(stream, i) });
    }
    const d: TaskData = { connector, task, flushed: f, highest: stream.reduce((m, e) => Math.max(m, e.seq), -1), records: stream.length, lost: missing.length, duplicates: stream.length - present.size, overlaps };
    tasks.push(d);
    if (missing.length > 0) {
      violations.push({ invariant: 4, connector, what: `task ${task} lost records`, expected: `every seq 0..${f} (last flushed)`, seen: `${missing.length} missing, first ${missing.slice(0, 10).join(',')}` });
    }
    if (overlaps.length > 0) {
      violations.push({ invariant: 3, connector, what: `task ${task} ran twice at once`, expected: 'one writer per task: seq only goes +1 or back to a flushed offset', seen: `${overlaps.length} forward jumps over present seqs, e.g. ${overlaps.slice(0, 4).map((o) => `${o.from}→${o.to} at topic offset ${o.offset} (written +${(o.atMs / 1000).toFixed(1)} s, the run that jumped ahead wrote ${o.runRecords} records until +${(o.runUntilMs / 1000).toFixed(1)} s, ${o.otherResumed ? 'then the other run wrote again' : 'and the other run never wrote again'}; skipped seqs ${o.skipped})`).join('; ')}` });
    }
  }
  return { tasks, violations };
}

/** Where seqs lo..hi (skipped at index i) appear: as one later contiguous block (with its offset and write time), or not. */
function whereSkipped(stream: readonly { seq: number; offset: number; ts: number }[], i: number, lo: number, hi: number): string {
  const j = stream.findIndex((e, k) => k >= i && e.seq === lo);
  if (j < 0) return 'before the jump (a replay)';
  let k = j;
  while (k + 1 < stream.length && stream[k + 1]!.seq === stream[k]!.seq + 1) k++;
  const block = `${lo}..${stream[k]!.seq} at offsets ${stream[j]!.offset}..${stream[k]!.offset} written +${(stream[j]!.ts / 1000).toFixed(1)}..${(stream[k]!.ts / 1000).toFixed(1)} s`;
  return stream[k]!.seq >= hi ? `came later as one block: ${block}` : `interleaved: first run ${block}`;
}

/**
 * The run that jumped ahead (from index i: seq `to`, to+1, …) against the run it cut into (which would continue at
 * from+1): how many records the jumping run wrote before the other one wrote again, the time of its last one, and
 * whether the other run wrote again at all (if not, the jumping run simply took over).
 */
function runFrom(stream: readonly { seq: number; ts: number }[], i: number): { runRecords: number; runUntilMs: number; otherResumed: boolean } {
  const to = stream[i]!.seq;
  const nextOfOther = stream[i - 1]!.seq + 1;
  let expA = to;
  let until = stream[i]!.ts;
  for (let k = i; k < stream.length; k++) {
    const seq = stream[k]!.seq;
    if (seq === nextOfOther) return { runRecords: expA - to, runUntilMs: until, otherResumed: true };
    if (seq === expA) {
      expA++;
      until = stream[k]!.ts;
    }
  }
  return { runRecords: expA - to, runUntilMs: until, otherResumed: false };
}
