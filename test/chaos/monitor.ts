/**
 * Watches the cluster while the faults run: every few seconds one live worker's statuses are checked for health
 * (invariant 1's state part), and for each connector the stretches of time it spent unhealthy are recorded. Long
 * stretches show slow failovers (e.g. a sink task that takes the consumer session timeout to move) and connectors
 * that stay UNASSIGNED, even when everything converges in the end.
 */
import type { ChaosCluster } from './chaos-cluster.js';
import { checkHealth } from './invariants.js';
import type { Entry } from './invariants.js';
import type { ConnectorModel } from './model.js';
import { getJson } from './rest.js';

export interface Stretch {
  connector: string;
  fromMs: number;
  /** Last time it was seen unhealthy. */
  toMs: number;
  /** Still unhealthy when the watch stopped. */
  open: boolean;
  lastSeen: string;
}

export class HealthMonitor {
  readonly stretches: Stretch[] = [];
  private readonly open = new Map<string, Stretch>();
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly cluster: ChaosCluster,
    private readonly models: ReadonlyMap<string, ConnectorModel>,
    private readonly o: { everyMs: number; now: () => number; sleep: (ms: number) => Promise<void> },
  ) {}

  start(): void {
    this.loop = (async () => {
      let turn = 0;
      while (!this.stopped) {
        const up = this.cluster.up();
        const slot = up[turn++ % Math.max(1, up.length)];
        const view = slot ? ((await getJson(`${slot.url}/connectors?expand=status&expand=info`, 5000).catch(() => undefined)) as Record<string, Entry> | undefined) : undefined;
        if (view) this.observe(view, new Set(this.cluster.up().map((s) => s.workerId)));
        await this.o.sleep(this.o.everyMs);
      }
    })();
  }

  /** Stops watching; stretches still open stay marked open. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    for (const s of this.open.values()) this.stretches.push(s);
    this.open.clear();
  }

  private observe(view: Record<string, Entry>, live: ReadonlySet<string>): void {
    const t = this.o.now();
    const unhealthy = new Map<string, string>();
    for (const [name, e] of Object.entries(view)) {
      const targets = new Set(this.models.get(name)?.possible().filter((s) => s.exists).map((s) => s.target) ?? []);
      const v = checkHealth(name, e, targets.size === 1 ? [...targets][0]! : null, live);
      if (v.length > 0) unhealthy.set(name, v.map((x) => `${x.what}: ${x.seen}`).join('; ').slice(0, 300));
    }
    for (const [name, seen] of unhealthy) {
      const s = this.open.get(name);
      if (s) Object.assign(s, { toMs: t, lastSeen: seen });
      else this.open.set(name, { connector: name, fromMs: t, toMs: t, lastSeen: seen, open: true });
    }
    for (const [name, s] of this.open) {
      if (!unhealthy.has(name)) {
        this.stretches.push({ ...s, open: false });
        this.open.delete(name);
      }
    }
  }
}
