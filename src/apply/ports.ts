/**
 * The ports of src/apply, declared here by their consumer: what apply and an apply session need from the runtime
 * beyond the Herder (topics, the apply lock) and from the host (a clock). The REST client's adapters implement them
 * (src/herder/rest-ports.ts); tests use in-memory twins and a fake clock (test/apply/session-twins.ts).
 */
import type { LiveTopic } from '../plan/types.js';

/**
 * Creates and changes Kafka topics for `create-topic` and `update-topic` operations (the apply engine's port). Either
 * call may reject with ConflictError (retried like a herder 409); anything else fails the step.
 */
export interface TopicAdmin {
  /** Resolves once the topic exists; may reject with AlreadyExistsError (treated as done: the topic is there). */
  createTopic(
    name: string,
    settings: { partitions?: number; replicationFactor?: number; config: Record<string, string> },
  ): Promise<void>;
  /**
   * Raises the partition count to `partitions` (the same count is no change) and applies the config patch: a value
   * sets a key, null resets it to the default, keys not named are kept. Rejects with NotFoundError for a missing topic
   * and BadRequestError for a change the runtime refuses (fewer partitions, an invalid config value).
   */
  alterTopic(name: string, changes: { partitions?: number; config: Record<string, string | null> }): Promise<void>;
}

/** A runtime's topics as an apply session uses them: listed for the live state, changed through TopicAdmin. */
export interface RuntimeTopics extends TopicAdmin {
  /**
   * Every topic with the configs set on it, or undefined when the runtime exposes no topics (Apache Kafka Connect):
   * then topics are neither planned nor changed. Rejects with the herder's errors (e.g. RuntimeUnreachableError).
   */
  listTopics(): Promise<LiveTopic[] | undefined>;
}

/**
 * The apply lock: a named lease with a holder and a time to live, as pipectl's runtime serves it. A lease held by
 * someone else is refused with the herder's LeaseHeldError (naming the holder when known); any other failure rejects
 * with the herder's errors.
 */
export interface ApplyLock {
  /** False when the runtime has no leases (Apache Kafka Connect): nothing can be locked. Rejects when unreachable. */
  supported(): Promise<boolean>;
  /** Takes `name` for `ttlMs`, or extends it when `holder` already holds it. Rejects with LeaseHeldError when held. */
  acquire(name: string, holder: string, ttlMs: number): Promise<void>;
  /** Extends the lease `holder` holds (a lease that expired meanwhile is taken again). Rejects like acquire. */
  renew(name: string, holder: string, ttlMs: number): Promise<void>;
  /** Releases the lease if `holder` holds it; resolves too when there is none. Rejects with LeaseHeldError when someone else holds it. */
  release(name: string, holder: string): Promise<void>;
}

/** Time, injected so that waits, renewals and timings can be tested without sleeping. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`. */
  sleep(ms: number): Promise<void>;
  /** Calls `tick` every `ms` until the returned function is called; never keeps the process alive by itself. */
  every(ms: number, tick: () => void): () => void;
}

/** The wall clock: Date.now, setTimeout, and an unref'd setInterval. */
export const SYSTEM_CLOCK: Clock = Object.freeze({
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  every: (ms: number, tick: () => void) => {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
});
