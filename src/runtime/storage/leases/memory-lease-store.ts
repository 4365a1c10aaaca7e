/**
 * The standalone worker's lease store (lease-store.ts), held in memory: a restart of the worker process frees every
 * lease (an apply then in flight loses its lock silently; its next renewal simply re-takes the lease if nobody else
 * did). The clock is injectable for tests. Distributed workers use the lease topic instead (kafka-lease-store.ts).
 */
import type { LeaseAcquireResult, LeaseRecord, LeaseReleaseResult, LeaseStore } from './lease-store.js';

export interface MemoryLeaseStoreOptions {
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
}

/** Synchronous underneath; the methods return promises only to implement the `LeaseStore` interface. Never rejects. */
export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, LeaseRecord>();
  private readonly now: () => number;

  constructor(options: MemoryLeaseStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Takes `name` for `ttlMs` from now when it is free or expired, or renews it (a new expiry from now) when `holder`
   * already holds it; otherwise fails with the current lease. `ttlMs` must be a positive number (not checked here).
   */
  async acquire(name: string, holder: string, ttlMs: number): Promise<LeaseAcquireResult> {
    this.dropExpired();
    const current = this.live(name);
    if (current && current.holder !== holder) return { ok: false, heldBy: current };
    const lease: LeaseRecord = { name, holder, expiresAt: this.now() + ttlMs };
    this.leases.set(name, lease);
    return { ok: true, lease: { ...lease } };
  }

  /** Frees `name` when `holder` holds it; fails with `none` when it is free or expired, `held` when another holds it. */
  async release(name: string, holder: string): Promise<LeaseReleaseResult> {
    const current = this.live(name);
    if (!current) return { ok: false, reason: 'none' };
    if (current.holder !== holder) return { ok: false, reason: 'held', heldBy: current };
    this.leases.delete(name);
    return { ok: true };
  }

  /** The live lease `name`, or undefined when there is none or it has expired (an expired one is dropped). */
  async get(name: string): Promise<LeaseRecord | undefined> {
    return this.live(name);
  }

  private live(name: string): LeaseRecord | undefined {
    const lease = this.leases.get(name);
    if (!lease) return undefined;
    if (lease.expiresAt <= this.now()) {
      this.leases.delete(name);
      return undefined;
    }
    return { ...lease };
  }

  /** Forgets expired leases, so names that are never asked for again do not pile up. */
  private dropExpired(): void {
    const now = this.now();
    for (const [name, lease] of this.leases) if (lease.expiresAt <= now) this.leases.delete(name);
  }
}
