/**
 * The apply lease from the applying side: take it (waiting up to a timeout while another apply holds it), renew it
 * while the apply runs, release it. A lease whose holder is provably gone (`isGone`, see lease-holder.ts) is taken
 * over at once instead of blocking every apply for its TTL: released as the old holder, then acquired — with the
 * lease routes every pipectl runtime serves, so it works alike with the standalone lease store and the distributed
 * lease topic; both release only for the holder named, so two applies racing for a stale lease still exclude each other.
 */
import { LeaseHeldError } from '../herder/rest-errors.js';
import type { ApplyLock, Clock } from './ports.js';
import { SessionError } from './session-error.js';

/** The lease's name on the runtime. */
export const APPLY_LEASE = 'apply';
/** How long the lease outlives its last renewal (it is renewed every third of this). */
export const APPLY_LEASE_TTL_MS = 60_000;
/** How long apply waits between two tries while another apply holds the lease. */
export const LEASE_RETRY_MS = 500;

/** A lease taken by takeApplyLock. */
export interface HeldLock {
  /** True when another apply held the lease first and this one waited for it. */
  acquiredAfterWait: boolean;
  /** Stops the renewals and releases the lease; never rejects (a failed release leaves the lease to expire). */
  release(): Promise<void>;
}

/** What takeApplyLock needs besides the lock and the clock. */
export interface LockRequest {
  /** Who takes the lease, e.g. `alice@ci-7 pid 4242` (lease-holder.ts). */
  holder: string;
  /** How long to wait for a lease held by someone else before giving up (0: try once). */
  timeoutMs: number;
  /** The lease's time to live (default APPLY_LEASE_TTL_MS). */
  ttlMs?: number;
  /** Why the holder of a held lease is known to be gone, or undefined when it may still run (default: never gone). */
  isGone?: (holder: string) => string | undefined;
  /** Something worth telling the user: no lease on this runtime, a lease taken over. */
  note?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Takes the runtime's apply lease, renewing it every third of its TTL (on `clock`) until released. A failed renewal
 * is not fatal: the next one may succeed before the TTL runs out. A runtime without leases (Apache Kafka Connect)
 * cannot be locked: a warning is noted and a lock that holds nothing is returned. Rejects with LeaseHeldError once
 * `timeoutMs` has passed while another live apply holds it, and SessionError (PIPECTL_RUNTIME_ERROR) for any other
 * failure of the last try; lock.supported() rejecting (an unreachable runtime) rejects as it did.
 */
export async function takeApplyLock(lock: ApplyLock, clock: Clock, request: LockRequest): Promise<HeldLock> {
  if (!(await lock.supported())) {
    request.note?.('Warning: this runtime has no apply lease (e.g. Apache Kafka Connect); concurrent applies are not prevented.');
    return { acquiredAfterWait: false, release: async () => undefined };
  }
  const { holder } = request;
  const ttlMs = request.ttlMs ?? APPLY_LEASE_TTL_MS;
  const deadline = clock.now() + request.timeoutMs;
  const takenOver = new Set<string>();
  let waited = false;
  for (;;) {
    try {
      await lock.acquire(APPLY_LEASE, holder, ttlMs);
      break;
    } catch (e) {
      const other = e instanceof LeaseHeldError ? e.holder : undefined;
      const gone = other !== undefined && !takenOver.has(other) ? request.isGone?.(other) : undefined;
      if (gone !== undefined && other !== undefined) {
        takenOver.add(other);
        request.note?.(`The apply lease is held by "${other}", which is gone (${gone}): taking it over.`, { lease_holder: other });
        await lock.release(APPLY_LEASE, other).catch(() => undefined); // someone else may have been quicker: fine
        continue;
      }
      if (clock.now() >= deadline) {
        // Only a held lease means another apply; anything else (e.g. a distributed worker that cannot reach its lease topic) is said as is.
        if (e instanceof LeaseHeldError) throw new LeaseHeldError(`another apply is running: ${messageOf(e)} (use --lock-timeout to wait for it)`, e.holder, e.expiresAt);
        throw new SessionError('PIPECTL_RUNTIME_ERROR', `cannot take the apply lease: ${messageOf(e)}`);
      }
      waited = true;
      await clock.sleep(LEASE_RETRY_MS);
    }
  }
  const stopRenewing = clock.every(ttlMs / 3, () => void lock.renew(APPLY_LEASE, holder, ttlMs).catch(() => undefined));
  return {
    acquiredAfterWait: waited,
    release: async () => {
      stopRenewing();
      await lock.release(APPLY_LEASE, holder).catch(() => undefined);
    },
  };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
