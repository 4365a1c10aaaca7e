/**
 * Sends the schedule's REST writes to workers and folds their answers into the connector models. Writes to one
 * connector are sent one after the other (so that "the last acknowledged write" is well defined); writes to
 * different connectors overlap. A 409 other than "already exists" is "retry later": recorded, then retried.
 */
import type { ChaosCluster, Slot } from './chaos-cluster.js';
import { ConnectorModel } from './model.js';
import type { Effect, Outcome } from './model.js';
import { call, label, messageOf } from './rest.js';
import type { Answer } from './rest.js';
import type { Write, WriteKind } from './schedule.js';

export interface WriteRecord {
  kind: WriteKind;
  connector: string;
  worker: number;
  toLeader: boolean;
  atMs: number;
  /** Every attempt's answer label (409s that were retried first). */
  attempts: string[];
  final: string;
  ms: number;
  message: string;
}

export interface ConnectorKinds {
  /** Generator config of a connector at a given write value n (tasks.max is set separately). */
  config(name: string, n: number, tasksMax: number): Record<string, string>;
  isData(name: string): boolean;
}

const RETRIES_409 = 4;
const MAX_TASKS = 3;

export class Writer {
  readonly models = new Map<string, ConnectorModel>();
  readonly records: WriteRecord[] = [];
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly cluster: ChaosCluster,
    private readonly kinds: ConnectorKinds,
    private readonly o: { timeoutMs: number; now: () => number; log: (line: string) => void },
  ) {}

  model(name: string): ConnectorModel {
    let m = this.models.get(name);
    if (!m) this.models.set(name, (m = new ConnectorModel(name)));
    return m;
  }

  /** Queues the write behind earlier writes to the same connector; resolves when it has been answered. */
  send(w: Write): Promise<void> {
    const previous = this.chains.get(w.connector) ?? Promise.resolve();
    const next = previous.then(() => this.run(w));
    this.chains.set(w.connector, next);
    return next;
  }

  /** Resolves when every queued write has been answered. */
  async drain(): Promise<void> {
    await Promise.all(this.chains.values());
  }

  private async run(w: Write): Promise<void> {
    const model = this.model(w.connector);
    const { method, path, body, effect } = this.request(w, model);
    const attempts: string[] = [];
    const started = this.o.now();
    let answer: Answer | undefined;
    let slot: Slot | undefined;
    let toLeader = false;
    for (let i = 0; i <= RETRIES_409; i++) {
      const targets = this.cluster.members().filter((s) => s.state !== 'down');
      if (targets.length === 0) break;
      slot = targets[Math.floor(((w.pick + i * 0.37) % 1) * targets.length)]!;
      toLeader = this.cluster.leader() === slot;
      answer = await call(method, `${slot.url}${path}`, body, this.o.timeoutMs);
      attempts.push(label(answer));
      if (!(answer.kind === 'http' && answer.status === 409 && !/already exists/.test(messageOf(answer)))) break;
      await new Promise((r) => setTimeout(r, 1000 * (i + 1)));
    }
    const outcome = answer ? outcomeOf(answer) : 'not-applied';
    model.record(effect, outcome, `${w.kind} ${w.connector} at ${started} ms`);
    const rec: WriteRecord = {
      kind: w.kind, connector: w.connector, worker: slot?.index ?? -1, toLeader, atMs: started,
      attempts, final: answer ? label(answer) : 'no-worker', ms: answer?.ms ?? 0, message: answer ? messageOf(answer) : '',
    };
    this.records.push(rec);
    this.o.log(`write  ${w.kind.padEnd(10)} ${w.connector.padEnd(10)} → w${rec.worker}${toLeader ? '(leader)' : ''} (sent +${(started / 1000).toFixed(1)}s): ${attempts.join(',')}, last in ${rec.ms} ms${rec.final.startsWith('2') ? '' : ` ${rec.message.slice(0, 120)}`}`);
  }

  private request(w: Write, model: ConnectorModel): { method: string; path: string; body: unknown; effect: Effect } {
    const name = w.connector;
    const base = model.latest().config;
    const tasks = Number(base?.['tasks.max'] ?? 1);
    const path = `/connectors/${name}`;
    const put = (config: Record<string, string>): { method: string; path: string; body: unknown; effect: Effect } => ({ method: 'PUT', path: `${path}/config`, body: config, effect: { op: 'put', config, create: false } });
    switch (w.kind) {
      case 'create': {
        const config = this.kinds.config(name, w.n, 1 + (w.n % MAX_TASKS));
        return { method: 'POST', path: '/connectors', body: { name, config }, effect: { op: 'put', config, create: true } };
      }
      case 'update': return put(this.kinds.config(name, w.n, tasks));
      case 'tasks-up': return put({ ...(base ?? this.kinds.config(name, w.n, 1)), 'tasks.max': String(Math.min(MAX_TASKS, tasks + 1)) });
      case 'tasks-down': return put({ ...(base ?? this.kinds.config(name, w.n, 1)), 'tasks.max': String(Math.max(1, tasks - 1)) });
      case 'pause': return { method: 'PUT', path: `${path}/pause`, body: undefined, effect: { op: 'target', target: 'PAUSED' } };
      case 'resume': return { method: 'PUT', path: `${path}/resume`, body: undefined, effect: { op: 'target', target: 'STARTED' } };
      case 'stop': return { method: 'PUT', path: `${path}/stop`, body: undefined, effect: { op: 'target', target: 'STOPPED' } };
      case 'delete': return { method: 'DELETE', path, body: undefined, effect: { op: 'delete' } };
      case 'restart': return { method: 'POST', path: `${path}/restart?includeTasks=${w.n % 2 === 0}`, body: undefined, effect: { op: 'none' } };
      case 'apply': throw new Error('apply is not a REST write');
    }
  }
}

function outcomeOf(a: Answer): Outcome {
  if (a.kind === 'refused') return 'not-applied';
  if (a.kind !== 'http') return 'unknown';
  if (a.status >= 200 && a.status < 300) return 'applied';
  if (a.status === 404) return 'not-found';
  if (a.status === 409) return /already exists/.test(messageOf(a)) ? 'already-exists' : 'not-applied';
  if (a.status >= 400 && a.status < 500) return 'not-applied';
  return 'unknown';
}
