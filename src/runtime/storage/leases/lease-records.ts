/**
 * The lease topic's records and the state machine every distributed worker runs over them (pure: no clock, no I/O),
 * so that all workers that read the same records decide the same holder for each lease.
 *
 * A record is a *request*: acquire (take or renew) or release, by a holder, at the writer's clock `at`, based on the
 * lease's state as the writer last read it (`basis`). Records are applied in log order (one partition, and records of
 * one lease share a key, so they share a partition even if the topic was given more). A request wins when:
 * - its basis is the current state (`basis.version` = offset of the record that set the state): a compare-and-set,
 *   so of two writers that read the same state only the first record in the log wins; the second is `stale` and its
 *   writer reads again and retries;
 * - and, at `at`, the lease is free or expired, or (acquire and release) held by the same holder.
 * Times are the writer's clock carried in the record, so the decision never depends on the reader's clock.
 *
 * Why the basis carries the whole state, not only its version: the topic is compacted (one record per lease name is
 * enough to keep it small), so a worker started later may read only the last record of a lease. A basis newer than
 * what the reader knows means the reader missed records; it adopts the basis as the state, then decides. For a
 * winning record and one refused because the lease was held this gives the writer's own decision. The one case it
 * cannot rebuild is a `stale` record that compaction left as the last one of its lease, which the store avoids by
 * always writing the retry of a stale request; only a writer that dies between the two leaves one. A reader misled by
 * it is brought back in line by the lease's later requests (their basis is newer than what it holds).
 *
 * Record format (JSON by the internal converter, like the other internal topics):
 * - key: `lease-<name>` (as the config topic's `connector-<name>`);
 * - value: `{"op":"acquire"|"release","holder":…,"ttl_ms":…,"at":<epoch ms>,"request":<unique id>,
 *   "basis":{"version":<offset or -1>,"holder":<string or null>,"expires_at":<epoch ms or null>}}`.
 */
import type { LeaseRecord } from './lease-store.js';
import { decodeInternal, encodeInternal, isJsonObject } from '../kafka-topics/internal-log.js';

/** What a worker knows of one lease: the state set by the record at offset `version` (-1: none seen). */
export interface LeaseState {
  version: number;
  /** null when free (never taken, or released). May be expired: expiry is judged against a time, not stored. */
  lease: { holder: string; expiresAt: number } | null;
}

/** One request as written to the lease topic. */
export interface LeaseRequest {
  op: 'acquire' | 'release';
  name: string;
  holder: string;
  /** Acquire only (0 for release). */
  ttlMs: number;
  /** The writer's clock when it wrote the request, epoch ms. */
  at: number;
  /** Unique per request, so the writer finds the outcome of its own record. */
  request: string;
  basis: LeaseState;
}

export type LeaseOutcome =
  | { kind: 'acquired'; lease: LeaseRecord }
  | { kind: 'released' }
  | { kind: 'held'; heldBy: LeaseRecord }
  | { kind: 'none' }
  | { kind: 'stale' };

export const FREE: LeaseState = { version: -1, lease: null };

/** The live lease of a state at time `at` (expiresAt is exclusive), or null. */
export function liveAt(state: LeaseState, at: number): { holder: string; expiresAt: number } | null {
  return state.lease && state.lease.expiresAt > at ? state.lease : null;
}

/**
 * Applies the request read at `offset` to the lease's current state (undefined: none seen): the next state and the
 * request's outcome. Pure and deterministic; never throws.
 */
export function applyLeaseRequest(current: LeaseState | undefined, offset: number, req: LeaseRequest): { next: LeaseState; outcome: LeaseOutcome } {
  let state = current ?? FREE;
  if (req.basis.version < state.version) return { next: state, outcome: { kind: 'stale' } };
  if (req.basis.version > state.version) state = req.basis; // records this reader never saw (compaction)
  const live = liveAt(state, req.at);
  const heldBy = (l: { holder: string; expiresAt: number }): LeaseOutcome => ({ kind: 'held', heldBy: { name: req.name, holder: l.holder, expiresAt: l.expiresAt } });
  if (req.op === 'acquire') {
    if (live && live.holder !== req.holder) return { next: state, outcome: heldBy(live) };
    const lease = { holder: req.holder, expiresAt: req.at + req.ttlMs };
    return { next: { version: offset, lease }, outcome: { kind: 'acquired', lease: { name: req.name, ...lease } } };
  }
  if (!live) return { next: state, outcome: { kind: 'none' } };
  if (live.holder !== req.holder) return { next: state, outcome: heldBy(live) };
  return { next: { version: offset, lease: null }, outcome: { kind: 'released' } };
}

const KEY_PREFIX = 'lease-';

/** The record key of a lease. */
export function leaseKey(name: string): Buffer {
  return Buffer.from(`${KEY_PREFIX}${name}`, 'utf8');
}

/** The record value of a request (the internal converter's JSON). */
export function encodeLeaseRequest(req: LeaseRequest): Buffer {
  const basis = { version: req.basis.version, holder: req.basis.lease?.holder ?? null, expires_at: req.basis.lease?.expiresAt ?? null };
  return encodeInternal({ op: req.op, holder: req.holder, ttl_ms: req.ttlMs, at: req.at, request: req.request, basis }) as Buffer;
}

/**
 * Reads one record of the lease topic: the request, `tombstone` for a null value of a lease key (someone deleted the
 * lease by hand: the reader forgets it), or a reason it is not a lease record (then the caller logs and skips it).
 */
export function decodeLeaseRecord(key: Buffer | null, value: Buffer | null): LeaseRequest | { tombstone: string } | { invalid: string } {
  const k = key?.toString('utf8') ?? '';
  if (!k.startsWith(KEY_PREFIX)) return { invalid: `key ${JSON.stringify(k)} does not start with "${KEY_PREFIX}"` };
  const name = k.slice(KEY_PREFIX.length);
  if (value === null) return { tombstone: name };
  let v: unknown;
  try {
    v = decodeInternal(value);
  } catch (e) {
    return { invalid: `value is not JSON: ${(e as Error).message}` };
  }
  if (!isJsonObject(v) || !isJsonObject(v['basis'])) return { invalid: 'value is not a lease request object' };
  const b = v['basis'];
  const op = v['op'];
  const [ttl, at, version, expires] = [num(v['ttl_ms']), num(v['at']), num(b['version']), b['expires_at'] === null ? null : num(b['expires_at'])];
  if ((op !== 'acquire' && op !== 'release') || typeof v['holder'] !== 'string' || typeof v['request'] !== 'string') return { invalid: 'op, holder or request missing' };
  if (ttl === undefined || at === undefined || version === undefined || expires === undefined) return { invalid: 'ttl_ms, at or basis.version is not a number' };
  const basisHolder = b['holder'];
  if (basisHolder !== null && typeof basisHolder !== 'string') return { invalid: 'basis.holder is not a string' };
  const lease = basisHolder === null || expires === null ? null : { holder: basisHolder, expiresAt: expires };
  return { op, name, holder: v['holder'], ttlMs: ttl, at, request: v['request'], basis: { version, lease } };
}

/** A JSON integer as read back (int64 may come as bigint); undefined when not a safe integer. */
function num(value: unknown): number | undefined {
  const n = typeof value === 'bigint' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}
