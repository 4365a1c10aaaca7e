/**
 * Leases: named, time-limited locks that `pipectl apply` takes so that two applies against one runtime do not
 * interleave (Connect has no such store; pipectl serves it at `/pipectl/v1/leases/{name}`, rest/lease-routes.ts).
 * Two twins: memory-lease-store.ts for the standalone worker (one process answers for the runtime) and
 * kafka-lease-store.ts for a distributed cluster (the lease topic, which any worker reads and writes). The composition
 * roots (standalone/standalone-worker.ts, distributed/distributed-worker.ts) choose which one the REST server gets.
 */

/** A held lease; `expiresAt` in epoch milliseconds (exclusive: the lease is free from that instant). */
export interface LeaseRecord {
  name: string;
  holder: string;
  expiresAt: number;
}

/** Taken or renewed (`lease`), or refused because another holder has it (`heldBy`). */
export type LeaseAcquireResult = { ok: true; lease: LeaseRecord } | { ok: false; heldBy: LeaseRecord };
/** Released, or refused: `none` when the lease is free or expired, `held` when another holder has it. */
export type LeaseReleaseResult = { ok: true } | { ok: false; reason: 'none' } | { ok: false; reason: 'held'; heldBy: LeaseRecord };

/**
 * What the lease routes need from a lease store. Async so that an implementation may do I/O; a rejection means the
 * store could not decide (never "held" or "none", which are results).
 */
export interface LeaseStore {
  /**
   * Takes `name` for `ttlMs` when it is free or expired, renews it (a new expiry) when `holder` holds it; else fails
   * with the current lease. `ttlMs` must be a positive integer (checked by the routes, not here).
   */
  acquire(name: string, holder: string, ttlMs: number): Promise<LeaseAcquireResult>;
  /** Frees `name` when `holder` holds it; `none` when free or expired, `held` when another holds it. */
  release(name: string, holder: string): Promise<LeaseReleaseResult>;
  /** The live lease, or undefined when there is none or it expired. */
  get(name: string): Promise<LeaseRecord | undefined>;
}
