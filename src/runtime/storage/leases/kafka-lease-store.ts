/**
 * The apply lease of a distributed cluster, on the lease topic (`pipectl.lease.storage.topic`): one lease per name for
 * the whole cluster, answered by any worker, kept across a leader change and the death of any worker (kill -9
 * included), because its only state is the topic.
 *
 * Design (leaderless; the rejected alternative was forwarding lease requests to the group leader, which has no state
 * to hand over on a leader change and would need fencing against a deposed leader): every worker reads the lease
 * topic from its start and runs the same state machine over it (lease-records.ts). Acquire and release append a
 * request record carrying the writer's clock and the state it was based on, read the topic to the end, and answer
 * from the outcome of that record as every worker decides it. A request whose basis turned out stale (another
 * worker's request came first) is retried after reading again, within the store's time budget, and that retry is
 * written even when it will be refused, so that the last record of the lease (the one compaction keeps) is never a
 * stale one while its writer lives. A first request that the current state already refuses (held by another,
 * nothing to release) is answered without writing. Reads (`get`)
 * read the topic to its end first, so a worker answers what was decided anywhere before the call.
 *
 * Expiry uses clocks: a request's `at` (its writer's clock) decides who wins; `get` judges expiry by this worker's
 * clock. Workers' clocks should agree to well within a lease's TTL (60 s for apply), as with any lease.
 * Java Connect workers never read this topic.
 */
import { randomUUID } from 'node:crypto';
import type { LeaseAcquireResult, LeaseRecord, LeaseReleaseResult, LeaseStore } from './lease-store.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { InternalLog, InternalLogRecord } from '../kafka-topics/internal-log.js';
import { applyLeaseRequest, decodeLeaseRecord, encodeLeaseRequest, FREE, leaseKey, liveAt, type LeaseOutcome, type LeaseRequest, type LeaseState } from './lease-records.js';
import { ServiceUnavailableError } from '../../../herder/errors.js';
import { DEFAULT_STORE_TIMEOUT_MS, StoreError, assertStarted, readStep, realSleep, withinBudget, writeStep, type Budget, type Sleep } from '../kafka-topics/store-error.js';

export interface KafkaLeaseStoreOptions {
  /** The lease topic. The store starts and stops it. */
  log: InternalLog;
  logger?: Logger;
  /** The clock written into requests and used to judge expiry (epoch ms; default Date.now). */
  now?: () => number;
  /** Unique request ids (default randomUUID). */
  requestId?: () => string;
  /** Budget of one acquire, release or get, retries included (default 30 000 ms). */
  timeoutMs?: number;
  sleep?: Sleep;
}

export class KafkaLeaseStore implements LeaseStore {
  private readonly log: InternalLog;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly requestId: () => string;
  private readonly budget: Budget;
  private state: 'new' | 'started' | 'stopped' = 'new';
  private readonly leases = new Map<string, LeaseState>();
  /** Outcomes of this worker's own requests, by request id, set when their record is read back. */
  private readonly mine = new Map<string, LeaseOutcome | undefined>();

  constructor(options: KafkaLeaseStoreOptions) {
    this.log = options.log;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.requestId = options.requestId ?? randomUUID;
    this.budget = { timeoutMs: options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS, sleep: options.sleep ?? realSleep };
  }

