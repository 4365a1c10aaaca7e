/**
 * The chaos schedule as plain data, a pure function of (seed, options): which fault happens when, and which REST
 * write or `pipectl apply` is sent when. Targets are drawn as numbers in [0, 1) and resolved against the workers
 * that exist when the step runs, so the same seed gives the same schedule (the outcomes still depend on timing).
 */
import { seededRng } from '../support/prng.js';
import type { Rng } from '../support/prng.js';

export type FaultKind = 'kill9' | 'restart' | 'join' | 'leave' | 'zombie' | 'broker-bounce';
export const FAULT_KINDS: readonly FaultKind[] = ['kill9', 'restart', 'join', 'leave', 'zombie', 'broker-bounce'];

export interface Fault {
  kind: FaultKind;
  /** Offset from the start of the chaos phase. */
  atMs: number;
  /** Which worker (resolved at run time among the eligible ones). */
  pick: number;
  /** kill9: time dead before the restart on the same folder; zombie: time frozen; broker-bounce: time down. */
  downMs: number;
}

export type WriteKind = 'create' | 'update' | 'tasks-up' | 'tasks-down' | 'pause' | 'resume' | 'stop' | 'delete' | 'restart' | 'apply';
export const WRITE_KINDS: readonly WriteKind[] = ['create', 'update', 'tasks-up', 'tasks-down', 'pause', 'resume', 'stop', 'delete', 'restart', 'apply'];

export interface Write {
  kind: WriteKind;
  atMs: number;
  /** The connector (unused by apply). */
  connector: string;
  /** Which worker receives it (resolved at run time among the workers that are not known to be down). */
  pick: number;
  /** A value for the write (a rate, a pipeline version). */
  n: number;
}

export interface ScheduleOptions {
  /** Stop scheduling faults after this many (whichever of count and duration comes first). */
  faults: number;
  durationMs: number;
  /** Workers at the start, and the most the cluster may grow to. */
  initialWorkers: number;
  maxWorkers: number;
  /** Worker session.timeout.ms: a zombie is frozen for longer than this. */
  sessionTimeoutMs: number;
  /** Connectors that REST writes create, update and delete. */
  churnConnectors: readonly string[];
  /** Generator connectors that are never deleted (their sequence numbers are checked). */
  dataConnectors: readonly string[];
  /** Mean gap between two writes. */
  writeEveryMs: number;
}

export interface Schedule {
  seed: number;
  faults: Fault[];
  writes: Write[];
  /** When the last fault has recovered (the writes stop then too). */
  endMs: number;
}

const FAULT_WEIGHTS: Record<FaultKind, number> = { kill9: 4, restart: 3, join: 2, leave: 1, zombie: 3, 'broker-bounce': 1 };
const WRITE_WEIGHTS: Record<WriteKind, number> = { create: 4, update: 4, 'tasks-up': 2, 'tasks-down': 2, pause: 2, resume: 2, stop: 1, delete: 2, restart: 2, apply: 1 };
/** Writes a data connector may receive (it is never created by a write, nor deleted). */
const DATA_WRITES: readonly WriteKind[] = ['update', 'tasks-up', 'tasks-down', 'pause', 'resume', 'stop', 'resume', 'restart'];

function faultDownMs(kind: FaultKind, rng: Rng, sessionTimeoutMs: number): number {
  switch (kind) {
    case 'kill9': return rng.between(1000, 6000);
    case 'zombie': return sessionTimeoutMs + rng.between(2000, 6000);
    case 'broker-bounce': return rng.between(3000, 10_000);
    default: return 0;
  }
}

/** Rough time a fault takes from injection to recovery, to space the next one (start of a worker, of the broker). */
const faultSpanMs = (f: Fault): number => f.downMs + (f.kind === 'broker-bounce' ? 15_000 : f.kind === 'leave' ? 2000 : 5000);

export function buildSchedule(seed: number, o: ScheduleOptions): Schedule {
  const rng = seededRng(seed);
  const faults: Fault[] = [];
  let workers = o.initialWorkers;
  let t = rng.between(3000, 6000);
  // The first faults are one of each kind (in a seeded order), so that even a short run covers them all.
  const firstKinds = [...FAULT_KINDS].sort(() => rng.next() - 0.5);
  while (faults.length < o.faults && t < o.durationMs) {
    let kind = firstKinds.shift() ?? rng.weighted(FAULT_WEIGHTS);
    if (kind === 'join' && workers >= o.maxWorkers) kind = 'leave';
    if (kind === 'leave' && workers <= o.initialWorkers) kind = workers < o.maxWorkers ? 'join' : 'restart';
    workers += kind === 'join' ? 1 : kind === 'leave' ? -1 : 0;
    const fault: Fault = { kind, atMs: t, pick: rng.next(), downMs: faultDownMs(kind, rng, o.sessionTimeoutMs) };
    faults.push(fault);
    t += faultSpanMs(fault) + rng.between(1000, 4000);
  }
  const endMs = t;
  const writes: Write[] = [];
  for (let w = rng.between(500, 1500); w < endMs; w += rng.between(o.writeEveryMs / 2, (o.writeEveryMs * 3) / 2)) {
    const kind = rng.weighted(WRITE_WEIGHTS);
    const onData = kind !== 'create' && kind !== 'delete' && kind !== 'apply' && rng.next() < 0.35;
    const connector = kind === 'apply' ? '' : onData ? rng.pick(o.dataConnectors) : rng.pick(o.churnConnectors);
    writes.push({ kind: onData && !DATA_WRITES.includes(kind) ? 'update' : kind, atMs: w, connector, pick: rng.next(), n: rng.between(1, 1000) });
  }
  return { seed, faults, writes, endMs };
}
