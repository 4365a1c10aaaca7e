/**
 * What moved in the live state between the moment a plan was made and the moment it is applied: which connectors
 * and topics, which keys — so that apply can refuse a plan someone else's change made stale and *say* what changed,
 * instead of overwriting it.
 *
 * The plan-time side is a `LiveDigest`: the shape of the live state with every config value replaced by a keyed
 * fingerprint (HMAC-SHA-256 with a salt chosen by the caller, first 16 hex digits), so that it can be kept in a saved
 * plan without holding any value. The apply-time side is the live state itself; new values are shown through
 * `display` (secret keys, references and passwords in URLs as `(sensitive)`). Pure: the salt is an input.
 */
import { createHmac } from 'node:crypto';
import { display, SENSITIVE } from './sensitivity.js';
import type { LiveConnector, LiveState } from './types.js';

export interface LiveDigest {
  salt: string;
  connectors: Record<string, { target: string; failed: string; keys: Record<string, string> }>;
  /** Absent when the runtime exposes no topics. */
  topics?: Record<string, { partitions: number; replicationFactor: number; keys: Record<string, string> }>;
}

/** The digest of `live` (see the module comment). */
export function liveDigest(live: LiveState, salt: string): LiveDigest {
  const fp = (value: string): string => createHmac('sha256', salt).update(value).digest('hex').slice(0, 16);
  const keys = (config: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(config).map(([k, v]) => [k, fp(v)]));
  const connectors: LiveDigest['connectors'] = {};
  for (const c of live.connectors) connectors[c.name] = { target: targetOf(c), failed: failedOf(c), keys: keys(c.config) };
  const digest: LiveDigest = { salt, connectors };
  if (live.topics) digest.topics = Object.fromEntries(live.topics.map((t) => [t.name, { partitions: t.partitions, replicationFactor: t.replicationFactor, keys: keys(t.config) }]));
  return digest;
}

/**
 * One line per connector or topic that moved since `before` was taken, e.g.
 * `connector "sink": errors.tolerance added ("all"); batch.size changed (now "5")`. Empty when nothing moved.
 */
export function describeLiveChanges(before: LiveDigest, now: LiveState): string[] {
  const after = liveDigest(now, before.salt);
  const lines: string[] = [];
  const byName = new Map(now.connectors.map((c) => [c.name, c]));
  for (const name of sortedUnion(before.connectors, after.connectors)) {
    const b = before.connectors[name];
    const a = after.connectors[name];
    if (!a) lines.push(`connector "${name}": deleted`);
    else if (!b) lines.push(`connector "${name}": created (${describeKeys(Object.keys(a.keys).sort(), byName.get(name)!.config)})`);
    else {
      const parts = keyChanges(b.keys, a.keys, byName.get(name)!.config);
      if (b.target !== a.target) parts.push(`target state ${b.target} → ${a.target}`);
      if (b.failed !== a.failed) parts.push(a.failed === '' ? 'no longer FAILED' : `now FAILED: ${a.failed}`);
      if (parts.length > 0) lines.push(`connector "${name}": ${parts.join('; ')}`);
    }
  }
  if (before.topics || after.topics) {
    const bt = before.topics ?? {};
    const at = after.topics ?? {};
    const topics = new Map((now.topics ?? []).map((t) => [t.name, t]));
    for (const name of sortedUnion(bt, at)) {
      const b = bt[name];
      const a = at[name];
      if (!a) lines.push(`topic "${name}": deleted`);
      else if (!b) lines.push(`topic "${name}": created`);
      else {
        const parts = keyChanges(b.keys, a.keys, topics.get(name)!.config);
        if (b.partitions !== a.partitions) parts.push(`partitions ${b.partitions} → ${a.partitions}`);
        if (b.replicationFactor !== a.replicationFactor) parts.push(`replication factor ${b.replicationFactor} → ${a.replicationFactor}`);
        if (parts.length > 0) lines.push(`topic "${name}": ${parts.join('; ')}`);
      }
    }
  }
  return lines;
}

function keyChanges(before: Record<string, string>, after: Record<string, string>, config: Record<string, string>): string[] {
  const out: string[] = [];
  for (const key of sortedUnion(before, after)) {
    if (before[key] === after[key]) continue;
    if (after[key] === undefined) out.push(`${key} removed`);
    else out.push(`${key} ${before[key] === undefined ? 'added' : 'changed'} (now ${shown(key, config[key]!)})`);
  }
  return out;
}

function describeKeys(keys: string[], config: Record<string, string>): string {
  return keys.map((k) => `${k}=${shown(k, config[k]!)}`).join(', ');
}

function shown(key: string, value: string): string {
  const v = display(key, value);
  return v === SENSITIVE ? v : JSON.stringify(v);
}

function targetOf(c: LiveConnector): string {
  return c.targetState ?? (c.state === 'PAUSED' || c.state === 'STOPPED' ? c.state : 'STARTED');
}

function failedOf(c: LiveConnector): string {
  const parts = [...(c.state === 'FAILED' ? ['connector'] : []), ...c.taskStates.flatMap((s, i) => (s === 'FAILED' ? [`task ${i}`] : []))];
  return parts.join(', ');
}

function sortedUnion(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
