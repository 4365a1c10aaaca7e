/**
 * The sink half of bench/failover.ts, for any runtime that speaks Connect's REST API: a one-partition topic fed with a
 * numbered line every 50 ms by the bench's own producer, one FileStreamSink task writing it to a file, and per
 * repetition: kill -9 the worker running the sink task, time until a line produced after the kill is in the file
 * (test/runtime/distributed/sink-failover-support.ts), then start a replacement worker and wait until lines flow again
 * (not timed).
 */
import { join } from 'node:path';
import { fileSinkConfig, seqsIn, startSeqFeed, timeSinkFailover } from '../../test/runtime/distributed/sink-failover-support.js';
import { http, waitFor } from '../../test/support/worker-process.js';

/** One worker of a cluster under test: its REST URL and a SIGKILL that resolves once the process has exited. */
export interface BenchWorker {
  url: string;
  /** SIGKILL; the cluster forgets the worker. */
  kill(): Promise<void>;
}

/** A running cluster: its live workers, a way to start one more, and close. */
export interface BenchCluster {
  readonly workers: readonly BenchWorker[];
  /** Starts a replacement worker in the same cluster. */
  add(): Promise<void>;
  close(): Promise<void>;
}

export interface SinkFailoverRun {
  cluster: BenchCluster;
  bootstrap: string;
  /** Topic and connector names are made from it (unique per run). */
  id: string;
  dir: string;
  reps: number;
  /** Per repetition: how long to wait for the sink to consume again. */
  timeoutMs: number;
  /** Called after each repetition with its figure (for progress lines). */
  onRep: (rep: number, ms: number, victim: string) => void;
}

const hostOf = (w: BenchWorker): string => new URL(w.url).host;

/** Runs the repetitions and returns each one's kill -9 → consuming time in ms. Throws when one does not recover. */
export async function runSinkFailover(r: SinkFailoverRun): Promise<number[]> {
  const topic = `${r.id}-lines`;
  const name = `${r.id}-sink`;
  const output = join(r.dir, `${r.id}-out.txt`);
  const feed = await startSeqFeed(r.bootstrap, topic);
  const anyUrl = (): string => r.cluster.workers[0]!.url;
  /** The live worker the sink's task is RUNNING on, once the status says so. */
  const taskWorker = async (): Promise<BenchWorker | undefined> => {
    const s = (await http('GET', `${anyUrl()}/connectors/${name}/status`)).body as { tasks?: { state: string; worker_id: string }[] };
    const task = s.tasks?.[0];
    return task?.state === 'RUNNING' ? r.cluster.workers.find((w) => hostOf(w) === task.worker_id) : undefined;
  };
  const flowing = async (what: string): Promise<void> => {
    const from = feed.next;
    await waitFor(what, () => seqsIn(output).some((s) => s >= from), r.timeoutMs, 100);
  };
  try {
    await waitFor(`create ${name}`, async () => {
      const res = await http('POST', `${anyUrl()}/connectors`, { name, config: fileSinkConfig(name, topic, output) });
      if (res.status === 409) return undefined; // mid-rebalance: retry
      if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${JSON.stringify(res.body)}`);
      return res;
    }, 60_000, 250);
    await flowing('the sink to write lines');
    const times: number[] = [];
    for (let rep = 1; rep <= r.reps; rep++) {
      const victim = await waitFor('the sink task RUNNING on a live worker', taskWorker, 60_000, 100);
      const ms = await timeSinkFailover(feed, output, () => victim.kill(), r.timeoutMs);
      times.push(ms);
      r.onRep(rep, ms, hostOf(victim));
      if (rep < r.reps) {
        await r.cluster.add();
        await flowing('lines to flow after the replacement joined');
      }
    }
    return times;
  } finally {
    await feed.stop();
  }
}

/** min, median and max of a list of milliseconds, rounded. */
export function spread(times: readonly number[]): { min: number; median: number; max: number } {
  const s = [...times].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { min: Math.round(s[0]!), median: Math.round(median), max: Math.round(s[s.length - 1]!) };
}
