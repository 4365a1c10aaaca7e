/**
 * The group leader's incremental cooperative assignment (KIP-415, Connect's `IncrementalCooperativeAssignor`) as a
 * pure function: no I/O, no clock (`now` is an input), no randomness. Ties are broken by member id and every list in
 * the result is sorted (connectors by name, tasks by connector then task number).
 *
 * Each round, from the members' reported assignments and the leader's memory of the previous round:
 * 1. **Must-move revocations**: work that is no longer configured (connector deleted, task number ≥ task count) is
 *    revoked from whoever holds it; work held by several members is kept by one — the member the previous round gave
 *    it to, if it still holds it, else the lowest member id — and revoked from the others.
 * 2. **Lost** work = configured work that the previous round gave out (or that was already lost) and that nobody
 *    reports now. **Created** work = configured work that is neither held nor lost.
 * 3. Lost work is reassigned at once when no member of the previous round is missing (a member merely missed an
 *    assignment) or when `scheduledRebalanceMaxDelayMs` is 0. Otherwise a delay starts when lost work is first seen:
 *    it stays unassigned until `lostSince + scheduledRebalanceMaxDelayMs`, and every round before that returns
 *    `delay` = the time left. Work that reappears on a member (it came back still running it) is not lost any more;
 *    once nothing is lost the delay is cancelled. At the deadline the lost work is assigned like created work, so the
 *    least-loaded members — those that joined during the delay, typically the restarted worker — receive it.
 * 4. **Balance**, separately for connectors and for tasks (as Connect): with N configured items and M members, every
 *    member ends with ⌊N/M⌋ or ⌈N/M⌉. The +1 slots go to the members holding the most (ties: lowest id), so the
 *    fewest items move; members above their quota have the excess revoked (the last items in sorted order). Revoked
 *    work is never reassigned in the same round (cooperative): the revoking members rejoin, the items come back as
 *    created work and fill the remaining gaps, so a stable group is balanced after at most two rounds. No balancing
 *    revocations while a delay runs (as Connect).
 * 5. Created (and ready lost) work goes, item by item in sorted order, to the member with the fewest items of that kind
 *    among those below their quota (ties: lowest id). While a delay runs there are no quotas: created work simply goes
 *    to the least loaded.
 *
 * Deviations from Connect, on purpose: duplicated work stays on one member instead of being revoked from all of them;
 * work held but not configured is revoked even when the leader has no memory of it; there is no exponential backoff
 * between consecutive revoking rounds (each round moves only the excess, so revocations cannot ping-pong); at the
 * deadline lost work is spread by load, not round-robin over the members that joined empty during the delay; when
 * the memory's generation does not match, only the per-member previous assignment is dropped — work already held
 * back as lost stays lost (Connect would treat it as new and assign it at once); lowering the max delay shortens a
 * running delay.
 */

import type { ConnectorTaskId } from '../../herder/types.js';
import { compareStrings } from './connect-protocol.js';
import type { ConnectorsAndTasks } from './connect-protocol.js';

/** A connector of the config snapshot and the number of task configs it has (tasks 0..taskCount-1). */
export interface ConfiguredConnector {
  readonly name: string;
  readonly taskCount: number;
}

/** A group member and the assignment it reported in its metadata (empty when it has none). */
export interface AssignorMember {
  readonly memberId: string;
  readonly assignment: ConnectorsAndTasks;
}

/** A delay that holds lost work back: first seen lost at `lostSince`, reassigned at `deadline` (ms, caller's clock). */
export interface DelayedRebalance {
  readonly lostSince: number;
  readonly deadline: number;
}

/** What the leader remembers between rounds; pass the previous result's `memory`, or null for a fresh leader. */
export interface AssignorMemory {
  /** The generation the round was computed for. */
  readonly generation: number;
  /** Per member, what it runs once it has applied the round (reported − revoked + assigned). */
  readonly previous: Readonly<Record<string, ConnectorsAndTasks>>;
  /** Member ids of the round, sorted. */
  readonly members: readonly string[];
  /** Lost work held back by a running delay (empty otherwise). */
  readonly lost: ConnectorsAndTasks;
  /** The running delay; null when none. */
  readonly delayedRebalance: DelayedRebalance | null;
}

export interface AssignorInput {
  /** Every configured connector; names must be unique and task counts non-negative integers. */
  readonly configured: readonly ConfiguredConnector[];
  /** Every member of the group, the leader included; member ids unique. At least one. */
  readonly members: readonly AssignorMember[];
  readonly memory: AssignorMemory | null;
  /** The generation being assigned. */
  readonly generation: number;
  /** The leader's last completed generation. `memory.previous` is used only if `memory.generation` equals it (the
   * previous assignment was really delivered); otherwise it is ignored, as Connect does. */
  readonly lastCompletedGeneration: number;
  /** Milliseconds, same clock as the memory's deadline. */
  readonly now: number;
  /** `scheduled.rebalance.max.delay.ms`: an integer 0 ≤ n < 2^31. */
  readonly scheduledRebalanceMaxDelayMs: number;
}

