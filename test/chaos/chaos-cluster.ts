/**
 * The chaos run's workers: numbered slots, each a folder and a fixed REST port (so that a worker restarted on its
 * folder keeps its worker id), holding at most one live `pipectl worker distributed` process. Logs of every
 * incarnation are kept for the report. Start failures are retried and recorded (they are findings).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { closedPort } from '../support/ports.js';
import { startWorker } from '../support/worker-process.js';
import type { WorkerProcess } from '../support/worker-process.js';
import { groupConfig } from '../runtime/distributed/cluster-support.js';

export type SlotState = 'up' | 'down' | 'frozen' | 'retired';

export interface Slot {
  index: number;
  dir: string;
  port: number;
  url: string;
  /** `host:port`, the worker_id in statuses. */
  workerId: string;
  state: SlotState;
  process: WorkerProcess | null;
  /** Logs of earlier incarnations (the current one is process.log()). */
  pastLogs: string[];
}

export interface StartFailure {
  slot: number;
  atMs: number;
  message: string;
}

export interface ClusterOptions {
  dir: string;
  bootstrap: string;
  groupId: string;
  config: Record<string, string>;
  /** Attempts per start (a failed start is recorded, then retried). */
  startAttempts: number;
  now: () => number;
}

export class ChaosCluster {
  readonly slots: Slot[] = [];
  readonly startFailures: StartFailure[] = [];

  constructor(private readonly o: ClusterOptions) {}

  /** Slots whose worker runs (not frozen, not down). */
  up(): Slot[] {
    return this.slots.filter((s) => s.state === 'up');
  }

  /** Slots that exist (up, frozen or down; not retired). */
  members(): Slot[] {
    return this.slots.filter((s) => s.state !== 'retired');
  }

  async addSlot(): Promise<Slot> {
    const index = this.slots.length;
    const dir = join(this.o.dir, `worker-${index}`);
    mkdirSync(dir, { recursive: true });
    const port = await closedPort();
    const slot: Slot = { index, dir, port, url: `http://127.0.0.1:${port}`, workerId: `127.0.0.1:${port}`, state: 'down', process: null, pastLogs: [] };
    this.slots.push(slot);
    await this.start(slot);
    return slot;
  }

  /** Starts the slot's worker on its folder and port; throws after startAttempts failed starts. */
  async start(slot: Slot): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        slot.process = await startWorker({ dir: slot.dir, mode: 'distributed', startTimeoutMs: 60_000, config: this.workerConfig(slot) });
        slot.state = 'up';
        return;
      } catch (e) {
        const message = (e as Error).message;
        slot.pastLogs.push(message);
        this.startFailures.push({ slot: slot.index, atMs: this.o.now(), message: firstErrorLine(message) });
        if (attempt >= this.o.startAttempts) throw new Error(`worker ${slot.index} did not start in ${attempt} attempts: ${firstErrorLine(message)}`);
      }
    }
  }

  /** kill -9; the slot stays, to be started again on its folder. */
  async kill(slot: Slot): Promise<void> {
    if (slot.state === 'frozen') process.kill(slot.process!.child.pid!, 'SIGCONT');
    await slot.process?.kill();
    this.retireProcess(slot, 'down');
  }

  /** SIGTERM and wait for the exit (a frozen worker is thawed first). Returns the exit code. */
  async stop(slot: Slot, then: 'down' | 'retired'): Promise<number | null> {
    if (slot.state === 'frozen') process.kill(slot.process!.child.pid!, 'SIGCONT');
    const code = slot.process ? await slot.process.stop() : null;
    this.retireProcess(slot, then);
    return code;
  }

  freeze(slot: Slot): void {
    process.kill(slot.process!.child.pid!, 'SIGSTOP');
    slot.state = 'frozen';
  }

  thaw(slot: Slot): void {
    process.kill(slot.process!.child.pid!, 'SIGCONT');
    slot.state = 'up';
  }

  /** The slot whose worker led the latest generation, from the workers' "joined the group" log lines; null if unknown. */
  leader(): Slot | null {
    let best: { generation: number; slot: Slot } | null = null;
    for (const slot of this.up()) {
      const joins = [...slot.process!.log().matchAll(/joined the group .*?member=(\S+) generation=(\d+) leader=(\S+)/g)];
      const last = joins[joins.length - 1];
      if (!last) continue;
      const generation = Number(last[2]);
      if (last[1] === last[3] && (!best || generation > best.generation)) best = { generation, slot };
    }
    return best?.slot ?? null;
  }

  /** Every incarnation's log of a slot. */
  logOf(slot: Slot): string {
    return [...slot.pastLogs, slot.process?.log() ?? ''].join('\n=== (next incarnation)\n');
  }

  /** SIGKILL every worker (thawing frozen ones), for the end of a run. */
  async close(): Promise<void> {
    await Promise.all(this.slots.filter((s) => s.process).map((s) => this.kill(s).catch(() => undefined)));
  }

  private retireProcess(slot: Slot, state: 'down' | 'retired'): void {
    if (slot.process) slot.pastLogs.push(slot.process.log());
    slot.process = null;
    slot.state = state;
  }

  private workerConfig(slot: Slot): Record<string, string> {
    const id = this.o.groupId;
    return {
      listeners: slot.url,
      'bootstrap.servers': this.o.bootstrap,
      ...groupConfig(id, { offsets: 5, status: 2 }),
      ...this.o.config,
    };
  }
}

/** The first line of an error that says what went wrong (skipping the generic "worker exited" preamble). */
export function firstErrorLine(message: string): string {
  const lines = message.split('\n').filter((l) => l.trim());
  return (lines.find((l) => /ERROR|Error|error/.test(l) && !/^worker (exited|did not start)/.test(l)) ?? lines[0] ?? '').slice(0, 300);
}
