/**
 * In-memory twins of the apply session's ports (src/apply/ports.ts): the apply lock as the runtime's lease routes
 * behave (one holder per name, a TTL on the injected clock, 409 → LeaseHeldError naming the holder) and a topic
 * admin over a map. Each records its calls in a log that can be shared with the herder's, to check the order.
 */
import type { ApplyLock, RuntimeTopics } from '../../src/apply/ports.js';
import { NotFoundError } from '../../src/herder/errors.js';
import { LeaseHeldError } from '../../src/herder/rest-errors.js';
import type { LiveTopic } from '../../src/plan/types.js';

type LockMethod = 'acquire' | 'renew' | 'release';

export class MemoryLeases implements ApplyLock {
  /** Whether the runtime has leases at all (false: Apache Kafka Connect). */
  hasLeases = true;
  /** Method → errors its next calls reject with, one per call, before the lease is looked at. */
  readonly failures = new Map<LockMethod, Error[]>();
  private readonly leases = new Map<string, { holder: string; expiresAt: number }>();

  constructor(
    private readonly clock: { now(): number },
    readonly log: string[] = [],
  ) {}

  /** Someone else takes `name` (another apply), until `ttlMs` from now. */
  hold(name: string, holder: string, ttlMs: number): void {
    this.leases.set(name, { holder, expiresAt: this.clock.now() + ttlMs });
  }

  /** The live holder of `name`, if any. */
  holder(name: string): string | undefined {
    return this.live(name)?.holder;
  }

  /** When the lease `name` expires, if it is held. */
  expiresAt(name: string): number | undefined {
    return this.live(name)?.expiresAt;
  }

  async supported(): Promise<boolean> {
    this.log.push('lock supported');
    return this.hasLeases;
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<void> {
    this.take('acquire', name, holder, ttlMs);
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<void> {
    this.take('renew', name, holder, ttlMs);
  }

  async release(name: string, holder: string): Promise<void> {
    this.log.push(`lock release ${holder}`);
    this.fail('release');
    const lease = this.live(name);
    if (!lease) return;
    if (lease.holder !== holder) throw this.held(name, lease);
    this.leases.delete(name);
  }

  private take(method: LockMethod, name: string, holder: string, ttlMs: number): void {
    this.log.push(`lock ${method} ${holder}`);
    this.fail(method);
    const lease = this.live(name);
    if (lease && lease.holder !== holder) throw this.held(name, lease);
    this.leases.set(name, { holder, expiresAt: this.clock.now() + ttlMs });
  }

  private fail(method: LockMethod): void {
    const error = this.failures.get(method)?.shift();
    if (error) throw error;
  }

  private live(name: string): { holder: string; expiresAt: number } | undefined {
    const lease = this.leases.get(name);
    return lease && lease.expiresAt > this.clock.now() ? lease : undefined;
  }

  private held(name: string, lease: { holder: string; expiresAt: number }): LeaseHeldError {
    const until = new Date(lease.expiresAt).toISOString();
    return new LeaseHeldError(`lease ${name} is held by ${lease.holder} until ${until}`, lease.holder, until);
  }
}

export class MemoryTopics implements RuntimeTopics {
  /** False: the runtime exposes no topics (listTopics answers undefined). */
  hasTopics = true;
  readonly topics = new Map<string, LiveTopic>();

  constructor(readonly log: string[] = []) {}

  async listTopics(): Promise<LiveTopic[] | undefined> {
    this.log.push('listTopics');
    return this.hasTopics ? [...this.topics.values()].map((t) => ({ ...t, config: { ...t.config } })) : undefined;
  }

  async createTopic(name: string, settings: { partitions?: number; replicationFactor?: number; config: Record<string, string> }): Promise<void> {
    this.log.push(`createTopic ${name}`);
    if (!this.topics.has(name)) this.topics.set(name, { name, partitions: settings.partitions ?? 1, replicationFactor: settings.replicationFactor ?? 1, config: { ...settings.config } });
  }

  async alterTopic(name: string, changes: { partitions?: number; config: Record<string, string | null> }): Promise<void> {
    this.log.push(`alterTopic ${name}`);
    const topic = this.topics.get(name);
    if (!topic) throw new NotFoundError(`Topic ${name} not found`);
    const config = { ...topic.config };
    for (const [k, v] of Object.entries(changes.config)) {
      if (v === null) delete config[k];
      else config[k] = v;
    }
    this.topics.set(name, { ...topic, partitions: changes.partitions ?? topic.partitions, config });
  }
}
