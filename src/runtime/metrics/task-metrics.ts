/**
 * What one task counts as it runs (plain numbers, bumped once per batch, so that the hot path stays cheap); the worker's
 * /metrics reads them when scraped. The fields follow Connect's groups: connector-task-metrics, source-task-metrics,
 * sink-task-metrics and task-error-metrics. `*Total` counts start when the task starts, as in Connect (a restart resets them).
 */
import type { StatusState } from '../../herder/types.js';
import { WindowedStat } from './windowed-stat.js';

/** Connect's task-error-metrics (cumulative). */
export interface ErrorCounters {
  /** Every failed attempt of an operation, retries included. */
  recordFailures: number;
  /** Records whose failure was not recovered by retries. */
  recordErrors: number;
  recordsSkipped: number;
  retries: number;
  errorsLogged: number;
  dlqProduceRequests: number;
  dlqProduceFailures: number;
  /** Epoch ms of the last error; 0 before any. */
  lastErrorTimestamp: number;
}

export function newErrorCounters(): ErrorCounters {
  return { recordFailures: 0, recordErrors: 0, recordsSkipped: 0, retries: 0, errorsLogged: 0, dlqProduceRequests: 0, dlqProduceFailures: 0, lastErrorTimestamp: 0 };
}

/** A sink task's view of one partition: how far behind the log's end it is. */
export interface PartitionProgress {
  topic: string;
  partition: number;
  /** Next offset the task will be given. */
  position: number;
  /** The log end offset last seen (the high watermark on Kafka). */
  endOffset: number;
  /** Timestamp of the last record handed to put(), epoch ms; 0 before any. */
  lastTimestamp: number;
}

export class TaskMetrics {
  status: StatusState = 'UNASSIGNED';
  private readonly startedAt: number;
  private stateSince: number;
  private readonly timeIn = new Map<StatusState, number>();

  // source-task-metrics
  pollTotal = 0;
  writeTotal = 0;
  readonly polled = new WindowedStat();
  readonly written = new WindowedStat();
  readonly pollBatchTime = new WindowedStat();
  // sink-task-metrics
  readTotal = 0;
  sendTotal = 0;
  readonly read = new WindowedStat();
  readonly sent = new WindowedStat();
  readonly putBatchTime = new WindowedStat();
  offsetCommitSeqNo = 0;
  offsetCommitCompletionTotal = 0;
  readonly offsetCommitCompletions = new WindowedStat();
  readonly partitions = new Map<string, PartitionProgress>();
  /** The log end offsets as the task's consumer sees them now: read when scraped, so a paused or stuck task shows its lag grow. */
  endOffsets: (() => { topic: string; partition: number; endOffset: number }[]) | null = null;
  // connector-task-metrics
  readonly batchSize = new WindowedStat();
  readonly offsetCommitTime = new WindowedStat();
  offsetCommitSuccesses = 0;
  offsetCommitFailures = 0;
  /** Restarts of this task by the worker (pipectl's own: Connect has no such metric). */
  restarts = 0;

  readonly errors: ErrorCounters = newErrorCounters();

  constructor(
    readonly connector: string,
    readonly task: number,
    readonly kind: 'source' | 'sink',
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    this.stateSince = this.startedAt;
  }

  setStatus(status: StatusState): void {
    const now = this.now();
    this.timeIn.set(this.status, (this.timeIn.get(this.status) ?? 0) + now - this.stateSince);
    this.status = status;
    this.stateSince = now;
  }

  /** Fraction of the task's life spent in `state` (Connect's running-ratio / pause-ratio). */
  ratio(state: StatusState): number {
    const now = this.now();
    const life = Math.max(1, now - this.startedAt);
    const current = this.status === state ? now - this.stateSince : 0;
    return ((this.timeIn.get(state) ?? 0) + current) / life;
  }

  /** Records/s into the task: polled from the source system, or read from the log by a sink. */
  recordsInPerSecond(): number {
    return this.kind === 'source' ? this.polled.rate() : this.read.rate();
  }

  /** Records/s out of the task: written to the log by a source, or handed to put() by a sink. */
  recordsOutPerSecond(): number {
    return this.kind === 'source' ? this.written.rate() : this.sent.rate();
  }

  recordPoll(records: number, ms: number): void {
    this.pollTotal += records;
    this.polled.record(records);
    this.pollBatchTime.record(ms);
    this.batchSize.record(records);
  }

  recordWrite(records: number): void {
    this.writeTotal += records;
    this.written.record(records);
  }

  recordRead(records: number): void {
    this.readTotal += records;
    this.read.record(records);
    this.batchSize.record(records);
  }

  recordPut(records: number, ms: number): void {
    this.sendTotal += records;
    this.sent.record(records);
    this.putBatchTime.record(ms);
  }

  recordOffsetCommit(ms: number, ok: boolean): void {
    this.offsetCommitSeqNo++;
    if (ok) {
      this.offsetCommitSuccesses++;
      this.offsetCommitCompletionTotal++;
      this.offsetCommitCompletions.record(1);
      this.offsetCommitTime.record(ms);
    } else this.offsetCommitFailures++;
  }

  /** Records behind the log end of each partition, and the age of the last record taken (0 when caught up). */
  lag(): { topic: string; partition: number; records: number; seconds: number }[] {
    const now = this.now();
    for (const e of this.endOffsets?.() ?? []) {
      const p = this.partitions.get(`${e.topic}\u0000${e.partition}`);
      if (p) p.endOffset = Math.max(p.endOffset, e.endOffset);
    }
    return [...this.partitions.values()].map((p) => {
      const records = Math.max(0, p.endOffset - p.position);
      return { topic: p.topic, partition: p.partition, records, seconds: records > 0 && p.lastTimestamp > 0 ? Math.max(0, now - p.lastTimestamp) / 1000 : 0 };
    });
  }
}
