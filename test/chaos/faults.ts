/**
 * The fault injectors: each takes one scheduled fault through injection and recovery (a killed worker is started
 * again on its folder, a frozen one thawed, the broker started again) and returns what happened, for the report.
 */
import type { ChaosBroker } from './chaos-broker.js';
import type { ChaosCluster, Slot } from './chaos-cluster.js';
import { call, label } from './rest.js';
import type { Fault, FaultKind } from './schedule.js';

export interface FaultRecord {
  kind: FaultKind;
  atMs: number;
  /** The worker slot hit (-1 for the broker). */
  slot: number;
  /** Whether that worker led the group when it was hit (null: the leader was not known). */
  wasLeader: boolean | null;
  /** How long the fault took from injection to recovery. */
  ms: number;
  detail: string;
}

export interface FaultContext {
  cluster: ChaosCluster;
  broker: ChaosBroker;
  now: () => number;
  /** Waits, but returns early when the run is aborted. */
  sleep: (ms: number) => Promise<void>;
}

const pickOf = <T>(items: readonly T[], pick: number): T | undefined => items[Math.floor(pick * items.length)];

/** Runs one fault to its recovery. A fault with no eligible worker is skipped (detail says so). */
export async function inject(fault: Fault, c: FaultContext): Promise<FaultRecord> {
  const t0 = c.now();
  const leader = c.cluster.leader();
  const target = pickOf(c.cluster.up(), fault.pick);
  const record = (slot: Slot | undefined, detail: string): FaultRecord => ({
    kind: fault.kind, atMs: t0, slot: slot?.index ?? -1, wasLeader: slot ? (leader ? leader === slot : null) : null, ms: c.now() - t0, detail,
  });
  if (fault.kind === 'broker-bounce') {
    await c.broker.stop();
    const probes = outageProbes(c.cluster.up()[0]);
    await c.sleep(fault.downMs);
    const startMs = await c.broker.start();
    return record(undefined, `broker down ${fault.downMs} ms, restart took ${startMs} ms; REST while it was down: ${await probes}`);
  }
  if (fault.kind === 'join') {
    const slot = await c.cluster.addSlot();
    return record(slot, `new worker w${slot.index} (${slot.workerId}) joined`);
  }
  if (!target) return record(undefined, 'skipped: no running worker');
  switch (fault.kind) {
    case 'kill9':
      await c.cluster.kill(target);
      await c.sleep(fault.downMs);
      await c.cluster.start(target);
      return record(target, `kill -9, down ${fault.downMs} ms, started again on its folder`);
    case 'restart': {
      const code = await c.cluster.stop(target, 'down');
      await c.cluster.start(target);
      return record(target, `SIGTERM (exit ${code}), started again on its folder`);
    }
    case 'leave': {
      const code = await c.cluster.stop(target, 'retired');
      return record(target, `SIGTERM (exit ${code}), left for good`);
    }
    case 'zombie':
      c.cluster.freeze(target);
      await c.sleep(fault.downMs);
      c.cluster.thaw(target);
      return record(target, `SIGSTOP for ${fault.downMs} ms, then SIGCONT`);
  }
}

/**
 * A read and a no-op write (a connector restart leaves every invariant alone) sent to a worker right after the
 * broker stopped, each with a 40 s timeout: how the REST API answers while the broker is away.
 */
async function outageProbes(slot: Slot | undefined): Promise<string> {
  if (!slot) return 'no worker to ask';
  const probe = async (method: string, path: string): Promise<string> => {
    const a = await call(method, `${slot.url}${path}`, undefined, 40_000);
    return `${method} ${path} → ${label(a)} in ${a.ms} ms`;
  };
  return (await Promise.all([probe('GET', '/connectors/seq-0/status'), probe('POST', '/connectors/seq-0/restart')])).join(', ');
}