  /** Reads the lease topic to its end. Rejects when it cannot be read (the log's error). */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new StoreError('PIPECTL_STORE_NOT_STARTED', 'the lease store can only be started once');
    this.state = 'started';
    await this.log.start((r) => this.onRecord(r));
  }

  /** Stops reading; later calls reject with PIPECTL_STORE_NOT_STARTED. Idempotent. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    await this.log.stop();
  }

  /**
   * Takes or renews `name` for `holder`. Resolves with the lease, or the lease of the holder that has it. Rejects with
   * ServiceUnavailableError (→ 503) when the lease topic cannot be reached or cannot decide in time (the request may
   * then still have been written and won: a retry by the same holder renews it), StoreError _NOT_STARTED otherwise.
   */
  async acquire(name: string, holder: string, ttlMs: number): Promise<LeaseAcquireResult> {
    const outcome = await this.available(`take lease "${name}"`, () => this.request(`acquiring lease "${name}"`, { op: 'acquire', name, holder, ttlMs }));
    if (outcome.kind === 'acquired') return { ok: true, lease: outcome.lease };
    if (outcome.kind === 'held') return { ok: false, heldBy: outcome.heldBy };
    throw new StoreError('PIPECTL_STORE_READ_FAILED', `acquiring lease "${name}": unexpected outcome ${outcome.kind}`);
  }

  /** Releases `name` when `holder` holds it. Rejects as acquire does. */
  async release(name: string, holder: string): Promise<LeaseReleaseResult> {
    const outcome = await this.available(`release lease "${name}"`, () => this.request(`releasing lease "${name}"`, { op: 'release', name, holder, ttlMs: 0 }));
    if (outcome.kind === 'released') return { ok: true };
    if (outcome.kind === 'none') return { ok: false, reason: 'none' };
    if (outcome.kind === 'held') return { ok: false, reason: 'held', heldBy: outcome.heldBy };
    throw new StoreError('PIPECTL_STORE_READ_FAILED', `releasing lease "${name}": unexpected outcome ${outcome.kind}`);
  }

  /** The live lease after reading the topic to its end, by this worker's clock. Rejects as acquire does. */
  async get(name: string): Promise<LeaseRecord | undefined> {
    assertStarted(this.state, 'lease store');
    await this.available(`read lease "${name}"`, () =>
      withinBudget(`reading lease "${name}"`, this.budget, (signal) => readStep(`reading lease "${name}"`, signal, () => this.log.readToEnd())),
    );
    const live = liveAt(this.leases.get(name) ?? FREE, this.now());
    return live ? { name, ...live } : undefined;
  }

  /**
   * Runs `op` unless the lease topic cannot be reached now (then 503 at once, naming the cause, instead of waiting out
   * the store's budget); a StoreError from `op` (the broker went away meanwhile) becomes a 503 with its message.
   */
  private async available<T>(what: string, op: () => Promise<T>): Promise<T> {
    const health = this.log.health?.();
    if (health && !health.reachable) throw new ServiceUnavailableError(`Cannot ${what} now: the Kafka cluster cannot be reached (${health.reason}). Try again once it is back.`);
    try {
      return await op();
    } catch (e) {
      if (e instanceof StoreError && e.code !== 'PIPECTL_STORE_NOT_STARTED') throw new ServiceUnavailableError(`Cannot ${what} now: ${e.message}`, { cause: e });
      throw e;
    }
  }

  /**
   * Reads to the end; when the state as read refuses the request (held by another, nothing to release), answers that
   * without writing; otherwise writes the request and answers its outcome, again after a stale one.
   */
  private async request(what: string, req: Pick<LeaseRequest, 'op' | 'name' | 'holder' | 'ttlMs'>): Promise<LeaseOutcome> {
    assertStarted(this.state, 'lease store');
    const { name } = req;
    return withinBudget(what, this.budget, async (signal) => {
      for (let attempt = 1; ; attempt++) {
        await readStep(what, signal, () => this.log.readToEnd());
        const basis = this.leases.get(name) ?? FREE;
        const at = this.now();
        const id = this.requestId();
        const request: LeaseRequest = { ...req, at, request: id, basis };
        // The state machine on what this worker read: a refusal needs no record. After a stale record, write even a
        // request that will be refused: its refusal, based on the current state, is then the last record of the
        // lease, the one compaction keeps (a stale one there would mislead workers started later).
        const { outcome: expected } = applyLeaseRequest(basis, Number.MAX_SAFE_INTEGER, request);
        if (attempt === 1 && (expected.kind === 'held' || expected.kind === 'none')) return expected;
        this.mine.set(id, undefined);
        try {
          const value = encodeLeaseRequest(request);
          await writeStep(`${what}: writing to the lease topic`, signal, () => this.log.send([{ key: leaseKey(name), value }]));
          await readStep(what, signal, () => this.log.readToEnd());
          const outcome = this.mine.get(id);
          if (!outcome) throw new StoreError('PIPECTL_STORE_READ_FAILED', `${what}: the request was acknowledged but not read back from the lease topic`);
          if (outcome.kind !== 'stale') return outcome;
          this.logger.debug(`${what}: another request came first, retrying`, { lease: name, attempt });
        } finally {
          this.mine.delete(id);
        }
      }
    });
  }

  private onRecord(r: InternalLogRecord): void {
    const decoded = decodeLeaseRecord(r.key, r.value);
    if ('invalid' in decoded) {
      this.logger.warn(`lease topic: skipping record ${r.partition}:${r.offset}: ${decoded.invalid}`);
      return;
    }
    if ('tombstone' in decoded) {
      this.leases.delete(decoded.tombstone);
      return;
    }
    const { next, outcome } = applyLeaseRequest(this.leases.get(decoded.name), r.offset, decoded);
    this.leases.set(decoded.name, next);
    if (this.mine.has(decoded.request)) this.mine.set(decoded.request, outcome);
  }
}
