/**
 * Keeps a Kafka group member subscribed: resolves the subscription's topics (a list, or a pattern matched against the
 * cluster's topics), (re)starts the client on them, retries with back-off while the cluster is unreachable, and — for
 * a pattern — looks for new matching topics every `topicRefreshMs` (the Java consumer does this on metadata refresh;
 * kafkajs resolves a pattern once). Restarts run one at a time.
 */
import type { Logger } from '../logger.js';
import type { ErrorInfo } from './port/kafka-port.js';

/** First delay before restarting a member that could not start; doubled up to RETRY_BACKOFF_MAX_MS. */
export const RETRY_BACKOFF_MS = 1000;
const RETRY_BACKOFF_MAX_MS = 5000;

export interface TopicWatcherOptions {
  groupId: string;
  clientId: string;
  logger: Logger;
  classify: (error: unknown) => ErrorInfo;
  resolveTopics: () => Promise<string[]>;
  dynamic: boolean;
  topicRefreshMs: number;
}

export class TopicWatcher {
  private topics: string[] | undefined;
  private queue: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private backoff = RETRY_BACKOFF_MS;

  constructor(
    private readonly o: TopicWatcherOptions,
    private readonly isClosed: () => boolean,
    private readonly restart: (topics: readonly string[]) => Promise<void>,
    private readonly onFatal: (error: Error) => void,
  ) {}

  /** First start: rejects for a non-retriable failure; a transient one is retried in the background. */
  async start(): Promise<void> {
    try {
      await this.serial(() => this.apply(true));
    } catch (e) {
      if (!this.o.classify(e).retriable) throw e;
      this.warn(e);
      this.restartSoon(this.backoff);
    }
    if (this.o.dynamic && !this.isClosed()) {
      this.refreshTimer = setInterval(() => void this.serial(() => this.apply(false)).catch((e: unknown) => this.o.logger.debug(`topic refresh failed: ${String(e)}`)), this.o.topicRefreshMs);
      this.refreshTimer.unref();
    }
  }

  /** Restarts the client on the (re-resolved) topics after `ms`, unless a restart is already scheduled. */
  restartSoon(ms: number): void {
    if (this.retryTimer || this.isClosed()) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.serial(() => this.apply(true)).then(
        () => (this.backoff = RETRY_BACKOFF_MS),
        (e: unknown) => {
          if (!this.o.classify(e).retriable) return this.onFatal(e instanceof Error ? e : new Error(String(e)));
          this.warn(e);
          this.backoff = Math.min(this.backoff * 2, RETRY_BACKOFF_MAX_MS);
          this.restartSoon(this.backoff);
        },
      );
    }, ms);
    this.retryTimer.unref();
  }

  stop(): void {
    clearTimeout(this.retryTimer);
    clearInterval(this.refreshTimer);
    this.retryTimer = undefined;
  }

  private async apply(force: boolean): Promise<void> {
    if (this.isClosed()) return;
    const topics = [...(await this.o.resolveTopics())].sort();
    if (!force && this.topics && topics.join('\u0000') === this.topics.join('\u0000')) return;
    if (!force) this.o.logger.info('subscribed topics changed; rejoining the group', { group: this.o.groupId, client: this.o.clientId, topics: topics.join(',') });
    this.topics = topics;
    await this.restart(topics);
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private warn(e: unknown): void {
    this.o.logger.warn(`consumer cannot reach Kafka yet, retrying: ${e instanceof Error ? e.message : String(e)}`, { group: this.o.groupId, client: this.o.clientId });
  }
}
