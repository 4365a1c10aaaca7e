/**
 * The cluster's KIP-507 session key (reference §4): the leader generates it, writes it to the config topic, and
 * writes a new one when it expires or when it was generated differently from how this leader's settings say; every
 * worker adopts the last one it read (the config store keeps it). The key bytes never reach a log line.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type { InterWorkerSettings } from '../config/inter-worker-keys.js';
import type { Logger } from '../logger.js';
import type { ClusterConfigStore, SessionKey } from '../storage/config/config-store.js';

export type KeySettings = Pick<InterWorkerSettings, 'keyGenerationAlgorithm' | 'keySizeBits' | 'keyTtlMs'>;

/** When the key stops being valid: creation + ttl (epoch ms). */
export function keyExpiry(key: SessionKey, settings: KeySettings): number {
  return key.creationTimestamp + settings.keyTtlMs;
}

/**
 * Why the leader must write a new key now, or undefined when the current one is fine: none seen yet; expired
 * (creation + ttl <= now); generated with another algorithm or length than this leader's generator.
 */
export function rotationReason(current: SessionKey | undefined, settings: KeySettings, now: number): string | undefined {
  if (current === undefined) return 'no session key has been written yet';
  if (keyExpiry(current, settings) <= now) return 'the session key expired';
  if (current.algorithm !== settings.keyGenerationAlgorithm) return `the session key was generated with ${current.algorithm}, this worker generates ${settings.keyGenerationAlgorithm} keys`;
  if (current.key.length * 8 !== settings.keySizeBits) return `the session key has ${current.key.length * 8} bits, this worker generates ${settings.keySizeBits}-bit keys`;
  return undefined;
}

/** A new random key of the configured algorithm and size, created `now`. */
export function generateSessionKey(settings: KeySettings, now: number, randomBytes: (n: number) => Buffer = nodeRandomBytes): SessionKey {
  return { key: randomBytes(settings.keySizeBits / 8), algorithm: settings.keyGenerationAlgorithm, creationTimestamp: now };
}

/** A timer port, so that tests drive rotation with an injected clock. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) };

export interface SessionKeyRotationOptions {
  settings: KeySettings;
  configStore: Pick<ClusterConfigStore, 'view' | 'putSessionKey'>;
  /** Whether this worker leads the group now. */
  isLeader: () => boolean;
  logger: Logger;
  now?: () => number;
  timers?: Timers;
  randomBytes?: (n: number) => Buffer;
}

/** The soonest a check is scheduled again (a ttl of 0 would otherwise write keys in a hot loop). */
const MIN_CHECK_MS = 1000;
/** When writing a key failed (the config topic is unreachable): try again after this long. */
const RETRY_MS = 5000;

/**
 * The leader's rotation (Connect's tick): check() writes a new key when rotationReason says so, then schedules the
 * next check at the key's expiry. Call it after every rebalance and whenever a session key record was read. Checks
 * run one at a time; a follower's check only cancels the timer.
 */
export class SessionKeyRotation {
  private readonly now: () => number;
  private readonly timers: Timers;
  private timer: unknown;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly o: SessionKeyRotationOptions) {
    this.now = o.now ?? Date.now;
    this.timers = o.timers ?? REAL_TIMERS;
  }

  /** Resolves once this check (and those queued before it) ran; never rejects (a failed write is logged and retried). */
  check(): Promise<void> {
    this.running = this.running.then(() => this.checkNow());
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    this.schedule(undefined);
  }

  private async checkNow(): Promise<void> {
    if (this.stopped) return;
    if (!this.o.isLeader()) return this.schedule(undefined);
    const current = this.o.configStore.view().sessionKey();
    const reason = rotationReason(current, this.o.settings, this.now());
    if (reason === undefined) return this.schedule(keyExpiry(current!, this.o.settings) - this.now());
    const next = generateSessionKey(this.o.settings, this.now(), this.o.randomBytes);
    try {
      await this.o.configStore.putSessionKey(next);
    } catch (e) {
      this.o.logger.warn(`session key not written: ${e instanceof Error ? e.message : String(e)}; trying again in ${RETRY_MS} ms`);
      return this.schedule(RETRY_MS);
    }
    this.o.logger.info('new session key written to the config topic', { reason, algorithm: next.algorithm, bits: next.key.length * 8, expires_in_ms: this.o.settings.keyTtlMs });
    this.schedule(this.o.settings.keyTtlMs);
  }

  private schedule(inMs: number | undefined): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    if (inMs === undefined || this.stopped) return;
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      void this.check();
    }, Math.max(MIN_CHECK_MS, inMs));
  }
}
