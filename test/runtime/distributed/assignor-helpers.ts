/**
 * Helpers for the assignor tests: a compact notation for work ('a' = connector a, 'a/0' = its task 0), a simulated
 * group whose members apply each round (drop revoked, start assigned) and rejoin, and the invariant checks.
 */
import assert from 'node:assert/strict';
import { performAssignment } from '../../../src/runtime/distributed/assignor.js';
import type { AssignorMemory, AssignorResult, ConfiguredConnector } from '../../../src/runtime/distributed/assignor.js';
import type { ConnectorsAndTasks } from '../../../src/runtime/distributed/connect-protocol.js';

/** Work from short names: 'a' is connector a, 'a/2' is task 2 of a. */
export function w(...names: string[]): ConnectorsAndTasks {
  const connectors: string[] = [];
  const tasks: { connector: string; task: number }[] = [];
  for (const n of names) {
    const slash = n.lastIndexOf('/');
    if (slash < 0) connectors.push(n);
    else tasks.push({ connector: n.slice(0, slash), task: Number(n.slice(slash + 1)) });
  }
  return { connectors, tasks };
}

/** Work as short names, connectors then tasks, in the order given. */
export function names(work: ConnectorsAndTasks): string[] {
  return [...work.connectors, ...work.tasks.map((t) => `${t.connector}/${t.task}`)];
}

/** Configured connectors from `{ name: taskCount }`. */
export function cfg(counts: Record<string, number>): ConfiguredConnector[] {
  return Object.entries(counts).map(([name, taskCount]) => ({ name, taskCount }));
}

/** Every configured item as short names. */
export function configuredNames(configured: readonly ConfiguredConnector[]): string[] {
  return configured.flatMap((c) => [c.name, ...Array.from({ length: c.taskCount }, (_, i) => `${c.name}/${i}`)]);
}

/** A group of members that apply every assignment faithfully; the first member is not special (the leader is any). */
export class Cluster {
  readonly held = new Map<string, ConnectorsAndTasks>();
  memory: AssignorMemory | null = null;
  generation = 0;
  now = 1_000_000;

  constructor(public configured: ConfiguredConnector[], public maxDelay: number, members: readonly string[] = []) {
    for (const m of members) this.join(m);
  }

  join(id: string, work: ConnectorsAndTasks = w()): void {
    this.held.set(id, work);
  }

  leave(id: string): void {
    this.held.delete(id);
  }

  /** One rebalance: every member reports what it runs; then each applies its revoked and assigned lists. */
  round(): AssignorResult {
    const result = performAssignment({
      configured: this.configured,
      members: [...this.held].map(([memberId, assignment]) => ({ memberId, assignment })),
      memory: this.memory,
      generation: this.generation + 1,
      lastCompletedGeneration: this.generation,
      now: this.now,
      scheduledRebalanceMaxDelayMs: this.maxDelay,
    });
    this.generation += 1;
    this.memory = result.memory;
    for (const [id, work] of this.held) {
      const a = result.assignments[id]!;
      const gone = new Set(names(a.revoked));
      const kept = names(work).filter((n) => !gone.has(n));
      this.held.set(id, w(...kept, ...names(a.assigned)));
    }
    return result;
  }

  /**
   * Rebalances until a round changes nothing and asks for no delay, waiting out delays on the clock. Returns the rounds
   * run after the last delayed one (the quiet round included); fails past `limit` rounds.
   */
  converge(limit = 20): { rounds: AssignorResult[] } {
    let rounds: AssignorResult[] = [];
    for (let i = 0; i < limit; i++) {
      const r = this.round();
      rounds.push(r);
      if (r.delay > 0) {
        this.now += r.delay;
        rounds = [];
      } else if (isQuiet(r)) return { rounds };
    }
    assert.fail(`no convergence within ${limit} rounds`);
  }

  /** Short names each member runs, sorted by member id. */
  snapshot(): Record<string, string[]> {
    return Object.fromEntries([...this.held].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, work]) => [id, names(work).sort()]));
  }
}

export function isQuiet(r: AssignorResult): boolean {
  return r.delay === 0 && Object.values(r.assignments).every((a) => names(a.assigned).length === 0 && names(a.revoked).length === 0);
}

/** Nothing runs on two members. */
export function assertUnique(held: ReadonlyMap<string, ConnectorsAndTasks>): void {
  const owner = new Map<string, string>();
  for (const [id, work] of held) {
    for (const n of names(work)) {
      assert.ok(!owner.has(n), `${n} runs on ${owner.get(n)} and ${id}`);
      owner.set(n, id);
    }
  }
}

/** Every configured item runs exactly once and nothing else runs; connector and task counts each differ by ≤ 1. */
export function assertBalancedAndComplete(held: ReadonlyMap<string, ConnectorsAndTasks>, configured: readonly ConfiguredConnector[]): void {
  assertUnique(held);
  const all = [...held.values()].flatMap(names).sort();
  assert.deepEqual(all, configuredNames(configured).sort(), 'everything configured runs, nothing else');
  for (const kind of ['connectors', 'tasks'] as const) {
    const counts = [...held.values()].map((work) => work[kind].length);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `${kind} unbalanced: ${counts.join(',')}`);
  }
}