/** One member's share of the round. `assigned` and `revoked` are incremental; `target` is what it runs afterwards. */
export interface MemberAssignment {
  readonly assigned: ConnectorsAndTasks;
  readonly revoked: ConnectorsAndTasks;
  readonly target: ConnectorsAndTasks;
}

export interface AssignorResult {
  /** One entry per input member, keyed by member id. */
  readonly assignments: Readonly<Record<string, MemberAssignment>>;
  /** Milliseconds until the leader wants a follow-up rebalance (every member rejoins then); 0 = none. */
  readonly delay: number;
  readonly memory: AssignorMemory;
}

/**
 * Computes one round of incremental cooperative assignment (see the module doc for the rules).
 * Throws RangeError for invalid input (no members, duplicate member ids or connector names, bad counts or delay).
 */
export function performAssignment(input: AssignorInput): AssignorResult {
  validate(input);
  const members = input.members.map((m) => m.memberId).sort(compareStrings);
  const memory = input.memory;
  const previous = memory !== null && memory.generation === input.lastCompletedGeneration ? memory.previous : {};
  const reportedOf = new Map(input.members.map((m) => [m.memberId, m.assignment]));
  const lostBefore = memory?.lost ?? EMPTY;

  const configuredTasks: ConnectorTaskId[] = input.configured.flatMap((c) => Array.from({ length: c.taskCount }, (_, task) => ({ connector: c.name, task })));
  const kinds = [
    classify(members, CONNECTORS, input.configured.map((c) => c.name), (m) => reportedOf.get(m)!.connectors, Object.entries(previous).map(([m, p]) => [m, p.connectors]), lostBefore.connectors),
    classify(members, TASKS, configuredTasks, (m) => reportedOf.get(m)!.tasks, Object.entries(previous).map(([m, p]) => [m, p.tasks]), lostBefore.tasks),
  ] as const;

  // Lost work and the scheduled delay (Connect's handleLostAssignments).
  const anyLost = kinds.some((k) => k.lost.length > 0);
  const departed = memory !== null && memory.members.some((m) => !reportedOf.has(m));
  const maxDelay = input.scheduledRebalanceMaxDelayMs;
  const running = memory?.delayedRebalance ?? null;
  // A lowered max delay shortens a running delay too.
  let delayed = running && { lostSince: running.lostSince, deadline: Math.min(running.deadline, running.lostSince + maxDelay) };
  let delay = 0;
  let holdLost = false;
  if (!anyLost || maxDelay === 0 || (delayed === null && !departed) || (delayed !== null && input.now >= delayed.deadline)) {
    delayed = null;
  } else {
    delayed ??= { lostSince: input.now, deadline: input.now + maxDelay };
    delay = Math.min(Math.ceil(delayed.deadline - input.now), maxDelay);
    holdLost = true;
  }

  for (const k of kinds) distribute(k, members, holdLost ? k.created : k.key.sort([...k.created, ...k.lost]), !holdLost);

  const [c, t] = kinds;
  const perMember = members.map((m) => {
    const at = (cs: Map<string, Set<string>>[], ts: Map<string, Set<string>>[]): ConnectorsAndTasks => ({
      connectors: c.items(cs.flatMap((map) => [...map.get(m)!])),
      tasks: t.items(ts.flatMap((map) => [...map.get(m)!])),
    });
    const assignment: MemberAssignment = { assigned: at([c.assigned], [t.assigned]), revoked: at([c.revoked], [t.revoked]), target: at([c.held, c.assigned], [t.held, t.assigned]) };
    return [m, assignment] as const;
  });
  // Object.fromEntries makes own properties for any member id (even "__proto__").
  const assignments = Object.fromEntries(perMember);
  const next = Object.fromEntries(perMember.map(([m, a]) => [m, a.target]));
  const lost: ConnectorsAndTasks = holdLost ? { connectors: c.items(c.lost), tasks: t.items(t.lost) } : EMPTY;
  return { assignments, delay, memory: { generation: input.generation, previous: next, members, lost, delayedRebalance: delayed } };
}

const EMPTY: ConnectorsAndTasks = { connectors: [], tasks: [] };

/** How one kind of work (connectors, or tasks) is keyed and ordered. */
interface KindKey<T> {
  of(item: T): string;
  parse(key: string): T;
  /** The keys in the order of their items (a new array). */
  sort(keys: Iterable<string>): string[];
}

const CONNECTORS: KindKey<string> = { of: (name) => name, parse: (key) => key, sort: (keys) => [...keys].sort(compareStrings) };

