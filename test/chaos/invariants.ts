/**
 * The status invariants, checked against what every live worker answers:
 * 1. every connector has the config and target state the acknowledged writes leave it with (any candidate of its
 *    model), and its connector and tasks.max tasks are RUNNING (PAUSED; STOPPED with no tasks) on live workers;
 * 2. every live worker answers the same connectors, configs and statuses;
 * 3. no task appears twice in a status (the data-based part of "no task runs twice" is in data-check.ts).
 * Each violation names the invariant, the connector, what was expected and what was seen.
 */
import type { ChaosCluster } from './chaos-cluster.js';
import type { ConnectorModel, ConnectorState, TargetState } from './model.js';
import { getJson } from './rest.js';

export interface Violation {
  invariant: 1 | 2 | 3 | 4 | 5;
  connector: string;
  what: string;
  expected: string;
  seen: string;
}

interface TaskStatus { id: number; state: string; worker_id: string; trace?: string }
export interface Entry {
  status?: { connector: { state: string; worker_id: string; trace?: string }; tasks: TaskStatus[] };
  info?: { config: Record<string, string> };
}
/** One worker's answer to GET /connectors?expand=status&expand=info, or null when it did not answer. */
export type View = Record<string, Entry> | null;

const RUNNING_STATE: Record<TargetState, string> = { STARTED: 'RUNNING', PAUSED: 'PAUSED', STOPPED: 'STOPPED' };

export async function readViews(cluster: ChaosCluster, timeoutMs: number): Promise<Map<number, View>> {
  const up = cluster.up();
  const views = await Promise.all(up.map((s) => getJson(`${s.url}/connectors?expand=status&expand=info`, timeoutMs).catch(() => undefined)));
  return new Map(up.map((s, i) => [s.index, (views[i] as View | undefined) ?? null]));
}

const withoutName = (c: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'name').sort(([a], [b]) => a.localeCompare(b)));
const sameConfig = (a: Record<string, string>, b: Record<string, string>): boolean => JSON.stringify(withoutName(a)) === JSON.stringify(withoutName(b));
const describeState = (s: ConnectorState): string => (s.exists ? `${s.target} ${JSON.stringify(withoutName(s.config ?? {}))}` : 'absent');
const describeEntry = (e: Entry | undefined): string => {
  if (!e) return 'absent';
  const st = e.status;
  const tasks = st ? st.tasks.map((t) => `${t.id}:${t.state}@${t.worker_id}`).join(' ') : '?';
  return `${st ? `${st.connector.state}@${st.connector.worker_id}` : 'no status'} tasks [${tasks}] ${JSON.stringify(withoutName(e.info?.config ?? {}))}`;
};
const canonical = (e: Entry | undefined): string => JSON.stringify(e ? [e.status?.connector.state, e.status?.connector.worker_id, [...(e.status?.tasks ?? [])].sort((a, b) => a.id - b.id).map((t) => [t.id, t.state, t.worker_id]), withoutName(e.info?.config ?? {})] : null);

