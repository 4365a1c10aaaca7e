/**
 * What the cluster must hold for each connector, from the answers to the writes: a set of candidate states. An
 * acknowledged write moves every candidate through the write; a write that definitely did not happen (400, 404, 409,
 * connection refused) leaves them (a 404 or a 409 "already exists" also tells whether the connector exists); a write
 * whose fate is unknown (timeout, 5xx, a dropped connection) adds its outcome to the candidates, so either is accepted.
 */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

export interface ConnectorState {
  exists: boolean;
  config: Record<string, string> | null;
  target: TargetState;
}

export type Effect =
  | { op: 'put'; config: Record<string, string>; create: boolean }
  | { op: 'target'; target: TargetState }
  | { op: 'delete' }
  | { op: 'none' };

export type Outcome = 'applied' | 'not-applied' | 'not-found' | 'already-exists' | 'unknown';

const ABSENT: ConnectorState = { exists: false, config: null, target: 'STARTED' };
const MAX_CANDIDATES = 64;

function apply(s: ConnectorState, e: Effect): ConnectorState {
  switch (e.op) {
    case 'put':
      if (e.create && s.exists) return s;
      return { exists: true, config: e.config, target: s.exists ? s.target : 'STARTED' };
    case 'target':
      return s.exists ? { ...s, target: e.target } : s;
    case 'delete':
      return ABSENT;
    case 'none':
      return s;
  }
}

const keyOf = (s: ConnectorState): string => JSON.stringify([s.exists, s.target, s.config && Object.entries(s.config).sort()]);

function dedupe(states: ConnectorState[]): ConnectorState[] {
  const seen = new Map<string, ConnectorState>();
  for (const s of states) seen.set(keyOf(s), s);
  return [...seen.values()].slice(-MAX_CANDIDATES);
}

export class ConnectorModel {
  private candidates: ConnectorState[];
  /** Answers that contradicted every candidate (e.g. a 404 for a connector that must exist). */
  readonly surprises: string[] = [];

  constructor(readonly name: string, initial: ConnectorState = ABSENT) {
    this.candidates = [initial];
  }

  /** The candidate states the cluster may end in. */
  possible(): readonly ConnectorState[] {
    return this.candidates;
  }

  /** The most recent intended state (to base the next write's config on). */
  latest(): ConnectorState {
    return this.candidates[this.candidates.length - 1]!;
  }

  record(effect: Effect, outcome: Outcome, what: string): void {
    const filterBy = (keep: (s: ConnectorState) => boolean, why: string): void => {
      const kept = this.candidates.filter(keep);
      if (kept.length > 0) this.candidates = kept;
      else this.surprises.push(`${what}: ${why}, but no candidate state agrees (${this.candidates.map(keyOf).join(' | ')})`);
    };
    switch (outcome) {
      case 'applied':
        if (effect.op === 'put' && effect.create) filterBy((s) => !s.exists, 'create acknowledged');
        else if (effect.op === 'target' || effect.op === 'none') filterBy((s) => s.exists, 'acknowledged');
        this.candidates = dedupe(this.candidates.map((s) => apply(s, effect)));
        return;
      case 'not-found':
        filterBy((s) => !s.exists, '404');
        return;
      case 'already-exists':
        filterBy((s) => s.exists, '409 already exists');
        return;
      case 'unknown':
        this.candidates = dedupe([...this.candidates, ...this.candidates.map((s) => apply(s, effect))]);
        return;
      case 'not-applied':
        return;
    }
  }
}