const TASKS: KindKey<ConnectorTaskId> = {
  of: (id) => JSON.stringify([id.connector, id.task]),
  parse: (key) => {
    const [connector, task] = JSON.parse(key) as [string, number];
    return { connector, task };
  },
  sort: (keys) =>
    [...keys]
      .map((k) => ({ k, id: TASKS.parse(k) }))
      .sort((x, y) => compareStrings(x.id.connector, y.id.connector) || x.id.task - y.id.task)
      .map((x) => x.k),
};

/** The state of one kind of work through a round. Maps are keyed by member id and hold work keys. */
interface KindRound<T> {
  readonly key: KindKey<T>;
  readonly held: Map<string, Set<string>>;
  readonly revoked: Map<string, Set<string>>;
  readonly assigned: Map<string, Set<string>>;
  readonly lost: string[];
  readonly created: string[];
  /** The items of this kind among `keys`, sorted. */
  items(keys: Iterable<string>): T[];
}

/** Step 1 and 2: must-move revocations, then lost and created work. */
function classify<T>(members: readonly string[], key: KindKey<T>, configuredItems: readonly T[], reported: (m: string) => readonly T[], previous: readonly (readonly [string, readonly T[]])[], lostBefore: readonly T[]): KindRound<T> {
  const configured = new Set(configuredItems.map(key.of));
  const perMember = (): Map<string, Set<string>> => new Map(members.map((m) => [m, new Set<string>()]));
  const round: KindRound<T> = {
    key, held: perMember(), revoked: perMember(), assigned: perMember(), lost: [], created: [],
    items: (keys) => key.sort(keys).map(key.parse),
  };
  const holders = new Map<string, string[]>();
  for (const m of members) for (const k of new Set(reported(m).map(key.of))) (holders.get(k) ?? holders.set(k, []).get(k)!).push(m);
  const previousOwner = new Map<string, string>();
  for (const [m, items] of previous) for (const item of items) previousOwner.set(key.of(item), m); // departed members too
  const wasLost = new Set(lostBefore.map(key.of));
  for (const [k, hs] of holders) {
    const owner = previousOwner.get(k);
    const keeper = !configured.has(k) ? undefined : owner !== undefined && hs.includes(owner) ? owner : hs[0];
    for (const h of hs) (h === keeper ? round.held : round.revoked).get(h)!.add(k);
  }
  for (const k of key.sort(configured)) {
    if (holders.has(k)) continue;
    (previousOwner.has(k) || wasLost.has(k) ? round.lost : round.created).push(k);
  }
  return round;
}

/** Steps 4 and 5: balancing revocations (when `balance`), then `toAssign` to the least-loaded members under quota. */
function distribute(round: KindRound<unknown>, members: readonly string[], toAssign: readonly string[], balance: boolean): void {
  const count = (m: string): number => round.held.get(m)!.size + round.assigned.get(m)!.size;
  const quota = new Map(members.map((m) => [m, Infinity]));
  if (balance) {
    const total = members.reduce((n, m) => n + count(m), 0) + toAssign.length;
    const base = Math.floor(total / members.length);
    const byLoad = [...members].sort((a, b) => count(b) - count(a) || compareStrings(a, b));
    byLoad.forEach((m, i) => quota.set(m, base + (i < total % members.length ? 1 : 0)));
    for (const m of members) {
      const held = round.key.sort(round.held.get(m)!);
      for (const k of held.slice(quota.get(m)!)) {
        round.held.get(m)!.delete(k);
        round.revoked.get(m)!.add(k);
      }
    }
  }
  for (const k of toAssign) {
    let best: string | undefined;
    for (const m of members) if (count(m) < quota.get(m)! && (best === undefined || count(m) < count(best))) best = m;
    round.assigned.get(best!)!.add(k); // quotas sum to the total, so some member is always below its quota
  }
}

function validate(input: AssignorInput): void {
  const ids = input.members.map((m) => m.memberId);
  if (ids.length === 0) throw new RangeError('assignment needs at least one member');
  if (new Set(ids).size !== ids.length) throw new RangeError('member ids must be unique');
  const names = input.configured.map((c) => c.name);
  if (new Set(names).size !== names.length) throw new RangeError('configured connector names must be unique');
  for (const c of input.configured) if (!Number.isSafeInteger(c.taskCount) || c.taskCount < 0) throw new RangeError(`task count of '${c.name}' must be a non-negative integer, got ${c.taskCount}`);
  const d = input.scheduledRebalanceMaxDelayMs;
  if (!Number.isInteger(d) || d < 0 || d > 0x7fffffff) throw new RangeError(`scheduledRebalanceMaxDelayMs must be an integer in [0, 2^31), got ${d}`);
  if (!Number.isFinite(input.now)) throw new RangeError(`now must be finite, got ${input.now}`);
}