/** Invariant 1 for one connector's entry (health part): states per target, tasks.max tasks, live workers only. */
export function checkHealth(name: string, e: Entry, target: TargetState | null, live: ReadonlySet<string>): Violation[] {
  const out: Violation[] = [];
  const st = e.status;
  if (!st) return [{ invariant: 1, connector: name, what: 'status', expected: 'a status', seen: 'none' }];
  const want = target ? RUNNING_STATE[target] : st.connector.state === 'PAUSED' || st.connector.state === 'STOPPED' ? st.connector.state : 'RUNNING';
  if (st.connector.state !== want || !live.has(st.connector.worker_id)) {
    out.push({ invariant: 1, connector: name, what: 'connector state', expected: `${want} on a live worker`, seen: `${st.connector.state}@${st.connector.worker_id}${st.connector.trace ? ` trace: ${st.connector.trace.split('\n')[0]}` : ''}` });
  }
  const tasksMax = Number(e.info?.config['tasks.max'] ?? 1);
  const wantTasks = want === 'STOPPED' ? 0 : tasksMax;
  const ids = st.tasks.map((t) => t.id).sort((a, b) => a - b);
  // Task configs are generated only while STARTED (as in Connect): a connector paused before its tasks were generated
  // has none, and one whose tasks.max changed while paused keeps its earlier count until it is resumed.
  const count = want === 'PAUSED' ? ids.length : wantTasks;
  if (JSON.stringify(ids) !== JSON.stringify(Array.from({ length: count }, (_, i) => i))) {
    const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (dup.length > 0) out.push({ invariant: 3, connector: name, what: 'task listed twice', expected: 'each task once', seen: `tasks ${dup.join(',')} twice: ${describeEntry(e)}` });
    out.push({ invariant: 1, connector: name, what: 'task count', expected: want === 'STOPPED' ? 'no tasks (STOPPED)' : want === 'PAUSED' ? 'tasks 0..k-1, each once (PAUSED)' : `tasks 0..${wantTasks - 1} (tasks.max ${tasksMax}, ${want})`, seen: `tasks [${st.tasks.map((t) => `${t.id}:${t.state}@${t.worker_id}`).join(' ')}]` });
  }
  const taskWant = want;
  for (const t of want === 'STOPPED' ? [] : st.tasks) {
    if (t.state !== taskWant || !live.has(t.worker_id)) {
      out.push({ invariant: 1, connector: name, what: `task ${t.id} state`, expected: `${taskWant} on a live worker`, seen: `${t.state}@${t.worker_id}${t.trace ? ` trace: ${t.trace.split('\n')[0]}` : ''}` });
    }
  }
  return out;
}

/** Invariant 1, model part: the live connector matches one of the candidate states of its model. */
function checkModel(m: ConnectorModel, e: Entry | undefined): Violation[] {
  const liveTarget = e?.status?.connector.state;
  const matches = m.possible().some((s) => {
    if (!s.exists) return e === undefined;
    return e !== undefined && sameConfig(s.config ?? {}, e.info?.config ?? {}) && RUNNING_STATE[s.target] === liveTarget;
  });
  if (matches) return [];
  return [{ invariant: 1, connector: m.name, what: 'last acknowledged config and target state', expected: m.possible().map(describeState).join(' | or | '), seen: describeEntry(e) }];
}

/** All status invariants over the views of every live worker. */
export function checkViews(views: Map<number, View>, models: ReadonlyMap<string, ConnectorModel>, liveIds: ReadonlySet<string>, workerName: (slot: number) => string): Violation[] {
  const out: Violation[] = [];
  const answered = [...views.entries()].filter((e): e is [number, Record<string, Entry>] => e[1] !== null);
  for (const [slot, v] of views) if (v === null) out.push({ invariant: 2, connector: '*', what: `worker ${workerName(slot)} answers GET /connectors`, expected: '200', seen: 'no answer' });
  if (answered.length === 0) return out;
  const [firstSlot, first] = answered[0]!;
  // 2: every worker the same as the first.
  for (const [slot, v] of answered.slice(1)) {
    for (const name of new Set([...Object.keys(first), ...Object.keys(v)])) {
      if (canonical(first[name]) !== canonical(v[name])) {
        const sameCfg = JSON.stringify(withoutName(first[name]?.info?.config ?? {})) === JSON.stringify(withoutName(v[name]?.info?.config ?? {}));
        const d = (e: Entry | undefined): string => (sameCfg && e ? describeEntry(e).replace(/ \{.*\}$/, ' (same config)') : describeEntry(e));
        out.push({ invariant: 2, connector: name, what: `${workerName(slot)} agrees with ${workerName(firstSlot)}`, expected: d(first[name]), seen: d(v[name]) });
      }
    }
  }
  // 1 and 3, on the first worker's view.
  for (const [name, e] of Object.entries(first)) {
    const m = models.get(name);
    const targets = m ? new Set(m.possible().filter((s) => s.exists).map((s) => s.target)) : null;
    const target = targets && targets.size === 1 ? [...targets][0]! : null;
    out.push(...checkHealth(name, e, target, liveIds));
  }
  for (const m of models.values()) out.push(...checkModel(m, first[m.name]));
  return out;
}
